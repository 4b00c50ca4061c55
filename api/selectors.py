"""Reads of the API's own records: whose token a key is."""

from __future__ import annotations

import hashlib

from django.utils.crypto import constant_time_compare

from api.models import ApiToken, IdempotencyKey


def token_digest(key: str) -> str:
    """Return the stored form of a token key.

    The keys are 256 random bits, so one SHA-256 is enough: a slow password hash guards
    guessable secrets, and nobody guesses these.
    """
    return hashlib.sha256(key.encode()).hexdigest()


def token_user(key: str):
    """Return the active user whose token `key` is, or None.

    None too when the user's password changed since the token was issued (its stamp no longer
    matches), so a leaked password's tokens end with it. One query.
    """
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    if not constant_time_compare(token.password_stamp, token.user.get_session_auth_hash()):
        return None
    return token.user


def idempotency_key_find(*, user, key: str) -> IdempotencyKey | None:
    return (
        IdempotencyKey.objects.select_related("reading__indicator")
        .filter(user=user, key=key)
        .first()
    )
