"""What the API shows of each object, and the shape of what it accepts (for the schema).

Output only: the input is checked by the portal's own form (progress reports) or by these
serializers' field types, then by the same services as the portal and the admin.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department
from notifications.models import Notification
from notifications.wording import notification_text
from supervision.models import (
    ExtensionRequest,
    Instruction,
    InstructionAnswer,
    UrgeRecipient,
)
from supervision.services.extensions import TEXT_MAX_CHARS as EXTENSION_TEXT_MAX_CHARS
from supervision.services.urges import TEXT_MAX_CHARS as URGE_TEXT_MAX_CHARS
from workplan.models import (
    Area,
    Evidence,
    Indicator,
    IndicatorReading,
    ProgressReport,
    Task,
    TaskStatus,
)
from workplan.services.indicators import READING_NOTE_MAX_CHARS
from workplan.services.reports import NOTE_MAX_CHARS
from workplan.services.review import COMMENT_MAX_CHARS
from workplan.urgency import Urgency

# How many tasks one urge notice names at most through the API.
URGE_MAX_TASKS = 200


def person_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class AreaSerializer(serializers.ModelSerializer):
    plan_year = serializers.IntegerField(source="plan.year", read_only=True)
    completion = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        read_only=True,
        help_text=_("Weighted completion of the area's top-level tasks, 0 to 100."),
    )

    class Meta:
        model = Area
        fields = ["id", "plan_year", "number", "title", "title_zh", "summary", "completion"]


class TaskSerializer(serializers.ModelSerializer):
    """A task as lists show it: ids for the area, owner and lead department."""

    urgency = serializers.ChoiceField(choices=Urgency.choices, read_only=True)
    owner_name = serializers.SerializerMethodField()
    pending_progress = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Progress of the latest report awaiting review, if any."),
    )
    pending_status = serializers.ChoiceField(
        choices=TaskStatus.choices, read_only=True, allow_null=True
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "code",
            "title",
            "title_zh",
            "area",
            "parent",
            "owner",
            "owner_name",
            "lead_department",
            "start_date",
            "due_date",
            "status",
            "progress",
            "urgency",
            "version",
            "pending_progress",
            "pending_status",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner_name(self, task) -> str | None:
        return person_name(task.owner)


class TaskDetailSerializer(TaskSerializer):
    supporting_departments: serializers.PrimaryKeyRelatedField[Department] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    days_overdue = serializers.IntegerField(read_only=True)
    may_report = serializers.SerializerMethodField(
        help_text=_("Whether the signed-in user may report progress on this task.")
    )

    class Meta(TaskSerializer.Meta):
        fields = [
            *TaskSerializer.Meta.fields,
            "description",
            "weight",
            "supporting_departments",
            "days_overdue",
            "completed_at",
            "updated_at",
            "may_report",
        ]
        read_only_fields = fields

    def get_may_report(self, task) -> bool:
        return self.context["may_report"]


class EvidenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download = serializers.SerializerMethodField(
        help_text=_("Where the file is downloaded, with the same permission as its task.")
    )

    class Meta:
        model = Evidence
        fields = ["id", "name", "content_type", "size", "uploaded_at", "download"]
        read_only_fields = fields

    def get_download(self, evidence) -> str:
        return reverse("workplan:evidence_download", args=[evidence.pk])


class ReportSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "author",
            "author_name",
            "progress",
            "status",
            "note",
            "task_version",
            "review_state",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "created_at",
            "evidence",
        ]
        read_only_fields = fields

    def get_author_name(self, report) -> str:
        return person_name(report.author) or ""


class ReportInputSerializer(serializers.Serializer):
    """The fields of the portal's report form (workplan.forms.ProgressReportForm checks them)."""

    progress = serializers.IntegerField(min_value=0, max_value=100)
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_CHARS,
        help_text=_("Required when the task is blocked."),
    )
    version = serializers.IntegerField(
        help_text=_("The task's `version` your report is based on; a stale one answers 409.")
    )
    evidence = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=_(
            "multipart/form-data only: up to five PDF, image or Office files, each at most "
            "EVIDENCE_MAX_BYTES; the content decides the type, and the name must agree."
        ),
    )


class TaskChangedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    changes = serializers.ListField(child=serializers.CharField())
    task = TaskDetailSerializer()


class ReviewInputSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=COMMENT_MAX_CHARS,
        help_text=_("Required to return a report: the official reads it."),
    )


class ReadingSerializer(serializers.ModelSerializer):
    is_met = serializers.BooleanField(read_only=True)

    class Meta:
        model = IndicatorReading
        fields = [
            "id",
            "indicator",
            "period_end",
            "value",
            "note",
            "is_met",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["id", "indicator", "is_met", "recorded_by", "created_at"]
        extra_kwargs = {"note": {"max_length": READING_NOTE_MAX_CHARS}}


class IndicatorSerializer(serializers.ModelSerializer):
    plan_year = serializers.IntegerField(source="plan.year", read_only=True)
    readings = ReadingSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan_year",
            "code",
            "name",
            "name_zh",
            "unit",
            "target",
            "direction",
            "description",
            "readings",
        ]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=_("Send it as “Authorization: Token <token>”. Shown once; a new one each time.")
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- Notifications -------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(
        help_text=_("What happened, in the reader's language.")
    )
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "actor", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_text(self, notification) -> str:
        return notification_text(notification)


# --- Extension requests --------------------------------------------------------------------


class ExtensionRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "task",
            "requested_by",
            "current_due_date",
            "new_due_date",
            "reason",
            "state",
            "decided_by",
            "decided_at",
            "decision_comment",
            "created_at",
        ]
        read_only_fields = fields


class ExtensionRequestInputSerializer(serializers.Serializer):
    """The fields of the task page's extension form (ExtensionRequestForm checks them)."""

    task = serializers.IntegerField(help_text=_("The task's id; one you report on."))
    new_due_date = serializers.DateField()
    reason = serializers.CharField(max_length=EXTENSION_TEXT_MAX_CHARS)


class DecisionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=EXTENSION_TEXT_MAX_CHARS,
        help_text=_("Required to deny a request: the official reads it."),
    )


# --- Urge notices --------------------------------------------------------------------------


class UrgeSerializer(serializers.ModelSerializer):
    """One task of an urge notice and the person it went to, with their receipt and reply.

    `id` is this row's: acknowledge and reply name it, as the portal's buttons do.
    """

    notice = serializers.IntegerField(source="notice_id", read_only=True)
    message = serializers.CharField(source="notice.message", read_only=True)
    sender = serializers.IntegerField(source="notice.sender_id", read_only=True)
    sent_at = serializers.DateTimeField(source="notice.created_at", read_only=True)

    class Meta:
        model = UrgeRecipient
        fields = [
            "id",
            "notice",
            "message",
            "sender",
            "sent_at",
            "task",
            "recipient",
            "state",
            "acknowledged_at",
            "replied_at",
            "reply",
        ]
        read_only_fields = fields


class UrgeInputSerializer(serializers.Serializer):
    tasks = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        max_length=URGE_MAX_TASKS,
        help_text=_("Ids of the tasks whose owners are urged."),
    )
    message = serializers.CharField(max_length=URGE_TEXT_MAX_CHARS)


class UrgeReplyInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=URGE_TEXT_MAX_CHARS, help_text=_("Your reply: what has been done.")
    )


# --- Leaders' instructions -----------------------------------------------------------------


class InstructionAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstructionAnswer
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields


class InstructionSerializer(serializers.ModelSerializer):
    answers = InstructionAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Instruction
        fields = [
            "id",
            "author",
            "task",
            "area",
            "text",
            "respond_by",
            "state",
            "created_at",
            "closed_by",
            "closed_at",
            "answers",
        ]
        read_only_fields = fields


