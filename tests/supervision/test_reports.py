"""The same numbers on /overview/, in the .docx and in the .pdf; the monthly mail to leaders."""

from __future__ import annotations

import datetime
import io
import re

import docx
import pypdf
import pytest
from django.conf import settings
from django.core import mail

from accounts.models import Role
from supervision.models import MonthlyReportDelivery, MonthlyReportStatus
from supervision.services.overview_reports import (
    first_working_day,
    monthly_report_claim,
    monthly_report_send,
    monthly_reports_dispatch,
)
from tests.factories import UserFactory
from tests.supervision.conftest import days

pytestmark = pytest.mark.django_db

# Roads' row as every format writes it: rank, name, tasks, on time, overdue, days late,
# extensions, then reports on time and open urges, filled in by the test from the workflows
# (tests/supervision/conftest.py says why).
ROADS_ROW = ["2", "Roads Bureau", "8", "57.1 %", "1", "5.3", "2"]
ROADS_ROW_ZH = ["2", "道路局", "8", "57.1%", "1", "5.3", "2"]
PARKS_ROW = ["1", "Parks Bureau", "1", "100.0 %", "0", "—", "0", "—", "1"]
PARKS_ROW_ZH = ["1", "园林局", "1", "100.0%", "0", "—", "0", "—", "1"]


