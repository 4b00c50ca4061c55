"""Writes of the API's own records: issuing a token, recording a reading once per key."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken, IdempotencyKey
from api.selectors import idempotency_key_find, token_digest
from workplan.models import Indicator, IndicatorReading
from workplan.services import indicator_reading_record

IDEMPOTENCY_KEY_MAX_CHARS = 255


@transaction.atomic
def token_issue(*, user) -> str:
    """Issue a new token for `user` and return its key; the user's previous token stops working.

    Only the key's digest is kept, with the user's password stamp (see ApiToken).
    """
    key = secrets.token_urlsafe(32)
    ApiToken.objects.update_or_create(
        user=user,
        defaults={
            "digest": token_digest(key),
            "password_stamp": user.get_session_auth_hash(),
            "created_at": datetime.datetime.now(tz=datetime.UTC),
        },
    )
    return key


class IdempotencyKeyReused(Exception):
    """The key was sent before with another request; nothing was recorded."""


@transaction.atomic
def indicator_reading_record_once(
    *,
    indicator: Indicator,
    author,
    key: str,
    fingerprint: str,
    period_end: datetime.date,
    value: Decimal,
    note: str = "",
) -> tuple[IndicatorReading, bool]:
    """Record a reading unless this key already recorded one; return it and whether it is new.

    A retry (same user, key and request) returns the first reading; the same key with another
    request raises IdempotencyKeyReused. The indicator's row lock makes two concurrent retries
    wait for each other, so exactly one of them records.
    """
    key = key.strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX_CHARS:
        raise ValidationError(
            _(
                "Send an Idempotency-Key header of 1 to %(limit)d characters (a UUID will do), "
                "the same one again when you retry, so the reading is recorded once."
            )
            % {"limit": IDEMPOTENCY_KEY_MAX_CHARS},
            code="idempotency_key",
        )
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    seen = idempotency_key_find(user=author, key=key)
    if seen is not None:
        if seen.fingerprint != fingerprint:
            raise IdempotencyKeyReused
        return seen.reading, False
    reading = indicator_reading_record(
        indicator=indicator, author=author, period_end=period_end, value=value, note=note
    )
    IdempotencyKey.objects.create(user=author, key=key, fingerprint=fingerprint, reading=reading)
    return reading, True
