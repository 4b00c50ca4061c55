"""Digest sections: what other apps add to an official's daily digest.

The digest lists a recipient's overdue and soon-due tasks; the supervision workflows above the
plan (urge notices to acknowledge, progress reports missing) add their own lists to the same
mail, so that each person still gets one digest a day, sent exactly once. workplan may not
import those apps, so they are named in settings, like middleware:

    REMINDER_DIGEST_SECTIONS = ["supervision.digest.UNACKNOWLEDGED_URGES", ...]

Each entry is the dotted path of an object with:
- `key`: a short name, unique among sections, under which the dispatch records the ids;
- `heading`: the section's title (lazy text, rendered in the recipient's language);
- `plan(date)`: on working day `date`, a dict of recipient id -> ids of the objects to list;
- `lines(ids, *, date)`: the objects among `ids` still worth listing, as `DigestLine`s worded in
  the active language (the mail is built some time after the dispatch: an urge acknowledged in
  between is dropped here).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Protocol

from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclasses.dataclass(frozen=True)
class DigestLine:
    text: str
    url: str
    detail: str = ""


class DigestSection(Protocol):
    key: str
    heading: str | Promise

    def plan(self, date: datetime.date) -> dict[int, list[int]]: ...

    def lines(self, ids: list[int], *, date: datetime.date) -> list[DigestLine]: ...


def digest_sections() -> list[DigestSection]:
    """Return the sections named in REMINDER_DIGEST_SECTIONS, in that order."""
    sections = [import_string(path) for path in settings.REMINDER_DIGEST_SECTIONS]
    keys = [section.key for section in sections]
    if len(set(keys)) != len(keys):
        raise ValueError(f"REMINDER_DIGEST_SECTIONS: two sections share a key in {keys}.")
    return sections
