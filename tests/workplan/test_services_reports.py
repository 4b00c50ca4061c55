import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from tests.factories import DepartmentFactory, ProgressReportFactory, TaskFactory, UserFactory
from tests.workplan import evidence_samples as samples
from workplan.models import Evidence, ProgressReport, ReviewState, TaskStatus
from workplan.services import TaskChangedError, task_report_progress

pytestmark = pytest.mark.django_db


def report(task, author, **overrides):
    arguments = {
        "task": task,
        "author": author,
        "progress": 60,
        "status": TaskStatus.IN_PROGRESS,
        "note": "Site survey finished.",
        "expected_version": task.version,
    }
    arguments.update(overrides)
    return task_report_progress(**arguments)


def test_a_report_is_saved_pending_and_leaves_the_tasks_own_progress_alone(task, official):
    saved = report(task, official)
    task.refresh_from_db()
    assert saved.review_state == ReviewState.PENDING
    assert saved.progress == 60
    assert saved.author == official
    assert task.progress == 10
    assert task.status == TaskStatus.IN_PROGRESS


def test_a_report_moves_the_task_version_on(task, official):
    before = task.version
    saved = report(task, official)
    task.refresh_from_db()
    assert saved.task_version == before
    assert task.version == before + 1


def test_a_report_based_on_an_old_version_is_refused_and_says_what_changed(task, official):
    colleague = UserFactory(role=Role.OFFICIAL, department=official.department)
    stale_version = task.version
    report(task, colleague, progress=40, note="Colleague's update")
    with pytest.raises(TaskChangedError) as caught:
        report(task, official, expected_version=stale_version, progress=70)
    assert caught.value.task.version == stale_version + 1
    assert any("Colleague's update" in str(change) for change in caught.value.changes)
    assert any("40 %" in str(change) for change in caught.value.changes)
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_a_report_over_100_percent_is_refused_and_nothing_is_saved(task, official):
    with pytest.raises(ValidationError) as caught:
        report(task, official, progress=101)
    assert "progress" in caught.value.message_dict
    assert not ProgressReport.objects.exists()
    task.refresh_from_db()
    assert task.version == 1


def test_a_blocked_report_needs_a_note(task, official):
    with pytest.raises(ValidationError) as caught:
        report(task, official, status=TaskStatus.BLOCKED, note="   ")
    assert "note" in caught.value.message_dict


def test_a_completed_report_must_say_100_percent(task, official):
    with pytest.raises(ValidationError) as caught:
        report(task, official, status=TaskStatus.COMPLETED, progress=90)
    assert "progress" in caught.value.message_dict


def test_an_official_of_a_supporting_department_may_not_report(task):
    supporter = UserFactory(role=Role.OFFICIAL, department=DepartmentFactory())
    task.supporting_departments.add(supporter.department)
    with pytest.raises(PermissionDenied):
        report(task, supporter)


def test_a_supervisor_may_not_file_a_progress_report(task, supervisor):
    with pytest.raises(PermissionDenied):
        report(task, supervisor)


def test_a_colleague_in_the_lead_department_may_report():
    department = DepartmentFactory()
    task = TaskFactory(owner=None, lead_department=department)
    colleague = UserFactory(role=Role.OFFICIAL, department=department)
    assert report(task, colleague).author == colleague


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("minutes.pdf", samples.PDF_BYTES, "application/pdf"),
        ("photo.png", samples.png_bytes(), "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, "image/jpeg"),
        ("anim.gif", b"GIF89a" + b"\x00" * 32, "image/gif"),
        ("pic.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32, "image/webp"),
        (
            "plan.docx",
            samples.ooxml_bytes(samples.DOCX_PART),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            samples.ooxml_bytes(samples.XLSX_PART),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "slides.pptx",
            samples.ooxml_bytes(samples.PPTX_PART),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("old.doc", samples.ole2_bytes("WordDocument"), "application/msword"),
        ("old.xls", samples.ole2_bytes("Workbook"), "application/vnd.ms-excel"),
    ],
)
def test_evidence_of_each_allowed_kind_is_stored_with_the_type_read_from_its_content(
    task, official, name, content, content_type
):
    saved = report(task, official, evidence=[samples.upload(name, content)])
    evidence = saved.evidence.get()
    assert evidence.content_type == content_type
    assert evidence.original_name == name
    assert evidence.size == len(content)
    assert Path(evidence.file.path).read_bytes() == content


def test_evidence_is_stored_under_media_root_with_a_random_name(task, official, settings):
    saved = report(task, official, evidence=[samples.pdf("../../etc/passwd.pdf")])
    path = Path(saved.evidence.get().file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "passwd" not in path.name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("archive.docx", samples.ooxml_bytes("application/xml")),
        ("notes.txt", b"just some text"),
        ("empty.png", b""),
        ("other.doc", samples.ole2_bytes("SomethingElse")),
    ],
)
def test_evidence_whose_content_is_not_an_allowed_kind_is_refused_whatever_its_name(
    task, official, name, content
):
    with pytest.raises(ValidationError) as caught:
        report(task, official, evidence=[samples.upload(name, content)])
    assert "evidence" in caught.value.message_dict
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused_with_the_limit_named(task, official, settings):
    settings.EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError) as caught:
        report(task, official, evidence=[samples.pdf()])
    message = caught.value.message_dict["evidence"][0]
    assert "minutes.pdf" in message
    assert "50" in message
    assert not ProgressReport.objects.exists()


