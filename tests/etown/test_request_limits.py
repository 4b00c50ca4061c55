"""Request bodies over the limit are answered 413 unread; evidence past its size is not stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client

from tests.workplan import evidence_samples as samples
from workplan.models import Evidence, ProgressReport

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def oversized():
    """Return a new 3 MB PDF upload each call: over every body and file limit these tests set."""

    def upload(name="minutes.pdf"):
        return SimpleUploadedFile(name, samples.PDF_BYTES + b"x" * (3 * MB))

    return upload


@pytest.fixture
def stored_bytes(monkeypatch):
    """Count the bytes of uploads handed to Django's storing handlers (memory or disk)."""
    stored = {"memory": 0, "disk": 0}

    def counting(kind, original):
        def receive_data_chunk(self, raw_data, start):
            stored[kind] += len(raw_data)
            return original(self, raw_data, start)

        return receive_data_chunk

    for kind, handler in (
        ("memory", MemoryFileUploadHandler),
        ("disk", TemporaryFileUploadHandler),
    ):
        monkeypatch.setattr(
            handler, "receive_data_chunk", counting(kind, handler.receive_data_chunk)
        )
    return stored


def test_an_anonymous_multipart_post_over_the_limit_to_sign_in_is_413_and_never_written(
    stored_bytes, settings, tmp_path, oversized
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    big = oversized("big.bin")
    response = client.post(
        "/accounts/login/",
        {
            "username": "someone",
            "password": "secret",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "junk": big,
        },
    )
    assert response.status_code == 413
    assert stored_bytes == {"memory": 0, "disk": 0}
    assert list(tmp_path.iterdir()) == []


def test_an_anonymous_post_without_a_csrf_token_is_413_too_not_read_for_the_token(
    stored_bytes, oversized
):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"junk": oversized("a")})
    assert response.status_code == 413
    assert stored_bytes["disk"] == 0


def test_an_ordinary_sign_in_post_is_not_refused(client):
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200


def test_a_signed_in_post_over_the_limit_is_413(
    client, official, task, settings, stored_bytes, oversized
):
    settings.REQUEST_BODY_MAX_BYTES = 1 * MB
    client.force_login(official)
    response = client.post(
        f"/tasks/{task.pk}/",
        {
            "progress": 50,
            "status": "in_progress",
            "version": task.version,
            "evidence": oversized(),
        },
    )
    assert response.status_code == 413
    assert stored_bytes == {"memory": 0, "disk": 0}
    assert not ProgressReport.objects.exists()


def test_an_evidence_file_past_its_size_is_refused_by_size_and_never_stored_whole(
    client, official, task, settings, stored_bytes, oversized
):
    settings.EVIDENCE_MAX_BYTES = 100 * 1024
    client.force_login(official)
    response = client.post(
        f"/tasks/{task.pk}/",
        {
            "progress": 50,
            "status": "in_progress",
            "version": task.version,
            "evidence": oversized(),
        },
    )
    assert response.status_code == 200
    assert "a file may be at most 100.0\xa0KB" in response.content.decode()
    assert "minutes.pdf" in response.content.decode()
    assert max(stored_bytes.values()) <= 100 * 1024
    assert not Evidence.objects.exists()
    assert not ProgressReport.objects.exists()


def test_an_evidence_file_within_its_size_is_stored_whole(client, official, task, stored_bytes):
    client.force_login(official)
    response = client.post(
        f"/tasks/{task.pk}/",
        {
            "progress": 50,
            "status": "in_progress",
            "version": task.version,
            "evidence": samples.pdf(),
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.get().size == len(samples.PDF_BYTES)
