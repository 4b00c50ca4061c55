"""The progress report form on the task page: success, bad input, a second writer, evidence."""

import pytest

from tests.workplan import evidence_samples as samples
from workplan.models import ProgressReport, ReviewState

pytestmark = pytest.mark.django_db


def form_data(task, **overrides):
    data = {
        "progress": 60,
        "status": "in_progress",
        "note": "Tender published.",
        "version": task.version,
    }
    data.update(overrides)
    return data


def test_a_report_is_saved_pending_and_shown_in_the_timeline(client, official, task):
    client.force_login(official)
    response = client.post(
        f"/tasks/{task.pk}/", {**form_data(task), "evidence": samples.pdf()}, follow=True
    )
    assert response.redirect_chain[-1] == (f"/tasks/{task.pk}/", 302)
    report = ProgressReport.objects.get(task=task)
    assert report.review_state == ReviewState.PENDING
    assert report.evidence.get().original_name == "minutes.pdf"
    content = response.content.decode()
    assert "awaits your supervisor" in content
    assert "Tender published." in content
    assert "Pending review" in content
    assert "awaiting review" in content
    assert f"/evidence/{report.evidence.get().pk}/" in content


def test_the_form_starts_from_the_latest_reported_progress(client, official, task):
    client.force_login(official)
    client.post(f"/tasks/{task.pk}/", form_data(task, progress=35))
    form = client.get(f"/tasks/{task.pk}/").context["form"]
    assert form.initial["progress"] == 35
    task.refresh_from_db()
    assert form.initial["version"] == task.version


def test_a_blocked_report_without_a_note_is_refused_and_the_input_kept(client, official, task):
    client.force_login(official)
    response = client.post(
        f"/tasks/{task.pk}/", form_data(task, status="blocked", note="", progress=45)
    )
    assert response.status_code == 200
    assert "Say what blocks the task" in response.content.decode()
    assert response.context["form"]["progress"].value() == "45"
    assert not ProgressReport.objects.exists()


def test_progress_over_100_is_refused(client, official, task):
    client.force_login(official)
    response = client.post(f"/tasks/{task.pk}/", form_data(task, progress=150))
    assert response.status_code == 200
    assert response.context["form"].errors["progress"]
    assert not ProgressReport.objects.exists()


def test_a_file_that_is_not_allowed_is_refused_and_the_note_kept(client, official, task):
    client.force_login(official)
    fake = samples.upload("report.pdf", b"MZ\x90\x00 this is a program")
    response = client.post(
        f"/tasks/{task.pk}/", {**form_data(task, note="My long note"), "evidence": fake}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "report.pdf" in content
    assert "Its content decides, not its name" in content
    assert "My long note" in content
    assert not ProgressReport.objects.exists()


def test_a_second_writer_is_told_what_changed_and_keeps_their_input(
    client, official, colleague, task
):
    stale_version = task.version
    client.force_login(colleague)
    client.post(f"/tasks/{task.pk}/", form_data(task, progress=30, note="Colleague was first"))
    client.force_login(official)
    response = client.post(
        f"/tasks/{task.pk}/",
        {
            **form_data(task, progress=80, note="My careful update", version=stale_version),
            "evidence": samples.pdf("photos.pdf"),
        },
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert 'id="conflict"' in content
    assert "Colleague was first" in content
    assert "My careful update" in content
    assert "photos.pdf" in content.split('id="files-dropped"')[1]
    form = response.context["form"]
    assert form["progress"].value() == "80"
    assert str(form["version"].value()) == str(stale_version + 1)
    assert ProgressReport.objects.filter(task=task).count() == 1

    # Submitting again, now against the current version, goes through.
    resubmit = {
        "progress": 80,
        "status": "in_progress",
        "note": "My careful update",
        "version": form["version"].value(),
    }
    assert client.post(f"/tasks/{task.pk}/", resubmit).status_code == 302
    assert ProgressReport.objects.filter(task=task).count() == 2


def test_the_timeline_shows_the_supervisors_comment_and_review_state(
    client, official, task, supervisor
):
    from tests.factories import ProgressReportFactory

    ProgressReportFactory(
        task=task,
        review_state=ReviewState.RETURNED,
        reviewed_by=supervisor,
        review_comment="Please attach the contract.",
    )
    client.force_login(official)
    content = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Please attach the contract." in content
    assert "Returned" in content


def test_a_note_of_11_mb_gets_the_form_back_with_the_error_and_nothing_stored(
    client, official, task
):
    client.force_login(official)
    form_page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'maxlength="5000"' in form_page
    response = client.post(f"/tasks/{task.pk}/", form_data(task, note="x" * (11 * 1024 * 1024)))
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert "at most 5000 characters" in response.content.decode()
    assert not ProgressReport.objects.exists()
