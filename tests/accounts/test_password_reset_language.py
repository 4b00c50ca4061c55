"""The password reset mail is written in the account holder's language, not the requester's."""

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_chinese_account_gets_a_chinese_reset_mail_from_an_english_browser(client):
    user = UserFactory(email="wang.fang@etown.example", preferred_language="zh-hans")
    response = client.post(
        "/accounts/password/reset/",
        {"email": user.email},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "亦庄年度重点工作：重置密码"
    assert "请通过以下链接设置新密码" in message.body
    assert f"您的用户名是{user.username}。" in message.body


def test_an_account_without_a_preference_gets_the_requesters_language(client):
    user = UserFactory(email="li.na@etown.example", preferred_language="")
    client.post(
        "/accounts/password/reset/",
        {"email": user.email},
        headers={"accept-language": "zh-CN,zh;q=0.9"},
    )
    (message,) = mail.outbox
    assert message.subject == "亦庄年度重点工作：重置密码"


def test_an_english_account_gets_an_english_reset_mail_from_a_chinese_browser(client):
    user = UserFactory(email="anna@etown.example", preferred_language="en")
    client.post(
        "/accounts/password/reset/",
        {"email": user.email},
        headers={"accept-language": "zh-CN,zh;q=0.9"},
    )
    (message,) = mail.outbox
    assert message.subject == "E-Town work plan: reset your password"
