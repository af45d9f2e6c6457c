"""Problems (部门联动): every transition allowed and forbidden, who may do it, working-day time
limits around a holiday, the escalation ladder up to a supervision order, routing to a unit that
does not exist — through the services, the page buttons and the API."""

import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.test import TestCase, override_settings
from django.urls import reverse

from chainlead.chains.choices import ChainRoleKind
from chainlead.chains.models import ChainRole, KeyChain
from chainlead.core.exceptions import ServiceError
from chainlead.core.models import AuditEvent, HolidayOverride, Notification
from chainlead.dispatch import queries, services
from chainlead.dispatch.choices import ProblemLevel, ProblemStatus, StepVerb
from chainlead.dispatch.models import Problem, ProblemCoHandler
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.utilities.testing.base import Org, assert_logged, make_user


def steps(problem):
    return list(problem.steps.order_by("pk").values_list("verb", flat=True))


@override_settings(CHAINLEAD_TODAY=datetime.date(2021, 11, 3))
class ProblemCase(TestCase):
    """A (甲局) raises; C (丙局) leads; B (乙局) co-handles."""

    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.unit_c = Unit.objects.create(name="丙局", kind=UnitKind.DEPARTMENT)
        self.lead_user = make_user("lead_c", unit=self.unit_c, roles=[(Role.REPORTER, self.unit_c)])
        self.lead_head = make_user("head_c", unit=self.unit_c, roles=[(Role.UNIT_HEAD, self.unit_c)])
        self.co_user = self.org.outsider  # reporter of B
        self.leader = make_user(
            "leader", unit=self.org.office_unit, roles=[(Role.LEADER, self.org.office_unit)]
        )
        self.project = f.project(self.org.unit_a)
        self.problem = services.raise_problem(
            title="施工用电未接入",
            category="utilities",
            raised_by_unit=self.org.unit_a,
            by=self.org.insider,
            project=self.project,
            description="临时用电容量不足",
        )

    def assign(self, **kw):
        kw.setdefault("cohandlers", [self.org.unit_b])
        return services.assign_problem(self.problem, lead_unit=self.unit_c, by=self.org.office, **kw)

    def refresh(self):
        self.problem.refresh_from_db()
        return self.problem


