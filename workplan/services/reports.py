"""Progress reports: an official reports on a task, with evidence; a supervisor reviews later."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from workplan.changes import task_at_version, task_state_changes
from workplan.models import Evidence, ProgressReport, ReviewState, Task, TaskStatus
from workplan.permissions import can_report_on_task

EVIDENCE_MAX_FILES = 5
# A note is read by everyone who opens the task: an 11 MB one made a 12 MB page.
NOTE_MAX_CHARS = 5000
# Far above any real day's reporting on one task; it keeps a script from filling the review
# queue and the task's timeline.
REPORTS_MAX_PER_TASK_PER_DAY = 20

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")

# The main part each Office Open XML format declares in its [Content_Types].xml.
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.ms-word.document.macroEnabled.main+xml": None,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Directory entry names of the main stream, as UTF-16LE inside the compound file.
OLE2_STREAMS = {
    "WordDocument".encode("utf-16-le"): DOC,
    "Workbook".encode("utf-16-le"): XLS,
    "Book".encode("utf-16-le"): XLS,
}
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
# The name must agree with the content: a PDF called report.exe is downloaded as report.exe.
EXTENSIONS = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    DOC: (".doc",),
    XLS: (".xls",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
}


class TaskChangedError(Exception):
    """The task changed after the form was rendered; the report was not saved."""

    def __init__(self, *, task: Task, expected_version: int, changes: list[str]):
        self.task = task
        self.expected_version = expected_version
        self.changes = changes
        super().__init__(
            f"Task {task.pk} is at version {task.version}, the report was based on "
            f"version {expected_version}."
        )


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    name: str
    size: int


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _ooxml_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX_BYTES:
                return None
            content_types = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError, OSError):
        return None
    for part, content_type in OOXML_MAIN_PARTS.items():
        if part in content_types and content_type:
            return content_type
    return None


def _ole2_type(data: bytes) -> str | None:
    kind = filetype.guess_mime(data[:8192])
    if kind in (DOC, XLS):
        return kind
    for name, content_type in OLE2_STREAMS.items():
        if name in data:
            return content_type
    return None


def evidence_content_type(upload: UploadedFile) -> str | None:
    """Return the content type read from the file's bytes, or None when it is not allowed."""
    data = _read_all(upload)
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_type(data)
    if data.startswith(OLE2_MAGIC):
        return _ole2_type(data)
    kind = filetype.guess_mime(data[:8192])
    return kind if kind in IMAGE_TYPES else None


