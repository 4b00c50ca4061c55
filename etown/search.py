"""Caps on search text: a person never meets them, a request with 1,000 words always does.

Each word of a search is one more set of LIKE conditions over the whole table; a thousand words
held a database connection for half a minute. The admin (every model admin with a search box)
and the portal's task list refuse a search past `SEARCH_MAX_TERMS` words or `SEARCH_MAX_CHARS`
characters with a message, instead of running it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def search_text_check(value: str) -> None:
    """Raise ValidationError when the search text has too many words or characters."""
    max_terms = settings.SEARCH_MAX_TERMS
    max_chars = settings.SEARCH_MAX_CHARS
    if len(value) > max_chars or len(value.split()) > max_terms:
        raise ValidationError(
            _(
                "Search with at most %(terms)d words and %(chars)d characters; "
                "shorten the search and try again."
            ),
            params={"terms": max_terms, "chars": max_chars},
            code="search_too_long",
        )


class CappedSearchMixin:
    """A model admin whose search refuses an over-long search text with a message.

    A class that searches its own way overrides `get_search_results_within_caps` (the task
    list's subqueries), which runs only for a search within the caps.
    """

    def get_search_results(self, request, queryset, search_term):
        try:
            search_text_check(search_term)
        except ValidationError as error:
            # The autocomplete widgets answer JSON; a message would only surface on a later page.
            match = request.resolver_match
            if match is None or match.url_name != "autocomplete":
                messages.error(request, error.messages[0])
            return queryset.none(), False
        return self.get_search_results_within_caps(request, queryset, search_term)

    def get_search_results_within_caps(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term)