def test_more_than_five_files_on_one_report_are_refused(task, official):
    with pytest.raises(ValidationError):
        report(task, official, evidence=[samples.pdf(f"f{n}.pdf") for n in range(6)])


def test_the_conflict_lists_every_report_filed_since_the_authors_version(task, official):
    colleague = UserFactory(role=Role.OFFICIAL, department=official.department)
    ProgressReportFactory(task=task, author=colleague, note="older", task_version=0)
    stale = task.version
    report(task, colleague, note="first since")
    report(task, colleague, note="second since")
    with pytest.raises(TaskChangedError) as caught:
        report(task, official, expected_version=stale)
    text = " ".join(str(change) for change in caught.value.changes)
    assert "first since" in text
    assert "second since" in text
    assert "older" not in text


def test_the_conflict_names_a_review_that_moved_the_task_on(task, official, supervisor):
    from django.utils import timezone

    pending = report(task, official, progress=50, note="mine")
    task.refresh_from_db()
    stale = task.version
    # A supervisor approves in between (as the review service does: the version moves on).
    pending.review_state = ReviewState.APPROVED
    pending.reviewed_by = supervisor
    pending.reviewed_at = timezone.now()
    pending.save()
    task.progress = 50
    task.version += 1
    task.save()
    with pytest.raises(TaskChangedError) as caught:
        report(task, official, expected_version=stale)
    text = " ".join(str(change) for change in caught.value.changes)
    assert "Approved" in text
    assert "→ 50 %" in text


def test_two_reports_sent_at_the_same_moment_are_never_both_saved(transactional_db):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole-database writes")
    department = DepartmentFactory()
    task = TaskFactory(owner=None, lead_department=department)
    writers = [UserFactory(role=Role.OFFICIAL, department=department) for _ in range(2)]
    version = task.version
    barrier = threading.Barrier(2)
    outcomes = []

    def write(author):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            task_report_progress(
                task=task,
                author=author,
                progress=50,
                status=TaskStatus.IN_PROGRESS,
                expected_version=version,
            )
            outcomes.append("saved")
        except TaskChangedError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(author,)) for author in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"]
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_the_same_report_sent_twice_is_saved_once(task, official):
    version = task.version
    first = report(task, official, expected_version=version)
    again = report(task, official, expected_version=version)
    assert again.pk == first.pk
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_a_different_report_on_the_same_old_version_is_still_a_conflict(task, official):
    version = task.version
    report(task, official, expected_version=version, progress=60)
    with pytest.raises(TaskChangedError):
        report(task, official, expected_version=version, progress=65)


def test_a_note_longer_than_5000_characters_is_refused_and_nothing_stored(task, official):
    with pytest.raises(ValidationError) as error:
        report(task, official, note="x" * 5001)
    assert "at most 5000 characters" in str(error.value.message_dict["note"])
    assert not ProgressReport.objects.exists()


def test_a_note_of_5000_characters_is_stored(task, official):
    assert len(report(task, official, note="x" * 5000).note) == 5000


def test_a_task_takes_at_most_20_reports_a_day_and_says_so(task, official):
    ProgressReportFactory.create_batch(20, task=task, author=official)
    task.refresh_from_db()
    with pytest.raises(ValidationError, match="already has 20 reports today"):
        report(task, official)
    assert ProgressReport.objects.filter(task=task).count() == 20


def test_reports_of_earlier_days_do_not_count_against_todays_cap(task, official):
    from django.utils import timezone

    yesterday = timezone.now() - datetime.timedelta(days=1, hours=1)
    ProgressReportFactory.create_batch(20, task=task, author=official, created_at=yesterday)
    task.refresh_from_db()
    assert report(task, official).pk


def test_the_conflict_lists_only_what_changed_since_the_form_was_opened(task, official):
    from django.utils import formats, timezone, translation

    colleague = UserFactory(role=Role.OFFICIAL, department=official.department)
    report(task, colleague, note="pending before the form was opened")
    task.refresh_from_db()
    opened_at = task.version
    newer = report(task, colleague, note="filed while the form was open")
    with translation.override("zh-hans"), pytest.raises(TaskChangedError) as caught:
        report(task, official, expected_version=opened_at)
    changes = [str(change) for change in caught.value.changes]
    assert len(changes) == 1, changes  # the new report; no figure moved
    assert "filed while the form was open" in changes[0]
    with translation.override("zh-hans"):
        moment = formats.date_format(timezone.localtime(newer.created_at), "DATETIME_FORMAT")
    assert moment in changes[0]
    assert "年" in moment
