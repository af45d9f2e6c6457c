"""Builders for the assessment tests: zones, signed projects, a small scheme, a scored ranking."""

from __future__ import annotations

import datetime
from decimal import Decimal

from chainlead.assessment import services
from chainlead.assessment.choices import GroupKind, ScoringMode, Source
from chainlead.assessment.models import Indicator, IndicatorGroup, Scheme
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.projects.choices import Stage
from chainlead.projects.models import KeyProject
from chainlead.utilities.testing.base import make_user


def office():
    unit = Unit.objects.create(name="领导小组办公室", kind=UnitKind.OFFICE)
    return make_user("office", unit=unit, roles=[(Role.OFFICE_ADMIN, unit)], name="王晓梅")


def zones(*names) -> list[Unit]:
    return [
        Unit.objects.create(name=n, kind=UnitKind.AREA, sort_order=i) for i, n in enumerate(names, start=1)
    ]


def signed(zone, on: datetime.date, wan: int, contracted: int | None = None, **fields) -> KeyProject:
    """A project of ``zone`` signed on ``on`` with a total investment of ``wan`` 万元."""
    values = {
        "stage": Stage.SIGNED,
        "signed_on": on,
        "total_investment": Decimal(wan),
        "investor_name": "某投资方",
    }
    if contracted is not None:
        values["contracted_investment"] = Decimal(contracted)
    values.update(fields)
    return KeyProject.objects.create(
        name=f"{zone.name}项目{KeyProject.objects.count() + 1}", responsible_unit=zone, area=zone, **values
    )


def small_scheme(*, publish=True, by=None) -> Scheme:
    """30 points: attraction 10 = signed ≥1亿 projects (RATIO_CAPPED, annual target 12 → 3 a
    quarter, cap 1.2); construction 20 = contracted investment (EFFICACY_COEFFICIENT)."""
    scheme = Scheme.objects.create(
        name="测试方案", code="test", total=Decimal(30), tiebreak="construction,attraction"
    )
    attraction = IndicatorGroup.objects.create(
        scheme=scheme, name="项目招引", code="attraction", weight=10, sort_order=1
    )
    construction = IndicatorGroup.objects.create(
        scheme=scheme, name="项目建设", code="construction", weight=20, sort_order=2
    )
    Indicator.objects.create(
        scheme=scheme,
        group=attraction,
        code="signed",
        name="新签约亿元以上项目",
        weight=10,
        mode=ScoringMode.RATIO_CAPPED,
        target=12,
        cap=Decimal("1.2"),
        value_unit="个",
        source=Source.COMPUTED,
        computation="signed_1yi_count",
        sort_order=1,
    )
    Indicator.objects.create(
        scheme=scheme,
        group=construction,
        code="investment",
        name="合同投资额",
        weight=20,
        mode=ScoringMode.EFFICACY_COEFFICIENT,
        value_unit="亿元",
        source=Source.COMPUTED,
        computation="contracted_investment",
        sort_order=2,
    )
    if publish:
        scheme = services.publish_scheme(scheme, by=by)
    return scheme


def add_manual(scheme, code="criticism"):
    group = IndicatorGroup.objects.create(
        scheme=scheme, name="扣分项", code="penalty", kind=GroupKind.PENALTY, weight=10, sort_order=9
    )
    return Indicator.objects.create(
        scheme=scheme,
        group=group,
        code=code,
        name="受到上级通报批评",
        mode=ScoringMode.PENALTY,
        points=2,
        item_cap=6,
        source=Source.MANUAL,
        sort_order=9,
    )


def score(scheme, quarter, by, kind="zone", year=2021):
    ranking = services.prepare_ranking(
        scheme=scheme, subject_kind=kind, period_kind="quarter", year=year, number=quarter, by=by
    )
    return services.compute_ranking(ranking, by=by)
