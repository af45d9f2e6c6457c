"""The data behind the Gantt charts (the page and the .xlsx export draw the same rows).

A project's Gantt has one row per node with three bars side by side: the approved baseline (its
latest start → latest finish, i.e. the deadlines worked back from the target), the current plan
(earliest start → earliest finish, as forecast from today and the actual dates; red on the
critical path, with the slack drawn up to the latest finish) and the actual dates (start → finish,
or → today while running). A portfolio Gantt has one row per project with the same three spans.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.warroom.choices import NodeStatus
from chainlead.warroom.models import Baseline, BaselineNode, ProjectSchedule


@dataclass
class GanttRow:
    """One row: a node of a plan, or a whole project in a portfolio."""

    key: int
    label: str
    owner: str = ""
    duration_wd: int | None = None
    early_start: datetime.date | None = None
    early_finish: datetime.date | None = None
    late_start: datetime.date | None = None
    late_finish: datetime.date | None = None
    slack_wd: int | None = None
    is_critical: bool = False
    baseline_start: datetime.date | None = None
    baseline_finish: datetime.date | None = None
    actual_start: datetime.date | None = None
    actual_finish: datetime.date | None = None
    variance_wd: int | None = None
    status: str = ""
    status_label: str = ""
    url: str = ""
    milestone: bool = False
    extra: dict = field(default_factory=dict)

    def spans(self) -> list[datetime.date]:
        return [
            d
            for d in (
                self.early_start,
                self.early_finish,
                self.late_finish,
                self.baseline_start,
                self.baseline_finish,
                self.actual_start,
                self.actual_finish,
            )
            if d
        ]


def latest_baseline(schedule: ProjectSchedule) -> Baseline | None:
    return schedule.baselines.order_by("-number").first()


def project_rows(schedule: ProjectSchedule, baseline: Baseline | None = None) -> list[GanttRow]:
    """One row per node (nodes prefetched or queried once), with the given or latest baseline."""
    baseline = baseline if baseline is not None else latest_baseline(schedule)
    base = {}
    if baseline is not None:
        base = {
            b.node_id: (b.late_start, b.late_finish)
            for b in BaselineNode.objects.filter(baseline=baseline).only(
                "node_id", "late_start", "late_finish"
            )
        }
    rows = []
    for node in schedule.nodes.all():
        b_start, b_finish = base.get(node.pk, (None, None))
        rows.append(
            GanttRow(
                key=node.pk,
                label=node.name,
                owner=node.owner_display,
                duration_wd=node.duration_wd,
                early_start=node.early_start,
                early_finish=node.early_finish,
                late_start=node.late_start,
                late_finish=node.late_finish,
                slack_wd=node.slack_wd,
                is_critical=node.is_critical,
                baseline_start=b_start,
                baseline_finish=b_finish,
                actual_start=node.actual_start,
                actual_finish=node.actual_finish,
                variance_wd=node.variance_wd,
                status=node.status,
                status_label=NodeStatus(node.status).label if node.status else "",
                url=node.get_absolute_url(),
                milestone=node.duration_wd == 0,
            )
        )
    return rows


def portfolio_rows(schedules) -> list[GanttRow]:
    """One row per plan: the spans of its nodes (two queries for any number of plans)."""
    schedules = list(
        schedules.select_related("project", "project__area").annotate(
            plan_start=Min("nodes__early_start"),
            plan_finish=Max("nodes__early_finish"),
            late_first=Min("nodes__late_start"),
            late_last=Max("nodes__late_finish"),
            actual_first=Min("nodes__actual_start"),
            actual_last=Max("nodes__actual_finish"),
            open_nodes=Count("nodes", filter=Q(nodes__actual_finish__isnull=True)),
            node_count=Count("nodes"),
            critical_open=Count("nodes", filter=Q(nodes__is_critical=True)),
        )
    )
    ids = [s.pk for s in schedules]
    latest = dict(
        Baseline.objects.filter(schedule_id__in=ids)
        .values("schedule_id")
        .annotate(m=Max("number"))
        .values_list("schedule_id", "m")
    )
    spans = {}
    if latest:
        q = Q()
        for sid, number in latest.items():
            q |= Q(baseline__schedule_id=sid, baseline__number=number)
        spans = {
            sid: (a, b)
            for sid, a, b in BaselineNode.objects.filter(q)
            .values("baseline__schedule_id")
            .annotate(a=Min("late_start"), b=Max("late_finish"))
            .values_list("baseline__schedule_id", "a", "b")
        }
    today = clock.today()
    rows = []
    for s in schedules:
        b_start, b_finish = spans.get(s.pk, (None, None))
        done = s.node_count and not s.open_nodes
        rows.append(
            GanttRow(
                key=s.pk,
                label=s.project.name,
                owner=str(s.project.area or ""),
                early_start=s.plan_start,
                early_finish=s.plan_finish,
                late_start=s.late_first,
                late_finish=s.late_last,
                slack_wd=None,
                is_critical=not s.feasible,
                baseline_start=b_start,
                baseline_finish=b_finish,
                actual_start=s.actual_first,
                actual_finish=s.actual_last if done else None,
                status=("overdue" if s.overdue_count else "ok"),
                status_label=_("逾期节点 {} 个").format(s.overdue_count) if s.overdue_count else _("正常"),
                url=s.get_absolute_url(),
                extra={
                    "target_kind": s.get_target_kind_display(),
                    "target_date": s.target_date,
                    "forecast_date": s.forecast_date,
                    "feasible": s.feasible,
                    "shortfall_wd": s.shortfall_wd,
                    "overdue_count": s.overdue_count,
                    "baseline_number": latest.get(s.pk),
                    "status": s.get_status_display(),
                    "running_until": today if s.actual_first and not done else None,
                },
            )
        )
    return rows


def chart_data(rows: list[GanttRow], *, title: str = "", portfolio: bool = False) -> dict:
    """What ``warroom/gantt.js`` draws: rows with ISO dates, today, and the labels."""
    today = clock.today()
    out = []
    for r in rows:
        actual_end = r.actual_finish or (today if r.actual_start else None)
        out.append(
            {
                "label": r.label,
                "owner": r.owner,
                "url": r.url,
                "critical": r.is_critical,
                "milestone": r.milestone,
                "status": r.status,
                "statusLabel": r.status_label,
                "slack": r.slack_wd,
                "variance": r.variance_wd,
                "plan": _pair(r.early_start, r.early_finish),
                "late": _pair(r.late_start, r.late_finish),
                "baseline": _pair(r.baseline_start, r.baseline_finish),
                "actual": _pair(r.actual_start, actual_end),
                "running": bool(r.actual_start and not r.actual_finish),
            }
        )
    return {
        "title": title,
        "today": today.isoformat(),
        "portfolio": portfolio,
        "rows": out,
        "labels": {
            "baseline": _("基线"),
            "plan": _("计划"),
            "critical": _("关键路径"),
            "slack": _("总时差"),
            "actual": _("实际"),
            "running": _("进行中"),
            "today": _("今天"),
            "wd": _("个工作日"),
            "owner": _("责任"),
            "status": _("状态"),
            "variance": _("偏差"),
        },
    }


def _pair(a, b):
    if not a or not b:
        return None
    if b < a:
        b = a
    return [a.isoformat(), b.isoformat()]


def date_range(
    rows: list[GanttRow], today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    today = today or clock.today()
    days = [d for r in rows for d in r.spans()] + [today]
    return min(days), max(days)
