"""The summary tables equal a fresh query: after a rebuild and after every kind of write
(create, edit, stage move, delete, bulk create, bulk update, QuerySet.update, an enterprise's
tags), for several periods, for the whole zone, an area and a user's scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Q

from chainlead.dashboard import summary
from chainlead.dashboard.figures import BAND_LABELS
from chainlead.dashboard.models import ProjectEvent, ProjectFact, SummaryState
from chainlead.dashboard.tests.helpers import (
    PERIODS,
    TODAY,
    dashboard,
    expected,
    make_zone,
    normalised,
    random_projects,
)
from chainlead.enterprises.models import Enterprise
from chainlead.projects import services
from chainlead.projects.choices import Stage
from chainlead.projects.metrics import Period, headline
from chainlead.projects.models import KeyProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(settings):
    settings.CHAINLEAD_TODAY = TODAY
    z = make_zone()
    random_projects(z)
    return z


def check_all(zone, label=""):
    """Every period: the dashboard = metrics.headline on a fresh query = a plain loop."""
    projects = list(KeyProject.objects.all())
    for start, end in PERIODS:
        shown = normalised(dashboard(zone.leader, start, end).values)
        fresh = normalised(headline(KeyProject.objects.all(), Period(start, end)))
        loop = normalised(expected(projects, start, end))
        assert shown == fresh == loop, f"{label} {start}…{end}: dashboard {shown} fresh {fresh} loop {loop}"


def check_breakdowns(zone, start=datetime.date(2021, 1, 1), end=TODAY):
    """Per chain, per area, per size band and per tag: the dashboard = a plain loop."""
    data = dashboard(zone.leader, start, end)
    projects = list(KeyProject.objects.select_related("enterprise"))

    def within(d):
        return d is not None and start <= d <= end

    attracted = [p for p in projects if within(p.negotiating_on)]
    for row in data.chains:
        mine = [p for p in projects if (p.chain_id or 0) == row["id"]]
        assert row["attracted"] == sum(within(p.negotiating_on) for p in mine), row["name"]
        assert row["landed"] == sum(within(p.signed_on) or within(p.registered_on) for p in mine)
        assert row["started"] == sum(within(p.started_on) for p in mine)
        assert row["in_construction"] == sum(p.stage == Stage.STARTED for p in mine)
        assert row["fai"] == sum(
            bool(p.fai_in_db and p.fai_month and start <= p.fai_month <= end) for p in mine
        )
    by_area = {a["name"]: a["attracted"] for a in data.areas}
    assert by_area["甲片区"] == sum(
        p.area_id in (zone.area_a.pk, zone.zone_a1.pk, zone.zone_a2.pk) for p in attracted
    )
    assert by_area["乙片区"] == sum(p.area_id == zone.area_b.pk for p in attracted)
    edges = [Decimal(0), Decimal(10000), Decimal(50000), Decimal(100000), Decimal(500000), Decimal(10**12)]
    for band, row in enumerate(data.bands):
        assert row["label"] == BAND_LABELS[band]
        assert row["n"] == sum(edges[band] <= p.total_investment < edges[band + 1] for p in attracted)
    for row in data.tags:
        mine = [p for p in attracted if p.enterprise and row["tag"] in (p.enterprise.source_tags or [])]
        assert row["n"] == len(mine), row["label"]
        assert row["investment"] == sum((p.total_investment for p in mine), Decimal(0))


def live_tables():
    events = sorted(ProjectEvent.objects.values_list(*summary.EVENT_COLUMNS))
    facts = sorted(
        ProjectFact.objects.exclude(n=0, investment=0, output=0).values_list(
            "grain", "kind", "month", "month2", "dim", "n", "investment", "output"
        )
    )
    return events, facts


def test_rebuilt_figures_equal_a_fresh_query(zone):
    summary.rebuild()
    check_all(zone, "rebuilt")
    check_breakdowns(zone)


def test_first_read_builds_the_tables(zone):
    assert not SummaryState.objects.exists()
    data = dashboard(zone.leader, *PERIODS[0])
    assert SummaryState.objects.get().built_at is not None
    assert data.values["attracted"] == headline(KeyProject.objects.all(), Period(*PERIODS[0]))["attracted"]


def test_every_kind_of_write_keeps_the_figures_exact(zone):
    summary.rebuild()
    projects = list(KeyProject.objects.order_by("pk"))
    a, b, c, d = projects[:4]

    # a form-style edit (save): dates, amount, chain, area
    a.negotiating_on = datetime.date(2021, 2, 14)
    a.total_investment = Decimal("123456.78")
    a.chain = zone.chains[1]
    a.area = zone.area_b
    a.save()
    check_all(zone, "save")

    # a new project
    KeyProject.objects.create(
        name="新建项目",
        responsible_unit=zone.dept,
        area=zone.zone_a2,
        negotiating_on=datetime.date(2021, 5, 5),
        signed_on=datetime.date(2021, 6, 6),
        registered_on=datetime.date(2021, 6, 6),
        total_investment=Decimal("55555.55"),
        expected_output=Decimal("77777.77"),
        stage=Stage.REGISTERED,
    )
    check_all(zone, "create")

    # a delete
    b.delete()
    check_all(zone, "delete")

    # QuerySet.update (logged bulk path: no signals)
    KeyProject.objects.filter(pk__in=[c.pk, d.pk]).update(signed_on=datetime.date(2021, 7, 1))
    check_all(zone, "queryset update")

    # bulk_update
    rows = list(KeyProject.objects.exclude(started_on=None)[:5])
    for row in rows:
        row.started_on = datetime.date(2021, 1, 15)
        row.stage = Stage.STARTED
    KeyProject.objects.bulk_update(rows, ["started_on", "stage"])
    check_all(zone, "bulk_update")

    # bulk_create
    KeyProject.objects.bulk_create(
        [
            KeyProject(
                name=f"批量{i}",
                responsible_unit=zone.area_a,
                area=zone.zone_a1,
                negotiating_on=datetime.date(2021, 8, i + 1),
                total_investment=Decimal(20000 + i),
            )
            for i in range(3)
        ]
    )
    check_all(zone, "bulk_create")

    # an enterprise's source tags change (save, then a bulk update)
    e = zone.enterprises[2]
    e.source_tags = ["unicorn"]
    e.save()
    check_breakdowns(zone)
    Enterprise.objects.filter(pk=zone.enterprises[0].pk).update(source_tags=["private500"])
    check_breakdowns(zone)

    # the incremental state equals a rebuild, row for row
    incremental = live_tables()
    summary.rebuild()
    assert live_tables() == incremental


def test_stage_moves_through_the_service(zone):
    summary.rebuild()
    from chainlead.projects.tests.factories import project, upload

    p = project(
        zone.dept, stage=Stage.NEGOTIATING, name="阶段推进项目", negotiating_on=datetime.date(2021, 3, 1)
    )
    services.advance_stage(
        p,
        Stage.SIGNED,
        on=datetime.date(2021, 4, 2),
        by=zone.office_user,
        data={
            "agreement_type": "investment",
            "contracted_investment": Decimal(50000),
            "expected_output": Decimal(90000),
            "expected_tax": Decimal(3000),
        },
        evidence=[upload("agreement")],
    )
    check_all(zone, "forward")
    services.advance_stage(p, Stage.ON_HOLD, on=datetime.date(2021, 5, 1), by=zone.office_user, reason="用地")
    check_all(zone, "hold")
    services.advance_stage(p, Stage.SIGNED, on=datetime.date(2021, 6, 1), by=zone.office_user)
    services.advance_stage(
        p, Stage.NEGOTIATING, on=datetime.date(2021, 6, 2), by=zone.office_user, reason="协议作废"
    )
    check_all(zone, "correction")
    services.advance_stage(
        p, Stage.TERMINATED, on=datetime.date(2021, 7, 1), by=zone.office_user, reason="流失"
    )
    check_all(zone, "terminate")


def test_scopes_equal_the_restricted_query(zone):
    summary.rebuild()
    for user in (zone.area_user, zone.dept_user):
        visible = KeyProject.objects.restrict(user, "view")
        for start, end in PERIODS[:3]:
            shown = normalised(dashboard(user, start, end).values)
            assert shown == normalised(headline(visible, Period(start, end))), user.username
            assert shown == normalised(expected(list(visible), start, end))
    # a leader's area filter: the area and its battle zones
    ids = [zone.area_a.pk, zone.zone_a1.pk, zone.zone_a2.pk]
    in_area = KeyProject.objects.filter(area_id__in=ids)
    shown = normalised(dashboard(zone.leader, *PERIODS[0], area=zone.area_a).values)
    assert shown == normalised(headline(in_area, Period(*PERIODS[0])))
    # an area user who also filters on one battle zone
    shown = normalised(dashboard(zone.area_user, *PERIODS[0], area=zone.zone_a1).values)
    both = KeyProject.objects.restrict(zone.area_user, "view").filter(area=zone.zone_a1)
    assert shown == normalised(headline(both, Period(*PERIODS[0])))


def test_area_user_sees_only_their_area(zone):
    summary.rebuild()
    whole = dashboard(zone.leader, *PERIODS[0]).values
    mine = dashboard(zone.area_user, *PERIODS[0]).values
    outside = KeyProject.objects.exclude(
        Q(area__path__startswith=zone.area_a.path) | Q(responsible_unit__path__startswith=zone.area_a.path)
    )
    assert outside.filter(negotiating_on__gte=PERIODS[0][0], negotiating_on__lte=PERIODS[0][1]).exists()
    assert mine["attracted"] < whole["attracted"]


def test_gaps_in_history_ids_wait_for_the_late_transaction():
    now = datetime.datetime(2021, 11, 30, 12, 0, tzinfo=datetime.UTC)
    fresh = now - datetime.timedelta(minutes=1)
    old = now - datetime.timedelta(hours=2)
    # 11 and 12 applied, 13 missing (still uncommitted), 14 applied: the frontier stops at 12
    frontier, seen = summary._advance(10, [], [(11, 1, fresh), (12, 1, fresh), (14, 2, fresh)], now)
    assert (frontier, seen) == (12, [14])
    # 13 shows up: the frontier moves over 13 and 14
    frontier, seen = summary._advance(frontier, seen, [(13, 3, fresh), (14, 2, fresh)], now)
    assert (frontier, seen) == (14, [])
    # a gap older than the grace period is a rolled-back transaction: skipped
    frontier, seen = summary._advance(20, [], [(22, 1, old)], now)
    assert (frontier, seen) == (22, [])


def test_zero_rows_are_pruned(zone):
    summary.rebuild()
    p = KeyProject.objects.exclude(negotiating_on=None).first()
    p.negotiating_on = datetime.date(2018, 1, 5)  # a month nobody else has
    p.save()
    p.negotiating_on = datetime.date(2021, 1, 5)
    p.save()
    assert ProjectFact.objects.filter(n=0, month=datetime.date(2018, 1, 1)).exists()
    summary.prune_zero_rows()
    assert not ProjectFact.objects.filter(n=0).exists()
    check_all(zone, "pruned")


def test_most_lagging_items_and_their_count(zone):
    from chainlead.dashboard.figures import lagging
    from chainlead.dashboard.panels import DashboardContext

    summary.rebuild()

    def due(p):
        if p.stage in (Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED):
            return p.planned_start_on
        if p.stage == Stage.STARTED:
            return p.planned_completion_on
        if p.stage == Stage.COMPLETED:
            return p.planned_production_on
        return None

    for user in (zone.leader, zone.area_user):
        visible = list(KeyProject.objects.restrict(user, "view"))
        late = sorted((due(p), p.pk) for p in visible if due(p) and due(p) < TODAY)
        items, total = lagging(DashboardContext(user=user, period_start=PERIODS[0][0], period_end=TODAY))
        assert total == len(late) > 0
        assert [(i["planned"], i["id"]) for i in items] == late[:10]
        assert items[0]["days"] == (TODAY - late[0][0]).days
