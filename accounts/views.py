from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from accounts.forms import PasswordResetForm
from accounts.models import Language
from accounts.services import user_calendar_token_reset, user_set_language


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language; a signed-in user keeps it as their preference."""
    language = request.POST.get("language", "")
    # Only the portal's own languages: Django ships catalogues for many more ("fr", "zh-hant"),
    # which check_for_language accepts but no user may keep as a preference.
    if language not in Language.values or not check_for_language(language):
        return HttpResponseBadRequest(_("Unknown language."))
    if request.user.is_authenticated:
        try:
            user_set_language(user=request.user, language=language)
        except ValidationError as error:
            return HttpResponseBadRequest(" ".join(error.messages))
    return django_set_language(request)


class PasswordResetView(auth_views.PasswordResetView):
    """Send the reset link with the portal's public address (SITE_URL), not the request's host."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """Show the secret calendar feed address; POST issues a new one and retires the old."""
    if request.method == "POST":
        user_calendar_token_reset(user=request.user)
        messages.success(
            request,
            _("A new calendar address is ready. Subscriptions to the old one stop updating."),
        )
        return redirect("calendar_settings")
    feed_url = request.build_absolute_uri(
        reverse("workplan:calendar_feed", args=[request.user.calendar_token])
    )
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request,
        "registration/calendar.html",
        {"feed_url": feed_url, "webcal_url": webcal_url},
    )
