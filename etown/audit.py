"""The audit trail on logger `etown.audit`: sign-ins, failed sign-ins, sign-outs, lockouts and
the limits of etown.throttle reached.

Permission refusals (any 403) are written by etown.logs.RequestLogMiddleware. Passwords are
never written: Django hands failed credentials over with the password already masked, and only
the username is kept from them.
"""

import logging

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

audit_logger = logging.getLogger("etown.audit")

USERNAME_MAX_LENGTH = 150


def _ip(request):
    if request is None:
        return None
    try:
        return get_client_ip_address(request)
    except Exception:  # noqa: BLE001 (an odd header must not break signing in)
        return request.META.get("REMOTE_ADDR")


def _signed_in(sender, request, user, **kwargs):
    audit_logger.info("sign_in", extra={"user": user.pk, "ip": _ip(request)})


def _signed_out(sender, request, user, **kwargs):
    audit_logger.info("sign_out", extra={"user": getattr(user, "pk", None), "ip": _ip(request)})


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:USERNAME_MAX_LENGTH]
    audit_logger.warning("sign_in_failed", extra={"username": username, "ip": _ip(request)})


def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_logger.warning(
        "locked_out",
        extra={"username": str(username or "")[:USERNAME_MAX_LENGTH], "ip": ip_address},
    )


def limit_reached(limit: str, *, ip: str | None = None, user: int | None = None) -> None:
    """Write that a limit of etown.throttle refused an address or an account."""
    audit_logger.warning("limit_reached", extra={"limit": limit, "ip": ip, "user": user})


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="etown.audit.sign_in")
    user_logged_out.connect(_signed_out, dispatch_uid="etown.audit.sign_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="etown.audit.sign_in_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="etown.audit.locked_out")
