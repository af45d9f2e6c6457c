"""The demo's story as of 2021-11-30: plans for 交通商务区's 19 key projects and 30 other projects
under construction, approved as baselines, with actuals on time, late and overdue, one re-plan,
and a zone map whose shapes hold every project of their unit."""

import datetime
import json
from collections import Counter
from importlib import import_module

import pytest

from chainlead.core.demo import DemoContext
from chainlead.core.models import AuditEvent
from chainlead.projects.models import KeyProject
from chainlead.warroom.choices import NodeStatus, ScheduleStatus
from chainlead.warroom.demo import GEOJSON, JTSW_START_TARGET, REPLAN_TARGET
from chainlead.warroom.models import Baseline, ProjectSchedule, ScheduleNode, ScheduleTemplate, ZoneMap

pytestmark = pytest.mark.django_db
STORY = datetime.date(2021, 11, 30)


@pytest.fixture
def demo(settings):
    settings.CHAINLEAD_TODAY = STORY
    ctx = DemoContext(verbosity=0)
    for app in ("organization", "enterprises", "chains", "projects", "targets", "warroom"):
        import_module(f"chainlead.{app}.demo").load(ctx)
    return ctx


def inside(point, ring) -> bool:
    """Ray casting: is [lng, lat] inside the polygon ring?"""
    x, y = point
    result = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            result = not result
    return result


def check_plans_for_the_district_and_thirty_more(demo):
    jtsw = {p.pk for p in demo.extra["projects_jtsw"]}
    assert len(jtsw) == 19
    plans = ProjectSchedule.objects.all()
    assert plans.count() == 49
    assert set(plans.filter(project__in=jtsw).values_list("project_id", flat=True)) == jtsw
    assert all(s.status == ScheduleStatus.APPROVED for s in plans)
    assert {t.name for t in ScheduleTemplate.objects.filter(schedules__isnull=False)} == {
        "社会投资工业项目（倒排工期）",
        "政府投资项目（倒排工期）",
    }
    # The district's projects not started yet aim at 开工 on 2021-12-15.
    unstarted = plans.filter(project__started_on__isnull=True)
    assert unstarted.count() == 4
    assert {s.target_kind for s in unstarted} == {"start"}


def check_actuals_tell_on_time_late_and_overdue(demo):
    statuses = Counter(ScheduleNode.objects.values_list("status", flat=True))
    assert statuses[NodeStatus.DONE_ON_TIME] > 200
    assert statuses[NodeStatus.DONE_LATE] > 10
    assert statuses[NodeStatus.OVERDUE] >= 3
    assert ProjectSchedule.objects.filter(feasible=False).exists()
    assert ProjectSchedule.objects.filter(feasible=True).count() > 30
    # Every actual date is on or before the story's day, and a finished node has a note.
    assert not ScheduleNode.objects.filter(actual_finish__gt=STORY).exists()
    assert not ScheduleNode.objects.filter(actual_finish__isnull=False, evidence_note="").exists()
    # Projects still under construction have not passed their completion acceptance.
    assert not ScheduleNode.objects.filter(
        schedule__project__completed_on__isnull=True, name__contains="验收", actual_finish__isnull=False
    ).exists()


def check_one_replan_with_a_reason_and_a_second_baseline(demo):
    replanned = demo.extra["warroom_replanned"]
    assert replanned.target_date == REPLAN_TARGET
    assert list(replanned.baselines.values_list("number", "target_date")) == [
        (2, REPLAN_TARGET),
        (1, JTSW_START_TARGET),
    ]
    assert Baseline.objects.filter(number=2).count() == 1
    event = AuditEvent.objects.get(verb="replanned")
    assert "征迁" in event.message
    # The longer permits now exceed the 45-day cap of main-process approval.
    assert replanned.approval_wd > 45


def check_zone_map_holds_every_project_of_its_units(demo):
    zone_map = ZoneMap.objects.get()
    assert zone_map.unmatched == []
    assert zone_map.feature_count == 11
    doc = json.loads(GEOJSON.read_text())
    rings = {f["properties"]["name"]: f["geometry"]["coordinates"][0] for f in doc["features"]}
    units = {f["unit_id"]: f["name"] for f in zone_map.features}
    projects = KeyProject.objects.filter(area_id__in=list(units))
    assert projects.count() > 300
    for p in projects:
        point = [float(p.longitude), float(p.latitude)]
        assert inside(point, rings[units[p.area_id]]), f"{p} is outside {units[p.area_id]}"
    # The six battle zones lie inside 交通商务区.
    for i in range(1, 7):
        zone = demo.units[f"bz{i}"].name
        assert all(inside(pt, rings["交通商务区"]) for pt in rings[zone])


def test_the_demo_story(demo):
    """One load of the demo (it takes a while), four chapters of its story."""
    check_plans_for_the_district_and_thirty_more(demo)
    check_actuals_tell_on_time_late_and_overdue(demo)
    check_one_replan_with_a_reason_and_a_second_baseline(demo)
    check_zone_map_holds_every_project_of_its_units(demo)
