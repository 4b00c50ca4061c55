"""simple-history's admin, with the page of a past version made read-only.

simple-history saves the past-version page's form on POST whatever SIMPLE_HISTORY_REVERT_DISABLED
says, and builds that form without Django's rule that a view-only user's fields are excluded. So
anyone who may merely *view* an object could change it there: a supervisor could turn their own
account into a superuser through /admin/accounts/user/<id>/history/<version>/. Every admin with a
history uses this class instead; tests/etown/test_authorization_matrix.py checks that.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
