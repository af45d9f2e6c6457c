"""Dispatch meetings: the agenda built from lagging projects, overdue problems and the previous
meeting's open decisions; the opening review; carried-over decisions tracked until done."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.test import TestCase, override_settings
from django.urls import reverse

from chainlead.core.exceptions import ServiceError
from chainlead.dispatch import services
from chainlead.dispatch.choices import DecisionStatus, MeetingStatus
from chainlead.dispatch.models import Decision
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import Org


@override_settings(CHAINLEAD_TODAY=datetime.date(2021, 11, 30))
class MeetingTests(TestCase):
    def setUp(self):
        self.org = Org(role=Role.UNIT_HEAD)
        self.office = self.org.office
        october = f.period(2021, 10)
        # Plan 12,000; by October (83.3% of the year elapsed) one project has done 9,600, the other 1,200.
        self.on_track = f.project(
            self.org.unit_a, name="进度正常项目", annual_plan=Decimal(12000), total_investment=Decimal(50000)
        )
        self.lagging = f.project(
            self.org.unit_a, name="进度滞后项目", annual_plan=Decimal(12000), total_investment=Decimal(50000)
        )
        self.silent = f.project(
            self.org.unit_b, name="未报项目", annual_plan=Decimal(12000), total_investment=Decimal(50000)
        )
        for project, amount in ((self.on_track, 9600), (self.lagging, 1200)):
            report = f.report(item=project, per=october, amount=Decimal(amount))
            services.submit_report(report, by=self.office)
        self.problem = services.raise_problem(
            title="用地指标", category="land", raised_by_unit=self.org.unit_a, by=self.office
        )
        services.assign_problem(
            self.problem, lead_unit=self.org.unit_b, by=self.office, on=datetime.date(2021, 11, 1)
        )
        self.first = f.meeting(0, held_on=datetime.date(2021, 10, 28), period=october)
        self.second = f.meeting(1, held_on=datetime.date(2021, 11, 26), period=october)

    def decide(self, meeting, content, unit, deadline):
        return services.add_decision(
            Decision(meeting=meeting, content=content, owner_unit=unit, deadline=deadline), by=self.office
        )

    def test_agenda_contents(self):
        services.prepare_agenda(self.second, by=self.office)
        agenda = services.agenda(self.second)
        names = [row.project.name for row in agenda["lagging"]]
        self.assertIn("进度滞后项目", names)
        self.assertIn("未报项目", names)  # no report for the period: on the agenda too
        self.assertNotIn("进度正常项目", names)
        row = next(r for r in agenda["lagging"] if r.project == self.lagging)
        self.assertEqual((row.rate, row.share, row.gap), (Decimal("10.0"), Decimal("83.3"), Decimal("73.3")))
        self.assertEqual([p["problem"] for p in agenda["problems"]], [self.problem])
        self.assertEqual(agenda["problems"][0]["overdue_workdays"], 12)  # due 10 Nov → 26 Nov
        self.assertEqual(agenda["previous"], self.first)

    def test_only_the_office_builds_and_holds(self):
        with self.assertRaises(PermissionDenied):
            services.prepare_agenda(self.second, by=self.org.insider)
        with self.assertRaises(PermissionDenied):
            services.hold_meeting(self.second, by=self.org.insider)
        self.client.force_login(self.org.insider)
        url = reverse("dispatch:meeting_agenda", args=[self.second.pk])
        self.assertEqual(self.client.get(url).status_code, 200)  # everyone may read the agenda
        self.assertEqual(self.client.post(url, {"action": "build"}).status_code, 403)

    def test_the_next_meeting_opens_with_the_previous_decisions(self):
        services.hold_meeting(self.first, by=self.office)
        d1 = self.decide(self.first, "完成用地调剂方案", self.org.unit_a, datetime.date(2021, 11, 15))
        d2 = self.decide(self.first, "完成供电接入", self.org.unit_b, datetime.date(2021, 11, 10))
        d3 = self.decide(self.first, "拨付专项债", self.org.unit_b, datetime.date(2021, 11, 20))
        d4 = self.decide(self.first, "编制宣传方案", self.org.unit_a, datetime.date(2021, 11, 20))
        self.assertEqual([d.number for d in (d1, d2, d3, d4)], [1, 2, 3, 4])
        # The owner unit reports one done before the meeting; another unit may not.
        with self.assertRaises(PermissionDenied):
            services.complete_decision(d2, by=self.org.insider)
        services.complete_decision(d2, by=self.org.outsider, on=datetime.date(2021, 11, 9), progress="已接通")
        self.assertTrue(d1.is_overdue)
        # Holding the meeting without reviewing every open decision is refused.
        with self.assertRaisesMessage(ServiceError, "第1、3、4项还没有确认"):
            services.hold_meeting(self.second, by=self.office)
        services.hold_meeting(
            self.second,
            by=self.office,
            reviews={
                d1.pk: DecisionStatus.CARRIED,
                d3.pk: DecisionStatus.DONE,
                d4.pk: DecisionStatus.CANCELLED,
            },
            deadlines={d1.pk: datetime.date(2021, 12, 15)},
        )
        for d in (d1, d2, d3, d4):
            d.refresh_from_db()
        self.assertEqual([d.status for d in (d1, d2, d3, d4)], ["carried", "done", "done", "cancelled"])
        carried = Decision.objects.get(meeting=self.second)
        self.assertEqual((carried.carried_from, carried.carried_from_meeting), (d1, self.first))
        self.assertEqual(
            (carried.content, carried.owner_unit, carried.deadline),
            (d1.content, self.org.unit_a, datetime.date(2021, 12, 15)),
        )
        self.second.refresh_from_db()
        self.assertEqual((self.second.status, self.second.previous), (MeetingStatus.HELD, self.first))
        # Tracked until done.
        new = self.decide(self.second, "倒排赶工计划", self.org.unit_a, datetime.date(2021, 12, 5))
        self.assertEqual(new.number, 2)
        services.update_decision(carried, progress="方案已报区政府", by=self.org.insider)
        services.complete_decision(carried, by=self.org.insider)
        carried.refresh_from_db()
        self.assertEqual(carried.status, DecisionStatus.DONE)
        with self.assertRaisesMessage(ServiceError, "已完成"):
            services.complete_decision(carried, by=self.org.insider)

    def test_meeting_pages(self):
        services.hold_meeting(self.first, by=self.office)
        d1 = self.decide(self.first, "完成用地调剂方案", self.org.unit_a, datetime.date(2021, 11, 15))
        self.client.force_login(self.office)
        url = reverse("dispatch:meeting_agenda", args=[self.second.pk])
        self.client.post(url, {"action": "build"})
        page = self.client.get(url).content.decode()
        self.assertIn("完成用地调剂方案", page)  # 一、上次会议议定事项
        self.assertIn("进度滞后项目", page)
        self.assertIn("用地指标", page)
        response = self.client.post(url, {"action": "hold"})
        self.assertContains(response, "该字段是必填项")  # each open decision needs a verdict
        response = self.client.post(
            url,
            {
                "action": "hold",
                f"review_{d1.pk}": "carried",
                f"deadline_{d1.pk}": "2021-12-20",
                "minutes": "纪要",
            },
        )
        self.assertRedirects(response, self.second.get_absolute_url())
        page = self.client.get(self.second.get_absolute_url()).content.decode()
        self.assertIn("延续自", page)
        self.assertIn("上次会议议定事项落实情况", page)
        decision = Decision.objects.get(meeting=self.second)
        self.client.force_login(self.org.insider)
        self.client.post(
            reverse("dispatch:decision_complete", args=[decision.pk]),
            {"done_on": "2021-11-29", "progress": "已完成"},
        )
        decision.refresh_from_db()
        self.assertEqual(decision.status, DecisionStatus.DONE)