def evidence_check(*, files: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Check each upload's size and type (by content, never by name); raise on the first bad."""
    if len(files) > EVIDENCE_MAX_FILES:
        raise ValidationError(
            {
                "evidence": _("Attach at most %(count)d files to one report.")
                % {"count": EVIDENCE_MAX_FILES}
            }
        )
    checked = []
    limit = settings.EVIDENCE_MAX_BYTES
    for upload in files:
        # A request's uploads always have both; UploadedFile's own type lets either be None.
        name, size = upload.name or "", upload.size or 0
        if size > limit:
            raise ValidationError(
                {
                    "evidence": _(
                        "“%(name)s” is %(size)s; a file may be at most %(limit)s. "
                        "Compress it or split it into parts."
                    )
                    % {
                        "name": name,
                        "size": filesizeformat(size),
                        "limit": filesizeformat(limit),
                    }
                }
            )
        if size == 0:
            raise ValidationError({"evidence": _("“%(name)s” is empty.") % {"name": name}})
        content_type = evidence_content_type(upload)
        if content_type is None:
            raise ValidationError(
                {
                    "evidence": _(
                        "“%(name)s” is not a PDF, an image (PNG, JPEG, GIF, WebP) or an Office "
                        "document (Word, Excel, PowerPoint). Its content decides, not its name."
                    )
                    % {"name": name}
                }
            )
        extensions = EXTENSIONS[content_type]
        if not name.lower().endswith(extensions):
            raise ValidationError(
                {
                    "evidence": _(
                        "“%(name)s” holds a %(kind)s file, but its name does not end in "
                        "%(extension)s. Rename it so the name says what it is."
                    )
                    % {
                        "name": name,
                        "kind": extensions[0][1:].upper(),
                        "extension": extensions[0],
                    }
                }
            )
        checked.append(CheckedFile(upload=upload, content_type=content_type, name=name, size=size))
    return checked


def _validate_report(*, progress: int, status: str, note: str) -> None:
    errors: dict[str, object] = {}
    if not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a percentage between 0 and 100.")
    if len(note) > NOTE_MAX_CHARS:
        errors["note"] = _(
            "A note may be at most %(limit)d characters; this one has %(count)d. Keep the "
            "essentials and attach the rest as evidence."
        ) % {"limit": NOTE_MAX_CHARS, "count": len(note)}
    if status not in TaskStatus.values:
        errors["status"] = _("Choose one of the listed statuses.")
    elif status == TaskStatus.BLOCKED and not note.strip():
        errors["note"] = _("Say what blocks the task, so your supervisor can help.")
    elif status == TaskStatus.COMPLETED and progress != 100:
        errors["progress"] = _(
            "A completed task is at 100 %; set progress to 100 or pick another status."
        )
    if errors:
        raise ValidationError(errors)


def _check_reports_today(task: Task) -> None:
    today_began = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    if task.reports.filter(created_at__gte=today_began).count() >= REPORTS_MAX_PER_TASK_PER_DAY:
        raise ValidationError(
            _(
                "This task already has %(count)d reports today, the most a day allows. "
                "Put what is new in tomorrow's report."
            )
            % {"count": REPORTS_MAX_PER_TASK_PER_DAY},
            code="reports_per_day",
        )


def _name(user) -> str:
    return user.get_full_name() or user.username


def _when(moment) -> str:
    # The task page's own format for the moments of its timeline.
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def task_changes_since(*, task: Task, expected_version: int) -> list[str]:
    """Describe, for the person whose form is stale, what happened to the task meanwhile."""
    changes = []
    reports = (
        task.reports.filter(task_version__gte=expected_version)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    for report in reports:
        changes.append(
            _("%(author)s reported %(progress)d %% (%(status)s) at %(time)s: “%(note)s”")
            % {
                "author": _name(report.author),
                "progress": report.progress,
                "status": report.get_status_display(),
                "time": _when(report.created_at),
                "note": report.note or "—",
            }
        )
    # Reviews since the author's version began (approval moves the version on, too), and the
    # task's own figures, only where they moved.
    then = task_at_version(task, expected_version)
    if then is not None:
        reviewed = (
            task.reports.filter(reviewed_at__gt=then.history_date)
            .select_related("reviewed_by")
            .order_by("reviewed_at", "pk")
        )
        for report in reviewed:
            changes.append(
                _("%(reviewer)s marked the %(progress)d %% report “%(state)s” at %(time)s.")
                % {
                    "reviewer": _name(report.reviewed_by) if report.reviewed_by else "—",
                    "progress": report.progress,
                    "state": report.get_review_state_display(),
                    "time": _when(report.reviewed_at),
                }
            )
        changes.extend(task_state_changes(then, task))
    if not changes:
        changes.append(
            str(_("Someone edited the task's details (its title, description or people)."))
        )
    return changes


@transaction.atomic
def task_report_progress(
    *,
    task: Task,
    author,
    progress: int,
    status: str,
    note: str = "",
    expected_version: int,
    evidence: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """Record a pending progress report on `task`, with its evidence files.

    The task's own progress and status change only when a supervisor approves the report.
    `expected_version` is the task version the author's form was rendered with; if another
    report arrived in between, nothing is saved and TaskChangedError says what changed.
    """
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if not can_report_on_task(author, locked):
        raise PermissionDenied(_("You may not report on this task."))
    note = note.strip()
    _validate_report(progress=progress, status=status, note=note)
    checked = evidence_check(files=evidence)
    if locked.version != expected_version:
        # The same author sending the same report twice (a double click, a resent form) gets
        # the first one back instead of a conflict with themselves.
        duplicate = (
            locked.reports.filter(
                task_version=expected_version,
                author=author,
                progress=progress,
                status=status,
                note=note,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if duplicate is not None and not evidence:
            return duplicate
        raise TaskChangedError(
            task=locked,
            expected_version=expected_version,
            changes=task_changes_since(task=locked, expected_version=expected_version),
        )
    _check_reports_today(locked)
    report = ProgressReport.objects.create(
        task=locked,
        author=author,
        progress=progress,
        status=status,
        note=note,
        task_version=locked.version,
        review_state=ReviewState.PENDING,
    )
    for item in checked:
        Evidence.objects.create(
            report=report,
            file=item.upload,
            original_name=item.name[:255],
            content_type=item.content_type,
            size=item.size,
        )
    locked.version += 1
    locked._history_user = author
    # Kept in English and translated when the history is read (etown/templatetags/history.py),
    # so each reader sees it in their own language.
    locked._change_reason = gettext_noop("Progress report submitted")
    locked.save(update_fields=["version", "updated_at"])
    task.version = locked.version
    return report
