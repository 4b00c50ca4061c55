"""Limits per client address and per account, counted in the cache (Redis in production).

Three limits, each a number of events in a fixed window (settings in etown/settings/base.py):

- failed sign-ins per address, across all usernames (`SIGN_IN_ADDRESS_FAILURE_LIMIT` per
  `SIGN_IN_ADDRESS_WINDOW_MINUTES`): one address trying one password on many accounts. Over
  it, every sign-in from that address (portal, admin, API token) is refused before any password
  is hashed, and the page says for how long. django-axes' lockout of one username at one
  address works beside it;
- password reset requests per address (`PASSWORD_RESET_ADDRESS_LIMIT`) and reset mails per
  account (`PASSWORD_RESET_ACCOUNT_LIMIT`), per `PASSWORD_RESET_WINDOW_MINUTES`: over either,
  the reset page says what it always says and nothing is sent.

Every limit reads the client's address with etown.lockout.client_ip_address, as the lockout
does. With Redis unreachable the counts read as zero: the limits lapse while the lockout, kept
in the database, still holds. This module imports no app, so any app may use it.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from etown import audit
from etown.lockout import client_ip_address, throttled_response

# Set on the request by the backend below; SignInThrottleMiddleware answers with the lockout page.
REFUSED_ATTRIBUTE = "sign_in_refused_for"


@dataclass(frozen=True)
class Limit:
    """At most `limit` events per `window_minutes` for one subject; 0 turns the limit off.

    The two numbers are the names of settings, read when the limit is used.
    """

    name: str
    limit_setting: str
    window_setting: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)

    @property
    def window(self) -> int:
        return getattr(settings, self.window_setting) * 60

    def _key(self, subject: str | None, now: float) -> str:
        # Hashed: the cache holds no address or account id in the clear. No address at all (a
        # server on a Unix socket may give none) is one subject of its own.
        digest = hashlib.sha256(str(subject).encode()).hexdigest()[:32]
        return f"throttle:{self.name}:{int(now // self.window)}:{digest}"

    def count(self, subject: str | None) -> int:
        """Return the events counted for the subject in the current window."""
        return cache.get(self._key(subject, time.time())) or 0

    def exceeded(self, subject: str | None) -> bool:
        return self.limit > 0 and self.count(subject) >= self.limit

    def record(self, subject: str | None) -> int:
        """Count one event for the subject; return the count so far in this window."""
        key = self._key(subject, time.time())
        cache.add(key, 0, timeout=self.window)
        try:
            # None when Redis is unreachable (django-redis ignores the error): count nothing.
            return cache.incr(key) or 0
        except ValueError:  # the key expired between add and incr: a new window begins
            cache.set(key, 1, timeout=self.window)
            return 1

    def take(self, subject: str | None) -> bool:
        """Count one event; return whether it is still within the limit."""
        count = self.record(subject)
        return self.limit <= 0 or count <= self.limit

    def seconds_left(self) -> int:
        """Return the seconds until the current window ends and the count starts again."""
        now = time.time()
        return math.ceil(self.window - now % self.window)


SIGN_IN_FAILURES = Limit(
    "sign_in_failures", "SIGN_IN_ADDRESS_FAILURE_LIMIT", "SIGN_IN_ADDRESS_WINDOW_MINUTES"
)
PASSWORD_RESET_ADDRESS = Limit(
    "password_reset_address", "PASSWORD_RESET_ADDRESS_LIMIT", "PASSWORD_RESET_WINDOW_MINUTES"
)
PASSWORD_RESET_ACCOUNT = Limit(
    "password_reset_account", "PASSWORD_RESET_ACCOUNT_LIMIT", "PASSWORD_RESET_WINDOW_MINUTES"
)


def sign_in_refused(request) -> bool:
    """Return whether the request's address has failed to sign in too often of late."""
    return SIGN_IN_FAILURES.exceeded(client_ip_address(request))


def sign_in_refused_response(request):
    """Render the lockout page for an address over the limit (HTTP 429)."""
    return throttled_response(request, seconds=SIGN_IN_FAILURES.seconds_left())


class SignInThrottleBackend:
    """Refuse every sign-in from an address over the limit, before any password is hashed.

    First in AUTHENTICATION_BACKENDS, so it holds for every way in that calls authenticate():
    the portal's and the admin's sign-in pages and the API's token view. It signs nobody in.
    The pages answer with the lockout page through SignInThrottleMiddleware; a view that is
    not a Django page (the API's token view) asks sign_in_refused() first and answers 429.
    """

    def authenticate(self, request, **credentials):
        if request is not None and sign_in_refused(request):
            setattr(request, REFUSED_ATTRIBUTE, True)
            raise PermissionDenied
        return None


class SignInThrottleMiddleware:
    """Answer a sign-in the backend refused with the lockout page instead of the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, REFUSED_ATTRIBUTE, False):
            return sign_in_refused_response(request)
        return response


def password_reset_address_allowed(request) -> bool:
    """Count one reset request from the request's address; return whether it may send."""
    address = client_ip_address(request)
    if PASSWORD_RESET_ADDRESS.take(address):
        return True
    audit.limit_reached(PASSWORD_RESET_ADDRESS.name, ip=address)
    return False


def password_reset_account_allowed(user) -> bool:
    """Count one reset mail to the user; return whether it may be sent."""
    if PASSWORD_RESET_ACCOUNT.take(str(user.pk)):
        return True
    audit.limit_reached(PASSWORD_RESET_ACCOUNT.name, user=user.pk)
    return False


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django sends this signal from authenticate() for every failure, whichever page called it:
    # the one place every way of signing in passes, as django-axes counts its failures too.
    if request is None:
        return
    address = client_ip_address(request)
    if SIGN_IN_FAILURES.record(address) == SIGN_IN_FAILURES.limit:
        # Once per address and window; each refused attempt is a sign_in_failed line as well.
        audit.limit_reached(SIGN_IN_FAILURES.name, ip=address)


def connect() -> None:
    user_login_failed.connect(_sign_in_failed, dispatch_uid="etown.throttle.sign_in_failed")
