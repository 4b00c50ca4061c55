"""GET /api/v1/overview/: the page's figures, from the same function, for the same people."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from api.services import token_issue
from tests.factories import UserFactory
from tests.supervision.conftest import ROADS
from workplan.models import Indicator, IndicatorReading, Plan, today

pytestmark = pytest.mark.django_db

URL = "/api/v1/overview/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
    return client


def number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_the_api_gives_the_scorecard_the_overview_page_shows(workflows, client):
    scores, leader = workflows.scores, workflows.leader
    plan = Plan.objects.order_by("-year").first()
    indicator = Indicator.objects.create(plan=plan, code="gdp", name="GDP growth", target=6)
    IndicatorReading.objects.create(indicator=indicator, period_end=scores.period.end, value=5)
    client.force_login(leader)
    page = client.get(f"/overview/?{scores.period.query()}")
    assert page.status_code == 200
    shown = page.context["departments"]  # the rows the page renders, in rank order

    response = api_as(leader).get(f"{URL}?{scores.period.query()}")

    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {
        "start": scores.period.start.isoformat(),
        "end": scores.period.end.isoformat(),
        "kind": "custom",
    }
    rows = data["departments"]
    assert [row["name"] for row in rows] == [row.name for row in shown]
    for row, on_page in zip(rows, shown, strict=True):
        counts = on_page.counts
        assert (
            row["rank"],
            row["id"],
            row["tasks"],
            number(row["on_time_rate"]),
            row["overdue"],
            number(row["average_days_late"]),
            row["extensions"],
            number(row["reports_on_time"]),
            row["open_urges"],
        ) == (
            on_page.rank,
            on_page.department.pk,
            counts.tasks,
            counts.on_time_rate,
            counts.overdue,
            counts.average_days_late,
            counts.extensions,
            on_page.reports_on_time,
            on_page.open_urges,
        )
    roads = next(row for row in rows if row["id"] == scores.roads.pk)
    assert (
        roads["tasks"],
        number(roads["on_time_rate"]),
        roads["overdue"],
        number(roads["average_days_late"]),
        roads["extensions"],
        number(roads["reports_on_time"]),
        roads["open_urges"],
    ) == (
        ROADS["tasks"],
        ROADS["on_time_rate"],
        ROADS["overdue"],
        ROADS["average_days_late"],
        ROADS["extensions"],
        workflows.reports_on_time,
        2,
    )
    board = page.context["board"]
    assert [
        (area["id"], number(area["completion"]), area["tasks"], area["overdue"])
        for area in data["areas"]
    ] == [
        (row.area.pk, row.completion, row.counts.tasks, row.counts.overdue) for row in board.areas
    ]
    assert (data["totals"]["tasks"], data["totals"]["overdue"]) == (
        board.totals.tasks,
        board.totals.overdue,
    )
    assert data["indicators"] == [
        {
            "id": indicator.pk,
            "code": "gdp",
            "name": "GDP growth",
            "name_zh": "",
            "unit": indicator.unit,
            "target": 6.0,
            "latest": {"period_end": scores.period.end.isoformat(), "value": 5.0},
            "on_course": False,
        }
    ]


def test_without_a_period_the_api_counts_this_year_as_the_page(scores):
    leader = UserFactory(role=Role.LEADER, department=None)
    data = api_as(leader).get(URL).json()
    year = today().year
    assert data["period"] == {
        "start": datetime.date(year, 1, 1).isoformat(),
        "end": datetime.date(year, 12, 31).isoformat(),
        "kind": "year",
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2024-03-31&end=2024-01-01", "end"),
        ("start=2024-13-01&end=2024-12-31", "start"),
        ("start=2024-01-01", "end"),
        ("start=2020-01-01&end=2024-12-31", "end"),
        ("period=fortnight", "period"),
    ],
)
def test_a_bad_period_is_400_with_a_message_for_the_field(query, field):
    leader = UserFactory(role=Role.LEADER, department=None)
    response = api_as(leader).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0]


def test_a_supervisor_gets_only_the_departments_of_their_areas(scores):
    supervisor = scores.area.supervisors.get()
    rows = api_as(supervisor).get(f"{URL}?{scores.period.query()}").json()["departments"]
    assert [row["id"] for row in rows] == [scores.roads.pk]


def test_the_overview_api_reads_a_fixed_number_of_queries(workflows, django_assert_max_num_queries):
    client = api_as(workflows.leader)
    with django_assert_max_num_queries(15):
        assert client.get(f"{URL}?{workflows.scores.period.query()}").status_code == 200
