"""The dispatch pages a unit lives with: 填报 (my reports), 填报情况 (rate, late list, freshness),
the unit page, 要素保障 and its roll-ups, the dashboard panels, and the W1/W6 query functions."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from chainlead.chains.models import KeyChain
from chainlead.core.exceptions import ServiceError
from chainlead.dispatch import panels, queries, services
from chainlead.dispatch.choices import FactorStatus, ItemKind, PeriodStatus
from chainlead.dispatch.models import Decision, FactorRequest, Period
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.utilities.testing.base import Org, make_user

D = Decimal


@override_settings(CHAINLEAD_TODAY=datetime.date(2021, 11, 8))
class PagesTests(TestCase):
    """October is due 5 November; on 8 November: one on time, one late, one missing in unit A."""

    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.head = make_user("head_a", unit=self.org.unit_a, roles=[(Role.UNIT_HEAD, self.org.unit_a)])
        self.october = f.period(2021, 10)
        Period.objects.filter(start__lt=self.october.start).update(status=PeriodStatus.CLOSED)
        self.on_time = f.project(self.org.unit_a, name="按时项目")
        self.late = f.project(self.org.unit_a, name="迟报项目")
        self.missing = f.project(self.org.unit_a, name="未报项目")
        self.other = f.project(self.org.unit_b, name="乙局项目")
        r1 = f.report(item=self.on_time, per=self.october, amount=D(100))
        services.submit_report(r1, by=self.org.insider, at=f.local(2021, 11, 4, 10))
        r2 = f.report(item=self.late, per=self.october, amount=D(100))
        services.submit_report(r2, by=self.org.insider, at=f.local(2021, 11, 8, 9))
        self.r1, self.r2 = r1, r2

    def test_reporting_rate_and_late_list(self):
        rows = {row.unit: row for row in services.reporting_rate(self.october)}
        a = rows[self.org.unit_a]
        self.assertEqual((a.expected, a.submitted, a.on_time, a.late, a.missing), (3, 2, 1, 1, 1))
        self.assertEqual(a.rate, D("66.7"))
        self.assertEqual(rows[self.org.unit_b].rate, D("0.0"))
        late = {str(s.item): s for s in services.late_list(self.october)}
        self.assertEqual(set(late), {"迟报项目", "未报项目", "乙局项目"})
        self.assertTrue(late["迟报项目"].late and late["未报项目"].overdue)

    def test_freshness(self):
        rows = {row.unit: row for row in services.freshness()}
        a = rows[self.org.unit_a]
        self.assertEqual(a.last_submitted, f.local(2021, 11, 8, 9))
        self.assertEqual((a.late_count, a.missing_now, a.days_since, a.level), (1, 1, 0, "yellow"))
        self.assertEqual((rows[self.org.unit_b].last_submitted, rows[self.org.unit_b].level), (None, "red"))

    def test_my_reports_lists_what_is_left_with_one_tap_to_fill(self):
        self.client.force_login(self.org.insider)
        page = self.client.get(reverse("dispatch:my_reports")).content.decode()
        self.assertIn("未报项目", page)
        self.assertIn("逾期未报", page)
        fill = reverse("dispatch:report_fill", args=[self.october.pk, ItemKind.PROJECT, self.missing.pk])
        self.assertIn(fill, page)
        self.assertNotIn("乙局项目", page)

    def test_tracking_page(self):
        self.client.force_login(self.head)
        response = self.client.get(reverse("dispatch:tracking") + f"?period={self.october.pk}")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn("66.7%", page)
        self.assertIn('data-chart="rate-chart"', page)
        self.assertIn("未报项目", page)
        self.assertNotIn("乙局项目", page)  # unit B is outside unit A's scope
        self.client.force_login(self.org.office)
        self.assertIn(
            "乙局项目",
            self.client.get(reverse("dispatch:tracking") + f"?period={self.october.pk}").content.decode(),
        )
        self.client.force_login(self.org.nobody)
        self.assertEqual(self.client.get(reverse("dispatch:tracking")).status_code, 403)

    def test_unit_page_shows_everything_of_the_unit(self):
        problem = services.raise_problem(
            title="甲局提出的问题", category="land", raised_by_unit=self.org.unit_a, by=self.org.insider
        )
        services.assign_problem(
            problem, lead_unit=self.org.unit_b, cohandlers=[self.org.unit_a], by=self.org.office
        )
        led = services.raise_problem(
            title="乙局提出、甲局牵头", category="funds", raised_by_unit=self.org.unit_b, by=self.org.outsider
        )
        services.assign_problem(led, lead_unit=self.org.unit_a, by=self.org.office)
        FactorRequest.objects.create(
            project=self.on_time, kind="land", department=self.org.unit_b, amount_requested=D(30)
        )
        Decision.objects.create(
            meeting=f.meeting(),
            content="甲局负责的议定事项",
            owner_unit=self.org.unit_a,
            deadline=datetime.date(2021, 11, 5),
        )
        self.client.force_login(self.org.viewer_a)
        response = self.client.get(reverse("dispatch:unit_page", args=[self.org.unit_a.pk]))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for text in (
            "按时项目",
            "迟报项目",
            "未报项目",
            "逾期未报",
            "甲局提出的问题",
            "乙局提出、甲局牵头",
            "甲局负责的议定事项",
            "用地",
            "已超期",
        ):
            self.assertIn(text, page, text)
        self.assertEqual(
            self.client.get(reverse("dispatch:unit_page", args=[self.org.unit_b.pk])).status_code, 404
        )
        self.client.force_login(self.org.office)
        self.assertEqual(
            self.client.get(reverse("dispatch:unit_page", args=[self.org.unit_b.pk])).status_code, 200
        )
        self.assertIn("甲局", self.client.get(reverse("dispatch:unit_index")).content.decode())

    def test_review_page(self):
        self.client.force_login(self.org.insider)
        self.assertContains(self.client.get(reverse("dispatch:review")), "您没有审核权限")
        self.client.force_login(self.head)
        page = self.client.get(reverse("dispatch:review")).content.decode()
        self.assertIn("按时项目", page)
        self.assertIn("迟报项目", page)

    def test_panels_render(self):
        request = RequestFactory().get("/")
        request.user = self.org.office
        dash = type("Dash", (), {"period_end": datetime.date(2021, 11, 8)})()
        rate = panels.reporting_rate_context(request, dash)
        self.assertEqual(rate["period"], self.october)
        html = render_to_string("dispatch/panels/reporting_rate.html", rate)
        self.assertIn("dispatch-rate-chart", html)
        html = render_to_string("dispatch/panels/freshness.html", panels.freshness_context(request, dash))
        self.assertIn("甲局", html)
        problems = panels.problems_context(request, dash)
        self.assertEqual(problems["totals"]["open"], 0)
        render_to_string("dispatch/panels/problems.html", problems)

    def test_w1_and_w6_queries(self):
        services.approve_report(self.r1, by=self.head)
        ytd, plan = queries.ytd_and_plan(self.on_time, self.october)
        self.assertEqual((ytd, plan), (D(100), D(3000)))
        timeliness = queries.report_timeliness(ItemKind.PROJECT)
        self.assertEqual(timeliness[self.on_time.pk][0], "on_time")
        self.assertEqual(timeliness[self.late.pk][0], "late")
        self.assertEqual(timeliness[self.missing.pk][0], "missing")
        self.assertEqual(len(timeliness[self.missing.pk]), 2)  # the last two cycles: October and September


@override_settings(CHAINLEAD_TODAY=datetime.date(2021, 11, 8))
class FactorTests(TestCase):
    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.head_b = make_user("head_b", unit=self.org.unit_b, roles=[(Role.UNIT_HEAD, self.org.unit_b)])
        self.zone = Unit.objects.create(name="古镇口", kind=UnitKind.AREA, parent=self.org.unit_a)
        chain = KeyChain.objects.create(name="新一代半导体", code="semi", lead_department=self.org.unit_a)
        self.p1 = f.project(self.org.unit_a, name="芯片项目", chain=chain, area=self.zone)
        self.p2 = f.project(self.org.unit_a, name="材料项目")
        self.land = FactorRequest.objects.create(
            project=self.p1,
            kind="land",
            department=self.org.unit_b,
            amount_requested=D(100),
            requested_on=datetime.date(2021, 9, 1),
        )
        self.energy = FactorRequest.objects.create(
            project=self.p2,
            kind="energy",
            department=self.org.unit_b,
            amount_requested=D(5000),
            requested_on=datetime.date(2021, 9, 1),
        )
        FactorRequest.objects.create(
            project=self.p1,
            kind="land",
            department=self.org.unit_b,
            amount_requested=D(40),
            requested_on=datetime.date(2021, 10, 1),
        )

    def test_the_department_grants(self):
        with self.assertRaises(PermissionDenied):
            services.grant_factor(self.land, amount=100, by=self.org.insider)
        services.grant_factor(self.land, amount=60, by=self.head_b, reply="先保障一期")
        self.land.refresh_from_db()
        self.assertEqual((self.land.status, self.land.amount_granted), (FactorStatus.PARTIAL, D(60)))
        with self.assertRaisesMessage(ServiceError, "说明原因"):
            services.grant_factor(self.energy, amount=0, by=self.org.outsider)
        services.grant_factor(self.energy, amount=0, by=self.org.outsider, reply="指标已用完")
        self.energy.refresh_from_db()
        self.assertEqual(self.energy.status, FactorStatus.DECLINED)
        with self.assertRaisesMessage(ServiceError, "不能晚于今天"):
            services.grant_factor(self.energy, amount=1, on=datetime.date(2021, 12, 1), by=self.org.office)

    def test_rollups_by_chain_zone_and_department(self):
        services.grant_factor(self.land, amount=100, by=self.head_b)
        qs = FactorRequest.objects.all()
        by_chain = {g["label"]: g for g in services.factor_rollup(qs, "chain")}
        self.assertEqual(
            by_chain["新一代半导体"]["kinds"]["land"], {"n": 2, "requested": D(140), "granted": D(100)}
        )
        self.assertEqual(by_chain["新一代半导体"]["pending"], 1)
        self.assertIn("（未指定）", by_chain)  # the project without a chain
        by_zone = {g["label"]: g for g in services.factor_rollup(qs, "zone")}
        self.assertEqual(by_zone["古镇口"]["n"], 2)
        by_dept = {g["label"]: g for g in services.factor_rollup(qs, "department")}
        self.assertEqual(by_dept["乙局"]["n"], 3)
        self.assertEqual(by_dept["乙局"]["kinds"]["energy"]["requested"], D(5000))
        self.client.force_login(self.org.office)
        page = self.client.get(reverse("dispatch:factor_rollup")).content.decode()
        self.assertIn("新一代半导体", page)
        self.assertIn("100.00 / 140.00", page)

    def test_grant_button(self):
        self.client.force_login(self.head_b)
        page = self.client.get(self.land.get_absolute_url()).content.decode()
        self.assertIn('id="grant-form"', page)
        self.client.post(
            reverse("dispatch:factorrequest_grant", args=[self.land.pk]),
            {"amount_granted": "100", "granted_on": "2021-11-05"},
        )
        self.land.refresh_from_db()
        self.assertEqual(self.land.status, FactorStatus.GRANTED)
        self.client.force_login(self.org.insider)
        self.assertNotIn('id="grant-form"', self.client.get(self.land.get_absolute_url()).content.decode())
