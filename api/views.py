"""The API's views: each parses input, checks permission and calls one selector or service.

DRF's views are exempt from LoginRequiredMiddleware (DRF 3.16+): the API answers 401 itself
(IsAuthenticated) instead of redirecting a client to the sign-in page. The user's language is
set by accounts' middleware, which sees a token's user too (api/middleware.py).

The rules are the portal's (workplan.permissions, workplan.selectors, workplan.services): what
a user may not see is 404, what they may see but not change is 403, a stale `version` is 409
with the task as it is now, bad input is 400 with a message per field.
"""

from __future__ import annotations

import hashlib
import json
import logging

from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import can_see_overview
from api import serializers
from api.errors import form_errors
from api.filters import (
    ExtensionRequestFilter,
    NotificationFilter,
    ReportFilter,
    TaskApiFilter,
    TaskFilterBackend,
)
from api.pagination import NewestFirstCursorPagination
from api.services import IdempotencyKeyReused, indicator_reading_record_once, token_issue
from etown.lockout import client_ip_address
from etown.throttle import sign_in_refused
from notifications.models import Notification
from notifications.selectors import notifications_for
from notifications.services import notifications_mark_read
from supervision.forms.extensions import ExtensionRequestForm
from supervision.forms_overview import period_from
from supervision.models import ExtensionRequest, Instruction, UrgeRecipient
from supervision.overview import overview_for
from supervision.permissions import (
    can_answer_instruction,
    can_answer_urge,
    can_close_instruction,
    can_decide_extension,
    can_follow_notice,
    can_instruct,
    can_urge_at_all,
    can_view_instruction,
)
from supervision.selectors.extensions import extension_requests_seen_by
from supervision.selectors.instructions import instruction_for, instruction_list_for
from supervision.selectors.urges import urge_row_for, urge_rows_sent_by, urges_received_by
from supervision.services import (
    instruction_answer,
    instruction_close,
    instruction_write,
    urge_acknowledge,
    urge_reply,
    urge_send,
)
from supervision.services.extensions import (
    extension_request_approve,
    extension_request_create,
    extension_request_deny,
)
from workplan.forms import ProgressReportForm
from workplan.models import Area, Indicator, IndicatorReading, ProgressReport, Task, today
from workplan.permissions import (
    can_record_reading,
    can_report_on_task,
    can_review_report,
    can_view_task,
    visible_areas,
    visible_tasks,
    visible_tasks_among_few,
)
from workplan.selectors import (
    indicator_list_for,
    report_list_for,
    rows_in_order,
    task_detail_for,
    task_for_report,
    task_report_list,
    with_completion_sums,
)
from workplan.services import (
    TaskChangedError,
    report_approve,
    report_return,
    task_report_progress,
)
from workplan.urgency import urgency_window

audit_logger = logging.getLogger("etown.audit")

NOT_FOUND = OpenApiResponse(
    serializers.ErrorSerializer, description="Not found, or not yours to see."
)
FORBIDDEN = OpenApiResponse(
    serializers.ErrorSerializer, description="You may see it, not change it."
)
BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Bad input: a list of messages per field."
)


# --- Sign-in -------------------------------------------------------------------------------


class TokenView(APIView):
    """Exchange a username and password for a new token; the previous token stops working.

    The portal's sign-in limits apply: after too many failures for one username at one address
    (django-axes), or from one address (etown.throttle), the answer is 429.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        request=serializers.TokenRequestSerializer,
        responses={
            200: serializers.TokenSerializer,
            400: BAD_INPUT,
            429: OpenApiResponse(serializers.ErrorSerializer, description="Too many failures."),
        },
        auth=[],
    )
    def post(self, request):
        if sign_in_refused(request):
            return self.refused()
        given = serializers.TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if getattr(request, "axes_locked_out", False) or sign_in_refused(request):
            return self.refused()
        if user is None:
            return Response(
                {
                    "non_field_errors": [
                        _("The username and password do not match an active account.")
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        token = token_issue(user=user)
        # The audit trail's sign-in line (etown/audit.py writes the portal's on user_logged_in,
        # which a token sign-in does not send); failures are written there already.
        audit_logger.info(
            "sign_in", extra={"user": user.pk, "ip": client_ip_address(request), "via": "api"}
        )
        return Response({"token": token})

    def refused(self):
        return Response(
            {
                "detail": _(
                    "Too many failed sign-ins: this account or address is locked for a while. "
                    "Try again later, or ask an administrator to lift the lock."
                )
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )


# --- Areas ---------------------------------------------------------------------------------


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The key areas of work the user has tasks in (every area for leaders and admins)."""

    serializer_class = serializers.AreaSerializer
    queryset = Area.objects.none()  # for the schema; get_queryset scopes it

    def get_queryset(self):
        return visible_areas(self.request.user).select_related("plan")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            self.get_serializer(with_completion_sums(list(page)), many=True).data
        )

    def retrieve(self, request, *args, **kwargs):
        area = self.get_object()
        return Response(self.get_serializer(with_completion_sums([area])[0]).data)


