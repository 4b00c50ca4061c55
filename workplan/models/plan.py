import datetime
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from accounts.models import User


def today() -> datetime.date:
    """Return today's date in the portal's TIME_ZONE, the date deadlines are judged by."""
    return timezone.localdate()


def choice_label(choices: type[models.Choices], value):
    """What `get_FOO_display()` shows, without it rebuilding the field's choices on every call
    (a tenth of a millisecond, on each of an admin list's rows)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def reads_chinese() -> bool:
    """Tell whether the current reader reads Chinese (the active language is zh-*)."""
    return (get_language() or "").lower().startswith("zh")


class BilingualTitleMixin:
    """Show the Chinese title to Chinese-language users when an admin has filled it in."""

    @property
    def display_title(self):
        if self.title_zh and reads_chinese():
            return self.title_zh
        return self.title


class Plan(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self):
        return self.title or str(self.year)


class AreaQuerySet(models.QuerySet):
    def with_completion(self):
        """Annotate each area with the weighted completion of its top-level tasks (0..100)."""
        # One subquery per sum, not a join of every task grouped by area: each reads only the
        # covering index task_area_top_level_idx (index-only), 5 times less than the join at
        # 100,000 tasks (bench/RESULTS.md).
        top_level = Task.objects.filter(area=OuterRef("pk"), parent__isnull=True).values("area")
        return self.annotate(
            weighted_progress=Subquery(
                top_level.annotate(sum=Sum(F("progress") * F("weight"))).values("sum")
            ),
            total_weight=Subquery(top_level.annotate(sum=Sum("weight")).values("sum")),
        )


class Area(BilingualTitleMixin, models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="areas"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_zh = models.TextField(_("Chinese summary"), blank=True)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisors"),
        related_name="supervised_areas",
        blank=True,
    )

    history = HistoricalRecords(m2m_fields=[supervisors])

    objects = AreaQuerySet.as_manager()

    # The sums behind `completion`, on the areas of AreaQuerySet.with_completion() or
    # selectors.with_completion_sums(); None when the area has no top-level task.
    weighted_progress: int | None
    total_weight: int | None

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("key area of work")
        verbose_name_plural = _("key areas of work")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="area_number_unique_per_plan"),
            models.CheckConstraint(condition=Q(number__gte=1), name="area_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.display_title}"

    @property
    def completion(self) -> Decimal:
        """Return the weighted completion (0..100) of the area's top-level tasks."""
        if hasattr(self, "weighted_progress"):
            weighted, total = self.weighted_progress, self.total_weight
        else:
            sums = self.tasks.filter(parent__isnull=True).aggregate(
                weighted=Sum(F("progress") * F("weight")), total=Sum("weight")
            )
            weighted, total = sums["weighted"], sums["total"]
        if not total:
            return Decimal(0)
        return (Decimal(weighted or 0) / Decimal(total)).quantize(Decimal("0.1"))


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    COMPLETED = "completed", _("Completed")


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED)


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=TaskStatus.COMPLETED)

    def overdue(self, on: datetime.date | None = None):
        return self.open().filter(due_date__lt=on or today())


