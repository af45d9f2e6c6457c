"""Small builders for the targets tests: an area under a unit, a battle zone under the area, a
campaign of the area, targets on the zone's list, and a key project."""

from __future__ import annotations

import datetime
from decimal import Decimal

from chainlead.organization.choices import UnitKind
from chainlead.organization.models import Unit
from chainlead.projects.models import KeyProject
from chainlead.targets.choices import TargetStatus
from chainlead.targets.models import AttackTarget, Campaign


def area_for(unit) -> Unit:
    """An area (片区) below ``unit``, so that a grant on ``unit`` covers it."""
    area, _ = Unit.objects.get_or_create(
        parent=unit, name=f"{unit.name}商务区", defaults={"kind": UnitKind.AREA}
    )
    return area


def zone_for(unit, name: str = "一号战区") -> Unit:
    """A battle zone (战区) below the area below ``unit``."""
    area = area_for(unit)
    zone, _ = Unit.objects.get_or_create(
        parent=area, name=f"{unit.name}{name}", defaults={"kind": UnitKind.BATTLE_ZONE}
    )
    return zone


def campaign_for(area, name: str = "项目建设攻坚战", year: int = 2021) -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(area=area, year=year, name=name)
    return campaign


def make_target(unit, number: int = 1, *, zone=None, campaign=None, **fields) -> AttackTarget:
    zone = zone or zone_for(unit)
    campaign = campaign or campaign_for(zone.parent)
    values = {
        "title": f"完成第{number}项攻坚任务",
        "goal_value": Decimal(10),
        "goal_unit": "个",
        "deadline": datetime.date(2021, 12, 31),
        "status": TargetStatus.IN_PROGRESS,
        "responsible_unit": zone,
        "responsible_leader": "王领导",
        "responsible_person": "李责任",
        "responsible_phone": "13800001111",
    }
    values.update(fields)
    return AttackTarget.objects.create(battle_zone=zone, campaign=campaign, number=number, **values)


def make_project(unit, name: str = "示范项目", **fields) -> KeyProject:
    values = {"total_investment": Decimal(26000)}
    values.update(fields)
    return KeyProject.objects.create(name=name, responsible_unit=unit, **values)
