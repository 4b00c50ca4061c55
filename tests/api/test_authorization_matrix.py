"""Who gets what, on every API endpoint and method, for every role: one table, tested.

Each persona sends its own token. Outcomes are status codes; every request runs in a savepoint
rolled back afterwards, and every refused write is checked to have changed no row of the
portal's and the API's tables. An API URL added without a row here fails
`test_every_api_url_has_a_row`.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import Role
from api.services import token_issue
from notifications.models import Notification, NotificationKind
from supervision.models import ExtensionRequest, Instruction, UrgeNotice, UrgeRecipient
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    PlanFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)
from workplan.models import Indicator, IndicatorReading

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "official", "supervisor", "leader", "admin"]
PASSWORD = "correct-horse-battery"
MISSING = 999_999
SNAPSHOT_APPS = {"accounts", "workplan", "api", "supervision", "notifications"}
TARGETS = ["own", "dept", "supported", "other"]


@pytest.fixture
def scene(db):
    plan = PlanFactory()
    area_a = AreaFactory(plan=plan, number=1, title="Area A")
    area_b = AreaFactory(plan=plan, number=2, title="Area B")
    area_c = AreaFactory(plan=plan, number=3, title="Area C")
    dept_d = DepartmentFactory(code="dept-d")
    dept_e = DepartmentFactory(code="dept-e")
    users = {
        "anonymous": None,
        "official": UserFactory(username="official", role=Role.OFFICIAL, department=dept_d),
        "supervisor": UserFactory(username="supervisor", role=Role.SUPERVISOR, department=None),
        "leader": UserFactory(username="leader", role=Role.LEADER, department=None),
        "admin": UserFactory(username="admin", role=Role.ADMIN, department=None),
    }
    colleague = UserFactory(username="colleague", role=Role.OFFICIAL, department=dept_d)
    outsider = UserFactory(username="outsider", role=Role.OFFICIAL, department=dept_e)
    other_supervisor = UserFactory(username="other-sup", role=Role.SUPERVISOR, department=None)
    area_a.supervisors.add(users["supervisor"])
    area_b.supervisors.add(other_supervisor)
    tasks = {
        "own": TaskFactory(area=area_a, owner=users["official"], lead_department=dept_d),
        "dept": TaskFactory(area=area_a, owner=colleague, lead_department=dept_d),
        "supported": TaskFactory(area=area_b, owner=outsider, lead_department=dept_e),
        "other": TaskFactory(area=area_b, owner=outsider, lead_department=dept_e),
    }
    TaskFactory(area=area_c, owner=outsider, lead_department=dept_e)
    tasks["supported"].supporting_departments.add(dept_d)
    reports = {key: ProgressReportFactory(task=task) for key, task in tasks.items()}
    indicator = Indicator.objects.create(plan=plan, code="gdp", name="GDP growth", target=6)
    IndicatorReading.objects.create(
        indicator=indicator, period_end=datetime.date(2024, 3, 31), value=5
    )
    # A task of the official's with no extension request open: asking on it succeeds.
    fresh = TaskFactory(area=area_a, owner=users["official"], lead_department=dept_d)
    notes = {
        who: Notification.objects.create(
            recipient=user, kind=NotificationKind.REPORT_APPROVED, url="/", params={}
        )
        for who, user in [*users.items(), ("colleague", colleague)]
        if user is not None
    }
    extensions = {
        key: ExtensionRequest.objects.create(
            task=task,
            requested_by=task.owner,
            current_due_date=task.due_date,
            new_due_date=task.due_date + datetime.timedelta(days=30),
            reason="More time",
        )
        for key, task in tasks.items()
    }
    ours = UrgeNotice.objects.create(sender=users["supervisor"], message="Report, please.")
    theirs = UrgeNotice.objects.create(sender=other_supervisor, message="Report, please.")
    urges = {
        key: UrgeRecipient.objects.create(
            notice=ours if key in ("own", "dept") else theirs, task=task, recipient=task.owner
        )
        for key, task in tasks.items()
    }
    instructions = {
        key: Instruction.objects.create(
            author=users["leader"], task=task, area=task.area, text="See to it."
        )
        for key, task in tasks.items()
    }
    tokens = {p: token_issue(user=u) for p, u in users.items() if u is not None}
    return {
        "fresh": fresh,
        "notes": notes,
        "extensions": extensions,
        "urges": urges,
        "instructions": instructions,
        "users": users,
        "tasks": tasks,
        "reports": reports,
        "areas": {"a": area_a, "b": area_b, "c": area_c},
        "indicator": indicator,
        "tokens": tokens,
    }


def _by_target(official, supervisor, leader, admin):
    """Expected codes per target for the signed-in personas; anonymous always gets 401."""
    return {
        "anonymous": {t: 401 for t in TARGETS},
        "official": dict(zip(TARGETS, official, strict=True)),
        "supervisor": dict(zip(TARGETS, supervisor, strict=True)),
        "leader": dict(zip(TARGETS, leader, strict=True)),
        "admin": dict(zip(TARGETS, admin, strict=True)),
    }


# What each persona sees of the four tasks (and their reports): see, or 404.
SEE_TASK = _by_target(
    official=(200, 200, 200, 404),
    supervisor=(200, 200, 404, 404),
    leader=(200, 200, 200, 200),
    admin=(200, 200, 200, 200),
)
REPORT_ON_TASK = _by_target(
    official=(201, 201, 403, 404),
    supervisor=(403, 403, 404, 404),
    leader=(403, 403, 403, 403),
    admin=(403, 403, 403, 403),
)
REVIEW_REPORT = _by_target(
    official=(403, 403, 403, 404),
    supervisor=(200, 200, 404, 404),
    leader=(403, 403, 403, 403),
    admin=(200, 200, 200, 200),
)
# Asking for an extension on a task with a request open already: the state moved on, 409.
ASK_EXTENSION_AGAIN = _by_target(
    official=(409, 409, 403, 404),
    supervisor=(403, 403, 404, 404),
    leader=(403, 403, 403, 403),
    admin=(403, 403, 403, 403),
)
# The urge rows: the supervisor urged "own" and "dept", another supervisor the other two.
SEE_URGE = _by_target(
    official=(200, 404, 404, 404),
    supervisor=(200, 200, 404, 404),
    leader=(404, 404, 404, 404),
    admin=(200, 200, 200, 200),
)
ANSWER_URGE = _by_target(
    official=(200, 403, 403, 404),
    supervisor=(403, 403, 404, 404),
    leader=(403, 403, 403, 403),
    admin=(403, 403, 403, 403),
)
SEND_URGE = _by_target(
    official=(403, 403, 403, 403),
    supervisor=(201, 201, 404, 404),
    leader=(201, 201, 201, 201),
    admin=(201, 201, 201, 201),
)
# The leader's instructions, one on each task.
ANSWER_INSTRUCTION = _by_target(
    official=(201, 201, 403, 404),
    supervisor=(403, 403, 404, 404),
    leader=(403, 403, 403, 403),
    admin=(403, 403, 403, 403),
)
CLOSE_INSTRUCTION = _by_target(
    official=(403, 403, 403, 404),
    supervisor=(200, 200, 404, 404),
    leader=(200, 200, 200, 200),
    admin=(200, 200, 200, 200),
)
INSTRUCT = _by_target(
    official=(403, 403, 403, 403),
    supervisor=(403, 403, 403, 403),
    leader=(201, 201, 201, 201),
    admin=(403, 403, 403, 403),
)


def signed_in(code):
    """`code` for every signed-in persona, 401 for anonymous."""
    return {persona: 401 if persona == "anonymous" else code for persona in PERSONAS}


def _cases(scene, persona):
    """Yield (url name, method, path, data, expected code) for one persona."""
    tasks, reports, areas = scene["tasks"], scene["reports"], scene["areas"]
    user = scene["users"][persona]
    credentials = (
        {"username": user.username, "password": PASSWORD}
        if user
        else {"username": "nobody", "password": "wrong-password-1"}
    )
    yield "api:token", "POST", "/api/v1/auth/token/", credentials, 400 if user is None else 200
    yield "api:token", "GET", "/api/v1/auth/token/", None, 405
    yield "api:schema", "GET", "/api/v1/schema/", None, signed_in(200)[persona]
    yield "api:schema", "POST", "/api/v1/schema/", {}, signed_in(405)[persona]
    # The documentation is a page: the portal's sign-in first, as for every page.
    yield "api:docs", "GET", "/api/v1/docs/", None, 302 if user is None else 200
    yield "api:area-list", "GET", "/api/v1/areas/", None, signed_in(200)[persona]
    yield "api:area-list", "POST", "/api/v1/areas/", {}, signed_in(405)[persona]
    area_c = {"anonymous": 401, "official": 404, "supervisor": 404, "leader": 200, "admin": 200}
    yield "api:area-detail", "GET", f"/api/v1/areas/{areas['a'].pk}/", None, signed_in(200)[persona]
    yield "api:area-detail", "GET", f"/api/v1/areas/{areas['c'].pk}/", None, area_c[persona]
    yield "api:area-detail", "PUT", f"/api/v1/areas/{areas['a'].pk}/", {}, signed_in(405)[persona]
    yield "api:task-list", "GET", "/api/v1/tasks/", None, signed_in(200)[persona]
    yield "api:task-list", "POST", "/api/v1/tasks/", {}, signed_in(405)[persona]
    for target, task in tasks.items():
        see = SEE_TASK[persona][target]
        yield "api:task-detail", "GET", f"/api/v1/tasks/{task.pk}/", None, see
        yield "api:task-report-list", "GET", f"/api/v1/tasks/{task.pk}/reports/", None, see
        report = {
            "progress": 60,
            "status": "in_progress",
            "note": "From the matrix",
            "version": task.version,
        }
        yield (
            "api:task-report-list",
            "POST",
            f"/api/v1/tasks/{task.pk}/reports/",
            report,
            REPORT_ON_TASK[persona][target],
        )
        rpk = reports[target].pk
        yield "api:report-detail", "GET", f"/api/v1/reports/{rpk}/", None, see
        review = REVIEW_REPORT[persona][target]
        yield "api:report-approve", "POST", f"/api/v1/reports/{rpk}/approve/", {}, review
        yield (
            "api:report-return",
            "POST",
            f"/api/v1/reports/{rpk}/return/",
            {"comment": "Add the minutes."},
            review,
        )
    own = tasks["own"].pk
    yield "api:task-detail", "GET", f"/api/v1/tasks/{MISSING}/", None, signed_in(404)[persona]
    for method in ("PUT", "PATCH", "DELETE"):
        yield "api:task-detail", method, f"/api/v1/tasks/{own}/", {}, signed_in(405)[persona]
    yield (
        "api:task-report-list",
        "POST",
        f"/api/v1/tasks/{MISSING}/reports/",
        {"progress": 1, "status": "in_progress", "version": 1},
        signed_in(404)[persona],
    )
    yield "api:report-list", "GET", "/api/v1/reports/", None, signed_in(200)[persona]
    yield "api:report-list", "POST", "/api/v1/reports/", {}, signed_in(405)[persona]
    yield "api:report-detail", "GET", f"/api/v1/reports/{MISSING}/", None, signed_in(404)[persona]
    yield (
        "api:report-detail",
        "DELETE",
        f"/api/v1/reports/{reports['own'].pk}/",
        None,
        signed_in(405)[persona],
    )
    yield (
        "api:report-approve",
        "GET",
        f"/api/v1/reports/{reports['own'].pk}/approve/",
        None,
        signed_in(405)[persona],
    )
    yield (
        "api:report-approve",
        "POST",
        f"/api/v1/reports/{MISSING}/approve/",
        {},
        signed_in(404)[persona],
    )
    ind = scene["indicator"].pk
    yield "api:indicator-list", "GET", "/api/v1/indicators/", None, signed_in(200)[persona]
    yield "api:indicator-list", "POST", "/api/v1/indicators/", {}, signed_in(405)[persona]
    yield "api:indicator-detail", "GET", f"/api/v1/indicators/{ind}/", None, signed_in(200)[persona]
    yield "api:indicator-detail", "PATCH", f"/api/v1/indicators/{ind}/", {}, signed_in(405)[persona]
    yield (
        "api:reading-list",
        "GET",
        f"/api/v1/indicators/{ind}/readings/",
        None,
        signed_in(200)[persona],
    )
    record = {"anonymous": 401, "official": 403, "supervisor": 201, "leader": 403, "admin": 201}
    yield (
        "api:reading-list",
        "POST",
        f"/api/v1/indicators/{ind}/readings/",
        {"period_end": "2024-06-30", "value": "6.10"},
        record[persona],
    )
    yield (
        "api:reading-list",
        "POST",
        f"/api/v1/indicators/{MISSING}/readings/",
        {"period_end": "2024-06-30", "value": "6.10"},
        signed_in(404)[persona],
    )
    yield from _supervision_cases(scene, persona)


def _supervision_cases(scene, persona):
    """The supervision workflows: notifications, extension requests, urges, instructions."""
    tasks, user = scene["tasks"], scene["users"][persona]
    only_leader = {"anonymous": 401, "official": 403, "supervisor": 403, "leader": 0, "admin": 403}

    # Notifications: one's own only; someone else's answers as a missing one.
    mine = scene["notes"][persona if user else "colleague"].pk
    theirs = scene["notes"]["colleague"].pk
    yield "api:notification-list", "GET", "/api/v1/notifications/", None, signed_in(200)[persona]
    yield (
        "api:notification-list",
        "GET",
        "/api/v1/notifications/?unread=true",
        None,
        signed_in(200)[persona],
    )
    yield (
        "api:notification-list",
        "GET",
        "/api/v1/notifications/?unread=perhaps",
        None,
        signed_in(400)[persona],
    )
    yield "api:notification-list", "POST", "/api/v1/notifications/", {}, signed_in(405)[persona]
    yield (
        "api:notification-read",
        "POST",
        f"/api/v1/notifications/{mine}/read/",
        {},
        signed_in(200)[persona],
    )
    yield (
        "api:notification-read",
        "POST",
        f"/api/v1/notifications/{theirs}/read/",
        {},
        signed_in(404)[persona],
    )
    yield (
        "api:notification-read",
        "POST",
        f"/api/v1/notifications/{MISSING}/read/",
        {},
        signed_in(404)[persona],
    )
    yield (
        "api:notification-read",
        "GET",
        f"/api/v1/notifications/{mine}/read/",
        None,
        signed_in(405)[persona],
    )
    yield (
        "api:notification-read-all",
        "POST",
        "/api/v1/notifications/read/",
        {},
        signed_in(200)[persona],
    )
    yield (
        "api:notification-read-all",
        "GET",
        "/api/v1/notifications/read/",
        None,
        signed_in(405)[persona],
    )

    # Extension requests: seen with their task, asked by who reports on it, decided by who
    # may change it.
    base = "/api/v1/extension-requests/"
    yield "api:extension-request-list", "GET", base, None, signed_in(200)[persona]
    for target, task in tasks.items():
        pk = scene["extensions"][target].pk
        yield "api:extension-request-detail", "GET", f"{base}{pk}/", None, SEE_TASK[persona][target]
        later = (task.due_date + datetime.timedelta(days=60)).isoformat()
        yield (
            "api:extension-request-list",
            "POST",
            base,
            {"task": task.pk, "new_due_date": later, "reason": "Waiting for the permit."},
            ASK_EXTENSION_AGAIN[persona][target],
        )
        decide = REVIEW_REPORT[persona][target]
        yield "api:extension-request-approve", "POST", f"{base}{pk}/approve/", {}, decide
        yield (
            "api:extension-request-deny",
            "POST",
            f"{base}{pk}/deny/",
            {"comment": "The permit is not a reason."},
            decide,
        )
    fresh = scene["fresh"]
    ask = {"anonymous": 401, "official": 201, "supervisor": 403, "leader": 403, "admin": 403}
    later = (fresh.due_date + datetime.timedelta(days=60)).isoformat()
    yield (
        "api:extension-request-list",
        "POST",
        base,
        {"task": fresh.pk, "new_due_date": later, "reason": "Waiting for the permit."},
        ask[persona],
    )
    # Bad input is 400 with a message per field, before anything is looked up.
    yield "api:extension-request-list", "POST", base, {"task": fresh.pk}, signed_in(400)[persona]
    earlier = (fresh.due_date - datetime.timedelta(days=1)).isoformat()
    not_later = {**ask, "official": 400}
    yield (
        "api:extension-request-list",
        "POST",
        base,
        {"task": fresh.pk, "new_due_date": earlier, "reason": "Sooner?"},
        not_later[persona],
    )
    yield (
        "api:extension-request-list",
        "POST",
        base,
        {"task": MISSING, "new_due_date": later, "reason": "Waiting."},
        signed_in(404)[persona],
    )
    own_request = scene["extensions"]["own"].pk
    no_comment = {
        **REVIEW_REPORT[persona],
        "own": 400 if persona in ("supervisor", "admin") else None,
    }
    yield (
        "api:extension-request-deny",
        "POST",
        f"{base}{own_request}/deny/",
        {"comment": ""},
        no_comment["own"] or REVIEW_REPORT[persona]["own"],
    )
    yield (
        "api:extension-request-approve",
        "POST",
        f"{base}{MISSING}/approve/",
        {},
        signed_in(404)[persona],
    )
    yield (
        "api:extension-request-detail",
        "GET",
        f"{base}{MISSING}/",
        None,
        signed_in(404)[persona],
    )
    yield (
        "api:extension-request-detail",
        "DELETE",
        f"{base}{own_request}/",
        None,
        signed_in(405)[persona],
    )
    yield (
        "api:extension-request-deny",
        "GET",
        f"{base}{own_request}/deny/",
        None,
        signed_in(405)[persona],
    )

    # Urge notices: the rows a user sent (urgers) or received (the others), answered by the
    # person each went to.
    base = "/api/v1/urges/"
    yield "api:urge-list", "GET", base, None, signed_in(200)[persona]
    for target, task in tasks.items():
        pk = scene["urges"][target].pk
        yield "api:urge-detail", "GET", f"{base}{pk}/", None, SEE_URGE[persona][target]
        answer = ANSWER_URGE[persona][target]
        yield "api:urge-acknowledge", "POST", f"{base}{pk}/acknowledge/", {}, answer
        yield "api:urge-reply", "POST", f"{base}{pk}/reply/", {"note": "Done today."}, answer
        yield (
            "api:urge-list",
            "POST",
            base,
            {"tasks": [task.pk], "message": "Report by Friday."},
            SEND_URGE[persona][target],
        )
    own_row = scene["urges"]["own"].pk
    empty_reply = {**ANSWER_URGE[persona], "own": 400 if persona == "official" else None}
    yield (
        "api:urge-reply",
        "POST",
        f"{base}{own_row}/reply/",
        {"note": ""},
        empty_reply["own"] or ANSWER_URGE[persona]["own"],
    )
    no_tasks = {**signed_in(400), "official": 403}
    yield "api:urge-list", "POST", base, {"tasks": [], "message": ""}, no_tasks[persona]
    missing_task = {**signed_in(404), "official": 403}
    yield (
        "api:urge-list",
        "POST",
        base,
        {"tasks": [tasks["own"].pk, MISSING], "message": "Report."},
        missing_task[persona],
    )
    yield "api:urge-detail", "GET", f"{base}{MISSING}/", None, signed_in(404)[persona]
    yield (
        "api:urge-acknowledge",
        "POST",
        f"{base}{MISSING}/acknowledge/",
        {},
        signed_in(404)[persona],
    )
    yield "api:urge-detail", "PATCH", f"{base}{own_row}/", {}, signed_in(405)[persona]
    yield "api:urge-reply", "GET", f"{base}{own_row}/reply/", None, signed_in(405)[persona]

    # Leaders' instructions: seen with their task, answered by its owners, closed by their
    # leader, the area's supervisors or an admin; written by leaders only.
    base = "/api/v1/instructions/"
    yield "api:instruction-list", "GET", base, None, signed_in(200)[persona]
    yield "api:instruction-list", "GET", f"{base}?state=all", None, signed_in(200)[persona]
    for target, task in tasks.items():
        pk = scene["instructions"][target].pk
        yield "api:instruction-detail", "GET", f"{base}{pk}/", None, SEE_TASK[persona][target]
        yield (
            "api:instruction-answer",
            "POST",
            f"{base}{pk}/answer/",
            {"text": "Done."},
            ANSWER_INSTRUCTION[persona][target],
        )
        yield (
            "api:instruction-close",
            "POST",
            f"{base}{pk}/close/",
            {},
            CLOSE_INSTRUCTION[persona][target],
        )
        yield (
            "api:instruction-list",
            "POST",
            base,
            {"task": task.pk, "text": "Finish before the holiday.", "respond_by": None},
            INSTRUCT[persona][target],
        )
    area_c = scene["areas"]["c"].pk
    yield (
        "api:instruction-list",
        "POST",
        base,
        {"area": area_c, "text": "Every task of this area: report weekly."},
        only_leader[persona] or 201,
    )
    yield "api:instruction-list", "POST", base, {"text": ""}, only_leader[persona] or 400
    yield (
        "api:instruction-list",
        "POST",
        base,
        {"task": tasks["own"].pk, "area": area_c, "text": "Both?"},
        only_leader[persona] or 400,
    )
    yield (
        "api:instruction-list",
        "POST",
        base,
        {"task": MISSING, "text": "Nobody's task."},
        only_leader[persona] or 404,
    )
    own_instruction = scene["instructions"]["own"].pk
    empty_answer = {**ANSWER_INSTRUCTION[persona], "own": 400 if persona == "official" else None}
    yield (
        "api:instruction-answer",
        "POST",
        f"{base}{own_instruction}/answer/",
        {"text": ""},
        empty_answer["own"] or ANSWER_INSTRUCTION[persona]["own"],
    )
    yield "api:instruction-detail", "GET", f"{base}{MISSING}/", None, signed_in(404)[persona]
    yield "api:instruction-close", "POST", f"{base}{MISSING}/close/", {}, signed_in(404)[persona]
    yield "api:instruction-detail", "PUT", f"{base}{own_instruction}/", {}, signed_in(405)[persona]
    yield (
        "api:instruction-answer",
        "GET",
        f"{base}{own_instruction}/answer/",
        None,
        signed_in(405)[persona],
    )
    # The leaders' overview: as /overview/, officials find nothing (404); the permission is
    # checked before the period, so an official's bad period is 404 too.
    overview = {**signed_in(200), "official": 404}
    bad_period = {**signed_in(400), "official": 404}
    path = "/api/v1/overview/"
    yield "api:overview", "GET", path, None, overview[persona]
    yield "api:overview", "GET", f"{path}?start=2024-01-01&end=2024-03-31", None, overview[persona]
    yield (
        "api:overview",
        "GET",
        f"{path}?start=2024-03-31&end=2024-01-01",
        None,
        bad_period[persona],
    )
    yield "api:overview", "POST", path, {}, signed_in(405)[persona]


def snapshot() -> dict:
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in SNAPSHOT_APPS:
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


def client_for(scene, persona) -> APIClient:
    client = APIClient()
    if persona in scene["tokens"]:
        client.credentials(HTTP_AUTHORIZATION=f"Token {scene['tokens'][persona]}")
    return client


def run_case(client, method, path, data, *, refused):
    with transaction.atomic():
        before = snapshot() if refused else None
        response = getattr(client, method.lower())(
            path, data, format="json", HTTP_IDEMPOTENCY_KEY="matrix-key"
        )
        after = snapshot() if refused else None
        transaction.set_rollback(True)
    changed = [label for label in before if before[label] != after[label]] if refused else []
    return response.status_code, changed


def _api_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and namespace.startswith("api:"):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver("etown.urls").url_patterns)
    return names


def test_every_api_url_has_a_row(scene):
    covered = {case[0] for persona in PERSONAS for case in _cases(scene, persona)}
    assert _api_url_names() - covered == set(), "API URLs without a row in the matrix"
    assert covered - _api_url_names() == set(), "matrix rows for API URLs that no longer exist"


def test_every_api_method_is_in_the_matrix(scene):
    """Each URL's allowed methods (GET, POST) have a row; the others are tried as 405."""
    methods = {(case[0], case[1]) for persona in PERSONAS for case in _cases(scene, persona)}
    for name in _api_url_names():
        assert (name, "GET") in methods or (name, "POST") in methods, name


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_endpoint_answers_each_role_as_the_matrix_says(scene, persona):
    problems = []
    for name, method, path, data, expected in _cases(scene, persona):
        client = client_for(scene, persona)
        refused = method != "GET" and expected >= 400
        got, changed = run_case(client, method, path, data, refused=refused)
        if got != expected:
            problems.append(
                f"{persona:10} {method:6} {name:24} {path}: expected {expected}, got {got}"
            )
        if changed:
            problems.append(f"{persona:10} {method:6} {name:24} {path}: refused, changed {changed}")
    assert problems == [], "\n" + "\n".join(problems)


def test_an_object_out_of_scope_answers_exactly_as_a_missing_one(scene):
    client = client_for(scene, "official")
    other = scene["tasks"]["other"].pk
    for path in ("/api/v1/tasks/{}/", "/api/v1/tasks/{}/reports/"):
        out_of_scope = client.get(path.format(other))
        missing = client.get(path.format(MISSING))
        assert out_of_scope.status_code == missing.status_code == 404
        assert out_of_scope.json() == missing.json()
