"""Limits per user and per client address; rates in settings (API_THROTTLE_*_RATE)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from etown.lockout import client_ip_address


class SettingRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is a setting, read when used (None turns it off)."""

    rate_setting = ""

    def get_rate(self):
        return getattr(settings, self.rate_setting)


class UserThrottle(SettingRateThrottle):
    """Requests per signed-in user, whichever address they come from."""

    scope = "api_user"
    rate_setting = "API_THROTTLE_USER_RATE"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressThrottle(SettingRateThrottle):
    """Requests per client address, signed in or not (the address as the lockout reads it)."""

    scope = "api_address"
    rate_setting = "API_THROTTLE_ADDRESS_RATE"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip_address(request)}
