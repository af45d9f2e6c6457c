"""The 09:00 job: periods open by themselves; "即将截止" before the deadline (once a day), "已逾期"
after it (once); co-handlers and decision owners past their limit; a real HTTP post to a unit's
group robot."""

import datetime
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from chainlead.core.jobs import periodic_jobs
from chainlead.core.models import Notification, UnitWebhook
from chainlead.dispatch import services
from chainlead.dispatch.choices import Frequency, ItemKind, PeriodStatus
from chainlead.dispatch.models import Decision, Period
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import Org, make_user

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
def world(settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 1)
    org = Org(role=Role.REPORTER)
    head = make_user("head_a", unit=org.unit_a, roles=[(Role.UNIT_HEAD, org.unit_a)])
    missing = f.project(org.unit_a, name="未报项目")
    done = f.project(org.unit_a, name="已报项目")
    october = f.period(2021, 10)  # due Friday 5 November 17:00
    Period.objects.filter(start__lt=october.start).update(status=PeriodStatus.CLOSED)  # closed by the office
    report = f.report(item=done, per=october, amount=Decimal(100))
    services.submit_report(report, by=org.insider)
    return {"org": org, "head": head, "missing": missing, "done": done, "october": october}


def run(settings, day, capture):
    settings.CHAINLEAD_TODAY = day
    with capture(execute=True):
        return services.run_daily(day)


def reminders(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind))


def test_due_soon_from_two_working_days_before_once_a_day(
    world, settings, django_capture_on_commit_callbacks
):
    org = world["org"]
    assert (
        run(settings, datetime.date(2021, 11, 2), django_capture_on_commit_callbacks)["due_soon"] == 0
    )  # 3 WD left
    run(settings, datetime.date(2021, 11, 3), django_capture_on_commit_callbacks)
    run(settings, datetime.date(2021, 11, 3), django_capture_on_commit_callbacks)  # the job ran twice
    notes = reminders(org.insider, "dispatch.due_soon")
    assert len(notes) == 1
    assert "即将截止" in notes[0].title and "尚有1项未报" in notes[0].title
    assert "未报项目" in notes[0].body and "已报项目" not in notes[0].body
    assert notes[0].url == reverse("dispatch:my_reports")
    run(settings, datetime.date(2021, 11, 4), django_capture_on_commit_callbacks)
    assert len(reminders(org.insider, "dispatch.due_soon")) == 2  # a new day, a new reminder
    assert not Notification.objects.filter(user=org.outsider).exists()  # other units are not told


def test_overdue_once_to_reporters_and_head(world, settings, django_capture_on_commit_callbacks):
    org, head = world["org"], world["head"]
    run(settings, datetime.date(2021, 11, 8), django_capture_on_commit_callbacks)
    run(settings, datetime.date(2021, 11, 9), django_capture_on_commit_callbacks)
    for user in (org.insider, head):
        notes = reminders(user, "dispatch.overdue")
        assert len(notes) == 1, user
        assert "已逾期" in notes[0].title and notes[0].level == "danger"


def test_no_reminder_once_everything_is_in(world, settings, django_capture_on_commit_callbacks):
    org = world["org"]
    report = services.start_report(period=world["october"], project=world["missing"], by=org.insider)
    report.progress_text = "基础施工"
    services.save_report(report, by=org.insider)
    services.submit_report(report, by=org.insider)
    run(settings, datetime.date(2021, 11, 4), django_capture_on_commit_callbacks)
    run(settings, datetime.date(2021, 11, 8), django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind__in=["dispatch.due_soon", "dispatch.overdue"]).exists()


def test_weekends_are_quiet(world, settings, django_capture_on_commit_callbacks):
    result = run(settings, datetime.date(2021, 11, 6), django_capture_on_commit_callbacks)
    assert "due_soon" not in result
    assert not Notification.objects.filter(kind="dispatch.overdue").exists()


def test_webhook_post_to_the_units_robot(world, settings, robot, django_capture_on_commit_callbacks):
    org = world["org"]
    UnitWebhook.objects.create(unit=org.unit_a, kind="wecom", url=f"{robot}/cgi-bin/webhook/send?key=a")
    UnitWebhook.objects.create(unit=org.unit_b, kind="wecom", url=f"{robot}/cgi-bin/webhook/send?key=b")
    run(settings, datetime.date(2021, 11, 3), django_capture_on_commit_callbacks)
    assert len(Robot.received) == 1
    path, payload = Robot.received[0]
    assert path.endswith("key=a")
    assert payload["msgtype"] == "text"
    assert "即将截止" in payload["text"]["content"] and "未报项目" in payload["text"]["content"]
    run(settings, datetime.date(2021, 11, 3), django_capture_on_commit_callbacks)
    assert len(Robot.received) == 1  # deduplicated: the robot is not told twice


def test_periods_open_by_themselves(settings, django_capture_on_commit_callbacks):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 1)
    weekly = f.cycle(ItemKind.TARGET, Frequency.WEEKLY, starts_on=datetime.date(2021, 11, 1))
    run(settings, datetime.date(2021, 11, 1), django_capture_on_commit_callbacks)
    assert list(Period.objects.filter(cycle=weekly).values_list("start", flat=True)) == [
        datetime.date(2021, 11, 1)
    ]
    run(settings, datetime.date(2021, 11, 15), django_capture_on_commit_callbacks)
    periods = list(Period.objects.filter(cycle=weekly).order_by("start"))
    assert [p.start.day for p in periods] == [1, 8, 15]
    # Weekly: due Friday 17:00 of the same week.
    assert periods[0].due_at == f.local(2021, 11, 5, 17, 0)


def test_weekly_deadline_moves_before_a_friday_holiday(settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 10, 1)
    weekly = f.cycle(ItemKind.TARGET, Frequency.WEEKLY, starts_on=datetime.date(2021, 9, 27))
    services.ensure_periods(until=datetime.date(2021, 10, 1), cycles=[weekly])
    period = Period.objects.get(cycle=weekly, start=datetime.date(2021, 9, 27))
    # Friday 1 October is National Day: the report is due on Thursday 30 September.
    assert period.due_at == f.local(2021, 9, 30, 17, 0)


def test_cohandler_and_decision_reminders(world, settings, django_capture_on_commit_callbacks):
    org = world["org"]
    problem = services.raise_problem(title="用地", category="land", raised_by_unit=org.unit_a, by=org.insider)
    services.assign_problem(problem, lead_unit=org.unit_a, cohandlers=[org.unit_b], by=org.office)
    Decision.objects.create(
        meeting=f.meeting(), content="完成征迁", owner_unit=org.unit_b, deadline=datetime.date(2021, 11, 5)
    )
    run(settings, datetime.date(2021, 11, 9), django_capture_on_commit_callbacks)
    run(settings, datetime.date(2021, 11, 10), django_capture_on_commit_callbacks)
    assert len(reminders(org.outsider, "dispatch.cohandler")) == 1
    assert len(reminders(org.outsider, "dispatch.decision")) == 1


def test_the_job_is_registered_and_runs(world, settings, django_capture_on_commit_callbacks):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 3)
    runner = periodic_jobs()["dispatch.daily"]
    with django_capture_on_commit_callbacks(execute=True):
        result = runner()
    assert result["due_soon"] >= 1
    assert runner() is None  # the same slot does not run twice
