"""Generated page and API tests for campaigns, attack targets, monthly plans and project links.

Each object belongs to ``unit`` through a battle zone below an area below ``unit`` (a grant on a
unit covers the units below it); a target's campaign belongs to the zone's area."""

import datetime

from chainlead.organization.choices import Role
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject
from chainlead.targets.tests.factories import area_for, campaign_for, make_project, make_target, zone_for
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests


class CampaignSample:
    model = Campaign
    role = Role.UNIT_HEAD
    #: Campaigns are published lists: every user with a role may read them.
    public_view = True

    def make(self, org, unit, n=0):
        return Campaign.objects.create(area=area_for(unit), year=2021, name=f"第{n}号攻坚战", sort_order=n)

    def form_data(self, org, unit):
        return {"name": "新设攻坚战", "area": area_for(unit).pk, "year": 2021, "sort_order": 3}

    def edit_data(self, org, obj):
        return {
            "name": obj.name + "（调整）",
            "area": obj.area_id,
            "year": obj.year,
            "sort_order": 9,
            "_version": obj.version,
        }


class TestCampaignViews(CampaignSample, ModelViewTests):
    pass


class TestCampaignAPI(CampaignSample, ModelAPITests):
    pass


class AttackTargetSample:
    model = AttackTarget
    role = Role.UNIT_HEAD

    def make(self, org, unit, n=0):
        return make_target(unit, n)

    def form_data(self, org, unit):
        zone = zone_for(unit)
        return {
            "battle_zone": zone.pk,
            "campaign": campaign_for(zone.parent).pk,
            "number": 99,
            "title": "新引进亿元以上项目5个",
            "goal_value": "5",
            "goal_unit": "个",
            "actual_value": "0",
            "deadline": "2021-12-31",
            "status": "in_progress",
            "responsible_leader": "张指挥",
            "responsible_unit": zone.pk,
            "responsible_person": "赵专员",
            "responsible_phone": "13812345678",
        }

    def edit_data(self, org, obj):
        data = self.form_data(org, org.unit_a)
        data.update(
            battle_zone=obj.battle_zone_id,
            campaign=obj.campaign_id,
            number=obj.number,
            actual_value="3",
            _version=obj.version,
        )
        return data


class TestAttackTargetViews(AttackTargetSample, ModelViewTests):
    pass


class TestAttackTargetAPI(AttackTargetSample, ModelAPITests):
    pass


def _month(n: int) -> datetime.date:
    return datetime.date(2021 + n // 12, n % 12 + 1, 1)


class TargetMonthPlanSample:
    model = TargetMonthPlan
    role = Role.UNIT_HEAD

    def target(self, unit):
        return AttackTarget.objects.filter(battle_zone=zone_for(unit)).first() or make_target(unit, 1)

    def make(self, org, unit, n=0):
        return TargetMonthPlan.objects.create(
            target=self.target(unit), month=_month(n), planned_value=2, milestone=f"节点{n}"
        )

    def form_data(self, org, unit):
        return {
            "target": self.target(unit).pk,
            "month": "2022-05",
            "planned_value": "3",
            "milestone": "完成招标",
        }

    def api_data(self, org, unit):
        return {"target": self.target(unit).pk, "month": "2022-05-01", "planned_value": "3"}

    def edit_data(self, org, obj):
        return {
            "target": obj.target_id,
            "month": obj.month.strftime("%Y-%m"),
            "planned_value": "4",
            "actual_value": "1",
            "milestone": obj.milestone,
            "_version": obj.version,
        }


class TestTargetMonthPlanViews(TargetMonthPlanSample, ModelViewTests):
    pass


class TestTargetMonthPlanAPI(TargetMonthPlanSample, ModelAPITests):
    pass


class TargetProjectSample:
    model = TargetProject
    role = Role.UNIT_HEAD

    def target(self, unit):
        return AttackTarget.objects.filter(battle_zone=zone_for(unit)).first() or make_target(unit, 1)

    def make(self, org, unit, n=0):
        return TargetProject.objects.create(
            target=self.target(unit), project=make_project(unit, f"{unit.name}项目{n}")
        )

    def form_data(self, org, unit):
        return {"target": self.target(unit).pk, "project": make_project(unit, f"{unit.name}新项目").pk}

    def edit_data(self, org, obj):
        return {
            "target": obj.target_id,
            "project": obj.project_id,
            "comments": "已核对",
            "_version": obj.version,
        }


class TestTargetProjectViews(TargetProjectSample, ModelViewTests):
    pass


class TestTargetProjectAPI(TargetProjectSample, ModelAPITests):
    pass
