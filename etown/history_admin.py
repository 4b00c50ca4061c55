"""simple-history's admin, with the page of a past version made read-only and scope kept secret.

simple-history saves the past-version page's form on POST whatever SIMPLE_HISTORY_REVERT_DISABLED
says, and builds that form without Django's rule that a view-only user's fields are excluded. So
anyone who may merely *view* an object could change it there: a supervisor could turn their own
account into a superuser through /admin/accounts/user/<id>/history/<version>/. Every admin with a
history uses this class instead; tests/etown/test_authorization_matrix.py checks that.

simple-history also answers 403 for the history of an object the user may not see and 404 for
one that does not exist, which tells a supervisor which ids exist outside their areas. Here a
user who may view the model but not this object gets the 404 a missing id gets, and an id
that cannot exist (letters for a number) gets it too, where simple-history raised ValueError.
"""

import datetime

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def readable(field: Field, value) -> object:
    """Return a field's value as a person reads it: choice labels, local dates, no None."""
    if isinstance(value, DeletedObject):
        # simple-history names a foreign key that was empty "Deleted user (pk=None)".
        if value.pk is None:
            return EMPTY
        return _("a deleted %(kind)s") % {"kind": value.model._meta.verbose_name}
    if value is None or value == "":
        return EMPTY
    if field.choices and not isinstance(value, list):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """The history's changes with field labels, choice labels, local dates and real names."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return readable(self.model._meta.get_field(change.field), value)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    # Columns headed by field labels, values as a person reads them, no inline style.
    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        self.check_id(self.model, object_id)
        try:
            return super().history_view(request, object_id, extra_context)
        except PermissionDenied:
            raise self.hidden(request) from None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        self.check_id(self.model, object_id)
        self.check_id(self.model.history.model, version_id)
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except PermissionDenied:
            raise self.hidden(request) from None

    @staticmethod
    def check_id(model, value) -> None:
        """A URL id that cannot be one of `model` (letters for a number) is a missing id: 404.

        simple-history passes it to the database as it is, which raised ValueError (a 500).
        """
        try:
            model._meta.pk.to_python(unquote(value))
        except (ValidationError, ValueError, TypeError):
            raise Http404() from None

    def hidden(self, request) -> Exception:
        """Return what to raise for an object refused to `request.user`.

        404 if they may view some objects of the model (this one is out of their scope, which
        must look like a missing id); 403 if they may view none (the model is not theirs).
        """
        if self.has_view_or_change_permission(request):
            return Http404()
        return PermissionDenied()
