"""Lights over time: recompute while a period runs, freeze when it closes, the history of a subject
("红 3月 → 黄 4月 追上进度"), excuses with approver and reason, the consequence ladder, the
notifications of a change, and the figures the assessment reads."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings

from chainlead.core.exceptions import ServiceError
from chainlead.core.models import AuditEvent, Notification
from chainlead.dispatch import services as dispatch_services
from chainlead.dispatch.choices import ReportStatus
from chainlead.organization.choices import Role
from chainlead.supervision import queries, services
from chainlead.supervision.choices import Component, LightColor
from chainlead.supervision.models import Light
from chainlead.supervision.tests.helpers import D, period, project, report
from chainlead.utilities.testing.base import Org, make_user


def overall(per, p):
    return Light.objects.get(period=per, subject_key=f"project:{p.pk}", component=Component.OVERALL)


@override_settings(CHAINLEAD_TODAY=D(2021, 12, 20))
class FreezeAndHistoryTests(TestCase):
    def setUp(self):
        self.org = Org()
        self.p = project(
            self.org.unit_a,
            "海芯晶圆项目",
            responsible_person="韩雪",
            fai_in_db=True,
            fai_month=D(2021, 4, 1),
        )
        self.reporter = make_user(
            "韩雪", unit=self.org.unit_a, roles=[(Role.REPORTER, self.org.unit_a)], name="韩雪"
        )

    def close(self, per):
        dispatch_services.close_period(per, by=self.org.office)
        with self.captureOnCommitCallbacks(execute=True):
            pass
        return services.freeze_period(per)

    def test_closing_a_period_freezes_its_lights(self):
        march = period(2021, 3)
        report(self.p, march, 0)
        with self.captureOnCommitCallbacks(execute=True):
            dispatch_services.close_period(march, by=self.org.office)  # the receiver freezes after the commit
        light = overall(march, self.p)
        self.assertTrue(light.is_frozen)
        self.assertEqual(light.color, LightColor.YELLOW)  # 25% behind in March: 10 ≤ gap ≤ 30
        with self.assertRaisesMessage(ServiceError, "已冻结"):
            services.recompute_period(march)
        event = AuditEvent.objects.get(verb="lights_frozen")
        self.assertIn("黄灯1个", event.message)

    def test_an_open_period_cannot_be_frozen(self):
        with self.assertRaisesMessage(ServiceError, "尚未关闭"):
            services.freeze_period(period(2021, 4))
        self.assertFalse(Light.objects.exists())

    def test_history_red_then_yellow_after_catching_up(self):
        march, april, may = period(2021, 3), period(2021, 4), period(2021, 5)
        report(self.p, march, 0)  # March: nothing done, gap 25 → yellow
        report(self.p, april, 0)  # gap 33.3 → red
        report(self.p, may, 250)  # rate 25%, share 41.7% → gap 16.7 → yellow
        for per in (march, april, may):
            self.close(per)
        self.assertEqual(
            [overall(per, self.p).color for per in (march, april, may)],
            [LightColor.YELLOW, LightColor.RED, LightColor.YELLOW],
        )
        line = queries.history_line(queries.history(f"project:{self.p.pk}"))
        steps = line.split(" → ")
        self.assertEqual(steps[0], "黄 3月")
        self.assertEqual(steps[1], "红 4月 转红")
        self.assertEqual(steps[2], "黄 5月 追上进度")
        may_light = overall(may, self.p)
        self.assertEqual(may_light.previous_color, LightColor.RED)
        self.assertEqual(may_light.streak, 3)  # three periods yellow or worse in a row (黄、红、黄)
        self.assertEqual(overall(april, self.p).streak, 1)

        self.client.force_login(self.org.office)
        page = self.client.get(f"/supervision/history/project/{self.p.pk}/").content.decode()
        self.assertIn("红 4月", page)
        self.assertIn("黄 5月 追上进度", page)

    def test_light_changes_notify_the_responsibility_triple(self):
        march, april = period(2021, 3), period(2021, 4)
        report(self.p, march, 250)  # on plan: green
        report(self.p, april, 250)  # gap 8.3 → green; W6 fine
        self.close(march)
        self.assertFalse(Notification.objects.filter(kind="supervision.light").exists())
        may = period(2021, 5)
        with self.captureOnCommitCallbacks(execute=True):
            self.close(april)
            self.close(may)  # no May report: still 25% done against 41.7% → gap 16.7 → yellow
        notes = Notification.objects.filter(kind="supervision.light")
        self.assertEqual(
            set(notes.values_list("user__username", "title")),
            {(u, "预警灯变化：海芯晶圆项目由绿灯变为黄灯") for u in ("韩雪", "insider")},
        )

    def test_report_approval_recomputes_the_live_light(self):
        report(self.p, period(2021, 9), 700)
        report(self.p, period(2021, 10), 800)
        nov = period(2021, 11)
        r = report(self.p, nov, 0, status=ReportStatus.SUBMITTED)
        services.recompute_period(nov)
        self.assertEqual(overall(nov, self.p).color, LightColor.RED)
        head = make_user("head", unit=self.org.unit_a, roles=[(Role.UNIT_HEAD, self.org.unit_a)])
        r.ytd_completed = Decimal(900)
        r.save()
        with self.captureOnCommitCallbacks(execute=True):
            dispatch_services.approve_report(r, by=head)
        light = overall(nov, self.p)
        self.assertEqual(light.color, LightColor.GREEN, light.reason)
        self.assertFalse(light.is_frozen)


@override_settings(CHAINLEAD_TODAY=D(2021, 12, 20))
class ExcuseTests(TestCase):
    def setUp(self):
        self.org = Org()
        self.leader = make_user(
            "leader", unit=self.org.office_unit, roles=[(Role.LEADER, self.org.office_unit)]
        )
        self.p = project(
            self.org.unit_a, "拟开工项目", stage="signed", started_on=None, planned_start_on=D(2021, 6, 1)
        )
        self.nov = period(2021, 11)
        services.recompute_period(self.nov)
        self.w2 = Light.objects.get(period=self.nov, subject_key=f"project:{self.p.pk}", component="W2")

    def test_excuse_without_reason_is_refused_and_changes_nothing(self):
        with self.assertRaisesMessage(ServiceError, "请填写正当理由"):
            services.excuse_light(self.w2, by=self.leader, reason="  ")
        self.w2.refresh_from_db()
        self.assertFalse(self.w2.excused)
        self.client.force_login(self.leader)
        response = self.client.post(f"/supervision/lights/{self.w2.pk}/excuse/", {"reason": ""}, follow=True)
        self.assertContains(response, "请填写正当理由")
        self.assertFalse(Light.objects.get(pk=self.w2.pk).excused)

    def test_excuse_turns_the_light_green_with_approver_and_audit(self):
        self.assertEqual(self.w2.color, LightColor.RED)
        self.assertEqual(overall(self.nov, self.p).color, LightColor.RED)
        services.excuse_light(self.w2, by=self.leader, reason="规划调整，经区政府同意延期开工")
        self.w2.refresh_from_db()
        self.assertTrue(self.w2.excused)
        self.assertEqual(self.w2.excused_by, self.leader)
        self.assertEqual(self.w2.effective_color, LightColor.GREEN)
        self.assertEqual(overall(self.nov, self.p).color, LightColor.GREEN)
        event = AuditEvent.objects.get(
            verb="light_excused", content_type=ContentType.objects.get_for_model(Light)
        )
        self.assertEqual(event.message, "规划调整，经区政府同意延期开工")
        # the excuse survives the nightly recompute
        services.recompute_period(self.nov)
        self.assertTrue(Light.objects.get(pk=self.w2.pk).excused)
        self.assertEqual(overall(self.nov, self.p).color, LightColor.GREEN)

    def test_only_office_or_leaders_excuse(self):
        from chainlead.core.exceptions import ForbiddenAction

        with self.assertRaises(ForbiddenAction):
            services.excuse_light(self.w2, by=self.org.insider, reason="理由")
        self.assertFalse(Light.objects.get(pk=self.w2.pk).excused)

    def test_overall_and_green_lights_cannot_be_excused(self):
        with self.assertRaisesMessage(ServiceError, "综合灯不能直接免亮"):
            services.excuse_light(overall(self.nov, self.p), by=self.leader, reason="理由")
        green = Light.objects.get(period=self.nov, subject_key=f"project:{self.p.pk}", component="W5")
        with self.assertRaisesMessage(ServiceError, "无需说明免亮"):
            services.excuse_light(green, by=self.leader, reason="理由")

    def test_consequence_ladder_beside_the_light(self):
        light = overall(self.nov, self.p)
        step = queries.consequence_for(light)
        self.assertIn("督办函", step.measure)
        self.client.force_login(self.org.office)
        page = self.client.get(light.get_absolute_url()).content.decode()
        self.assertIn("督办函", page)
        self.assertIn("问责措施", page)


@override_settings(CHAINLEAD_TODAY=D(2021, 12, 20))
class AssessmentQueryTests(TestCase):
    def test_red_light_counts_and_rectification_rates(self):
        org = Org()
        a = project(org.unit_a, "甲项目", fai_in_db=True, fai_month=D(2021, 3, 20))
        b = project(org.unit_b, "乙项目", fai_in_db=True, fai_month=D(2021, 3, 20))
        march, april = period(2021, 3), period(2021, 4)
        report(a, march, 0)  # gap 25 → yellow
        report(b, march, 0)
        for per in (march,):
            dispatch_services.close_period(per, by=org.office)
            services.freeze_period(per)
        self.assertEqual(queries.red_light_counts(D(2021, 3, 1), D(2021, 3, 31)), {})
        bulletin = services.create_bulletin(period=march, by=org.office, generate=False)
        services.build_now(bulletin, fill_texts=True, pdf=False)
        services.issue_bulletin(bulletin, by=org.office, on=D(2021, 4, 8), render=True, pdf=False)
        report(a, april, 300)  # caught up: green
        dispatch_services.close_period(april, by=org.office)
        services.freeze_period(april)  # b did not report: gap 33.3 → red
        self.assertEqual(queries.red_light_counts(D(2021, 1, 1), D(2021, 4, 30)), {org.unit_b.pk: 1})
        self.assertEqual(
            queries.rectification_rates(D(2021, 4, 1), D(2021, 4, 30)),
            {org.unit_a.pk: 1.0, org.unit_b.pk: 0.0},
        )
