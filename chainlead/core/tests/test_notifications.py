"""Notifications: in-app rows, dedupe, email, and a real HTTP post to a group robot."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.urls import reverse

from chainlead.core.models import Job, JobStatus, Notification, UnitWebhook
from chainlead.core.notifications import notify
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import Org
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests  # noqa: F401

pytestmark = pytest.mark.django_db


class Robot(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Robot.received.append((self.path, json.loads(body)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args):
        pass


@pytest.fixture
def robot():
    Robot.received = []
    server = HTTPServer(("127.0.0.1", 0), Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def org():
    return Org()


def test_in_app_and_dedupe(org, client):
    notify(
        [org.insider, org.viewer_a],
        "月报即将截止",
        body="请在12月7日前提交11月月报。",
        url="/",
        dedupe_key="r:2021-11",
    )
    notify([org.insider], "月报即将截止", dedupe_key="r:2021-11")  # a repeated nightly run
    assert Notification.objects.filter(user=org.insider).count() == 1
    client.force_login(org.insider)
    page = client.get(reverse("home")).content.decode()
    assert 'id="unread-count"' in page
    client.post(reverse("core:notification_read_all"))
    assert not Notification.objects.filter(user=org.insider, read_at__isnull=True).exists()
    client.force_login(org.outsider)
    assert "月报即将截止" not in client.get(reverse("core:notification_list")).content.decode()


def test_email_goes_out_after_commit(org, django_capture_on_commit_callbacks, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    org.insider.email = "insider@example.gov.cn"
    org.insider.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([org.insider], "问题已超期", body="请于今日回复。")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["insider@example.gov.cn"] and "问题已超期" in mail.outbox[0].subject


def test_dingtalk_robot_gets_a_signed_post(org, robot, django_capture_on_commit_callbacks):
    UnitWebhook.objects.create(
        unit=org.unit_a, kind="dingtalk", url=f"{robot}/robot/send?access_token=abc", secret="SECtest"
    )
    UnitWebhook.objects.create(unit=org.unit_b, kind="wecom", url=f"{robot}/cgi-bin/webhook/send?key=k")
    with django_capture_on_commit_callbacks(execute=True):
        notify([org.insider], "11月月报逾期", body="甲局尚有3个项目未报。", units=[org.unit_a])
    assert len(Robot.received) == 1
    path, payload = Robot.received[0]
    query = parse_qs(urlparse(path).query)
    assert query["access_token"] == ["abc"] and "sign" in query and "timestamp" in query
    assert payload == {"msgtype": "text", "text": {"content": "11月月报逾期\n甲局尚有3个项目未报。"}}
    assert Job.objects.get(name="core.webhook").status == JobStatus.SUCCEEDED


def test_unreachable_robot_fails_the_job_not_the_reminder(org, django_capture_on_commit_callbacks):
    UnitWebhook.objects.create(unit=org.unit_a, kind="wecom", url="http://127.0.0.1:9/none")
    with django_capture_on_commit_callbacks(execute=True):
        notify([org.insider], "提醒", units=[org.unit_a])
    assert Notification.objects.filter(user=org.insider).exists()
    job = Job.objects.get(name="core.webhook")
    assert job.status == JobStatus.FAILED and "群机器人发送失败" in job.error


def test_test_button_reports_plainly(org, client, robot):
    hook = UnitWebhook.objects.create(unit=org.unit_a, kind="wecom", url=f"{robot}/send?key=1")
    client.force_login(org.insider)  # unit head of A
    response = client.post(reverse("core:unitwebhook_test", args=[hook.pk]), follow=True)
    assert "测试消息已发送" in response.content.decode()
    hook.url = "http://127.0.0.1:9/closed"
    hook.save()
    response = client.post(reverse("core:unitwebhook_test", args=[hook.pk]), follow=True)
    assert "发送失败" in response.content.decode()
    client.force_login(org.outsider)
    assert client.post(reverse("core:unitwebhook_test", args=[hook.pk])).status_code == 404


class TestUnitWebhookViews(ModelViewTests):
    model = UnitWebhook
    role = Role.UNIT_HEAD

    def make(self, org, unit, n=0):
        return UnitWebhook.objects.create(unit=unit, kind="wecom", url=f"http://127.0.0.1/robot/{n}")

    def form_data(self, org, unit):
        return {"unit": unit.pk, "kind": "dingtalk", "url": "http://127.0.0.1/robot/new", "is_active": "on"}

    def edit_data(self, org, obj):
        return {**self.form_data(org, obj.unit), "_version": obj.version}


class TestHolidayOverrideViews(ModelViewTests):
    from chainlead.core.models import HolidayOverride as model  # noqa: N813

    role = Role.UNIT_HEAD
    public_view = True
    insider_can_add = insider_can_edit = insider_can_delete = False

    def make(self, org, unit, n=0):
        import datetime

        return self.model.objects.create(
            date=datetime.date(2030, 1, 1) + datetime.timedelta(days=n), is_workday=False, name="假"
        )

    def form_data(self, org, unit):
        return {"date": "2030-02-02", "is_workday": "on", "name": "调休上班"}

    def edit_data(self, org, obj):
        return {"date": obj.date.isoformat(), "name": "改名", "_version": obj.version}
