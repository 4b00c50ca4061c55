"""On PostgreSQL a slow statement in a web request is cut off at the statement timeout."""

import time

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

from tests.conftest import service_unavailable

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def slow_page(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET.get("seconds", "3"))])
    return HttpResponse("done")


urlpatterns = [path("slow/", slow_page), path("", include("etown.urls"))]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        service_unavailable("the statement timeout is PostgreSQL's: set DATABASE_URL to one")


def test_a_slow_query_in_a_web_request_is_cut_off_at_the_statement_timeout(
    client, official, settings
):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 200
    client.force_login(official)
    started = time.monotonic()
    response = client.get("/slow/", {"seconds": 3})
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert "took too long" in response.text


def test_a_quick_page_is_not_cut_off(client, official, settings):
    settings.DATABASE_STATEMENT_TIMEOUT_MS = 2000
    client.force_login(official)
    assert client.get("/slow/", {"seconds": 0.05}).status_code == 200
