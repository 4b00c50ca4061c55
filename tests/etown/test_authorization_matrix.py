"""Who gets what, on every portal URL and every admin page and action: one table, tested.

Outcomes: "200"; "sign-in" (302 to /accounts/login/); "admin-sign-in" (302 to /admin/login/);
"403" (may see, may not change); "404" (may not see); "405"; "admin-index" (302 to the admin
index: Django admin's "does not exist" answer, the same for an object out of scope as for a
missing one, and where the admin sends a signed-in user away from its sign-in page);
"redirect" (another 302: the normal end of an accepted POST).

Every POST the table refuses must leave the database as it was: each case compares every row of
the portal's tables (history included) before and after. Accepted POSTs run too, each inside a
savepoint rolled back afterwards, so the cases do not disturb one another.

A portal URL or admin page added without a row here fails `test_every_*_has_a_row`.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from api.models import ApiToken, IdempotencyKey
from api.services import token_issue
from notifications.models import NotificationKind
from notifications.services import notification_send
from supervision.models import Frequency, MissedReport, ReportCycle
from supervision.services.extensions import extension_request_create
from tests.etown.admin_forms import change_form_data
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    PlanFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)
from workplan.models import (
    DeadlineExtension,
    Evidence,
    Indicator,
    IndicatorReading,
    Reminder,
    TaskStatus,
    WorkingDayOverride,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "official", "supervisor", "leader", "admin"]
OK, IN, ADMIN_IN, NO, NF, NA, GONE, GO = (
    "200",
    "sign-in",
    "admin-sign-in",
    "403",
    "404",
    "405",
    "admin-index",
    "redirect",
)
SNAPSHOT_APPS = {
    "accounts",
    "notifications",
    "supervision",
    "workplan",
    "auth",
    "django_celery_beat",
    "axes",
    "api",
}


# --- The scene ---------------------------------------------------------------------------


@dataclass
class Scene:
    users: dict
    tasks: dict
    evidence: dict
    reports: dict
    objects: dict = field(default_factory=dict)


def _evidence(report):
    from tests.workplan import evidence_samples as samples

    return Evidence.objects.create(
        report=report,
        file=samples.pdf(),
        original_name="minutes.pdf",
        content_type="application/pdf",
        size=len(samples.PDF_BYTES),
    )


@pytest.fixture
def scene(db):
    """Two areas (the supervisor has A), two departments (the official is in D), four tasks."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    plan = PlanFactory()
    area_a = AreaFactory(plan=plan, number=1, title="Area A")
    area_b = AreaFactory(plan=plan, number=2, title="Area B")
    dept_d = DepartmentFactory(code="dept-d", name="Department D")
    dept_e = DepartmentFactory(code="dept-e", name="Department E")
    official = UserFactory(username="official", role=Role.OFFICIAL, department=dept_d)
    colleague = UserFactory(username="colleague", role=Role.OFFICIAL, department=dept_d)
    outsider = UserFactory(username="outsider", role=Role.OFFICIAL, department=dept_e)
    supervisor = UserFactory(username="supervisor", role=Role.SUPERVISOR, department=None)
    other_supervisor = UserFactory(username="other-sup", role=Role.SUPERVISOR, department=None)
    admin_user = UserFactory(username="admin", role=Role.ADMIN, department=None)
    leader = UserFactory(username="leader", role=Role.LEADER, department=None)
    area_a.supervisors.add(supervisor)
    area_b.supervisors.add(other_supervisor)
    tasks = {
        # The official owns it; area A.
        "own": TaskFactory(area=area_a, owner=official, lead_department=dept_d, code="1.1"),
        # Another official of the official's department owns it; area A.
        "dept": TaskFactory(area=area_a, owner=colleague, lead_department=dept_d, code="1.2"),
        # Department D only supports it; area B.
        "supported": TaskFactory(area=area_b, owner=outsider, lead_department=dept_e, code="2.1"),
        # Nothing to do with the official or the supervisor; area B.
        "other": TaskFactory(area=area_b, owner=outsider, lead_department=dept_e, code="2.2"),
    }
    tasks["supported"].supporting_departments.add(dept_d)
    reports, evidence = {}, {}
    for key, task in tasks.items():
        reports[key] = ProgressReportFactory(task=task, note=f"Report on {key}")
        evidence[key] = _evidence(reports[key])
        DeadlineExtension.objects.create(
            task=task,
            old_due_date=task.due_date,
            new_due_date=task.due_date + datetime.timedelta(days=5),
            reason="Flooding",
            extended_by=admin_user,
        )
        ReportCycle.objects.create(
            task=task, frequency=Frequency.WEEKLY, weekday=4, start_date=datetime.date(2024, 1, 1)
        )
        MissedReport.objects.create(task=task, deadline=datetime.date(2024, 6, 7), owner=task.owner)
    # An open extension request on a task in each area (the "dept" task has none: asking for
    # one there is accepted).
    for key, asker in [("own", official), ("supported", outsider)]:
        extension_request_create(
            task=tasks[key],
            user=asker,
            new_due_date=tasks[key].due_date + datetime.timedelta(days=20),
            reason="Matrix request",
        )
    indicator = Indicator.objects.create(plan=plan, code="gdp", name="GDP growth", target=6)
    reading = IndicatorReading.objects.create(
        indicator=indicator, period_end=datetime.date(2024, 6, 30), value=5
    )
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    notification = notification_send(
        recipient=official,
        kind=NotificationKind.REPORT_RETURNED,
        url=f"/tasks/{tasks['own'].pk}/",
        params={"task": tasks["own"].title},
        actor=supervisor,
        mail=False,
    )
    token_issue(user=official)
    objects = {
        "workplan.plan": plan,
        "notifications.notification": notification,
        "workplan.indicator": indicator,
        "workplan.indicatorreading": reading,
        "accounts.department": dept_e,
        "accounts.user": outsider,
        "auth.group": Group.objects.get(name="Officials"),
        "django_celery_beat.intervalschedule": interval,
        "django_celery_beat.crontabschedule": CrontabSchedule.objects.create(minute="0", hour="9"),
        "django_celery_beat.solarschedule": SolarSchedule.objects.create(
            event="sunrise", latitude=39.9, longitude=116.4
        ),
        "django_celery_beat.clockedschedule": ClockedSchedule.objects.create(
            clocked_time=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
        ),
        "django_celery_beat.periodictask": PeriodicTask.objects.create(
            name="nightly", task="workplan.tasks.send_reminders", interval=interval
        ),
        "workplan.reminder": Reminder.objects.create(
            recipient=official,
            kind="digest",
            date=datetime.date(2024, 6, 3),
            overdue_task_ids=[tasks["own"].pk],
        ),
        "workplan.workingdayoverride": WorkingDayOverride.objects.create(
            date=datetime.date(2024, 6, 8), is_working_day=True, note="Make-up day"
        ),
        "axes.accessattempt": AccessAttempt.objects.create(
            username="someone", ip_address="10.0.0.9", user_agent="x", failures_since_start=3
        ),
        "axes.accesslog": AccessLog.objects.create(
            username="someone", ip_address="10.0.0.9", user_agent="x"
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="someone", ip_address="10.0.0.9", user_agent="x", locked_out=False
        ),
        "api.apitoken": ApiToken.objects.get(user=official),
        "api.idempotencykey": IdempotencyKey.objects.create(
            user=admin_user, key="feed-2024-06", fingerprint="0" * 64, reading=reading
        ),
    }
    users = {
        "anonymous": None,
        "official": official,
        "supervisor": supervisor,
        "leader": leader,
        "admin": admin_user,
        "colleague": colleague,
        "outsider": outsider,
    }
    _supervision_scene(tasks, users, objects)
    return Scene(users=users, tasks=tasks, evidence=evidence, reports=reports, objects=objects)


