"""Change lists that answer a bad date-hierarchy value as Django answers any bad lookup.

Django's change list turns a lookup it cannot use into IncorrectLookupParameters, which the
admin answers with the list without filters ("?e=1"). Its date hierarchy misses the ends of the
calendar: the year after 9999 does not exist (`?date__year=9999` raised ValueError), nor the day
after 9999-12-31, nor midnight of 1 January of year 1 in UTC when the time zone is east of it
(OverflowError when the query is built); each was a 500. Every admin with a date hierarchy
uses DateHierarchyAdminMixin; tests/etown/test_admin_lists.py walks the admin site to check it.
"""

import datetime

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone


class BoundedDateChangeList(ChangeList):
    def get_filters(self, request):
        try:
            filters = super().get_filters(request)
            lookup_params = filters[2]
            for bound in ("gte", "lt"):
                for value in lookup_params.get(f"{self.date_hierarchy}__{bound}", []):
                    # The database stores UTC: a bound that has no UTC time cannot be queried.
                    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                        value.astimezone(datetime.UTC)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return filters


class DateHierarchyAdminMixin:
    """Use BoundedDateChangeList: a date out of the calendar's range is a bad lookup, not a 500."""

    def get_changelist(self, request, **kwargs):
        return BoundedDateChangeList
