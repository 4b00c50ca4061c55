"""`Authorization: Token <key>`: the API's own token, checked once per request."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.selectors import token_user

KEYWORD = "Token"
# Set on the request by ApiTokenMiddleware: (key, user or None), so the key is looked up once.
CHECKED_ATTRIBUTE = "api_token_checked"


class MalformedTokenHeader(ValueError):
    pass


def token_key(header: str) -> str | None:
    """Return the key of an `Authorization: Token <key>` header, None for another scheme.

    Raise MalformedTokenHeader for a Token header without exactly one key.
    """
    parts = header.split()
    if not parts or parts[0].lower() != KEYWORD.lower():
        return None
    if len(parts) != 2:
        raise MalformedTokenHeader(header)
    return parts[1]


def checked_token_user(request, key: str):
    """Return the user of `key`, from the middleware's check of this request when it made one."""
    checked = getattr(request, CHECKED_ATTRIBUTE, None)
    if checked is not None and checked[0] == key:
        return checked[1]
    return token_user(key)


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        try:
            key = token_key(header)
        except MalformedTokenHeader:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Token <key>”.")
            ) from None
        if key is None:
            return None
        user = checked_token_user(request, key)
        if user is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "This token is not valid: a newer one was issued, the password changed or "
                    "the account is inactive. Get a new one from POST /api/v1/auth/token/."
                )
            )
        return user, key

    def authenticate_header(self, request):
        return KEYWORD