def _supervision_scene(tasks, users, objects):
    """Urge notices and instructions: the supervisor's in area A, the leader's in area B."""
    from supervision.services import instruction_write, urge_send

    supervisor, leader = users["supervisor"], users["leader"]
    mine = urge_send(sender=supervisor, tasks=[tasks["own"], tasks["dept"]], message="Hurry A")
    theirs = urge_send(sender=leader, tasks=[tasks["supported"], tasks["other"]], message="Hurry B")
    objects["urge_notices"] = {"own": mine, "supported": theirs}
    objects["urge_rows"] = {
        # The official's own row (area A), and a row of a task the official cannot see (B).
        "own": mine.recipients.get(task=tasks["own"]),
        "supported": theirs.recipients.get(task=tasks["supported"]),
        "other": theirs.recipients.get(task=tasks["other"]),
    }
    objects["instructions"] = {
        "own": instruction_write(author=leader, task=tasks["own"], text="Instruction A"),
        # On the whole of area B, where the official's department only supports a task.
        "supported": instruction_write(
            author=leader, area=tasks["supported"].area, text="Instruction B"
        ),
    }


# --- Running one case ----------------------------------------------------------------------


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return IN
        if location.startswith("/admin/login/"):
            return ADMIN_IN
        if location == reverse("admin:index"):
            return GONE
        return GO
    return str(response.status_code)


