"""Read-side functions other apps use (the warning lights of issue 6, the dashboard) and the
meeting agenda: investment against plan per project (W1), report timeliness per item (W6), and
problems overdue in working days (W5). They read; they never write.

Definitions
- *time-elapsed share* (序时进度) after a period ending in month m: m/12 of the annual plan;
- *ytd* of a project for a period: the year-to-date figure of its latest counted report (submitted,
  approved or locked) up to that period in the same year; 0 if none;
- *gap* (percentage points) = time-elapsed share − ytd / annual plan.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from chainlead.core import clock
from chainlead.core.workdays import WorkCalendar
from chainlead.dispatch.choices import ACTIVE_PROBLEM_STATES, COUNTED_REPORT_STATES, ItemKind
from chainlead.dispatch.models import Period, Problem, ProgressReport

HUNDRED = Decimal(100)


def time_elapsed_share(period: Period | None) -> Decimal:
    """序时进度 at the end of ``period`` in % (linear: m/12)."""
    if period is None:
        return Decimal(0)
    return (Decimal(period.end.month) * HUNDRED / 12).quantize(Decimal("0.1"))


@dataclass
class ProjectProgress:
    """W1 inputs of one project at one period."""

    project: object
    ytd: Decimal = Decimal(0)
    annual_plan: Decimal = Decimal(0)
    share: Decimal = Decimal(0)
    reported: bool = False  # has a counted report for this very period
    report: ProgressReport | None = None

    @property
    def rate(self) -> Decimal | None:
        """投资完成率 = ytd / annual plan, in %."""
        if not self.annual_plan:
            return None
        return (self.ytd * HUNDRED / self.annual_plan).quantize(Decimal("0.1"))

    @property
    def gap(self) -> Decimal | None:
        """序时% − 完成率%, in percentage points (positive = behind)."""
        if self.rate is None:
            return None
        return (self.share - self.rate).quantize(Decimal("0.1"))


def project_progress(period: Period | None, project_ids=None) -> dict[int, ProjectProgress]:
    """{project id: ProjectProgress} at ``period`` for the given projects (default: every project
    with a counted report this year). Two queries."""
    from chainlead.projects.models import KeyProject

    if period is None:
        return {}
    share = time_elapsed_share(period)
    reports = ProgressReport.objects.filter(
        project__isnull=False,
        status__in=COUNTED_REPORT_STATES,
        period__end__year=period.end.year,
        period__end__lte=period.end,
    ).select_related("period")
    if project_ids is not None:
        reports = reports.filter(project_id__in=list(project_ids))
    latest: dict[int, ProgressReport] = {}
    for report in reports.order_by("period__start"):
        latest[report.project_id] = report
    ids = set(project_ids) if project_ids is not None else set(latest)
    projects = KeyProject.objects.in_bulk(list(ids))
    out = {}
    for pk, project in projects.items():
        report = latest.get(pk)
        out[pk] = ProjectProgress(
            project=project,
            ytd=report.ytd_completed if report else Decimal(0),
            annual_plan=project.annual_plan or Decimal(0),
            share=share,
            reported=bool(report and report.period_id == period.pk),
            report=report,
        )
    return out


def ytd_and_plan(project, period: Period) -> tuple[Decimal, Decimal]:
    """W1: (ytd completed, annual plan) of one project at one period, in 万元."""
    row = project_progress(period, [project.pk]).get(project.pk)
    return (row.ytd, row.annual_plan) if row else (Decimal(0), project.annual_plan or Decimal(0))


def lagging_projects(period: Period | None, *, threshold: Decimal = Decimal(10), limit: int | None = None):
    """Projects under construction in ``period`` whose completion rate trails the time-elapsed
    share by ``threshold`` percentage points or more, or that have not reported; worst first."""
    from chainlead.dispatch.services import expected_projects

    if period is None:
        return []
    ids = list(expected_projects(period).filter(annual_plan__gt=0).values_list("pk", flat=True))
    rows = [
        row
        for row in project_progress(period, ids).values()
        if not row.reported or (row.gap is not None and row.gap >= threshold)
    ]
    rows.sort(key=lambda r: (-(r.gap or 0), r.project.name))
    return rows[:limit] if limit else rows


def report_timeliness(kind: str = ItemKind.PROJECT, item_ids=None, *, cycles: int = 2, now=None) -> dict:
    """W6: for each item, the timeliness of its reports in the last ``cycles`` periods whose deadline
    has passed, newest first: "on_time", "late" or "missing". ``{item_id: [..]}``."""
    now = now or clock.now()
    periods = list(
        Period.objects.select_related("cycle")
        .filter(cycle__item_kind=kind, cycle__is_active=True, due_at__lt=now)
        .order_by("-start")[:cycles]
    )
    if not periods:
        return {}
    field = "project" if kind == ItemKind.PROJECT else "target"
    reports = ProgressReport.objects.filter(period__in=periods, **{f"{field}__isnull": False})
    if item_ids is not None:
        reports = reports.filter(**{f"{field}_id__in": list(item_ids)})
    seen: dict[tuple[int, int], ProgressReport] = {
        (getattr(r, f"{field}_id"), r.period_id): r
        for r in reports.only("pk", "period_id", f"{field}_id", "status", "is_late")
    }
    from chainlead.dispatch.services import expected_items

    out: dict[int, list[str]] = {}
    for period in periods:
        expected = expected_items(period).values_list("pk", flat=True)
        if item_ids is not None:
            expected = expected.filter(pk__in=list(item_ids))
        for item_id in expected:
            report = seen.get((item_id, period.pk))
            if report is None or report.status not in COUNTED_REPORT_STATES:
                state = "missing"
            elif report.is_late:
                state = "late"
            else:
                state = "on_time"
            out.setdefault(item_id, []).append(state)
    return out


def problems_overdue(today: datetime.date | None = None, cal: WorkCalendar | None = None) -> list[tuple]:
    """W5: [(problem, working days past its answer time limit)] for every active overdue problem."""
    today = today or clock.today()
    cal = cal or WorkCalendar.load()
    out = []
    for problem in (
        Problem.objects.filter(status__in=list(ACTIVE_PROBLEM_STATES), due_on__lt=today)
        .select_related("lead_unit", "project", "target")
        .order_by("due_on")
    ):
        out.append((problem, cal.between(problem.due_on, today)))
    return out


def problem_overdue_workdays(problem: Problem, today: datetime.date | None = None, cal=None) -> int:
    """W5 for one problem: 0 when not overdue."""
    today = today or clock.today()
    if problem.status not in ACTIVE_PROBLEM_STATES or not problem.due_on or problem.due_on >= today:
        return 0
    cal = cal or WorkCalendar.load()
    return cal.between(problem.due_on, today)
