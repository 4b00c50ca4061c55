import time

from django.utils import translation


class UserLanguageMiddleware:
    """Use the signed-in user's preferred language, else what LocaleMiddleware chose.

    Must come after AuthenticationMiddleware. LocaleMiddleware has already picked a language
    from the session cookie or Accept-Language; a user's saved preference wins over both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user is not None else ""
        if language and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


SESSION_SEEN_KEY = "_seen_at"
# Writing the session on every request costs a query per page; once a minute is plenty for an
# idle timeout measured in tens of minutes.
SESSION_REFRESH_SECONDS = 60


def session_mark_seen(session) -> None:
    session[SESSION_SEEN_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Push a signed-in session's expiry forward on activity, at most once a minute.

    Sessions expire SESSION_COOKIE_AGE seconds after their last save; marking the session
    modified here makes SessionMiddleware save it with a fresh expiry. Must come after
    AuthenticationMiddleware, so it runs before SessionMiddleware saves the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        # A request signed in by an API token has an empty session: saving it would start one.
        if (
            session is not None
            and user is not None
            and user.is_authenticated
            and not session.is_empty()
        ):
            seen = session.get(SESSION_SEEN_KEY)
            if seen is None or time.time() - seen >= SESSION_REFRESH_SECONDS:
                session_mark_seen(session)
        return response