class InstructionInputSerializer(serializers.Serializer):
    task = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The task's id; give a task or an area.")
    )
    area = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("The area's id, for an instruction on every task of it."),
    )
    text = serializers.CharField(max_length=URGE_TEXT_MAX_CHARS)
    respond_by = serializers.DateField(required=False, allow_null=True)


class InstructionAnswerInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=URGE_TEXT_MAX_CHARS, help_text=_("What has been done (落实情况).")
    )


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were unread."))


# --- The leaders' overview (supervision/overview.py's Overview, as /overview/ shows it) -------


ON_TIME_HELP = _("Completed on time, in per cent of the tasks that can be judged.")


def _rate(help_text, **options):
    return serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text=help_text,
        **options,
    )


class OverviewPeriodSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    kind = serializers.CharField(read_only=True)


class OverviewTotalsSerializer(serializers.Serializer):
    tasks = serializers.IntegerField(read_only=True, help_text=_("Tasks due in the period."))
    on_time_rate = _rate(ON_TIME_HELP)
    overdue = serializers.IntegerField(read_only=True, help_text=_("Overdue now."))
    extensions = serializers.IntegerField(read_only=True)


class OverviewReadingSerializer(serializers.Serializer):
    period_end = serializers.DateField(read_only=True)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)


class OverviewIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="indicator.pk", read_only=True)
    code = serializers.CharField(source="indicator.code", read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)
    name_zh = serializers.CharField(source="indicator.name_zh", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    target = serializers.DecimalField(
        source="indicator.target", max_digits=12, decimal_places=2, read_only=True
    )
    latest = OverviewReadingSerializer(read_only=True, allow_null=True)
    on_course = serializers.BooleanField(
        read_only=True, allow_null=True, help_text=_("Null without a reading.")
    )


class OverviewAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="area.pk", read_only=True)
    number = serializers.IntegerField(source="area.number", read_only=True)
    title = serializers.CharField(source="area.title", read_only=True)
    title_zh = serializers.CharField(source="area.title_zh", read_only=True)
    completion = _rate(_("Today's weighted completion of the area's top-level tasks, 0 to 100."))
    tasks = serializers.IntegerField(source="counts.tasks", read_only=True)
    on_time_rate = _rate(ON_TIME_HELP, source="counts.on_time_rate")
    overdue = serializers.IntegerField(source="counts.overdue", read_only=True)


class OverviewDepartmentSerializer(serializers.Serializer):
    rank = serializers.IntegerField(read_only=True)
    id = serializers.IntegerField(source="department.pk", read_only=True)
    code = serializers.CharField(source="department.code", read_only=True)
    name = serializers.CharField(read_only=True)
    tasks = serializers.IntegerField(source="counts.tasks", read_only=True)
    on_time_rate = _rate(ON_TIME_HELP, source="counts.on_time_rate")
    overdue = serializers.IntegerField(source="counts.overdue", read_only=True)
    average_days_late = serializers.DecimalField(
        source="counts.average_days_late",
        max_digits=6,
        decimal_places=1,
        read_only=True,
        allow_null=True,
    )
    extensions = serializers.IntegerField(source="counts.extensions", read_only=True)
    reports_on_time = _rate(
        _("Report deadlines of the period met, in per cent (null when none was due).")
    )
    open_urges = serializers.IntegerField(read_only=True)


class OverviewSerializer(serializers.Serializer):
    period = OverviewPeriodSerializer(read_only=True)
    on = serializers.DateField(read_only=True, help_text=_("The day the figures are counted on."))
    totals = OverviewTotalsSerializer(read_only=True)
    indicators = OverviewIndicatorSerializer(many=True, read_only=True)
    areas = OverviewAreaSerializer(many=True, read_only=True)
    departments = OverviewDepartmentSerializer(
        many=True, read_only=True, help_text=_("The department scorecard, in rank order.")
    )
