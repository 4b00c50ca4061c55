from api.authentication import CHECKED_ATTRIBUTE, MalformedTokenHeader, token_key
from api.selectors import token_user

API_PREFIX = "/api/"


class ApiTokenMiddleware:
    """Sign an API request's token holder in for that request, like RemoteUserMiddleware.

    After AuthenticationMiddleware: the request body limit (etown/request_limits.py), the
    language, the request log and the history then know who sent the request, as they do for
    a session. Only under /api/: a token opens no portal page. An invalid token changes
    nothing here; the API's TokenAuthentication answers it with 401.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            try:
                key = token_key(request.META.get("HTTP_AUTHORIZATION", ""))
            except MalformedTokenHeader:
                key = None
            if key is not None:
                user = token_user(key)
                setattr(request, CHECKED_ATTRIBUTE, (key, user))
                if user is not None:
                    request.user = user
        return self.get_response(request)
