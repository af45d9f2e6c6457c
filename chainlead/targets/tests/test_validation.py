"""Bad input on a target, through the form and through the API: a Chinese message on the field
the user must fix, and nothing saved."""

import datetime
import json

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.targets.models import AttackTarget, TargetMonthPlan
from chainlead.targets.tests.factories import campaign_for, make_target, zone_for
from chainlead.utilities.testing.base import Org


class TargetValidationTests(TestCase):
    def setUp(self):
        self.org = Org(role=Role.UNIT_HEAD)
        self.zone = zone_for(self.org.unit_a)
        self.area = self.zone.parent
        self.campaign = campaign_for(self.area)
        self.existing = make_target(self.org.unit_a, 1, zone=self.zone, campaign=self.campaign)
        self.client.force_login(self.org.office)

    def data(self, **changes):
        data = {
            "battle_zone": self.zone.pk,
            "campaign": self.campaign.pk,
            "number": 2,
            "title": "完成站前大道道路主体工程",
            "goal_value": "3.5",
            "goal_unit": "公里",
            "actual_value": "0",
            "deadline": "2021-10-31",
            "status": "in_progress",
            "responsible_unit": self.zone.pk,
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    def post_form(self, **changes):
        before = AttackTarget.objects.count()
        response = self.client.post(reverse("targets:attacktarget_add"), self.data(**changes))
        self.assertEqual(response.status_code, 200, "the form must be shown again")
        self.assertEqual(AttackTarget.objects.count(), before, "nothing may be saved")
        return response.context["form"].errors

    def post_api(self, **changes):
        before = AttackTarget.objects.count()
        response = self.client.post(
            reverse("targets-api:attacktarget-list"),
            json.dumps(self.data(**changes)),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400, response.content.decode())
        self.assertEqual(AttackTarget.objects.count(), before)
        return response.json()

    def test_valid_form_saves(self):
        response = self.client.post(reverse("targets:attacktarget_add"), self.data())
        self.assertEqual(response.status_code, 302)
        self.assertTrue(AttackTarget.objects.filter(battle_zone=self.zone, number=2).exists())

    def test_unit_that_is_not_a_battle_zone(self):
        department = self.org.unit_b
        errors = self.post_form(battle_zone=department.pk)
        self.assertIn("请选择战区", errors["battle_zone"][0])
        errors = self.post_api(battle_zone=department.pk)
        self.assertIn("不是战区", errors["battle_zone"][0])

    def test_campaign_of_another_area(self):
        other_area = Unit.objects.create(name="古镇口核心区", kind=UnitKind.AREA)
        Unit.objects.create(name="古镇口一号战区", kind=UnitKind.BATTLE_ZONE, parent=other_area)
        other = campaign_for(other_area, name="招商引资攻坚战")
        errors = self.post_form(campaign=other.pk)
        self.assertIn("不属于该战区所在的片区", errors["campaign"][0])
        errors = self.post_api(campaign=other.pk)
        self.assertIn("不属于该战区所在的片区", errors["campaign"][0])

    def test_done_without_a_date(self):
        errors = self.post_form(status="done")
        self.assertEqual(errors["done_on"], ["状态为已完成时须填写完成日期。"])
        errors = self.post_api(status="done")
        self.assertEqual(errors["done_on"], ["状态为已完成时须填写完成日期。"])

    def test_campaign_of_an_area_without_the_users_zones_is_not_offered(self):
        lonely = campaign_for(
            Unit.objects.create(name="桥头堡国际商务区", kind=UnitKind.AREA), name="招商引资攻坚战"
        )
        errors = self.post_form(campaign=lonely.pk)
        self.assertIn("请选择战区所在片区的攻坚战", errors["campaign"][0])

    def test_completion_date_in_the_future(self):
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        errors = self.post_form(status="done", done_on=tomorrow)
        self.assertEqual(errors["done_on"], ["完成日期不能晚于今天。"])
        errors = self.post_api(status="done", done_on=tomorrow)
        self.assertEqual(errors["done_on"], ["完成日期不能晚于今天。"])

    def test_duplicate_number_on_the_zone_list(self):
        errors = self.post_form(number=1)
        self.assertIn("已有第 1 号目标", errors["number"][0])
        self.assertIn("下一个可用序号是 2", errors["number"][0])
        self.assertNotIn("__all__", errors, "one message, on the field")
        errors = self.post_api(number=1)
        self.assertIn("已有第 1 号目标", errors["number"][0])

    def test_duplicate_number_in_another_zone_is_fine(self):
        other_zone = zone_for(self.org.unit_a, name="二号战区")
        response = self.client.post(
            reverse("targets:attacktarget_add"), self.data(battle_zone=other_zone.pk, number=1)
        )
        self.assertEqual(response.status_code, 302)

    def test_editing_keeps_its_own_number(self):
        data = self.data(number=1, title="改过的标题")
        data["_version"] = self.existing.version
        response = self.client.post(reverse("targets:attacktarget_edit", args=[self.existing.pk]), data)
        self.assertEqual(response.status_code, 302, getattr(response.context, "get", lambda k: None)("form"))
        self.existing.refresh_from_db()
        self.assertEqual(self.existing.title, "改过的标题")

    def test_empty_number_takes_the_next_one(self):
        response = self.client.post(reverse("targets:attacktarget_add"), self.data(number=""))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(AttackTarget.objects.order_by("-pk").first().number, 2)

    def test_negative_goal(self):
        errors = self.post_form(goal_value="-1")
        self.assertTrue(errors["goal_value"])

    def test_bad_phone(self):
        errors = self.post_form(responsible_phone="12345")
        self.assertIn("格式不正确", errors["responsible_phone"][0])


class AddFormDefaultsTests(TestCase):
    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.zone = zone_for(self.org.unit_a)
        campaign_for(self.zone.parent)
        make_target(self.org.unit_a, 1, zone=self.zone)
        make_target(self.org.unit_a, 7, zone=self.zone)

    def test_zone_reporter_gets_their_zone_and_next_number(self):
        self.client.force_login(self.org.insider)
        form = self.client.get(reverse("targets:attacktarget_add")).context["form"]
        self.assertEqual(int(form.initial["battle_zone"]), self.zone.pk)
        self.assertEqual(form.initial["number"], 8)
        self.assertEqual([z.pk for z in form.fields["battle_zone"].queryset], [self.zone.pk])

    def test_other_units_zones_are_not_offered(self):
        theirs = zone_for(self.org.unit_b)
        self.client.force_login(self.org.insider)
        form = self.client.get(reverse("targets:attacktarget_add")).context["form"]
        self.assertNotIn(theirs.pk, [z.pk for z in form.fields["battle_zone"].queryset])


class MonthPlanValidationTests(TestCase):
    def setUp(self):
        self.org = Org()
        self.target = make_target(self.org.unit_a, 1)
        TargetMonthPlan.objects.create(target=self.target, month=datetime.date(2021, 5, 1), planned_value=2)
        self.client.force_login(self.org.office)

    def test_month_is_stored_as_its_first_day(self):
        response = self.client.post(
            reverse("targets:targetmonthplan_add"),
            {"target": self.target.pk, "month": "2021-06", "planned_value": "3"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(TargetMonthPlan.objects.filter(target=self.target, month="2021-06-01").exists())
        response = self.client.post(
            reverse("targets-api:targetmonthplan-list"),
            json.dumps({"target": self.target.pk, "month": "2021-07-15", "planned_value": "3"}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content.decode())
        self.assertTrue(TargetMonthPlan.objects.filter(target=self.target, month="2021-07-01").exists())

    def test_second_plan_for_the_same_month(self):
        before = TargetMonthPlan.objects.count()
        response = self.client.post(
            reverse("targets:targetmonthplan_add"),
            {"target": self.target.pk, "month": "2021-05", "planned_value": "3"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("2021-05已有月度计划", response.context["form"].errors["month"][0])
        self.assertEqual(TargetMonthPlan.objects.count(), before)

    def test_add_link_from_the_target_page_preselects_the_target(self):
        response = self.client.get(reverse("targets:targetmonthplan_add") + f"?target={self.target.pk}")
        self.assertEqual(str(response.context["form"].initial["target"]), str(self.target.pk))
