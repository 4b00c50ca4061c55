from django.conf import settings
from django.http import Http404, HttpResponse


def bench_floor(request):
    """Answer a signed-in user with the least work Django can do: the benchmarks' floor.

    Served only when BENCH_FLOOR_VIEW is on; everywhere else it does not exist.
    """
    if not settings.BENCH_FLOOR_VIEW:
        raise Http404
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")
