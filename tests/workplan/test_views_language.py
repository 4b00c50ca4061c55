"""The portal and the admin speak the signed-in person's language: labels, titles and dates."""

import datetime

import pytest

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from workplan.models import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese_official(db):
    department = DepartmentFactory(name="Economic Development Bureau", name_zh="经济发展局")
    return UserFactory(role=Role.OFFICIAL, department=department, preferred_language="zh-hans")


@pytest.fixture
def bilingual_task(chinese_official):
    area = AreaFactory(
        title="Build a world-class industrial cluster", title_zh="打造世界级产业集群"
    )
    supervisor = UserFactory(role=Role.SUPERVISOR, preferred_language="zh-hans")
    area.supervisors.add(supervisor)
    task = TaskFactory(
        area=area,
        owner=chinese_official,
        title="Put 5G base stations into service",
        title_zh="推动5G基站投入使用",
        start_date=datetime.date(2024, 2, 18),
        due_date=today() - datetime.timedelta(days=3),
    )
    task.supporting_departments.add(DepartmentFactory())
    return task


def test_a_chinese_official_sees_the_dashboard_in_chinese(client, chinese_official, bilingual_task):
    client.force_login(chinese_official)
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    for label in ["工作台（我的工作）", "逾期", "按期推进", "已完成", "退出", "推动5G基站投入使用"]:
        assert label in html, label
    assert "My work" not in html
    assert "Put 5G base stations into service" not in html


def test_a_chinese_official_sees_the_task_list_in_chinese(client, chinese_official, bilingual_task):
    client.force_login(chinese_official)
    html = client.get("/tasks/").content.decode()
    labels = ["重点工作领域", "完成时限", "完成进度", "打造世界级产业集群", "推动5G基站投入使用"]
    for label in [*labels, "逾期3天"]:
        assert label in html, label
    assert "Due date" not in html


def test_a_chinese_official_sees_the_task_page_in_chinese_with_chinese_dates(
    client, chinese_official, bilingual_task
):
    client.force_login(chinese_official)
    html = client.get(f"/tasks/{bilingual_task.pk}/").content.decode()
    for label in ["牵头单位", "经济发展局", "配合单位", "开始日期", "填报进展", "佐证材料"]:
        assert label in html, label
    assert "2024年2月18日" in html
    due = bilingual_task.due_date
    assert f"{due.year}年{due.month}月{due.day}日" in html
    assert ">10%</div>" in html  # Chinese writes the percent sign without a space
    assert "Lead department" not in html


def test_an_english_official_sees_english_titles_and_dates(client, bilingual_task):
    official = bilingual_task.owner
    official.preferred_language = "en"
    official.save()
    client.force_login(official)
    html = client.get(f"/tasks/{bilingual_task.pk}/").content.decode()
    assert "Lead department" in html
    assert "Put 5G base stations into service" in html
    assert "Feb. 18, 2024" in html
    assert ">10 %</div>" in html
    assert "牵头单位" not in html


def test_the_admin_index_follows_a_chinese_supervisors_language(client, bilingual_task):
    supervisor = bilingual_task.area.supervisors.get()
    client.force_login(supervisor)
    html = client.get("/admin/").content.decode()
    for label in [
        "亦庄年度重点工作",
        "今日待办",
        "待审核的进展报告",
        "我督办领域的逾期任务",
        "退出",
    ]:
        assert label in html, label
    assert "推动5G基站投入使用" in html
    assert "What to do today" not in html


def test_the_admin_task_list_shows_chinese_titles_and_headers(client, bilingual_task):
    supervisor = bilingual_task.area.supervisors.get()
    client.force_login(supervisor)
    html = client.get("/admin/workplan/task/").content.decode()
    for label in ["推动5G基站投入使用", "逾期天数", "完成进度", "牵头单位", "调整责任人…"]:
        assert label in html, label


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_sign_in_pages_offer_the_language_switcher(client, url):
    html = client.get(url, headers={"accept-language": "zh-CN,zh;q=0.9"}, follow=True)
    html = html.content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language"' in html
    assert '<option value="zh-hans"' in html
    assert "切换语言" in html


def test_the_switcher_on_a_portal_page_returns_to_that_page(client, chinese_official):
    client.force_login(chinese_official)
    html = client.get("/tasks/?overdue=on").content.decode()
    assert '<input type="hidden" name="next" value="/tasks/?overdue=on">' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tasks/?overdue=on"})
    assert response.headers["Location"] == "/tasks/?overdue=on"
    assert "My work" in client.get("/tasks/").content.decode()


def test_the_calendar_feed_is_in_its_owners_language_whatever_app_fetches_it(
    client, chinese_official, bilingual_task
):
    response = client.get(
        f"/calendar/{chinese_official.calendar_token}.ics", headers={"accept-language": "en"}
    )
    feed = response.content.decode()
    assert "亦庄年度重点工作：我的完成时限" in feed
    assert "已逾期：" in feed  # the task is three days overdue
    assert "推动5G基站投入使用" in feed
    assert "Overdue:" not in feed


def test_the_chinese_dashboard_heads_its_urgent_tasks_in_natural_chinese(
    client, chinese_official, bilingual_task
):
    client.force_login(chinese_official)
    response = client.get("/")
    assert "最紧急的任务" in response.text
    assert "最紧急的优先" not in response.text


def test_the_chinese_review_page_shows_no_technical_task_version(
    client, bilingual_task, chinese_official
):
    from tests.factories import ProgressReportFactory

    report = ProgressReportFactory(task=bilingual_task, author=chinese_official)
    supervisor = bilingual_task.area.supervisors.get()
    client.force_login(supervisor)
    response = client.get(f"/admin/workplan/progressreport/{report.pk}/change/")
    assert response.status_code == 200
    assert "任务版本" not in response.text
    assert "审核" in response.text
