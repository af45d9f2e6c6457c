"""Small builders for the war-room tests: a four-node template with parallel branches and a lag
(the Spring Festival example of ``test_engine``), projects and plans."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from chainlead.projects.models import KeyProject
from chainlead.warroom import services
from chainlead.warroom.choices import Milestone
from chainlead.warroom.models import ScheduleTemplate, TemplateDependency, TemplateNode

D = datetime.date
DEFAULT_TARGET = D(2021, 2, 22)


def template(name: str = "测试模板", *, approval_days: tuple[int, int] = (0, 0)) -> ScheduleTemplate:
    """S (2 WD) → X (5 WD) → E (1 WD, 投产); S → Y (3 WD, lag 1) → E; 开工 (0 WD) between S and X.

    ``approval_days`` gives S and X as approval steps of those durations instead."""
    t, created = ScheduleTemplate.objects.get_or_create(name=name)
    if not created:
        return t
    s_days, x_days = approval_days
    nodes = {
        "S": TemplateNode.objects.create(
            template=t, name="前期手续", duration_wd=s_days or 2, is_approval=bool(s_days), sort_order=1
        ),
        "K": TemplateNode.objects.create(
            template=t, name="开工", duration_wd=0, milestone=Milestone.START, sort_order=2
        ),
        "X": TemplateNode.objects.create(
            template=t, name="主体施工", duration_wd=x_days or 5, is_approval=bool(x_days), sort_order=3
        ),
        "Y": TemplateNode.objects.create(template=t, name="设备安装", duration_wd=3, sort_order=4),
        "E": TemplateNode.objects.create(
            template=t, name="投产", duration_wd=1, milestone=Milestone.PRODUCTION, sort_order=5
        ),
    }
    for a, b, lag in [("S", "K", 0), ("K", "X", 0), ("S", "Y", 1), ("X", "E", 0), ("Y", "E", 0)]:
        TemplateDependency.objects.create(template=t, predecessor=nodes[a], successor=nodes[b], lag_wd=lag)
    return t


def project(unit, name: str = "测试项目", **fields) -> KeyProject:
    values = {"total_investment": Decimal(30000), "responsible_person": "李四"}
    values.update(fields)
    return KeyProject.objects.create(name=name, responsible_unit=unit, **values)


def plan(unit, by, *, name: str = "测试项目", target=DEFAULT_TARGET, kind="production", tpl=None, **fields):
    """A plan (draft) for a new project of ``unit``."""
    return services.apply_template(
        project(unit, name, **fields), tpl or template(), target_kind=kind, target_date=target, by=by
    )


def nodes_by_name(schedule) -> dict:
    return {n.name: n for n in schedule.nodes.all()}


def geojson(features=None, **extra) -> dict:
    """A valid FeatureCollection: one square area near the West Coast."""
    ring = [[120.0, 35.9], [120.1, 35.9], [120.1, 36.0], [120.0, 36.0], [120.0, 35.9]]
    return {
        "type": "FeatureCollection",
        "features": features
        if features is not None
        else [
            {
                "type": "Feature",
                "properties": {"name": "测试片区"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
        **extra,
    }


def geojson_bytes(doc=None) -> bytes:
    return json.dumps(doc if doc is not None else geojson(), ensure_ascii=False).encode()
