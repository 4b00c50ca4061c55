import ipaddress
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def client_ip_address(request) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only as far as our own proxies.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it was reached from, so the
    client is the N-th entry from the right; anything further left was written by the client
    and is ignored. An entry that is not an address (a proxy count set too high lets the client
    write it) falls back to the connection's address.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def _locked_out_page(request, *, scope, seconds):
    minutes = max(1, math.ceil(seconds / 60)) if seconds else None
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "scope": scope},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def lockout_response(request, original_response=None, credentials=None):
    """Render the lockout notice for one account at one address (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    return _locked_out_page(
        request, scope="account", seconds=cool_off.total_seconds() if cool_off else None
    )


def throttled_response(request, *, seconds):
    """Render the lockout notice for an address over the sign-in limit (etown.throttle)."""
    return _locked_out_page(request, scope="address", seconds=seconds)
