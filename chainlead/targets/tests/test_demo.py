"""The demo's story: 交通商务区 and its six battle zones fight six campaigns with 89 targets."""

import datetime

import pytest
from django.db.models import Sum

from chainlead.core.demo import DemoContext
from chainlead.organization import demo as organization_demo
from chainlead.targets import demo as targets_demo
from chainlead.targets.choices import TargetStatus
from chainlead.targets.models import AttackTarget, Campaign, TargetMonthPlan, TargetProject
from chainlead.targets.tests.factories import make_project

pytestmark = pytest.mark.django_db
STORY = datetime.date(2021, 11, 30)


@pytest.fixture
def ctx():
    ctx = DemoContext(verbosity=0)
    organization_demo.load(ctx)
    return ctx


def test_exactly_89_targets_in_the_transport_business_district(ctx):
    targets_demo.load(ctx)
    district = ctx.units["jtsw"]
    assert AttackTarget.objects.filter(battle_zone__parent=district).count() == 89
    assert len(ctx.extra["targets"]) == 89
    assert Campaign.objects.filter(area=district, year=2021).count() == 6
    for i in range(1, 7):
        numbers = list(
            AttackTarget.objects.filter(battle_zone=ctx.units[f"bz{i}"])
            .order_by("number")
            .values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1)), f"bz{i} is not numbered 1..n"


def test_the_story_as_of_november_2021(ctx):
    targets_demo.load(ctx)
    targets = list(AttackTarget.objects.all())
    due_by_october = [t for t in targets if t.deadline <= datetime.date(2021, 10, 31)]
    done = [t for t in due_by_october if t.status == TargetStatus.DONE]
    overdue = [t for t in due_by_october if t.status == TargetStatus.IN_PROGRESS]
    assert len(done) > 0.8 * len(due_by_october)
    assert 1 <= len(overdue) <= 8
    late = [t for t in targets if t.is_done_late]
    assert 1 <= len(late) < len(done) / 2, "a few done late, most on time"
    assert all(t.done_on <= STORY for t in targets if t.done_on)
    assert any(t.deadline.year == 2022 for t in targets)
    for t in targets:
        assert t.responsible_phone.startswith("138") and len(t.responsible_phone) == 11
        assert t.responsible_leader and t.responsible_person
        plans = TargetMonthPlan.objects.filter(target=t)
        assert plans.aggregate(s=Sum("planned_value"))["s"] == t.goal_value, t
        assert (plans.aggregate(s=Sum("actual_value"))["s"] or 0) == t.actual_value, t
        assert plans.filter(month__year=2021).exists()


def test_same_data_every_time(ctx):
    targets_demo.load(ctx)
    first = list(
        AttackTarget.objects.order_by("battle_zone__sort_order", "number").values_list(
            "title", "goal_value", "status"
        )
    )
    AttackTarget.objects.all().delete()
    Campaign.objects.all().delete()
    again = DemoContext(verbosity=0)
    again.units = ctx.units
    targets_demo.load(again)
    second = list(
        AttackTarget.objects.order_by("battle_zone__sort_order", "number").values_list(
            "title", "goal_value", "status"
        )
    )
    assert first == second


def test_projects_are_linked_when_the_projects_demo_ran(ctx):
    projects = [
        make_project(ctx.units["jtsw"], f"交通商务区重点项目{i}", area=ctx.units[f"bz{i % 6 + 1}"])
        for i in range(19)
    ]
    ctx.extra["projects_jtsw"] = projects
    targets_demo.load(ctx)
    linked = set(TargetProject.objects.values_list("project_id", flat=True))
    assert linked == {p.pk for p in projects}, "every key project serves some target"


def test_no_projects_no_links(ctx):
    targets_demo.load(ctx)
    assert not TargetProject.objects.exists()