def snapshot() -> dict:
    """Every row of the portal's tables (history included), as plain values."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in SNAPSHOT_APPS:
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def client_for(scene: Scene, persona: str) -> Client:
    client = Client()
    user = scene.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def run_case(client, method: str, path: str, data=None, *, refused: bool):
    """Make the request inside a savepoint that is rolled back; return (outcome, changes)."""
    with transaction.atomic():
        before = snapshot() if refused else None
        response = client.get(path) if method == "GET" else client.post(path, data or {})
        changes = changed_tables(before, snapshot()) if refused else []
        transaction.set_rollback(True)
    return outcome(response), changes


REFUSALS = {IN, ADMIN_IN, NO, NF, NA, GONE}


def check(client, persona, label, method, path, expected, data=None, *, refused=None):
    """Return a line describing what went wrong, or None."""
    if refused is None:
        refused = expected in REFUSALS
    got, changes = run_case(client, method, path, data, refused=refused and method != "GET")
    problems = []
    if got != expected:
        problems.append(f"expected {expected}, got {got}")
    if changes:
        problems.append(f"refused POST changed {', '.join(changes)}")
    if problems:
        return f"{persona:10} {method:4} {label:40} {path}: {'; '.join(problems)}"
    return None


# --- The portal ------------------------------------------------------------------------------

TASK_TARGETS = ["own", "dept", "supported", "other", "missing"]
# Who may see each task (GET), and what a report posted on it gets (POST).
TASK_GET = {
    "anonymous": dict.fromkeys(TASK_TARGETS, IN),
    "official": {"own": OK, "dept": OK, "supported": OK, "other": NF, "missing": NF},
    "supervisor": {"own": OK, "dept": OK, "supported": NF, "other": NF, "missing": NF},
    # Leaders read the whole plan.
    "leader": {"own": OK, "dept": OK, "supported": OK, "other": OK, "missing": NF},
    "admin": {"own": OK, "dept": OK, "supported": OK, "other": OK, "missing": NF},
}
TASK_POST = {
    "anonymous": dict.fromkeys(TASK_TARGETS, IN),
    "official": {"own": GO, "dept": GO, "supported": NO, "other": NF, "missing": NF},
    "supervisor": {"own": NO, "dept": NO, "supported": NF, "other": NF, "missing": NF},
    "leader": {"own": NO, "dept": NO, "supported": NO, "other": NO, "missing": NF},
    "admin": {"own": NO, "dept": NO, "supported": NO, "other": NO, "missing": NF},
}
# What asking for an extension gets: the official's own task already has an open request, so
# the form comes back (200) with the message; on the department's task it is accepted.
EXTENSION_POST = {
    "anonymous": dict.fromkeys(TASK_TARGETS, IN),
    "official": {"own": OK, "dept": GO, "supported": NO, "other": NF, "missing": NF},
    "supervisor": {"own": NO, "dept": NO, "supported": NF, "other": NF, "missing": NF},
    "leader": {"own": NO, "dept": NO, "supported": NO, "other": NO, "missing": NF},
    "admin": {"own": NO, "dept": NO, "supported": NO, "other": NO, "missing": NF},
}
# Withdrawing: the official's own task has an open request; the department's has none (told
# so, back on the task page).
WITHDRAW_POST = {
    **EXTENSION_POST,
    "official": {"own": GO, "dept": GO, "supported": NO, "other": NF, "missing": NF},
}
MISSING_PK = 987654


def _task_pk(scene, target):
    return MISSING_PK if target == "missing" else scene.tasks[target].pk


def _evidence_pk(scene, target):
    return MISSING_PK if target == "missing" else scene.evidence[target].pk


def every(outcome_: str) -> dict:
    return dict.fromkeys(PERSONAS, outcome_)


def signed_in(outcome_: str, anonymous: str = IN) -> dict:
    return {**dict.fromkeys(PERSONAS, outcome_), "anonymous": anonymous}


def _portal_cases(scene: Scene, persona: str):
    """Yield (url name, label, method, path, data, expected) for one persona."""
    me = scene.users[persona]
    token = scene.users["official"].calendar_token
    simple = [
        ("login", "GET", "/accounts/login/", None, every(OK)),
        ("logout", "GET", "/accounts/logout/", None, signed_in(NA)),
        ("logout", "POST", "/accounts/logout/", None, every(IN)),
        ("password_change", "GET", "/accounts/password/change/", None, signed_in(OK)),
        # An empty form is refused by the form itself; anonymous is sent to sign in.
        ("password_change", "POST", "/accounts/password/change/", {}, signed_in(OK)),
        ("password_change_done", "GET", "/accounts/password/change/done/", None, signed_in(OK)),
        ("password_reset", "GET", "/accounts/password/reset/", None, every(OK)),
        ("password_reset_done", "GET", "/accounts/password/reset/sent/", None, every(OK)),
        (
            "password_reset_confirm",
            "GET",
            "/accounts/password/reset/MQ/not-a-token/",
            None,
            every(OK),
        ),
        ("password_reset_complete", "GET", "/accounts/password/reset/complete/", None, every(OK)),
        ("calendar_settings", "GET", "/accounts/calendar/", None, signed_in(OK)),
        ("calendar_settings", "POST", "/accounts/calendar/", {}, signed_in(GO)),
        ("set_language", "GET", "/i18n/setlang/", None, every(NA)),
        ("set_language", "POST", "/i18n/setlang/", {"language": "zh-hans"}, every(GO)),
        ("healthz", "GET", "/healthz", None, every(OK)),
        # The benchmarks' floor exists only when BENCH_FLOOR_VIEW is on (never in production).
        ("bench-floor", "GET", "/bench/floor", None, signed_in(NF)),
        ("workplan:dashboard", "GET", "/", None, signed_in(OK)),
        ("workplan:dashboard", "POST", "/", {}, signed_in(NA)),
        ("workplan:task_list", "GET", "/tasks/", None, signed_in(OK)),
        ("workplan:task_list", "POST", "/tasks/", {}, signed_in(NA)),
        # The feed's secret token stands for sign-in, whoever holds it.
        ("workplan:calendar_feed", "GET", f"/calendar/{token}.ics", None, every(OK)),
        ("workplan:calendar_feed", "GET", "/calendar/not-a-token.ics", None, every(NF)),
        ("notifications:list", "GET", "/notifications/", None, signed_in(OK)),
        ("notifications:list", "POST", "/notifications/", {}, signed_in(NA)),
        ("notifications:mark_all_read", "GET", "/notifications/read/", None, signed_in(NA)),
        ("notifications:mark_all_read", "POST", "/notifications/read/", {}, signed_in(GO)),
    ]
    for name, method, path, data, expected in simple:
        yield name, name, method, path, data, expected[persona]
    yield from _supervision_portal_cases(scene, persona)
    # A notification is its recipient's alone (the official's here); opening it is a GET.
    notification = scene.objects["notifications.notification"]
    for target, pk in [("official", notification.pk), ("missing", MISSING_PK)]:
        path = f"/notifications/{pk}/"
        label = f"notifications:open[{target}]"
        expected = GO if persona == target else (IN if me is None else NF)
        yield "notifications:open", label, "GET", path, None, expected
        yield "notifications:open", label, "POST", path, {}, IN if me is None else NA
    for target in TASK_TARGETS:
        pk = _task_pk(scene, target)
        task = scene.tasks.get(target)
        report = {
            "progress": 70,
            "status": TaskStatus.IN_PROGRESS,
            "note": "Matrix",
            "version": task.version if task else 1,
        }
        label = f"task_detail[{target}]"
        yield "workplan:task_detail", label, "GET", f"/tasks/{pk}/", None, TASK_GET[persona][target]
        yield (
            "workplan:task_detail",
            label,
            "POST",
            f"/tasks/{pk}/",
            report,
            TASK_POST[persona][target],
        )
        label = f"extension_request_create[{target}]"
        path = f"/tasks/{pk}/extension/"
        due = task.due_date if task else datetime.date(2030, 1, 1)
        ask = {"new_due_date": (due + datetime.timedelta(days=30)).isoformat(), "reason": "Matrix"}
        name = "supervision:extension_request_create"
        yield name, label, "GET", path, None, IN if me is None else NA
        yield name, label, "POST", path, ask, EXTENSION_POST[persona][target]
        label = f"extension_request_withdraw[{target}]"
        path = f"/tasks/{pk}/extension/withdraw/"
        name = "supervision:extension_request_withdraw"
        yield name, label, "GET", path, None, IN if me is None else NA
        yield name, label, "POST", path, {}, WITHDRAW_POST[persona][target]
        epk = _evidence_pk(scene, target)
        label = f"evidence_download[{target}]"
        yield (
            "workplan:evidence_download",
            label,
            "GET",
            f"/evidence/{epk}/",
            None,
            TASK_GET[persona][target],
        )
        yield (
            "workplan:evidence_download",
            label,
            "POST",
            f"/evidence/{epk}/",
            {},
            IN if me is None else NA,
        )


# Urge notices and instructions. On a task: who may urge it, who may write an instruction.
URGE_TASK = {
    "anonymous": dict.fromkeys(TASK_TARGETS, IN),
    "official": {"own": NO, "dept": NO, "supported": NO, "other": NF, "missing": NF},
    "supervisor": {"own": OK, "dept": OK, "supported": NF, "other": NF, "missing": NF},
    "leader": {"own": OK, "dept": OK, "supported": OK, "other": OK, "missing": NF},
    "admin": {"own": OK, "dept": OK, "supported": OK, "other": OK, "missing": NF},
}
INSTRUCT_TASK = {
    **URGE_TASK,
    "supervisor": {"own": NO, "dept": NO, "supported": NF, "other": NF, "missing": NF},
    "admin": {"own": NO, "dept": NO, "supported": NO, "other": NO, "missing": NF},
}
# A notice's page: its sender and admins. own: the supervisor's notice; supported: the leader's.
URGE_DETAIL = {
    "anonymous": {"own": IN, "supported": IN, "missing": IN},
    "official": {"own": NF, "supported": NF, "missing": NF},
    "supervisor": {"own": OK, "supported": NF, "missing": NF},
    "leader": {"own": NF, "supported": OK, "missing": NF},
    "admin": {"own": OK, "supported": OK, "missing": NF},
}
# Answering a notice's row: only its recipient (the official, on "own"); 403 for whoever may see
# the row's task or follows the notice, 404 for the others.
URGE_ANSWER = {
    "anonymous": {"own": IN, "other": IN, "missing": IN},
    "official": {"own": GO, "other": NF, "missing": NF},
    "supervisor": {"own": NO, "other": NF, "missing": NF},
    "leader": {"own": NO, "other": NO, "missing": NF},
    "admin": {"own": NO, "other": NO, "missing": NF},
}
# Instructions: own is on the official's task (area A), supported on all of area B.
INSTRUCTION_ANSWER = {
    "anonymous": {"own": IN, "supported": IN, "missing": IN},
    "official": {"own": GO, "supported": NO, "missing": NF},
    "supervisor": {"own": NO, "supported": NF, "missing": NF},
    "leader": {"own": NO, "supported": NO, "missing": NF},
    "admin": {"own": NO, "supported": NO, "missing": NF},
}
INSTRUCTION_CLOSE = {
    "anonymous": {"own": IN, "supported": IN, "missing": IN},
    "official": {"own": NO, "supported": NO, "missing": NF},
    "supervisor": {"own": GO, "supported": NF, "missing": NF},
    "leader": {"own": GO, "supported": GO, "missing": NF},
    "admin": {"own": GO, "supported": GO, "missing": NF},
}


def _get(outcome_: str) -> str:
    """What a GET of a form page gets where the POST gets `outcome_`."""
    return OK if outcome_ == GO else outcome_


def _supervision_portal_cases(scene: Scene, persona: str):
    signed = persona != "anonymous"
    for name, path in [
        ("supervision:urge_list", "/urges/"),
        ("supervision:instruction_list", "/instructions/"),
    ]:
        yield name, name, "GET", path, None, OK if signed else IN
        yield name, name, "POST", path, {}, NA if signed else IN
    yield (
        "supervision:instruction_list",
        "instruction_list[all]",
        "GET",
        "/instructions/?state=all",
        None,
        OK if signed else IN,
    )
    for target in TASK_TARGETS:
        pk = _task_pk(scene, target)
        for name, table, path, data in [
            ("supervision:task_urge", URGE_TASK, f"/tasks/{pk}/urge/", {"message": "Matrix"}),
            (
                "supervision:task_instruct",
                INSTRUCT_TASK,
                f"/tasks/{pk}/instruct/",
                {"text": "Matrix", "scope": "task"},
            ),
        ]:
            expected = table[persona][target]
            label = f"{name.split(':')[1]}[{target}]"
            yield name, label, "GET", path, None, expected
            post = GO if expected == OK else expected
            yield name, label, "POST", path, data, post
    notices = scene.objects["urge_notices"]
    for target in ["own", "supported", "missing"]:
        pk = notices[target].pk if target != "missing" else MISSING_PK
        expected = URGE_DETAIL[persona][target]
        yield (
            "supervision:urge_detail",
            f"urge_detail[{target}]",
            "GET",
            f"/urges/{pk}/",
            None,
            expected,
        )
        yield (
            "supervision:urge_detail",
            f"urge_detail[{target}]",
            "POST",
            f"/urges/{pk}/",
            {},
            NA if signed else IN,
        )
    rows = scene.objects["urge_rows"]
    for target in ["own", "other", "missing"]:
        pk = rows[target].pk if target != "missing" else MISSING_PK
        expected = URGE_ANSWER[persona][target]
        path = f"/urges/received/{pk}/acknowledge/"
        label = f"urge_acknowledge[{target}]"
        yield "supervision:urge_acknowledge", label, "POST", path, {}, expected
        yield "supervision:urge_acknowledge", label, "GET", path, None, NA if signed else IN
        path = f"/urges/received/{pk}/reply/"
        label = f"urge_reply[{target}]"
        yield "supervision:urge_reply", label, "GET", path, None, _get(expected)
        yield "supervision:urge_reply", label, "POST", path, {"reply": "Matrix"}, expected
    instructions = scene.objects["instructions"]
    for target in ["own", "supported", "missing"]:
        pk = instructions[target].pk if target != "missing" else MISSING_PK
        expected = INSTRUCTION_ANSWER[persona][target]
        path = f"/instructions/{pk}/answer/"
        label = f"instruction_answer[{target}]"
        yield "supervision:instruction_answer", label, "GET", path, None, _get(expected)
        yield "supervision:instruction_answer", label, "POST", path, {"text": "Matrix"}, expected
        expected = INSTRUCTION_CLOSE[persona][target]
        path = f"/instructions/{pk}/close/"
        label = f"instruction_close[{target}]"
        yield "supervision:instruction_close", label, "POST", path, {}, expected
        yield "supervision:instruction_close", label, "GET", path, None, NA if signed else IN


def _portal_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                # The API has a matrix of its own: tests/api/test_authorization_matrix.py.
                if pattern.namespace in ("admin", "api"):
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver("etown.urls").url_patterns)
    return names


def test_every_portal_url_has_a_row(scene):
    covered = {case[0] for persona in PERSONAS for case in _portal_cases(scene, persona)}
    assert _portal_url_names() - covered == set(), "portal URLs without a row in the matrix"
    assert covered - _portal_url_names() == set(), "matrix rows for URLs that no longer exist"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_portal_url_answers_each_role_as_the_matrix_says(scene, persona):
    problems = []
    for _name, label, method, path, data, expected in _portal_cases(scene, persona):
        client = client_for(scene, persona)
        problem = check(client, persona, label, method, path, expected, data)
        if problem:
            problems.append(problem)
    assert problems == [], "\n" + "\n".join(problems)


def test_an_object_out_of_scope_answers_exactly_as_a_missing_one(scene, client):
    client.force_login(scene.users["official"])
    out_of_scope = client.get(f"/tasks/{scene.tasks['other'].pk}/")
    missing = client.get(f"/tasks/{MISSING_PK}/")
    assert out_of_scope.status_code == missing.status_code == 404
    assert scene.tasks["other"].title not in out_of_scope.text
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

    def page(response, pk):
        return token.sub("", response.text).replace(f"/tasks/{pk}/", "/tasks/ID/")

    assert page(out_of_scope, scene.tasks["other"].pk) == page(missing, MISSING_PK)


# --- The admin -------------------------------------------------------------------------------

# Area-scoped models: the supervisor's object is in area A, the other in area B.
SCOPED = {
    "workplan.task": lambda s, t: s.tasks[t],
    "workplan.progressreport": lambda s, t: s.reports[t],
    "workplan.evidence": lambda s, t: s.evidence[t],
    "workplan.deadlineextension": lambda s, t: s.tasks[t].extensions.get(),
    "workplan.area": lambda s, t: s.tasks[t].area,
    "supervision.reportcycle": lambda s, t: s.tasks[t].report_cycle,
    "supervision.missedreport": lambda s, t: s.tasks[t].missed_reports.get(),
    "supervision.urgerecipient": lambda s, t: s.objects["urge_rows"][t],
    "supervision.instruction": lambda s, t: s.objects["instructions"][t],
    # Not by area: a supervisor's own notices (own), or a leader's (supported).
    "supervision.urgenotice": lambda s, t: s.objects["urge_notices"][t],
    "supervision.extensionrequest": lambda s, t: s.tasks[t].extension_requests.get(),
}
OWN, OTHER = "own", "supported"  # task keys in area A and area B

# What the supervisor gets on each page: (GET, POST), or {"own": (..), "other": (..)} for
# area-scoped models. `None`: the page does not exist for that model.
# change POST posts the admin's own change form with a marker; delete POST confirms.
SUPERVISOR = {
    "workplan.task": {
        "changelist": (OK, None),
        "add": (NO, NO),
        "change": {"own": (OK, GO), "other": (GONE, GONE)},
        "delete": {"own": (NO, NO), "other": (NO, NO)},
        "history": {"own": (OK, None), "other": (NF, None)},
        "simple_history": {"own": (OK, NO), "other": (NF, NO)},
        "import": (NO, NO),
        "process_import": (NO, NO),
        "export": (OK, None),
    },
    "workplan.progressreport": {
        "changelist": (OK, None),
        "add": (NO, NO),
        # The only POST here is a review; out of scope the report "does not exist".
        "change": {"own": (OK, GO), "other": (GONE, GONE)},
        "delete": {"own": (NO, NO), "other": (NO, NO)},
        "history": {"own": (OK, None), "other": (NF, None)},
        "simple_history": {"own": (OK, NO), "other": (NF, NO)},
    },
    "workplan.evidence": {
        "changelist": (OK, None),
        "add": (NO, NO),
        "change": {"own": (OK, NO), "other": (GONE, NO)},
        "delete": {"own": (NO, NO), "other": (NO, NO)},
        "history": {"own": (OK, None), "other": (GONE, None)},
    },
    "workplan.deadlineextension": {
        "changelist": (OK, None),
        "add": (NO, NO),
        "change": {"own": (OK, NO), "other": (GONE, NO)},
        "delete": {"own": (NO, NO), "other": (NO, NO)},
        "history": {"own": (OK, None), "other": (GONE, None)},
    },
    "workplan.area": {
        "changelist": (OK, None),
        "add": (NO, NO),
        "change": {"own": (OK, NO), "other": (GONE, NO)},
        "delete": {"own": (NO, NO), "other": (NO, NO)},
        "history": {"own": (OK, None), "other": (NF, None)},
        "simple_history": {"own": (OK, NO), "other": (NF, NO)},
    },
    "supervision.extensionrequest": {
        "changelist": (OK, None),
        "add": (NO, NO),
        # The only POST here is a decision (the matrix posts "_approve").
        "change": {"own": (OK, GO), "other": (GONE, GONE)},
        "delete": {"own": (NO, NO), "other": (NO, NO)},
        "history": {"own": (OK, None), "other": (NF, None)},
        "simple_history": {"own": (OK, NO), "other": (NF, NO)},
    },
    # Supervisors set the report cycles of their areas' tasks (and of the areas themselves).
    "supervision.reportcycle": {
        "changelist": (OK, None),
        "add": (OK, None),
        "change": {"own": (OK, GO), "other": (GONE, GONE)},
        "delete": {"own": (OK, GO), "other": (GONE, GONE)},
        "history": {"own": (OK, None), "other": (NF, None)},
        "simple_history": {"own": (OK, NO), "other": (NF, NO)},
    },
    # The record of missed deadlines is written by the daily job only.
    "supervision.missedreport": {
        "changelist": (OK, None),
        "add": (NO, NO),
        "change": {"own": (OK, NO), "other": (GONE, NO)},
        "delete": {"own": (NO, NO), "other": (NO, NO)},
        "history": {"own": (OK, None), "other": (NF, None)},
        "simple_history": {"own": (OK, NO), "other": (NF, NO)},
    },
    "workplan.plan": {"changelist": (OK, None), "add": (NO, NO), "change": (OK, NO)},
    "workplan.indicator": {"changelist": (OK, None), "add": (NO, NO), "change": (OK, NO)},
    "workplan.indicatorreading": {"changelist": (OK, None), "add": (OK, None), "change": (OK, GO)},
    "accounts.department": {
        "changelist": (OK, None),
        "add": (NO, NO),
        "change": (OK, NO),
        "import": (NO, NO),
        "process_import": (NO, NO),
        "export": (NO, NO),
    },
    "accounts.user": {
        "changelist": (OK, None),
        "add": (NO, NO),
        "change": (OK, NO),
        "simple_history": (OK, NO),
        "password_change": (NO, NO),
        "import": (NO, NO),
        "process_import": (NO, NO),
        "export": (NO, NO),
    },
}
SUPERVISOR.update(
    {
        # Written by the portal's services only, and kept: read-only for everyone here.
        label: {
            "changelist": (OK, None),
            "add": (NO, NO),
            "change": {"own": (OK, NO), "other": (GONE, NO)},
            "delete": {"own": (NO, NO), "other": (NO, NO)},
            "history": {"own": (OK, None), "other": (NF, None)},
            "simple_history": {"own": (OK, NO), "other": (NF, NO)},
        }
        for label in (
            "supervision.urgenotice",
            "supervision.urgerecipient",
            "supervision.instruction",
        )
    }
)
# Models a supervisor has no permission on at all: every page is 403.
NO_ACCESS_FOR_SUPERVISORS = [
    # Notifications are event records: admins read them, nobody edits them.
    "notifications.notification",
    "auth.group",
    "workplan.reminder",
    "workplan.workingdayoverride",
    "django_celery_beat.periodictask",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.solarschedule",
    "django_celery_beat.clockedschedule",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "api.apitoken",
    "api.idempotencykey",
]
# Defaults for pages the table above leaves out: view-only models refuse delete.
SUPERVISOR_DEFAULTS = {"delete": (NO, NO), "history": (OK, None)}

# The admin is refused only what nobody may do: add rows that only the portal creates, change
# records that are append-only, write the history or the lockout log by hand.
ADMIN_REFUSED = {
    # The reminder log is written by the dispatch only, and kept.
    ("workplan.reminder", "add"),
    ("workplan.reminder", "delete"),
    ("workplan.progressreport", "add"),
    ("workplan.evidence", "add"),
    ("workplan.deadlineextension", "add"),
    ("supervision.missedreport", "add"),
    ("notifications.notification", "add"),
    ("supervision.extensionrequest", "add"),
    ("notifications.notification", "delete"),
    ("axes.accessattempt", "add"),
    ("supervision.urgenotice", "add"),
    ("supervision.urgerecipient", "add"),
    ("supervision.instruction", "add"),
    ("axes.accesslog", "add"),
    ("axes.accessfailurelog", "add"),
    # Tokens are issued through the API only, and an idempotency key is its reading's record.
    ("api.apitoken", "add"),
    ("api.idempotencykey", "add"),
}
ADMIN_READ_ONLY_CHANGE = {
    "workplan.deadlineextension",
    "workplan.reminder",
    "supervision.missedreport",
    "supervision.urgenotice",
    "supervision.urgerecipient",
    "supervision.instruction",
    "notifications.notification",
    "api.apitoken",
    "api.idempotencykey",
}
MODEL_PAGES = [
    "changelist",
    "add",
    "change",
    "delete",
    "history",
    "simple_history",
    "password_change",
    "import",
    "process_import",
    "export",
]
OBJECT_PAGES = {"change", "delete", "history", "simple_history", "password_change"}
SITE_PAGES = {
    # name: (path, {persona: GET outcome})
    "index": ("/admin/", {"anonymous": ADMIN_IN, "supervisor": OK, "admin": OK}),
    # An official signed in to the portal is asked to sign in as someone who may enter.
    "login": (
        "/admin/login/",
        {"anonymous": OK, "official": OK, "leader": OK, "supervisor": GONE, "admin": GONE},
    ),
    "logout": (
        "/admin/logout/",
        {"official": GONE, "leader": GONE, "supervisor": NA, "admin": NA},
    ),
    "password_change": ("/admin/password_change/", {"supervisor": OK, "admin": OK}),
    "password_change_done": ("/admin/password_change/done/", {"supervisor": OK, "admin": OK}),
    "jsi18n": ("/admin/jsi18n/", {"supervisor": OK, "admin": OK}),
    "autocomplete": (
        "/admin/autocomplete/?app_label=workplan&model_name=task&field_name=parent",
        {"supervisor": OK, "admin": OK},
    ),
    "app_list": ("/admin/workplan/", {"supervisor": OK, "admin": OK}),
    # Tasks have no public page of their own to show "on site".
    "view_on_site": ("/admin/r/{ct}/{pk}/", {"supervisor": NF, "admin": NF}),
}


def _registered_models() -> list[str]:
    return sorted(model._meta.label_lower for model in admin.site._registry)


def _admin_url_names() -> set[str]:
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif pattern.name:
                names.add(pattern.name)

    walk(admin.site.get_urls())
    return names


# Django's UserAdmin names its password page after auth.User, whatever the user model.
PAGE_NAMES = {("accounts.user", "password_change"): "auth_user_password_change"}


def _page_name(label: str, page: str) -> str:
    return PAGE_NAMES.get((label, page), f"{label.replace('.', '_')}_{page}")


def _model_pages(label: str) -> list[str]:
    names = _admin_url_names()
    return [page for page in MODEL_PAGES if _page_name(label, page) in names]


def test_every_admin_page_has_a_row():
    covered = set(SITE_PAGES)
    for label in _registered_models():
        assert label in SUPERVISOR or label in NO_ACCESS_FOR_SUPERVISORS, f"{label}: no row"
        covered |= {_page_name(label, page) for page in MODEL_PAGES}
    assert _admin_url_names() - covered == set(), "admin pages without a row in the matrix"


def _object(scene, label, target):
    if label in SCOPED:
        return SCOPED[label](scene, OWN if target == "own" else OTHER)
    return scene.objects[label]


def _expected(label, page, persona, target):
    """Return (GET, POST) for one page; POST None: no POST is tried."""
    if persona == "anonymous":
        # The portal's sign-in comes first: LoginRequiredMiddleware.
        return IN, IN
    if persona in ("official", "leader"):
        # Leaders, like officials, never enter the admin.
        return ADMIN_IN, ADMIN_IN
    if persona == "admin":
        if (label, page) in ADMIN_REFUSED:
            return NO, NO
        if page == "change" and label in ADMIN_READ_ONLY_CHANGE:
            return OK, NO
        if page == "simple_history":
            return OK, NO
        if page == "process_import":
            return NA, None
        if page in ("changelist", "history", "export"):
            return OK, None
        return OK, None
    if label in NO_ACCESS_FOR_SUPERVISORS:
        return NO, NO
    rows = SUPERVISOR[label]
    row = rows.get(page, SUPERVISOR_DEFAULTS.get(page))
    if isinstance(row, dict):
        row = row[target]
    if page == "process_import":
        return NA, row[1]
    return row


def _path(label, page, obj, extra=None):
    name = f"admin:{_page_name(label, page)}"
    if page == "simple_history":
        return reverse(name, args=[obj.pk, obj.history.order_by("history_id").first().history_id])
    if page in OBJECT_PAGES:
        return reverse(name, args=[obj.pk])
    return reverse(name)


def _admin_form_data(scene, label, obj) -> dict:
    """The admin's own change form for `obj`, as a browser would post it, with a marker."""
    client = client_for(scene, "admin")
    response = client.get(reverse(f"admin:{_page_name(label, 'change')}", args=[obj.pk]))
    data = change_form_data(response)
    for marker in ("title", "name", "note", "first_name", "reason"):
        if marker in data:
            data[marker] = f"Changed by the matrix {data[marker]}"
            break
    data["_approve"] = "1"  # a review, where the change page is the review page
    return data


