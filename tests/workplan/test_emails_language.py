"""Every mail is written in its recipient's language, whatever language the sender runs in."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from accounts.models import Role
from tests.factories import AreaFactory, ProgressReportFactory, TaskFactory, UserFactory
from workplan.models import TaskStatus
from workplan.services import report_return

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def chinese_official(db):
    return UserFactory(role=Role.OFFICIAL, preferred_language="zh-hans")


def test_a_returned_report_mail_is_chinese_for_a_chinese_author_sent_from_an_english_process(
    chinese_official, django_capture_on_commit_callbacks
):
    area = AreaFactory(title="Improve the business environment", title_zh="优化营商环境")
    supervisor = UserFactory(role=Role.SUPERVISOR, preferred_language="en")
    area.supervisors.add(supervisor)
    task = TaskFactory(
        area=area, owner=chinese_official, title="One-window approvals", title_zh="一窗受理"
    )
    report = ProgressReportFactory(task=task, author=chinese_official, progress=40)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, reviewer=supervisor, comment="请补充佐证材料。")
        assert translation.get_language() == "en"

    (message,) = mail.outbox
    assert message.to == [chinese_official.email]
    assert message.subject == "您关于“一窗受理”的进展报告已退回"
    assert "修改意见：" in message.body
    assert "请补充佐证材料。" in message.body
    assert "What to change" not in message.body
    html = message.alternatives[0][0]
    assert "进展报告已退回" in html


def test_a_digest_from_an_english_process_is_chinese_for_a_chinese_official(chinese_official):
    area = AreaFactory(title_zh="打造世界级产业集群")
    tasks = [(D(2024, 3, 1), "推动5G基站投入使用"), (D(2024, 3, 8), "建成机器人测试场")]
    for due, title_zh in tasks:
        TaskFactory(
            owner=chinese_official,
            area=area,
            title_zh=title_zh,
            start_date=D(2024, 1, 1),
            due_date=due,
            status=TaskStatus.IN_PROGRESS,
        )

    with translation.override("en"):
        call_command("send_reminders", "--date", "2024-03-06", stdout=StringIO())

    (message,) = mail.outbox
    assert message.subject == "逾期1项，即将到期1项：亦庄年度重点工作"
    for body in (message.body, message.alternatives[0][0]):
        assert "推动5G基站投入使用" in body
        assert "打造世界级产业集群" in body
        assert "完成时限2024年3月1日，已逾期5天" in body
        assert "完成时限2024年3月8日，剩余2天" in body
        assert "Overdue" not in body


def test_the_same_digest_is_english_for_an_english_official(db):
    official = UserFactory(preferred_language="en")
    TaskFactory(
        owner=official,
        area=AreaFactory(),
        title_zh="推动5G基站投入使用",
        start_date=D(2024, 1, 1),
        due_date=D(2024, 3, 1),
        status=TaskStatus.IN_PROGRESS,
    )

    with translation.override("zh-hans"):
        call_command("send_reminders", "--date", "2024-03-06", stdout=StringIO())

    (message,) = mail.outbox
    assert message.subject == "1 overdue, 0 due soon: E-Town work plan"
    assert "Due March 1, 2024, 5 days overdue" in message.body
    assert "推动5G基站投入使用" not in message.body