@pytest.fixture
def leader(db):
    return UserFactory(role=Role.LEADER, first_name="Ming", last_name="Gao")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _docx_rows(body: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(body))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def _pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize(
    ("language", "roads", "parks"),
    [("en", ROADS_ROW, PARKS_ROW), ("zh-hans", ROADS_ROW_ZH, PARKS_ROW_ZH)],
)
def test_the_page_the_docx_and_the_pdf_show_the_same_scores(
    workflows, client, language, roads, parks
):
    scores = workflows.scores
    percent = "%" if language == "zh-hans" else " %"
    roads = [*roads, f"{workflows.reports_on_time}{percent}", "2"]
    client.force_login(workflows.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    query = scores.period.query()
    page = client.get(f"/overview/?{query}&sort=rank")
    assert page.status_code == 200
    html = page.content.decode()
    for code, row in (("roads", roads), ("parks", parks)):
        marker = f'data-department="{code}">'
        department_row = html[html.index(marker) + len(marker) :]
        department_row = _text(department_row[: department_row.index("</tr>")]).split()
        assert " ".join(department_row) == " ".join(row)

    word = client.get(f"/overview/report.docx?{query}")
    assert word.status_code == 200
    word_rows = _docx_rows(word.content)
    assert roads in word_rows and parks in word_rows

    pdf = client.get(f"/overview/report.pdf?{query}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content)
    assert " ".join(roads) in text and " ".join(parks) in text
    # The overdue task, its area, lead department, owner, due date and days late, in both.
    department = roads[1]
    overdue = ["overdue", str(scores.area.number), department, "Lei Zhao", str(days(-10)), "10"]
    assert overdue in word_rows
    assert " ".join(overdue) in text

    # The instructions: the open one with its answer, the one closed in the period; not the
    # one closed before it.
    state = {"en": ("Awaiting answer", "Closed"), "zh-hans": ("待落实", "已办结")}[language]
    area = f"{scores.area.number}. {scores.area.display_title}"
    instructions = [
        [
            "Ming Gao",
            "overdue",
            str(days(-6)),
            str(days(3)),
            state[0],
            "Finish the bridge survey",
            f"{days(-5)} Lei Zhao: Survey team hired",
        ],
        ["Ming Gao", area, str(days(-20)), "—", state[1], "Check every crossing", "—"],
    ]
    assert [row for row in word_rows if row[0] == "Ming Gao"] == instructions
    # A narrow cell wraps, and the PDF's text may interleave a row's lines: word by word.
    for row in instructions:
        for cell in row:
            assert all(word in text for word in cell.split()), cell
    assert "An old instruction" not in text
    assert all("An old instruction" not in row for row in word_rows)


def test_the_report_is_in_the_readers_language(scores, leader, client):
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    body = client.get(f"/overview/report.docx?{scores.period.query()}").content
    document = docx.Document(io.BytesIO(body))
    assert document.paragraphs[0].text == "督查通报"


def test_a_report_for_a_period_that_ends_before_it_starts_is_refused(leader, client):
    client.force_login(leader)
    response = client.get("/overview/report.pdf?start=2024-05-01&end=2024-04-01")
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()


def test_the_page_keeps_a_bad_custom_period_and_says_why(leader, client):
    client.force_login(leader)
    response = client.get("/overview/?period=custom&start=2024-05-01&end=2024-04-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "ends before it starts" in html
    assert 'value="2024-05-01"' in html and 'value="2024-04-01"' in html


def test_every_figure_links_to_exactly_the_tasks_it_counts(scores, leader, client):
    client.force_login(leader)
    html = client.get(f"/overview/?{scores.period.query()}").content.decode()
    row = html[html.index('data-department="roads"') :]
    row = row[: row.index("</tr>")]
    expected = {"figure-tasks": 8, "figure-on-time": 4, "figure-overdue": 1, "figure-days-late": 3}
    for css, count in expected.items():
        href = re.search(rf'href="([^"]+)" class="{css}"', row).group(1).replace("&amp;", "&")
        listed = client.get(href)
        assert listed.context["page"].paginator.count == count, css
    href = re.search(r'href="([^"]+)" class="figure-extensions"', row).group(1)
    titles = [t.title for t in client.get(href.replace("&amp;", "&")).context["tasks"]]
    assert titles == ["extended_twice"]


def test_a_report_job_runs_and_serves_its_file_to_its_starter_alone(scores, leader, client):
    client.force_login(leader)
    started = client.post(
        "/overview/reports/",
        {"format": "pdf", "start": scores.period.start, "end": scores.period.end},
    )
    assert started.status_code == 202
    state = client.get(started.json()["status_url"]).json()
    assert state["state"] == "ready"
    file = client.get(state["download_url"])
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    client.force_login(UserFactory(role=Role.LEADER))
    assert client.get(state["download_url"]).status_code == 404
    assert client.get(started.json()["status_url"]).status_code == 404


def test_the_first_working_day_follows_the_chinese_calendar():
    # 1 October 2024 opens the National Day holiday; work resumes on the 8th.
    assert first_working_day(datetime.date(2024, 10, 15)) == datetime.date(2024, 10, 8)
    assert first_working_day(datetime.date(2024, 7, 20)) == datetime.date(2024, 7, 1)


def test_the_monthly_report_is_mailed_once_to_every_leader(scores, leader):
    other = UserFactory(role=Role.LEADER, preferred_language="zh-hans")
    UserFactory(role=Role.LEADER, is_active=False)
    UserFactory(role=Role.SUPERVISOR)
    assert monthly_reports_dispatch(on=datetime.date(2024, 10, 1)) == []  # a holiday
    ids = monthly_reports_dispatch(on=datetime.date(2024, 10, 8))
    assert len(ids) == 2
    # A second dispatch (a duplicate beat, the next day's catch-up) adds nothing.
    assert sorted(monthly_reports_dispatch(on=datetime.date(2024, 10, 9))) == sorted(ids)
    assert MonthlyReportDelivery.objects.count() == 2
    for delivery_id in ids:
        assert monthly_report_send(delivery_id=delivery_id) is True
        assert monthly_report_send(delivery_id=delivery_id) is False
    assert monthly_reports_dispatch(on=datetime.date(2024, 10, 9)) == []
    assert len(mail.outbox) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    english, chinese = by_recipient[leader.email], by_recipient[other.email]
    assert english.subject == "Supervision report for 2024-09"
    assert "2024-09" in chinese.subject and "督查通报" in chinese.subject
    names = [name for name, _body, _type in english.attachments]
    assert names == [
        "etown-supervision-report-2024-09-01-2024-09-30.docx",
        "etown-supervision-report-2024-09-01-2024-09-30.pdf",
    ]
    rows = MonthlyReportDelivery.objects.values_list("month", "status")
    assert set(rows) == {(datetime.date(2024, 9, 1), MonthlyReportStatus.SENT)}


def test_of_two_workers_only_one_claims_a_monthly_report(leader):
    [delivery_id] = monthly_reports_dispatch(on=datetime.date(2024, 7, 1))
    assert monthly_report_claim(delivery_id=delivery_id) is not None
    assert monthly_report_claim(delivery_id=delivery_id) is None


def test_beat_runs_the_monthly_report_every_day():
    entry = settings.CELERY_BEAT_SCHEDULE["Monthly supervision report to leaders"]
    assert entry["task"] == "supervision.tasks.send_monthly_reports"
