"""What a user reads on the target list and the target page."""

import datetime
import json
from decimal import Decimal
from urllib.parse import quote

from django.test import TestCase
from django.urls import reverse

from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.targets.choices import TargetStatus
from chainlead.targets.models import AttackTarget, TargetMonthPlan, TargetProject
from chainlead.targets.tests.factories import campaign_for, make_project, make_target, zone_for
from chainlead.utilities.menu import menu_for
from chainlead.utilities.testing.base import Org, make_user

PAST = datetime.date(2021, 6, 30)
FUTURE = datetime.date(2099, 12, 31)


class TargetListTests(TestCase):
    def setUp(self):
        self.org = Org()
        u = self.org.unit_a
        self.zone = zone_for(u)
        self.zone2 = zone_for(u, "二号战区")
        self.overdue = make_target(
            u, 1, zone=self.zone, deadline=PAST, actual_value=Decimal("4"), responsible_leader="王建军"
        )
        self.done = make_target(
            u,
            2,
            zone=self.zone,
            deadline=PAST,
            status=TargetStatus.DONE,
            done_on=PAST,
            actual_value=Decimal("10"),
        )
        self.running = make_target(u, 1, zone=self.zone2, deadline=FUTURE, responsible_leader="李文")
        other_area = Unit.objects.create(name="古镇口核心区", kind=UnitKind.AREA, parent=u)
        other_zone = Unit.objects.create(name="古镇口战区", kind=UnitKind.BATTLE_ZONE, parent=other_area)
        self.elsewhere = make_target(
            u, 1, zone=other_zone, campaign=campaign_for(other_area), deadline=FUTURE
        )
        self.client.force_login(self.org.office)

    def pks(self, query=""):
        response = self.client.get(reverse("targets:attacktarget_list") + query)
        self.assertEqual(response.status_code, 200)
        return {row.record.pk for row in response.context["table"].rows}

    def test_filters(self):
        everyone = {self.overdue.pk, self.done.pk, self.running.pk, self.elsewhere.pk}
        self.assertEqual(self.pks(), everyone)
        self.assertEqual(self.pks("?overdue=true"), {self.overdue.pk})
        self.assertEqual(self.pks("?overdue=false"), everyone - {self.overdue.pk})
        self.assertEqual(self.pks(f"?area={self.zone.parent_id}"), everyone - {self.elsewhere.pk})
        self.assertEqual(self.pks(f"?battle_zone={self.zone2.pk}"), {self.running.pk})
        self.assertEqual(self.pks("?status=done"), {self.done.pk})
        self.assertEqual(self.pks("?responsible_leader=建军"), {self.overdue.pk})
        self.assertEqual(self.pks("?deadline_from=2022-01-01"), {self.running.pk, self.elsewhere.pk})
        self.assertEqual(self.pks("?deadline_to=2021-12-31"), {self.overdue.pk, self.done.pk})
        self.assertEqual(self.pks(f"?campaign={self.elsewhere.campaign_id}"), {self.elsewhere.pk})
        self.assertEqual(self.pks(f"?responsible_unit={self.zone2.pk}"), {self.running.pk})
        self.assertEqual(self.pks("?q=第2项"), {self.done.pk})

    def test_columns_read_well(self):
        page = self.client.get(reverse("targets:attacktarget_list")).content.decode()
        for header in (
            "序号",
            "攻坚目标",
            "战区",
            "攻坚战",
            "目标值",
            "完成值",
            "完成率",
            "完成时限",
            "状态",
            "责任领导/单位/人",
        ):
            self.assertIn(header, page)
        self.assertIn("40.0%", page)  # 4 of 10
        self.assertIn("10 <span class='text-secondary'>个</span>", page)
        self.assertIn("data-overdue>逾期</span>", page)
        self.assertEqual(page.count("data-overdue"), 1)

    def test_sort_by_completion(self):
        response = self.client.get(reverse("targets:attacktarget_list") + "?sort=-completion")
        first = next(iter(response.context["table"].rows)).record
        self.assertEqual(first.pk, self.done.pk)

    def test_filters_api_too(self):
        response = self.client.get(reverse("targets-api:attacktarget-list") + "?overdue=true")
        self.assertEqual([r["id"] for r in response.json()["results"]], [self.overdue.pk])
        self.assertTrue(response.json()["results"][0]["is_overdue"])

    def test_export_has_status_text(self):
        import io

        import openpyxl

        response = self.client.get(reverse("targets:attacktarget_list") + "?export=xlsx&overdue=true")
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [c.value for c in ws[2]]
        self.assertIn("逾期（推进中）", values)


