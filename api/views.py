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

from api import serializers
from api.errors import form_errors
from api.filters import ReportFilter, TaskApiFilter, TaskFilterBackend
from api.pagination import NewestFirstCursorPagination
from api.services import IdempotencyKeyReused, indicator_reading_record_once, token_issue
from etown.lockout import client_ip_address
from etown.throttle import sign_in_refused
from workplan.forms import ProgressReportForm
from workplan.models import Area, Indicator, IndicatorReading, ProgressReport, Task
from workplan.permissions import (
    can_record_reading,
    can_report_on_task,
    can_review_report,
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
