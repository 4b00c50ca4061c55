"""Change lists that answer a bad date-hierarchy value as Django answers any bad lookup, and
autocomplete widgets that survive a value that cannot be an id.

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
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
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


class ValidChoicesAutocompleteMixin:
    """Show only the submitted values that can be ids of the related model.

    Django's autocomplete widget looks up whatever value it is given, to show its label: a form
    re-rendered with "abc" in a related field (posted, or as initial data from the add page's
    query string, `?owner=abc`) raised ValueError in that lookup, a 500. A value that cannot be
    an id is left out here; the form's own validation still says the choice is not valid.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        kept = []
        for item in value:
            try:
                to_field.to_python(item)
            except (ValidationError, ValueError, TypeError):
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class ValidChoicesAutocompleteSelect(ValidChoicesAutocompleteMixin, AutocompleteSelect):
    pass


class ValidChoicesAutocompleteSelectMultiple(
    ValidChoicesAutocompleteMixin, AutocompleteSelectMultiple
):
    pass


class AutocompleteAdminMixin:
    """Give a model admin's autocomplete fields the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidChoicesAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidChoicesAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