class TargetPageTests(TestCase):
    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.target = make_target(self.org.unit_a, 3, goal_value=Decimal(6), goal_unit="处", deadline=PAST)
        for month, planned, actual in ((3, 2, 1), (4, 2, 2), (5, 2, None)):
            TargetMonthPlan.objects.create(
                target=self.target,
                month=datetime.date(2021, month, 1),
                planned_value=planned,
                actual_value=actual,
                milestone=f"{month}月节点",
            )
        self.mine = make_project(self.org.unit_a, "站前综合体项目", total_investment=Decimal(26000))
        self.theirs = make_project(self.org.unit_b, "乙局项目", total_investment=Decimal(800))
        TargetProject.objects.create(target=self.target, project=self.mine)
        TargetProject.objects.create(target=self.target, project=self.theirs)
        self.url = reverse("targets:attacktarget_detail", args=[self.target.pk])

    def test_overview_and_tabs(self):
        self.client.force_login(self.org.insider)
        response = self.client.get(self.url)
        page = response.content.decode()
        self.assertIn("完成第3项攻坚任务", page)
        self.assertIn('data-responsible="leader">王领导<', page)
        self.assertIn('data-responsible="person">李责任<', page)
        self.assertIn("tel:13800001111", page)
        self.assertIn("已逾期", page)
        # 月度计划 tab: rows, totals and the chart's data.
        self.assertIn("2021年3月", page)
        self.assertIn("5月节点", page)
        chart = json.loads(
            page.split('id="plan-chart-data" type="application/json">')[1].split("</script>")[0]
        )
        self.assertEqual(chart["labels"], ["3月", "4月", "5月"])
        self.assertEqual(chart["planned"], [2.0, 2.0, 2.0])
        self.assertEqual(chart["actual"], [1.0, 2.0, None])
        self.assertEqual(chart["cumActual"], [1.0, 3.0, None])
        self.assertEqual(chart["unit"], "处")
        self.assertIn("vendor/echarts/echarts.min.js", page)
        self.assertIn("targets/targets.js", page)
        # 关联项目 tab: stage and investment; a link only where the user may open the project.
        self.assertIn("站前综合体项目", page)
        self.assertIn("2.60亿元", page)
        self.assertIn("乙局项目", page)
        self.assertNotIn(f'/projects/keyprojects/{self.theirs.pk}/"', page)
        # Add links carry the target.
        self.assertIn(f"{reverse('targets:targetmonthplan_add')}?target={self.target.pk}", page)
        self.assertIn(f"{reverse('targets:targetproject_add')}?target={self.target.pk}", page)

    def test_viewer_gets_no_edit_links(self):
        self.client.force_login(self.org.viewer_a)
        page = self.client.get(self.url).content.decode()
        self.assertNotIn('id="add-plan"', page)
        self.assertNotIn("取消关联", page)

    def test_reporter_may_edit_plans_but_not_delete_them(self):
        self.client.force_login(self.org.insider)
        page = self.client.get(self.url).content.decode()
        plan = self.target.month_plans.first()
        self.assertIn(reverse("targets:targetmonthplan_edit", args=[plan.pk]), page)
        self.assertNotIn(reverse("targets:targetmonthplan_delete", args=[plan.pk]), page)

    def test_plan_delete_returns_to_the_target(self):
        plan = self.target.month_plans.first()
        head = make_user("head_a", unit=self.org.unit_a, roles=[(Role.UNIT_HEAD, self.org.unit_a)])
        self.client.force_login(head)
        self.assertIn(
            reverse("targets:targetmonthplan_delete", args=[plan.pk]),
            self.client.get(self.url).content.decode(),
        )
        back = self.url + "#tab-plans"
        response = self.client.post(
            reverse("targets:targetmonthplan_delete", args=[plan.pk]) + "?return_url=" + quote(back)
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], back)


class MenuTests(TestCase):
    def test_targets_menu(self):
        org = Org(role=Role.REPORTER)
        menu = {g["key"]: [i["label"] for i in g["items"]] for g in menu_for(org.insider)}
        # The war-map app adds its map and boards to the same group, after the registry's own items.
        self.assertEqual([str(x) for x in menu["targets"]][:3], ["攻坚目标", "攻坚战", "战区清单"])
        menu = {g["key"]: g["items"] for g in menu_for(org.nobody)}
        self.assertEqual(menu["targets"], [])


class BulkEditTests(TestCase):
    def setUp(self):
        self.org = Org()
        self.a = make_target(self.org.unit_a, 1)
        self.b = make_target(self.org.unit_a, 2)
        self.client.force_login(self.org.insider)
        self.url = reverse("targets:attacktarget_bulk_edit")

    def test_bulk_edit_applies_to_all(self):
        response = self.client.post(
            self.url, {"pk": [self.a.pk, self.b.pk], "_apply": "1", "responsible_leader": "新领导"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(set(AttackTarget.objects.values_list("responsible_leader", flat=True)), {"新领导"})

    def test_bulk_done_without_date_saves_nothing(self):
        response = self.client.post(self.url, {"pk": [self.a.pk, self.b.pk], "_apply": "1", "status": "done"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("状态为已完成时须填写完成日期", str(response.context["form"].non_field_errors()))
        self.assertFalse(AttackTarget.objects.filter(status="done").exists())