def _post_data(scene, label, page, obj):
    if page == "delete":
        return {"post": "yes"}
    if page in ("import", "process_import"):
        csv = io.BytesIO(b"id,title\n,Imported by the matrix\n")
        csv.name = "tasks.csv"
        return {"format": "0", "resource": "0", "import_file": csv, "import_file_name": "x"}
    if page == "export":
        return {"format": "0", "resource": "0"}
    if page == "password_change":
        return {"password1": "Another-long-pass-9", "password2": "Another-long-pass-9"}
    if obj is None:
        return {}
    return _admin_form_data(scene, label, obj)


def _admin_cases(scene, label, persona):
    targets = ["own", "other"] if label in SCOPED else ["own"]
    for page in _model_pages(label):
        for target in targets if page in OBJECT_PAGES else ["own"]:
            obj = _object(scene, label, target)
            if page == "simple_history" and not hasattr(obj, "history"):
                continue
            get, post = _expected(label, page, persona, target)
            path = _path(label, page, obj)
            tag = f"{label}:{page}" + (f"[{target}]" if page in OBJECT_PAGES else "")
            yield tag, "GET", path, None, get
            if post is not None:
                data_obj = obj if page in ("change", "simple_history", "add") else None
                yield tag, "POST", path, (label, page, data_obj), post


