"""A small zone for the dashboard's tests, projects with random but reproducible dates, and the
independent check: the headline figures computed by a plain loop over the rows."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from chainlead.chains.choices import Segment, Strength
from chainlead.chains.models import ChainNode, KeyChain
from chainlead.dashboard import figures, summary
from chainlead.dashboard.panels import DashboardContext
from chainlead.enterprises.models import Enterprise
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.projects.choices import Stage
from chainlead.projects.models import KeyProject
from chainlead.projects.tests.factories import credit_code
from chainlead.utilities.testing.base import make_user

TODAY = datetime.date(2021, 11, 30)


@dataclass
class Zone:
    office: Unit
    area_a: Unit
    zone_a1: Unit
    zone_a2: Unit
    area_b: Unit
    dept: Unit
    chains: list
    enterprises: list
    leader: object
    area_user: object
    dept_user: object
    nobody: object
    office_user: object


def make_zone() -> Zone:
    office = Unit.objects.create(name="领导小组办公室", kind=UnitKind.OFFICE)
    area_a = Unit.objects.create(name="甲片区", short_name="甲片区", kind=UnitKind.AREA, sort_order=1)
    zone_a1 = Unit.objects.create(name="甲一战区", kind=UnitKind.BATTLE_ZONE, parent=area_a)
    zone_a2 = Unit.objects.create(name="甲二战区", kind=UnitKind.BATTLE_ZONE, parent=area_a)
    area_b = Unit.objects.create(name="乙片区", kind=UnitKind.AREA, sort_order=2)
    dept = Unit.objects.create(name="投资促进局", kind=UnitKind.DEPARTMENT)
    chains = []
    for i, name in enumerate(["新一代半导体", "海洋生物医药"]):
        chain = KeyChain.objects.create(name=name, code=f"c{i}", lead_department=dept, sort_order=i)
        for j, (segment, strength) in enumerate(
            [
                (Segment.UPSTREAM, Strength.MISSING),
                (Segment.UPSTREAM, Strength.PRESENT),
                (Segment.MIDSTREAM, Strength.WEAK),
                (Segment.DOWNSTREAM, Strength.PRESENT),
            ]
        ):
            ChainNode.objects.create(chain=chain, segment=segment, name=f"{name}节点{j}", strength=strength)
        chains.append(chain)
    tags = [["fortune500", "listed"], ["foreign"], [], ["central_soe", "listed"]]
    enterprises = [
        Enterprise.objects.create(
            name=f"青岛测试{n}号科技有限公司",
            credit_code=credit_code(800 + n),
            registered_capital=Decimal(5000),
            source_tags=tags[n],
        )
        for n in range(4)
    ]
    return Zone(
        office=office,
        area_a=area_a,
        zone_a1=zone_a1,
        zone_a2=zone_a2,
        area_b=area_b,
        dept=dept,
        chains=chains,
        enterprises=enterprises,
        leader=make_user("leader", unit=office, roles=[(Role.LEADER, office)]),
        area_user=make_user("area_head", unit=area_a, roles=[(Role.UNIT_HEAD, area_a)]),
        dept_user=make_user("dept_reporter", unit=dept, roles=[(Role.REPORTER, dept)]),
        nobody=make_user("nobody", unit=dept),
        office_user=make_user("office", unit=office, roles=[(Role.OFFICE_ADMIN, office)]),
    )


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def random_projects(zone: Zone, n: int = 60, seed: int = 7) -> list[KeyProject]:
    """Projects in every stage with dates from 2019 to November 2021, amounts with 万元 decimals."""
    rng = random.Random(seed)
    areas = [zone.zone_a1, zone.zone_a2, zone.area_a, zone.area_b, None]
    units = [zone.dept, zone.area_a, zone.zone_a1, zone.area_b]
    out = []
    for i in range(n):
        nego = _day(rng, datetime.date(2019, 6, 1), TODAY)
        values = {
            "name": f"测试项目{i:03d}",
            "responsible_unit": rng.choice(units),
            "area": rng.choice(areas),
            "chain": rng.choice([*zone.chains, None]),
            "enterprise": rng.choice([*zone.enterprises, None]),
            "investor_name": "某投资方",
            "total_investment": Decimal(rng.choice([800, 9999, 10000, 45000, 120000, 650000]))
            + Decimal(rng.randint(0, 99)) / 100,
            "lead_on": nego - datetime.timedelta(days=20),
            "negotiating_on": nego,
            "stage": Stage.NEGOTIATING,
        }
        roll = rng.random()
        if roll < 0.75:
            values["expected_output"] = Decimal(rng.randint(1000, 90000)) + Decimal(rng.randint(0, 99)) / 100
            landed = min(TODAY, nego + datetime.timedelta(days=rng.randint(5, 200)))
            pick = rng.random()
            if pick < 0.4:
                values.update(signed_on=landed, stage=Stage.SIGNED)
            elif pick < 0.55:
                values.update(registered_on=landed, stage=Stage.REGISTERED)
            else:
                values.update(
                    signed_on=landed,
                    registered_on=min(TODAY, landed + datetime.timedelta(days=rng.randint(0, 80))),
                    stage=Stage.REGISTERED,
                )
            if values.get("registered_on") and rng.random() < 0.6:
                started = min(TODAY, values["registered_on"] + datetime.timedelta(days=rng.randint(1, 150)))
                values.update(
                    started_on=started,
                    stage=Stage.STARTED,
                    planned_start_on=started - datetime.timedelta(days=rng.randint(-30, 30)),
                    planned_completion_on=started + datetime.timedelta(days=rng.randint(90, 400)),
                )
                if rng.random() < 0.7:
                    values.update(fai_in_db=True, fai_month=started.replace(day=1))
                if rng.random() < 0.4:
                    done = min(TODAY, started + datetime.timedelta(days=rng.randint(60, 300)))
                    values.update(completed_on=done, stage=Stage.COMPLETED)
                    if rng.random() < 0.6:
                        prod = min(TODAY, done + datetime.timedelta(days=rng.randint(10, 60)))
                        values.update(production_on=prod, stage=Stage.IN_PRODUCTION)
                        if values["enterprise"] is not None and rng.random() < 0.7:
                            values.update(
                                enterprise_in_stats=True,
                                stats_month=min(TODAY, prod + datetime.timedelta(days=30)).replace(day=1),
                                stats_category="industry",
                            )
            elif values.get("signed_on") and not values.get("registered_on"):
                values["planned_start_on"] = values["signed_on"] + datetime.timedelta(
                    days=rng.randint(10, 120)
                )
        elif roll < 0.85:
            values.update(
                stage=Stage.TERMINATED, terminated_on=min(TODAY, nego + datetime.timedelta(days=40))
            )
        out.append(KeyProject.objects.create(**values))
    return out


def expected(projects, start: datetime.date, end: datetime.date) -> dict:
    """The headline figures by a plain loop over the rows (the independent query)."""

    def within(d):
        return d is not None and start <= d <= end

    attracted = [p for p in projects if within(p.negotiating_on)]
    landed = [p for p in projects if within(p.signed_on) or within(p.registered_on)]
    first = start.replace(day=1)
    enterprises = {
        p.enterprise_id
        for p in projects
        if p.enterprise_in_stats and p.enterprise_id and p.stats_month and first <= p.stats_month <= end
    }
    return {
        "attracted": len(attracted),
        "attracted_investment": sum((p.total_investment for p in attracted), Decimal(0)),
        "landed": len(landed),
        "landed_output": sum((p.expected_output or Decimal(0) for p in landed), Decimal(0)),
        "started": sum(within(p.started_on) for p in projects),
        "completed": sum(within(p.completed_on) for p in projects),
        "in_production": sum(within(p.production_on) for p in projects),
        "enterprises_in_stats": len(enterprises),
    }


def dashboard(
    user, start: datetime.date, end: datetime.date, *, area=None, as_of=None
) -> figures.DashboardData:
    """What the dashboard shows (after catching up with every write, as the page does)."""
    summary.sync()
    if as_of is not None and not summary.has_snapshot(as_of):
        summary.build_snapshot(as_of)
    dash = DashboardContext(
        user=user,
        period_start=start,
        period_end=end,
        area=area,
        as_of=summary.end_of_day(as_of) if as_of else None,
    )
    return figures.compute(dash)


def normalised(values: dict) -> dict:
    """Figures with amounts as Decimals to two places, for comparison."""
    out = {}
    for key, value in values.items():
        out[key] = Decimal(value).quantize(Decimal("0.01")) if isinstance(value, Decimal) else value
    return out


PERIODS = [
    (datetime.date(2021, 1, 1), datetime.date(2021, 11, 30)),
    (datetime.date(2021, 3, 1), datetime.date(2021, 3, 31)),
    (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)),
    (datetime.date(2021, 6, 1), datetime.date(2021, 9, 30)),
    (datetime.date(2019, 7, 1), datetime.date(2020, 2, 29)),
]


def page(response):
    """The dashboard page's own template context (the panels render theirs first, and a panel
    may use the same names)."""
    for context in response.context:
        if "dashboard_data" in context:
            return context
    raise AssertionError("not a dashboard page")
