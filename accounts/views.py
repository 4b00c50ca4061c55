from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.services import user_set_language


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user keeps it as their preference."""
    language = request.POST.get("language", "")
    if not check_for_language(language):
        return HttpResponseBadRequest("Unknown language.")
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    return django_set_language(request)
