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