class LifecycleTests(ProblemCase):
    def test_the_whole_way_to_confirmed_is_recorded(self):
        self.assertEqual(self.problem.status, ProblemStatus.RAISED)
        self.assertEqual(self.problem.number, "2021-001")
        self.assign(on=datetime.date(2021, 11, 3))
        self.refresh()
        self.assertEqual(self.problem.status, ProblemStatus.ASSIGNED)
        # 7 working days for the lead department, 3 for co-handlers (no holiday in between).
        self.assertEqual(self.problem.due_on, datetime.date(2021, 11, 12))
        self.assertEqual(
            ProblemCoHandler.objects.get(problem=self.problem).due_on, datetime.date(2021, 11, 8)
        )
        services.start_problem(self.problem, by=self.lead_user)
        services.reply_problem(self.problem, unit=self.org.unit_b, reply="同意，配合协调", by=self.co_user)
        services.resolve_problem(self.problem, resolution="供电公司已接入专线", by=self.lead_user)
        services.confirm_problem(self.problem, by=self.org.insider)
        self.refresh()
        self.assertEqual(self.problem.status, ProblemStatus.CONFIRMED)
        self.assertEqual(self.problem.confirmed_on, datetime.date(2021, 11, 3))
        self.assertEqual(
            steps(self.problem),
            [
                StepVerb.RAISED,
                StepVerb.ASSIGNED,
                StepVerb.STARTED,
                StepVerb.REPLIED,
                StepVerb.RESOLVED,
                StepVerb.CONFIRMED,
            ],
        )
        ct = ContentType.objects.get_for_model(Problem)
        verbs = list(
            AuditEvent.objects.filter(content_type=ct, object_id=self.problem.pk)
            .order_by("pk")
            .values_list("verb", flat=True)
        )
        self.assertEqual(verbs, ["raised", "assigned", "started", "replied", "resolved", "confirmed"])
        assert_logged(self.problem, action="update", user=self.org.insider)

    def test_transitions_out_of_order_are_refused(self):
        with self.assertRaisesMessage(ServiceError, "不能开始办理"):
            services.start_problem(self.problem, by=self.org.office)
        with self.assertRaisesMessage(ServiceError, "须先“开始办理”"):
            services.resolve_problem(self.problem, resolution="x", by=self.org.office)
        with self.assertRaisesMessage(ServiceError, "只有已办结的问题才能销号"):
            services.confirm_problem(self.problem, by=self.org.insider)
        with self.assertRaisesMessage(ServiceError, "只有已办结或已销号"):
            services.reopen_problem(self.problem, reason="x", by=self.org.insider)
        with self.assertRaisesMessage(ServiceError, "不需要升级"):
            services.escalate_problem(self.problem, by=self.org.office)
        self.assign()
        services.start_problem(self.problem, by=self.lead_user)
        with self.assertRaisesMessage(ServiceError, "不能再分派"):
            self.assign()
        with self.assertRaisesMessage(ServiceError, "请填写办理结果"):
            services.resolve_problem(self.problem, resolution=" ", by=self.lead_user)
        self.assertEqual(self.refresh().status, ProblemStatus.IN_PROGRESS)

    def test_who_may_do_what(self):
        with self.assertRaises(PermissionDenied):
            services.assign_problem(self.problem, lead_unit=self.unit_c, by=self.org.insider)
        self.assign()
        for user in (self.org.insider, self.co_user, self.org.viewer_a):
            with self.subTest(start=user.username), self.assertRaises(PermissionDenied):
                services.start_problem(self.problem, by=user)
        services.start_problem(self.problem, by=self.lead_user)
        with self.assertRaises(PermissionDenied):
            services.reply_problem(self.problem, unit=self.org.unit_b, reply="x", by=self.org.insider)
        with self.assertRaisesMessage(ServiceError, "不是这个问题的配合单位"):
            services.reply_problem(self.problem, unit=self.org.unit_a, reply="x", by=self.org.insider)
        with self.assertRaises(PermissionDenied):
            services.resolve_problem(self.problem, resolution="x", by=self.co_user)
        services.resolve_problem(self.problem, resolution="已解决", by=self.lead_head)
        for user in (self.lead_user, self.co_user):
            with self.subTest(confirm=user.username), self.assertRaises(PermissionDenied):
                services.confirm_problem(self.problem, by=user)
        with self.assertRaises(PermissionDenied):
            services.escalate_problem(self.problem, by=self.lead_head)
        with self.assertRaises(PermissionDenied):
            services.comment_problem(self.problem, note="x", by=self.org.viewer_a)
        services.comment_problem(self.problem, note="请抓紧", by=self.leader)
        services.confirm_problem(self.problem, by=self.org.office)
        self.assertEqual(self.refresh().status, ProblemStatus.CONFIRMED)

    def test_lead_and_co_handlers_see_it_others_do_not(self):
        self.assign()
        for user, visible in (
            (self.lead_user, True),
            (self.co_user, True),
            (self.org.insider, True),
            (self.org.viewer_a, True),
        ):
            self.assertEqual(
                Problem.objects.restrict(user, "view").filter(pk=self.problem.pk).exists(), visible
            )
        stranger_unit = Unit.objects.create(name="丁局", kind=UnitKind.DEPARTMENT)
        stranger = make_user("d", unit=stranger_unit, roles=[(Role.REPORTER, stranger_unit)])
        self.assertFalse(Problem.objects.restrict(stranger, "view").filter(pk=self.problem.pk).exists())

    def test_reopen_within_thirty_days_only(self):
        self.assign()
        services.start_problem(self.problem, by=self.lead_user)
        services.resolve_problem(self.problem, resolution="已协调", by=self.lead_user)
        # Not satisfied with the answer: back to the lead department with a new time limit.
        with self.assertRaisesMessage(ServiceError, "原因"):
            services.reopen_problem(self.problem, reason="", by=self.org.insider)
        services.reopen_problem(
            self.problem, reason="仍然跳闸", by=self.org.insider, on=datetime.date(2021, 11, 3)
        )
        self.refresh()
        self.assertEqual((self.problem.status, self.problem.reopened_count), (ProblemStatus.REOPENED, 1))
        self.assertEqual(self.problem.due_on, datetime.date(2021, 11, 12))
        services.start_problem(self.problem, by=self.lead_user)
        services.resolve_problem(self.problem, resolution="专线已接通", by=self.lead_user)
        services.confirm_problem(self.problem, by=self.org.insider, on=datetime.date(2021, 10, 1))
        with override_settings(CHAINLEAD_TODAY=datetime.date(2021, 11, 3)):
            with self.assertRaisesMessage(ServiceError, "超过30天"):
                services.reopen_problem(self.problem, reason="又坏了", by=self.org.insider)
        self.problem.confirmed_on = datetime.date(2021, 10, 10)
        self.problem.save()
        services.reopen_problem(self.problem, reason="又坏了", by=self.org.insider)
        self.assertEqual(self.refresh().status, ProblemStatus.REOPENED)