@pytest.mark.parametrize("label", _registered_models())
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_admin_page_answers_each_role_as_the_matrix_says(scene, persona, label):
    problems = []
    for tag, method, path, data_spec, expected in _admin_cases(scene, label, persona):
        data = _post_data(scene, *data_spec) if data_spec else None
        client = client_for(scene, persona)
        problem = check(client, persona, tag, method, path, expected, data)
        if problem:
            problems.append(problem)
    assert problems == [], "\n" + "\n".join(problems)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_admin_site_page_answers_each_role_as_the_matrix_says(scene, persona):
    from django.contrib.contenttypes.models import ContentType

    # The admin site's own pages send anonymous visitors to the admin's sign-in page.
    default = ADMIN_IN if persona in ("anonymous", "official", "leader") else OK
    problems = []
    for name, (path, outcomes) in SITE_PAGES.items():
        ct = ContentType.objects.get_for_model(scene.tasks[OWN])
        url = path.format(ct=ct.pk, pk=scene.tasks[OWN].pk)
        expected = outcomes.get(persona, default)
        problem = check(client_for(scene, persona), persona, name, "GET", url, expected)
        if problem:
            problems.append(problem)
    assert problems == [], "\n" + "\n".join(problems)


# --- Admin actions ---------------------------------------------------------------------------


