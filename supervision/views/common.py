from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

PER_PAGE = 25


def back_to(request, default: str):
    """Redirect to the page the form was posted from (`next`), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: anything else (another host, a word that is no URL) is ignored.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


def page_of(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
