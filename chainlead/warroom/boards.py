"""The three boards (作战三图) of an area or battle zone, as the West Coast ran them since 2017:

- 作战部署图 (deployment): the zone's attack targets and key projects, who answers for each
  (责任领导 · 责任单位 · 责任人), and this month's deployment (the month's planned values and
  milestones of the targets, and the plan nodes due this month);
- 作战进度图 (progress): each project's plan for this month against its actuals, with a red flag
  for a node done on time and a black flag for a node overdue (DOMAIN.md §1.3);
- 作战保障图 (support): what each department must deliver (the open plan nodes it owns), by when.

"This month" is the month of ``clock.today()``. Everything is read through the user's scope.
"""

from __future__ import annotations

import datetime
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import RoleGrant, Unit
from chainlead.organization.permissions import get_scope
from chainlead.projects.models import KeyProject
from chainlead.targets.models import AttackTarget, TargetMonthPlan
from chainlead.warroom.choices import DONE_STATUSES, NodeStatus
from chainlead.warroom.models import ScheduleNode

BOARD_KINDS = (UnitKind.AREA, UnitKind.BATTLE_ZONE)


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])


def board_zones(user):
    """Areas and battle zones whose boards the user may open: all of them for the oversight
    roles, else the ones inside the units where the user may view projects."""
    zones = Unit.objects.filter(kind__in=BOARD_KINDS, is_active=True)
    units = get_scope(user).units_for(KeyProject, "view")
    if units is None:
        return zones
    return zones.filter(pk__in=units)


def zone_projects(zone, user):
    return (
        KeyProject.objects.restrict(user, "view")
        .filter(area__path__startswith=zone.path)
        .select_related("area", "responsible_unit", "chain", "schedule")
        .order_by("area__sort_order", "area__name", "-total_investment", "pk")
    )


def zone_targets(zone, user):
    qs = AttackTarget.objects.restrict(user, "view").select_related(
        "battle_zone", "campaign", "responsible_unit"
    )
    if zone.kind == UnitKind.BATTLE_ZONE:
        qs = qs.filter(battle_zone=zone)
    else:
        qs = qs.filter(battle_zone__path__startswith=zone.path)
    return qs.order_by("battle_zone__sort_order", "number")


def commanders(unit_ids) -> dict[int, list]:
    heads: dict[int, list] = defaultdict(list)
    for grant in (
        RoleGrant.objects.filter(unit_id__in=unit_ids, role=Role.UNIT_HEAD, user__is_active=True)
        .select_related("user")
        .order_by("user__name")
    ):
        heads[grant.unit_id].append(grant.user)
    return heads


@dataclass
class ProjectProgress:
    project: KeyProject
    due_this_month: list = field(default_factory=list)
    done_this_month: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    next_node: ScheduleNode | None = None

    @property
    def red_flags(self) -> int:
        return sum(1 for n in self.done_this_month if n.status == NodeStatus.DONE_ON_TIME)

    @property
    def black_flags(self) -> int:
        return len(self.overdue)