def _action_payload(scene, action):
    due = scene.tasks[OWN].due_date + datetime.timedelta(days=40)
    return {
        "delete_selected": {"post": "yes"},
        "reassign_owner": {"apply": "1", "owner": scene.users["colleague"].pk},
        "extend_deadline": {"apply": "1", "new_due_date": due.isoformat(), "reason": "Matrix"},
        "return_selected": {"apply": "1", "comment": "Matrix says no"},
        "urge_tasks": {"apply": "1", "message": "Matrix urges"},
        "deny_selected": {"apply": "1", "comment": "Matrix says no"},
    }.get(action, {})


# Actions a supervisor may run, on objects in their own area only.
SUPERVISOR_ACTIONS = {
    "workplan.task": {"reassign_owner", "extend_deadline", "mark_done", "urge_tasks"},
    "supervision.instruction": {"close_selected"},
    "workplan.progressreport": {"approve_selected", "return_selected"},
    "supervision.reportcycle": {"delete_selected"},
    "supervision.extensionrequest": {"approve_selected", "deny_selected"},
}
# Actions that change nothing even when accepted, with these objects: the department and the
# user are protected by the tasks that point at them; the attempt has not expired.
NO_OP_ACTIONS = {
    ("axes.accessattempt", "cleanup_expired_attempts"),
    ("django_celery_beat.periodictask", "run_tasks"),
    ("accounts.department", "delete_selected"),
    ("accounts.user", "delete_selected"),
}