class Task(BilingualTitleMixin, models.Model):
    area = models.ForeignKey(
        Area, verbose_name=_("key area of work"), on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subtasks",
    )
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("Reference within the area, e.g. 1.2.")
    )
    title = models.CharField(_("title"), max_length=300)
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_tasks",
    )
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        # Served by task_dept_id_idx and task_dept_status_due_idx, which both start with it.
        db_index=False,
    )
    supporting_departments = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("supporting departments"),
        related_name="supported_tasks",
        blank=True,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("Share of this task in its area's completion.")
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[supporting_departments])

    objects = TaskQuerySet.as_manager()

    # What list pages show, on the tasks of selectors.with_display_state() or rows_in_order().
    urgency: str
    pending_progress: int | None
    pending_status: str | None
    # The marks of workplan/marks.py, on the rows of selectors.rows_in_order() and the admin list.
    marks: list
    # Who changed the task and why, set before a save for simple-history's record of it.
    _history_user: "User"
    _change_reason: str

    class Meta:
        ordering = ["area__number", "code", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="task_progress_0_100",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="task_due_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=1000), name="task_weight_1_1000"
            ),
            models.UniqueConstraint(
                fields=["area", "code"], condition=~Q(code=""), name="task_code_unique_per_area"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"], name="task_owner_status_due_idx"),
            models.Index(
                fields=["lead_department", "status", "due_date"], name="task_dept_status_due_idx"
            ),
            models.Index(fields=["area", "status", "due_date"], name="task_area_status_due_idx"),
            # The ids of a supervisor's tasks from the index alone: the review queue's COUNT
            # joins pending reports to them without reading the task table.
            models.Index(fields=["area", "id"], name="task_area_id_idx"),
            # "Does this department lead a task in these areas?": one index probe per department
            # for the supervisor's lead-department filter (admin/filters.py).
            models.Index(fields=["lead_department", "area"], name="task_dept_area_idx"),
            models.Index(fields=["status", "due_date"], name="task_status_due_idx"),
            # An official's scope (accounts.permissions.visible_tasks) takes the ids of the tasks
            # their department leads, and the task list their sort keys, from this index alone
            # (selectors.task_page), without visiting each row.
            models.Index(
                fields=["lead_department", "id"],
                include=["status", "due_date", "progress"],
                name="task_dept_id_idx",
            ),
            # Lists sorted by due date (admin changelist, "sort by due date", MIN/MAX for the
            # date hierarchy): PostgreSQL walks the index and stops at the page's last row.
            models.Index(fields=["due_date", "id"], name="task_due_id_idx"),
            # The portal's "most urgent first" order, open before completed (selectors.py
            # URGENCY_ORDER): the same walk instead of sorting every visible task.
            # Area completion (AreaQuerySet.with_completion) from the index alone.
            models.Index(
                fields=["area"],
                include=["progress", "weight"],
                condition=Q(parent__isnull=True),
                name="task_area_top_level_idx",
            ),
            models.Index(
                Case(When(status="completed", then=Value(1)), default=Value(0)),
                F("due_date"),
                F("id"),
                name="task_urgency_order_idx",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.display_title}" if self.code else self.display_title

    @property
    def is_open(self) -> bool:
        return self.status != TaskStatus.COMPLETED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today()

    @property
    def days_overdue(self) -> int:
        """Return the calendar days past the due date, 0 when not overdue."""
        if self.due_date is None or not self.is_overdue:
            return 0
        return (today() - self.due_date).days

    @property
    def days_left(self) -> int | None:
        """Return the calendar days until the due date (0 on the day), None without one."""
        if self.due_date is None:
            return None
        return (self.due_date - today()).days


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ProgressReport(models.Model):
    """An official's report on a task. Append-only: only its review fields ever change."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus)
    note = models.TextField(_("note"), blank=True)
    task_version = models.PositiveIntegerField(
        _("task version"), help_text=_("The task version the author reported against.")
    )
    review_state = models.CharField(
        _("review state"), max_length=20, choices=ReviewState, default=ReviewState.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_reports",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    history = HistoricalRecords()

    # Who reviewed the report, set before a save for simple-history's record of it.
    _history_user: "User"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="report_progress_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["review_state", "created_at"], name="report_review_queue_idx"),
            models.Index(fields=["task", "-created_at"], name="report_task_timeline_idx"),
            # The review queue's COUNT: pending reports' tasks from a small index alone, not the
            # pending rows scattered over the report table.
            models.Index(
                fields=["task"],
                condition=Q(review_state=ReviewState.PENDING),
                name="report_pending_task_idx",
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.progress}% · {choice_label(ReviewState, self.review_state)}"


def evidence_upload_to(instance, filename):
    # A random name on disk: the original name is kept in the row and never used as a path.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name


class DeadlineExtension(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="extensions"
    )
    old_due_date = models.DateField(_("old due date"), null=True, blank=True)
    new_due_date = models.DateField(_("new due date"))
    reason = models.TextField(_("reason"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extended by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("extended at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="extension_reason_required"),
        ]

    def __str__(self):
        return f"{self.task}: {self.old_due_date} → {self.new_due_date}"


class IndicatorDirection(models.TextChoices):
    AT_LEAST = "at_least", _("At least the target")
    ABOUT = "about", _("About the target")
    AT_MOST = "at_most", _("At most the target")


class Indicator(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="%")
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=IndicatorDirection,
        default=IndicatorDirection.AT_LEAST,
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_per_plan"),
        ]

    def __str__(self):
        if self.name_zh and reads_chinese():
            return self.name_zh
        return self.name

    def is_met(self, value: Decimal, tolerance: Decimal = Decimal("0.5")) -> bool:
        """Tell whether a reading meets the target in the indicator's direction."""
        if self.direction == IndicatorDirection.AT_LEAST:
            return value >= self.target
        if self.direction == IndicatorDirection.AT_MOST:
            return value <= self.target
        return abs(value - self.target) <= tolerance


class IndicatorReading(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="readings"
    )
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["indicator", "-period_end"]
        verbose_name = _("indicator reading")
        verbose_name_plural = _("indicator readings")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"], name="reading_unique_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}{self.indicator.unit} ({self.period_end})"

    @property
    def is_met(self) -> bool:
        return self.indicator.is_met(self.value)
