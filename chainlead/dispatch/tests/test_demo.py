"""The demo runs a whole month of regular dispatch (November 2021, as of 2021-11-30)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings
from django.urls import reverse

from chainlead.core.demo import load_demo
from chainlead.core.models import AuditEvent, Notification
from chainlead.dispatch import services
from chainlead.dispatch.choices import (
    DecisionStatus,
    FactorStatus,
    Frequency,
    MeetingStatus,
    PeriodStatus,
    ProblemLevel,
    ProblemStatus,
    ReportStatus,
)
from chainlead.dispatch.models import (
    Decision,
    DispatchMeeting,
    FactorRequest,
    Period,
    Problem,
    ProgressReport,
)


@override_settings(CHAINLEAD_TODAY=datetime.date(2021, 11, 30))
class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ctx = load_demo(verbosity=0)

    def test_periods_open_and_closed(self):
        monthly = Period.objects.filter(cycle__frequency=Frequency.MONTHLY, start__year=2021)
        self.assertEqual(monthly.count(), 11)
        # January–November: the supervision demo closes October and November to freeze their
        # lights and issue November's bulletin (its story ends on 30 November).
        self.assertEqual(monthly.filter(status=PeriodStatus.CLOSED).count(), 11)
        weeks = Period.objects.filter(cycle__frequency=Frequency.WEEKLY).order_by("start")
        self.assertEqual([p.start.day for p in weeks], [1, 8, 15, 22, 29])
        # September's deadline skips the National Day holiday and counts Saturday 9 October.
        september = monthly.get(start=datetime.date(2021, 9, 1))
        self.assertEqual(september.due_at.date(), datetime.date(2021, 10, 13))

    def test_october_reports_on_time_late_returned_and_missing(self):
        october = Period.objects.get(cycle__frequency=Frequency.MONTHLY, start=datetime.date(2021, 10, 1))
        summary = services.period_summary(october)["total"]
        self.assertGreater(summary.on_time, 60)
        self.assertGreaterEqual(summary.late, 5)
        self.assertGreaterEqual(summary.missing, 3)
        ct = ContentType.objects.get_for_model(ProgressReport)
        returned = AuditEvent.objects.filter(content_type=ct, verb="returned")
        self.assertEqual(returned.count(), 1)
        report = ProgressReport.objects.get(pk=returned.get().object_id)
        # Fixed and approved; closing October afterwards locked it.
        self.assertEqual(report.status, ReportStatus.LOCKED)
        self.assertTrue(AuditEvent.objects.filter(content_type=ct, object_id=report.pk, verb="approved").exists())
        self.assertIn("监理月报", report.return_reason)
        self.assertEqual(
            AuditEvent.objects.filter(content_type=ct, object_id=report.pk, verb="submitted").count(), 2
        )
        self.assertTrue(ProgressReport.objects.filter(photos__isnull=False).exists())

    def test_weekly_target_reports_and_november(self):
        weekly = ProgressReport.objects.filter(target__isnull=False)
        self.assertGreater(weekly.count(), 80)
        self.assertTrue(weekly.filter(is_late=True).exists())
        november = ProgressReport.objects.filter(
            period__start=datetime.date(2021, 11, 1), project__isnull=False
        )
        self.assertTrue(november.filter(status=ReportStatus.DRAFT).exists())
        self.assertTrue(november.filter(status=ReportStatus.SUBMITTED).exists())

    def test_problems_escalate_one_to_a_supervision_order(self):
        problems = Problem.objects.all()
        self.assertEqual(problems.count(), 25)
        supervised = problems.filter(level=ProblemLevel.PRINCIPAL)
        self.assertEqual(supervised.count(), 1)
        self.assertEqual(supervised.get().supervision_no, "督办〔2021〕1号")
        self.assertTrue(problems.filter(level=ProblemLevel.LEADER).exists())
        self.assertTrue(problems.filter(level=ProblemLevel.UNIT_HEAD).exists())
        statuses = set(problems.values_list("status", flat=True))
        self.assertTrue(
            {
                ProblemStatus.RAISED,
                ProblemStatus.ASSIGNED,
                ProblemStatus.IN_PROGRESS,
                ProblemStatus.RESOLVED,
                ProblemStatus.CONFIRMED,
            }
            <= statuses
        )
        self.assertTrue(problems.filter(reopened_count__gte=1).exists())
        self.assertTrue(problems.filter(cohandlers__isnull=False).exists())
        # Notifications go out when the demo's transaction commits; the steps are there already.
        self.assertTrue(
            supervised.get().steps.filter(verb="escalated", note__contains="督办〔2021〕1号").exists()
        )
        self.assertTrue(Notification.objects.filter(kind="dispatch.due_soon").exists())

    def test_factor_requests(self):
        self.assertEqual(FactorRequest.objects.count(), 40)
        self.assertEqual(
            set(FactorRequest.objects.values_list("status", flat=True)),
            {FactorStatus.PENDING, FactorStatus.PARTIAL, FactorStatus.GRANTED, FactorStatus.DECLINED},
        )

    def test_two_meetings_november_opens_with_october(self):
        october, november = DispatchMeeting.objects.order_by("held_on")
        self.assertEqual((october.status, november.status), (MeetingStatus.HELD, MeetingStatus.HELD))
        self.assertEqual(november.previous, october)
        old = Decision.objects.filter(meeting=october)
        self.assertEqual(old.filter(status=DecisionStatus.DONE).count(), 4)
        self.assertEqual(old.filter(status=DecisionStatus.CARRIED).count(), 2)
        carried = Decision.objects.filter(meeting=november, carried_from__isnull=False)
        self.assertEqual(carried.count(), 2)
        self.assertTrue(all(d.carried_from.meeting == october for d in carried))
        self.assertTrue(Decision.objects.filter(meeting=november, status=DecisionStatus.DONE).exists())

    def test_it_all_shows_on_a_units_page(self):
        gzk = self.ctx.units["gzk"]
        self.client.force_login(self.ctx.users["gzk_head"])
        page = self.client.get(reverse("dispatch:unit_page", args=[gzk.pk])).content.decode()
        self.assertIn("最近的进度报告", page)
        self.assertIn("已锁定", page)  # approved, then locked when the period closed
        zrzyj = self.ctx.units["zrzyj"]
        self.client.force_login(self.ctx.users["office"])
        page = self.client.get(reverse("dispatch:unit_page", args=[zrzyj.pk])).content.decode()
        self.assertIn("牵头办理", page)
        self.assertIn("项目二期用地指标尚未落实", page)
        self.assertIn("督办", page)
        for url in (
            "dispatch:tracking",
            "dispatch:problem_list",
            "dispatch:factor_rollup",
            "dispatch:dispatchmeeting_list",
        ):
            self.assertEqual(self.client.get(reverse(url)).status_code, 200, url)
