"""The OpenAPI document is valid OpenAPI 3 and names every resource of the contract."""

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_schema_is_a_valid_openapi_3_document(api, official):
    response = api.as_user(official).get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    validate(document)
    assert document["openapi"].startswith("3.")
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/areas/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/",
        "/api/v1/tasks/{task_pk}/reports/",
        "/api/v1/reports/",
        "/api/v1/reports/{id}/approve/",
        "/api/v1/reports/{id}/return/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{indicator_pk}/readings/",
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/extension-requests/",
        "/api/v1/extension-requests/{id}/approve/",
        "/api/v1/extension-requests/{id}/deny/",
        "/api/v1/urges/",
        "/api/v1/urges/{id}/acknowledge/",
        "/api/v1/urges/{id}/reply/",
        "/api/v1/instructions/",
        "/api/v1/instructions/{id}/answer/",
        "/api/v1/instructions/{id}/close/",
    ):
        assert path in document["paths"], path
    filters = {p["name"] for p in document["paths"]["/api/v1/tasks/"]["get"]["parameters"]}
    assert {
        "area",
        "status",
        "urgency",
        "department",
        "owner",
        "due_after",
        "due_before",
        "q",
    } <= filters


def test_the_schema_is_for_signed_in_clients(api):
    assert api.get("/api/v1/schema/").status_code == 401


def test_the_docs_page_loads_swagger_ui_from_this_server(client, official):
    client.force_login(official)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "http://" not in html and "https://" not in html
    assert "<style" not in html
    assert "<script>" not in html  # every script is a file of this server


def test_generating_the_schema_leaves_the_portal_s_area_filter_alone(api, client, official, task):
    assert api.as_user(official).get("/api/v1/schema/").status_code == 200
    client.force_login(official)
    page = client.get(f"/tasks/?area={task.area_id}")
    assert page.status_code == 200
    assert not page.context["filter"].form.errors
    assert [t.pk for t in page.context["tasks"]] == [task.pk]
