"""Evidence through the API: the portal's content checks and limits, nothing stored if refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workplan import evidence_samples as samples
from workplan.models import Evidence, ProgressReport

pytestmark = pytest.mark.django_db


def upload(client, task, *files):
    data = {"progress": 30, "status": "in_progress", "note": "Photos", "version": task.version}
    data["evidence"] = list(files)
    return client.post(f"/api/v1/tasks/{task.pk}/reports/", data, format="multipart")


def test_a_pdf_and_a_png_are_stored_with_the_type_read_from_their_content(api, official, task):
    response = upload(
        api.as_user(official),
        task,
        SimpleUploadedFile("minutes.pdf", samples.PDF_BYTES, content_type="image/png"),
        SimpleUploadedFile("site.png", samples.png_bytes(), content_type="text/plain"),
    )
    assert response.status_code == 201, response.content
    evidence = response.json()["evidence"]
    assert [(e["name"], e["content_type"]) for e in evidence] == [
        ("minutes.pdf", "application/pdf"),
        ("site.png", "image/png"),
    ]
    assert evidence[0]["download"] == f"/evidence/{evidence[0]['id']}/"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("minutes.exe", samples.PDF_BYTES),
        ("empty.pdf", b""),
    ],
)
def test_a_file_the_portal_refuses_is_refused_with_nothing_stored(
    api, official, task, name, content
):
    response = upload(api.as_user(official), task, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert "evidence" in response.json()
    assert ProgressReport.objects.count() == Evidence.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_with_its_size(api, official, task, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", samples.PDF_BYTES + b"0" * 4096)
    response = upload(api.as_user(official), task, big)
    assert response.status_code == 400
    assert "big.pdf" in response.json()["evidence"][0]
    assert Evidence.objects.count() == 0


def test_more_than_five_files_are_refused(api, official, task):
    files = [SimpleUploadedFile(f"p{n}.pdf", samples.PDF_BYTES) for n in range(6)]
    response = upload(api.as_user(official), task, *files)
    assert response.status_code == 400
    assert Evidence.objects.count() == 0


def test_a_token_client_may_send_a_body_above_the_anonymous_limit(api, official, task, settings):
    settings.REQUEST_BODY_MAX_BYTES_ANONYMOUS = 1024
    pdf = SimpleUploadedFile("long.pdf", samples.PDF_BYTES + b"%" * 8192)
    assert upload(api.as_user(official), task, pdf).status_code == 201
    api.credentials()  # no token: the anonymous limit
    pdf.seek(0)
    assert upload(api, task, pdf).status_code == 413