def _all_actions(label):
    from django.test import RequestFactory

    model = apps.get_model(label)
    request = RequestFactory().get("/admin/")
    request.user = type("Root", (), {"is_active": True, "is_superuser": True, "role": "admin"})()
    request.user.is_authenticated = True
    request.user.has_perm = lambda perm, obj=None: True
    return sorted(admin.site._registry[model].get_actions(request))


@pytest.mark.parametrize("label", _registered_models())
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_admin_action_is_refused_or_applied_as_the_matrix_says(scene, persona, label):
    problems = []
    targets = ["own", "other"] if label in SCOPED else ["own"]
    changelist = reverse(f"admin:{_page_name(label, 'changelist')}")
    for action in _all_actions(label):
        for target in targets:
            obj = _object(scene, label, target)
            allowed = persona == "admin" or (
                persona == "supervisor"
                and target == "own"
                and action in SUPERVISOR_ACTIONS.get(label, ())
            )
            data = {"action": action, "_selected_action": [obj.pk], "index": 0}
            data.update(_action_payload(scene, action))
            client = client_for(scene, persona)
            with transaction.atomic():
                before = snapshot()
                response = client.post(changelist, data)
                changes = changed_tables(before, snapshot())
                transaction.set_rollback(True)
            got = outcome(response)
            tag = f"{persona:10} {label}:{action}[{target}]"
            if response.status_code >= 500:
                problems.append(f"{tag}: {response.status_code}")
            refusal = {"anonymous": IN, "official": ADMIN_IN, "leader": ADMIN_IN}.get(persona)
            if refusal and got != refusal:
                problems.append(f"{tag}: expected {refusal}, got {got}")
            if not allowed and changes:
                problems.append(f"{tag}: refused action changed {', '.join(changes)}")
            if allowed and (label, action) not in NO_OP_ACTIONS and not changes:
                problems.append(f"{tag}: allowed action changed nothing ({got})")
    assert problems == [], "\n" + "\n".join(problems)