# --- Tasks ---------------------------------------------------------------------------------


def task_shown(user, pk, *, window) -> Task:
    """Return task `pk` as its page shows it, or raise Http404 if `user` may not see it."""
    try:
        task = task_detail_for(user, pk, window=window)
    except (Task.DoesNotExist, ValueError):
        raise Http404 from None
    # The parent is named only to someone who may open it, as on the task's page.
    if task.parent_id is not None and not (
        visible_tasks_among_few(user, Task.objects.filter(pk=task.parent_id)).exists()
    ):
        task.parent_id = None
    return task


def task_state(request, task: Task) -> dict:
    context = {"request": request, "may_report": can_report_on_task(request.user, task)}
    return serializers.TaskDetailSerializer(task, context=context).data


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks the user may see, by id; the portal's filters, and `owner`."""

    serializer_class = serializers.TaskSerializer
    filter_backends = [TaskFilterBackend]
    filterset_class = TaskApiFilter
    queryset = Task.objects.none()  # for the schema

    @cached_property
    def urgency_window(self):
        # One window per request: the filters and every row's urgency agree.
        return urgency_window()

    def get_queryset(self):
        return visible_tasks(self.request.user, Task.objects.all())

    @extend_schema(responses={200: serializers.TaskSerializer(many=True), 400: BAD_INPUT})
    def list(self, request, *args, **kwargs):
        keys = self.filter_queryset(self.get_queryset()).values("id")
        page = self.paginate_queryset(keys)
        tasks = rows_in_order((row["id"] for row in page), window=self.urgency_window)
        return self.get_paginated_response(self.get_serializer(tasks, many=True).data)

    @extend_schema(responses={200: serializers.TaskDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        task = task_shown(request.user, kwargs["pk"], window=self.urgency_window)
        return Response(task_state(request, task))


# --- Reports on a task ---------------------------------------------------------------------


class TaskReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A task's progress reports, newest first; POST one as the portal's report form does."""

    serializer_class = serializers.ReportSerializer
    pagination_class = NewestFirstCursorPagination
    queryset = ProgressReport.objects.none()  # for the schema

    def task(self):
        try:
            return task_for_report(self.request.user).get(pk=self.kwargs["task_pk"])
        except Task.DoesNotExist:
            raise Http404 from None

    def get_queryset(self):
        return task_report_list(self.task())

    @extend_schema(
        request={
            "multipart/form-data": serializers.ReportInputSerializer,
            "application/json": serializers.ReportInputSerializer,
        },
        responses={
            201: serializers.ReportSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                serializers.TaskChangedSerializer,
                description="The task changed since `version`: what changed, and the task now.",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        task = self.task()
        if not can_report_on_task(request.user, task):
            raise PermissionDenied(_("You may view this task but not report on it."))
        form = ProgressReportForm(request.data, request.FILES)
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        try:
            report = task_report_progress(
                task=task,
                author=request.user,
                progress=form.cleaned_data["progress"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                evidence=form.cleaned_data["evidence"],
            )
        except TaskChangedError as error:
            now = task_shown(request.user, task.pk, window=urgency_window())
            return Response(
                {
                    "detail": _(
                        "The task changed since version %(version)d; nothing was saved. Read "
                        "what changed, then report again with version %(current)d."
                    )
                    % {"version": error.expected_version, "current": error.task.version},
                    "changes": [str(change) for change in error.changes],
                    "task": task_state(request, now),
                },
                status=status.HTTP_409_CONFLICT,
            )
        report = task_report_list(task).get(pk=report.pk)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)


# --- Reports and their review --------------------------------------------------------------


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Progress reports on the tasks the user may see, newest first; supervisors review them."""

    serializer_class = serializers.ReportSerializer
    pagination_class = NewestFirstCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilter
    queryset = ProgressReport.objects.none()  # for the schema

    def get_queryset(self):
        return report_list_for(self.request.user)

    def review(self, request, service):
        report = get_object_or_404(
            self.get_queryset().select_related("task__area"), pk=self.kwargs["pk"]
        )
        if not can_review_report(request.user, report):
            raise PermissionDenied(
                _("You may only review reports on tasks in the areas you supervise.")
            )
        given = serializers.ReviewInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        service(
            report=report, reviewer=request.user, comment=given.validated_data.get("comment", "")
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        request=serializers.ReviewInputSerializer,
        responses={
            200: serializers.ReportSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: BAD_INPUT,
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a pending report: its progress and status become the task's."""
        return self.review(request, report_approve)

    @extend_schema(
        request=serializers.ReviewInputSerializer,
        responses={
            200: serializers.ReportSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: BAD_INPUT,
        },
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return a pending report to its author with a comment (required)."""
        return self.review(request, report_return)


# --- Indicators ----------------------------------------------------------------------------


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan's headline indicators, each with its readings (oldest period first)."""

    serializer_class = serializers.IndicatorSerializer
    queryset = Indicator.objects.none()  # for the schema

    def get_queryset(self):
        return indicator_list_for(self.request.user)


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="Any unique string (a UUID): a retry with the same key records nothing new "
    "and answers with the first reading.",
)


class ReadingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """An indicator's readings; supervisors and admins record one (the statistics feed)."""

    serializer_class = serializers.ReadingSerializer
    pagination_class = NewestFirstCursorPagination
    queryset = IndicatorReading.objects.none()  # for the schema

    def indicator(self) -> Indicator:
        try:
            return indicator_list_for(self.request.user).get(pk=self.kwargs["indicator_pk"])
        except Indicator.DoesNotExist:
            raise Http404 from None

    def get_queryset(self):
        return self.indicator().readings.all()

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: serializers.ReadingSerializer,
            200: OpenApiResponse(
                serializers.ReadingSerializer, description="A retry: the reading the key recorded."
            ),
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: OpenApiResponse(
                serializers.ErrorSerializer, description="The key was used for another request."
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        indicator = self.indicator()
        if not can_record_reading(request.user):
            raise PermissionDenied(_("You may read the indicators but not record readings."))
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = given.validated_data
        fingerprint = hashlib.sha256(
            json.dumps(
                [request.path, {k: str(v) for k, v in fields.items()}], sort_keys=True
            ).encode()
        ).hexdigest()
        try:
            reading, created = indicator_reading_record_once(
                indicator=indicator,
                author=request.user,
                key=request.headers.get("Idempotency-Key", ""),
                fingerprint=fingerprint,
                period_end=fields["period_end"],
                value=fields["value"],
                note=fields.get("note", ""),
            )
        except IdempotencyKeyReused:
            return Response(
                {"detail": _("This Idempotency-Key was used for another request; use a new key.")},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(
            self.get_serializer(reading).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- Notifications -------------------------------------------------------------------------


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's own notifications, newest first; `unread=true` for the unread ones."""

    serializer_class = serializers.NotificationSerializer
    pagination_class = NewestFirstCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter
    lookup_value_regex = r"\d+"
    queryset = Notification.objects.none()  # for the schema

    def get_queryset(self):
        return notifications_for(self.request.user)

    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={200: serializers.NotificationSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read, as opening it in the portal does."""
        notification = get_object_or_404(self.get_queryset(), pk=pk)
        notifications_mark_read(user=request.user, ids=[notification.pk])
        return Response(self.get_serializer(self.get_queryset().get(pk=notification.pk)).data)

    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses={200: serializers.MarkedReadSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read", url_name="read-all")
    def read_all(self, request):
        """Mark every unread notification read, as the inbox's button does."""
        return Response({"marked": notifications_mark_read(user=request.user)})


# --- Extension requests --------------------------------------------------------------------


class ExtensionRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Extension requests on the tasks the user may see, newest first; officials ask on the
    tasks they report on, the areas' supervisors and admins decide."""

    serializer_class = serializers.ExtensionRequestSerializer
    pagination_class = NewestFirstCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ExtensionRequestFilter
    lookup_value_regex = r"\d+"
    queryset = ExtensionRequest.objects.none()  # for the schema

    def get_queryset(self):
        return extension_requests_seen_by(self.request.user)

    @extend_schema(
        request=serializers.ExtensionRequestInputSerializer,
        responses={
            201: serializers.ExtensionRequestSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                OpenApiTypes.OBJECT, description="The task has an open request already."
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        given = serializers.ExtensionRequestInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        # As the task page: a task the user may not see is missing, one they may see but not
        # report on is refused.
        task = get_object_or_404(task_for_report(request.user), pk=given.validated_data["task"])
        if not can_report_on_task(request.user, task):
            raise PermissionDenied(
                _("Only the task's owner or its lead department may ask for more time.")
            )
        form = ExtensionRequestForm(request.data)
        if not form.is_valid():
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        made = extension_request_create(
            task=task,
            user=request.user,
            new_due_date=form.cleaned_data["new_due_date"],
            reason=form.cleaned_data["reason"],
        )
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)

    def decide(self, request, service):
        extension_request = get_object_or_404(
            self.get_queryset().select_related("task__area"), pk=self.kwargs["pk"]
        )
        if not can_decide_extension(request.user, extension_request.task):
            raise PermissionDenied(
                _("You may only decide extension requests on tasks in the areas you supervise.")
            )
        given = serializers.DecisionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        decided = service(
            request=extension_request,
            user=request.user,
            comment=given.validated_data.get("comment", ""),
        )
        return Response(self.get_serializer(decided).data)

    @extend_schema(
        request=serializers.DecisionInputSerializer,
        responses={
            200: serializers.ExtensionRequestSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: BAD_INPUT,
        },
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve an open request: the task's due date moves to the one asked for."""
        return self.decide(request, extension_request_approve)

    @extend_schema(
        request=serializers.DecisionInputSerializer,
        responses={
            200: serializers.ExtensionRequestSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: BAD_INPUT,
        },
    )
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        """Deny an open request with a comment (required) that tells the official why."""
        return self.decide(request, extension_request_deny)


# --- Urge notices --------------------------------------------------------------------------


class UrgeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Urge notices, one row per task and the person it went to, newest first.

    As the portal's list: those who may urge (supervisors, leaders, admins) see the notices
    they sent (admins every notice), the others the notices sent to them. Acknowledge and reply
    name a row by its `id`, as the portal's buttons do.
    """

    serializer_class = serializers.UrgeSerializer
    pagination_class = NewestFirstCursorPagination
    lookup_value_regex = r"\d+"
    queryset = UrgeRecipient.objects.none()  # for the schema

    def get_queryset(self):
        user = self.request.user
        if can_urge_at_all(user):
            return urge_rows_sent_by(user)
        return urges_received_by(user)

    @extend_schema(
        request=serializers.UrgeInputSerializer,
        responses={
            201: serializers.UrgeSerializer(many=True),
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def create(self, request, *args, **kwargs):
        """Urge the owners of `tasks` with `message`: one notice, one row per task."""
        if not can_urge_at_all(request.user):
            raise PermissionDenied(_("Only supervisors, leaders and admins send urge notices."))
        given = serializers.UrgeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        ids = set(given.validated_data["tasks"])
        tasks = list(task_for_report(request.user).filter(pk__in=ids))
        if len(tasks) != len(ids):
            raise Http404
        notice = urge_send(
            sender=request.user, tasks=tasks, message=given.validated_data["message"]
        )
        rows = urge_rows_sent_by(request.user).filter(notice=notice).order_by("pk")
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    def row_to_answer(self, request) -> UrgeRecipient:
        """Return the row; 404 unless the user may see it or its task, 403 unless it was sent
        to them (the portal's rule)."""
        try:
            row = urge_row_for(int(self.kwargs["pk"]))
        except UrgeRecipient.DoesNotExist:
            raise Http404 from None
        if can_answer_urge(request.user, row):
            return row
        if can_follow_notice(request.user, row.notice) or can_view_task(request.user, row.task):
            raise PermissionDenied(_("Only the person this notice was sent to can answer it."))
        raise Http404

    def row_now(self, row) -> dict:
        return self.get_serializer(urge_row_for(row.pk)).data

    @extend_schema(
        request=None,
        responses={200: serializers.UrgeSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Acknowledge the notice (a second time changes nothing)."""
        row = self.row_to_answer(request)
        urge_acknowledge(row=row, user=request.user)
        return Response(self.row_now(row))

    @extend_schema(
        request=serializers.UrgeReplyInputSerializer,
        responses={
            200: serializers.UrgeSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: BAD_INPUT,
        },
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """Reply what has been done (反馈); replying acknowledges the notice too."""
        row = self.row_to_answer(request)
        given = serializers.UrgeReplyInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        urge_reply(row=row, user=request.user, reply=given.validated_data["note"])
        return Response(self.row_now(row))


# --- Leaders' instructions -----------------------------------------------------------------

SHOW_CLOSED = OpenApiParameter(
    "state",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["all"],
    description="`all` lists the closed instructions too.",
)


class InstructionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Leaders' instructions as the portal lists them, newest first: a leader's own, a
    supervisor's areas', every one for admins, an official's on the tasks and areas they see.
    Leaders write them; the owners answer; the author, the area's supervisors or an admin
    close them."""

    serializer_class = serializers.InstructionSerializer
    pagination_class = NewestFirstCursorPagination
    lookup_value_regex = r"\d+"
    queryset = Instruction.objects.none()  # for the schema

    def get_queryset(self):
        show_closed = self.request.query_params.get("state") == "all"
        return instruction_list_for(self.request.user, show_closed=show_closed)

    @extend_schema(parameters=[SHOW_CLOSED])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def visible(self) -> Instruction:
        try:
            instruction = instruction_for(int(self.kwargs["pk"]))
        except Instruction.DoesNotExist:
            raise Http404 from None
        if not can_view_instruction(self.request.user, instruction):
            raise Http404
        return instruction

    def state(self, instruction) -> dict:
        return self.get_serializer(instruction_for(instruction.pk)).data

    @extend_schema(responses={200: serializers.InstructionSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return Response(self.state(self.visible()))

    @extend_schema(
        request=serializers.InstructionInputSerializer,
        responses={
            201: serializers.InstructionSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def create(self, request, *args, **kwargs):
        """Write an instruction on one task (`task`) or on every task of an area (`area`)."""
        if not can_instruct(request.user):
            raise PermissionDenied(_("Only leaders write instructions."))
        given = serializers.InstructionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = given.validated_data
        task_id, area_id = fields.get("task"), fields.get("area")
        task = get_object_or_404(task_for_report(request.user), pk=task_id) if task_id else None
        area = get_object_or_404(visible_areas(request.user), pk=area_id) if area_id else None
        instruction = instruction_write(
            author=request.user,
            text=fields["text"],
            task=task,
            area=area,
            respond_by=fields.get("respond_by"),
        )
        return Response(self.state(instruction), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.InstructionAnswerInputSerializer,
        responses={
            201: serializers.InstructionSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer what has been done (落实情况), as an owner of its tasks."""
        instruction = self.visible()
        if not can_answer_instruction(request.user, instruction):
            raise PermissionDenied(_("Only the owners of its tasks answer this instruction."))
        given = serializers.InstructionAnswerInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        instruction_answer(
            instruction=instruction, user=request.user, text=given.validated_data["text"]
        )
        return Response(self.state(instruction), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: serializers.InstructionSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the instruction (closing a closed one changes nothing)."""
        instruction = self.visible()
        if instruction.is_open and not can_close_instruction(request.user, instruction):
            raise PermissionDenied(
                _("Only its leader, a supervisor of its area or an admin closes an instruction.")
            )
        instruction_close(instruction=instruction, user=request.user)
        return Response(self.state(instruction))


# --- The leaders' overview ----------------------------------------------------------------


class OverviewView(APIView):
    """The figures of /overview/ for a period, from the same function (overview_for).

    Who may see the page may call it (leaders, admins, supervisors for their areas); for
    anyone else it does not exist (404), as the page.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                enum=["month", "quarter", "year", "custom"],
                description="This month, quarter or year around today; with `start` and `end` "
                "alone, custom; with nothing, this year (as the page's period picker).",
            ),
            OpenApiParameter(
                "start", OpenApiTypes.DATE, description="First day of a custom period."
            ),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day of a custom period."),
        ],
        responses={200: serializers.OverviewSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def get(self, request):
        if not can_see_overview(request.user):
            raise Http404
        form, period = period_from(request.query_params, on=today())
        if form.errors:
            return Response(form_errors(form), status=status.HTTP_400_BAD_REQUEST)
        board = overview_for(request.user, period)
        return Response(serializers.OverviewSerializer(board).data)


# --- The schema and its page ---------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files, its script in a file of its own (no inline
    script or style: the content security policy allows neither)."""

    template_name = "api/docs.html"

    @classmethod
    def as_view(cls, *args, **kwargs):
        # A page for people: an anonymous visitor is sent to the portal's sign-in, as on every
        # page (DRF's views otherwise leave sign-in to DRF, which answers 401).
        return login_required(super().as_view(*args, **kwargs))