class RoutingTests(ProblemCase):
    def test_a_unit_that_does_not_exist(self):
        with self.assertRaises(ServiceError) as ctx:
            services.assign_problem(self.problem, lead_unit=987654, by=self.org.office)
        self.assertEqual(ctx.exception.field, "lead_unit")
        self.assertIn("不存在", ctx.exception.message)
        with self.assertRaisesMessage(ServiceError, "配合单位（编号 987655）不存在"):
            services.assign_problem(
                self.problem, lead_unit=self.unit_c, cohandlers=[987655], by=self.org.office
            )
        with self.assertRaisesMessage(ServiceError, "不能同时作为配合单位"):
            services.assign_problem(
                self.problem, lead_unit=self.unit_c, cohandlers=[self.unit_c], by=self.org.office
            )
        self.unit_c.is_active = False
        self.unit_c.save()
        with self.assertRaisesMessage(ServiceError, "已停用"):
            services.assign_problem(self.problem, lead_unit=self.unit_c.pk, by=self.org.office)
        self.assertEqual(self.refresh().status, ProblemStatus.RAISED)
        self.assertFalse(ProblemCoHandler.objects.exists())

    def test_page_and_api_name_the_field(self):
        self.client.force_login(self.org.office)
        url = reverse("dispatch:problem_action", args=[self.problem.pk, "assign"])
        response = self.client.post(url, {"lead_unit": "987654"}, follow=True)
        self.assertContains(response, "所选单位不存在或已停用")
        api = reverse("dispatch-api:problem-assign", args=[self.problem.pk])
        response = self.client.post(api, json.dumps({"lead_unit": 987654}), content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("不存在", response.json()["lead_unit"][0])
        self.assertEqual(self.refresh().status, ProblemStatus.RAISED)
        response = self.client.post(
            api,
            json.dumps({"lead_unit": self.unit_c.pk, "cohandlers": [self.org.unit_b.pk]}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "assigned")
        self.assertEqual([c["unit"] for c in response.json()["cohandlers"]], [self.org.unit_b.pk])

    def test_buttons_over_the_pages(self):
        url = lambda verb: reverse("dispatch:problem_action", args=[self.problem.pk, verb])  # noqa: E731
        self.client.force_login(self.org.insider)
        self.client.post(url("assign"), {"lead_unit": self.unit_c.pk})
        self.assertEqual(self.refresh().status, ProblemStatus.RAISED)  # refused: not the office
        self.client.force_login(self.org.office)
        self.client.post(url("assign"), {"lead_unit": self.unit_c.pk, "cohandlers": [self.org.unit_b.pk]})
        self.assertEqual(self.refresh().status, ProblemStatus.ASSIGNED)
        self.client.force_login(self.lead_user)
        page = self.client.get(self.problem.get_absolute_url()).content.decode()
        self.assertIn('id="start-button"', page)
        self.assertNotIn('id="assign-button"', page)
        self.client.post(url("start"))
        self.client.force_login(self.co_user)
        page = self.client.get(self.problem.get_absolute_url()).content.decode()
        self.assertIn('id="reply-form"', page)
        self.assertNotIn('id="resolve-button"', page)
        self.client.post(url("reply"), {"unit": self.org.unit_b.pk, "reply": "同意配合"})
        self.assertTrue(ProblemCoHandler.objects.get(problem=self.problem).replied_on)
        self.client.force_login(self.lead_user)
        self.client.post(url("resolve"), {"resolution": "已接通"})
        self.assertEqual(self.refresh().status, ProblemStatus.RESOLVED)
        self.client.force_login(self.org.insider)
        self.assertIn(
            'id="confirm-button"', self.client.get(self.problem.get_absolute_url()).content.decode()
        )
        self.client.post(url("confirm"))
        self.assertEqual(self.refresh().status, ProblemStatus.CONFIRMED)
        self.assertEqual(self.client.post(url("nonsense")).status_code, 404)


@override_settings(CHAINLEAD_TODAY=datetime.date(2021, 9, 29))
class EscalationTests(ProblemCase):
    """Assigned on 29 September 2021, just before the National Day holiday (1–7 October, with the
    Sundays 26 September and Saturday 9 October worked instead)."""

    def setUp(self):
        super().setUp()
        chain = KeyChain.objects.create(
            name="新一代半导体", code="semi", lead_department=self.org.office_unit
        )
        self.chain_leader = make_user(
            "cl", unit=self.org.office_unit, roles=[(Role.CHAIN_LEADER, self.org.office_unit)]
        )
        ChainRole.objects.create(
            chain=chain, kind=ChainRoleKind.CHAIN_LEADER, person_name="李志强", user=self.chain_leader
        )
        self.project.chain = chain
        self.project.save()
        self.assign(on=datetime.date(2021, 9, 29))
        self.refresh()

    def run_day(self, day):
        with override_settings(CHAINLEAD_TODAY=day), self.captureOnCommitCallbacks(execute=True):
            return services.escalate_overdue(day)

    def test_time_limits_skip_the_holiday_and_count_the_moved_weekend(self):
        self.assertEqual(self.problem.due_on, datetime.date(2021, 10, 14))
        # The co-handlers' 3 working days end on Saturday 9 October, a working day that year.
        self.assertEqual(ProblemCoHandler.objects.get().due_on, datetime.date(2021, 10, 9))

    def test_an_office_holiday_moves_the_limit(self):
        HolidayOverride.objects.create(date=datetime.date(2021, 10, 12), is_workday=False, name="本地假日")
        other = services.raise_problem(
            title="x", category="land", raised_by_unit=self.org.unit_a, by=self.org.insider
        )
        services.assign_problem(
            other, lead_unit=self.unit_c, by=self.org.office, on=datetime.date(2021, 9, 29)
        )
        other.refresh_from_db()
        self.assertEqual(other.due_on, datetime.date(2021, 10, 15))

    def test_the_ladder_up_to_a_supervision_order(self):
        self.assertEqual(self.run_day(datetime.date(2021, 10, 14)), 0)  # due today: not overdue yet
        self.assertEqual(self.run_day(datetime.date(2021, 10, 15)), 1)
        self.refresh()
        self.assertEqual(self.problem.level, ProblemLevel.UNIT_HEAD)
        self.assertTrue(Notification.objects.filter(user=self.lead_head, kind="dispatch.escalated").exists())
        self.assertFalse(Notification.objects.filter(user=self.chain_leader).exists())
        # The unit head gets 3 working days: 18, 19, 20 October; the next level on the 21st.
        self.assertEqual(self.problem.next_escalation_on, datetime.date(2021, 10, 20))
        self.assertEqual(self.run_day(datetime.date(2021, 10, 20)), 0)
        self.assertEqual(self.run_day(datetime.date(2021, 10, 21)), 1)
        self.refresh()
        self.assertEqual(self.problem.level, ProblemLevel.LEADER)
        self.assertTrue(
            Notification.objects.filter(user=self.chain_leader, kind="dispatch.escalated").exists()
        )
        self.assertEqual(self.run_day(datetime.date(2021, 10, 27)), 1)
        self.refresh()
        self.assertEqual(self.problem.level, ProblemLevel.PRINCIPAL)
        self.assertEqual(self.problem.supervision_no, "督办〔2021〕1号")
        self.assertTrue(Notification.objects.filter(user=self.leader, title__startswith="督办").exists())
        self.assertTrue(Notification.objects.filter(user=self.org.office, title__startswith="督办").exists())
        self.assertEqual(self.run_day(datetime.date(2021, 11, 30)), 0)  # nothing above level 4
        escalations = self.problem.steps.filter(verb=StepVerb.ESCALATED)
        self.assertEqual(escalations.count(), 3)
        self.assertIn("超过答复时限", escalations.first().note)
        self.assertEqual(queries.problem_overdue_workdays(self.problem, datetime.date(2021, 10, 27)), 9)

    def test_manual_escalation_by_the_office(self):
        services.escalate_problem(self.problem, by=self.org.office, reason="专题研究")
        self.assertEqual(self.refresh().level, ProblemLevel.UNIT_HEAD)
        self.assertIn("专题研究", self.problem.steps.last().note)

    def test_resolved_problems_do_not_escalate(self):
        services.start_problem(self.problem, by=self.lead_user)
        services.resolve_problem(self.problem, resolution="已解决", by=self.lead_user)
        self.assertEqual(self.run_day(datetime.date(2021, 11, 30)), 0)
        self.assertEqual(self.refresh().level, ProblemLevel.PERSON)

    def test_w5_lists_overdue_problems_in_working_days(self):
        rows = queries.problems_overdue(datetime.date(2021, 10, 18))
        self.assertEqual([(p.pk, days) for p, days in rows], [(self.problem.pk, 2)])