def board_data(zone: Unit, user) -> dict:
    """Everything the three boards of ``zone`` show (a fixed number of queries)."""
    today = clock.today()
    first, last = month_bounds(today)
    projects = list(zone_projects(zone, user))
    project_ids = [p.pk for p in projects]
    targets = list(zone_targets(zone, user))
    plans = {
        p.target_id: p
        for p in TargetMonthPlan.objects.filter(target__in=[t.pk for t in targets], month=first)
    }
    for t in targets:
        t.this_month = plans.get(t.pk)
    nodes = list(
        ScheduleNode.objects.restrict(user, "view")
        .filter(schedule__project_id__in=project_ids)
        .select_related("owner_department", "schedule")
        .order_by("schedule__project_id", "sort_order", "pk")
    )
    by_project: dict[int, list] = defaultdict(list)
    for n in nodes:
        by_project[n.schedule.project_id].append(n)
    progress = []
    for p in projects:
        pnodes = by_project.get(p.pk, [])
        row = ProjectProgress(project=p)
        for n in pnodes:
            if n.due_on and first <= n.due_on <= last:
                row.due_this_month.append(n)
            if n.actual_finish and first <= n.actual_finish <= last:
                row.done_this_month.append(n)
            if n.status == NodeStatus.OVERDUE:
                row.overdue.append(n)
        open_nodes = [n for n in pnodes if not n.actual_finish and n.due_on]
        row.next_node = min(open_nodes, key=lambda n: (n.due_on, n.sort_order)) if open_nodes else None
        row.has_plan = bool(pnodes)
        progress.append(row)
    # Support: open nodes grouped by the department that must deliver them.
    groups: dict[str, dict] = {}
    for n in nodes:
        if n.actual_finish or n.status in DONE_STATUSES:
            continue
        key = f"u{n.owner_department_id}" if n.owner_department_id else f"n{n.owner_note or '-'}"
        if key not in groups:
            groups[key] = {
                "owner": str(n.owner_department) if n.owner_department_id else (n.owner_note or _("未指定")),
                "is_department": bool(n.owner_department_id),
                "nodes": [],
            }
        n.project_name = next((p.name for p in projects if p.pk == n.schedule.project_id), "")
        groups[key]["nodes"].append(n)
    support = sorted(
        groups.values(),
        key=lambda g: (
            not g["is_department"],
            -sum(1 for n in g["nodes"] if n.status == NodeStatus.OVERDUE),
            g["owner"],
        ),
    )
    for g in support:
        g["nodes"].sort(key=lambda n: (n.due_on or datetime.date.max, n.project_name))
        g["overdue"] = sum(1 for n in g["nodes"] if n.status == NodeStatus.OVERDUE)
        g["due_soon"] = sum(1 for n in g["nodes"] if n.status == NodeStatus.DUE_SOON)
        g["this_month"] = sum(1 for n in g["nodes"] if n.due_on and n.due_on <= last)
    heads = commanders([zone.pk] + ([zone.parent_id] if zone.parent_id else []))
    children = list(
        Unit.objects.filter(parent=zone, kind=UnitKind.BATTLE_ZONE, is_active=True).order_by("sort_order")
    )
    stage_counts = defaultdict(int)
    for p in projects:
        stage_counts[p.get_stage_display()] += 1
    target_counts = {
        "total": len(targets),
        "done": sum(1 for t in targets if t.status == "done"),
        "overdue": sum(1 for t in targets if t.is_overdue),
    }
    deployment_nodes = sorted(
        [n for n in nodes if n.due_on and first <= n.due_on <= last],
        key=lambda n: (n.due_on, n.sort_order),
    )
    for n in deployment_nodes:
        n.project_name = next((p.name for p in projects if p.pk == n.schedule.project_id), "")
    total_investment = sum((p.total_investment or 0) for p in projects)
    return {
        "zone": zone,
        "today": today,
        "month_first": first,
        "month_last": last,
        "commanders": heads.get(zone.pk, []),
        "area_commanders": heads.get(zone.parent_id, []) if zone.parent_id else [],
        "children": children,
        "projects": projects,
        "project_count": len(projects),
        "total_investment": total_investment,
        "stage_counts": sorted(stage_counts.items(), key=lambda kv: -kv[1]),
        "targets": targets,
        "target_counts": target_counts,
        "month_targets": [
            t
            for t in targets
            if getattr(t, "this_month", None) and (t.this_month.planned_value or t.this_month.milestone)
        ],
        "deployment_nodes": deployment_nodes,
        "progress": progress,
        "red_flags": sum(r.red_flags for r in progress),
        "black_flags": sum(r.black_flags for r in progress),
        "support": support,
        "open_nodes": sum(len(g["nodes"]) for g in support),
    }


def zone_summaries(zones, user) -> list[dict]:
    """The board index: per zone, its projects, plans, overdue nodes and attack targets."""
    zones = list(zones.select_related("parent").order_by("path"))
    visible = KeyProject.objects.restrict(user, "view")
    project_counts: dict[int, int] = defaultdict(int)
    plan_counts: dict[int, int] = defaultdict(int)
    overdue_counts: dict[int, int] = defaultdict(int)
    paths = {z.pk: z.path for z in zones}
    for area_path, plan_id, overdue in visible.filter(area__isnull=False).values_list(
        "area__path", "schedule__pk", "schedule__overdue_count"
    ):
        for zid, path in paths.items():
            if area_path.startswith(path):
                project_counts[zid] += 1
                if plan_id:
                    plan_counts[zid] += 1
                    overdue_counts[zid] += overdue or 0
    target_counts: dict[int, int] = defaultdict(int)
    for zone_id, area_id, n in (
        AttackTarget.objects.restrict(user, "view")
        .values("battle_zone_id", "battle_zone__parent_id")
        .annotate(n=Count("pk"))
        .values_list("battle_zone_id", "battle_zone__parent_id", "n")
    ):
        target_counts[zone_id] += n
        if area_id:
            target_counts[area_id] += n
    return [
        {
            "zone": zone,
            "projects": project_counts[zone.pk],
            "plans": plan_counts[zone.pk],
            "overdue": overdue_counts[zone.pk],
            "targets": target_counts[zone.pk],
        }
        for zone in zones
    ]
