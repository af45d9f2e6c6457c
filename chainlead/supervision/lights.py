"""The light engine: measure every rule W1–W8 (DOMAIN.md §5) for every subject of a period and
turn the values into colours with the ``WarningRule`` rows. It reads; it never writes (the
services write the results).

The measurements reuse the platform's own computations:

- W1 investment vs 序时进度 — ``dispatch.queries.project_progress`` (gap in percentage points);
- W2 start on time — the project's ``planned_start_on`` and ``started_on`` (months since the end
  of the planned month);
- W3 FAI entry after start — ``started_on``, ``fai_in_db`` and ``fai_month`` (months since start);
- W4 milestone overdue — ``warroom.services.node_statuses`` (calendar days; a target's own
  deadline for attack targets);
- W5 problem overdue — ``dispatch.queries.problems_overdue`` (working days past the time limit);
- W6 report timeliness — ``dispatch.queries.report_timeliness`` (consecutive missed cycles; a late
  report this cycle is yellow);
- W7 unit YTD investment growth — the W1 figures of this year against the same period last year;
- W8 unit monthly task — the unit's attack targets due each month, done by their deadline or not
  (consecutive months missed).

A measurement is taken "as of" ``on``: the period's last day, or today while the period runs.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.supervision.choices import Component, LightColor, SubjectKind
from chainlead.utilities.money import format_wan

HUNDRED = Decimal(100)
Q1 = Decimal("0.1")


@dataclass
class Measured:
    """One component light of one subject, as computed."""

    subject_kind: str
    subject_id: int
    name: str
    unit_id: int | None  # the responsible unit
    component: str
    color: str
    reason_code: str
    reason: str
    value: Decimal | None = None
    figures: dict = field(default_factory=dict)

    @property
    def subject_key(self) -> str:
        return f"{self.subject_kind}:{self.subject_id}"


# --- date helpers ---------------------------------------------------------------------------------
def add_months(day: datetime.date, n: int) -> datetime.date:
    """``day`` plus ``n`` calendar months, clamped to the month's length (31 Aug + 1 → 30 Sep)."""
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: datetime.date, end: datetime.date) -> Decimal:
    """Elapsed calendar months from ``start`` to ``end``: whole months plus the fraction of the next
    one (so "> 1" means "later than the same day next month"). Negative spans give 0."""
    if end <= start:
        return Decimal(0)
    whole = (end.year - start.year) * 12 + end.month - start.month
    while whole > 0 and add_months(start, whole) > end:
        whole -= 1
    base = add_months(start, whole)
    following = add_months(start, whole + 1)
    fraction = Decimal((end - base).days) / Decimal((following - base).days)
    return (Decimal(whole) + fraction).quantize(Decimal("0.01"))


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _pct(value) -> str:
    return f"{Decimal(value).quantize(Q1):f}" if value is not None else "—"


def as_of(period, on: datetime.date | None = None) -> datetime.date:
    """The day a period's lights are measured on: its last day, or today while it runs."""
    if on is not None:
        return on
    return min(clock.today(), period.end)


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


# --- the engine -----------------------------------------------------------------------------------
class Engine:
    """Measures one period. ``project_ids`` limits the run to some projects (a report was
    approved); units and targets are then skipped."""

    def __init__(self, period, *, rules=None, on: datetime.date | None = None, project_ids=None):
        from chainlead.supervision.models import WarningRule

        self.period = period
        self.on = as_of(period, on)
        self.rules = (
            rules if rules is not None else {r.code: r for r in WarningRule.objects.filter(is_active=True)}
        )
        self.project_ids = set(project_ids) if project_ids is not None else None
        self.out: list[Measured] = []
        self.progress: dict = {}

    def rule(self, code):
        return self.rules.get(code)

    def add(self, kind, subject_id, name, unit_id, code, value, reason_code, reason, **figures):
        rule = self.rule(code)
        color = rule.classify(value) if rule else LightColor.GREEN
        self.out.append(
            Measured(
                kind,
                subject_id,
                name,
                unit_id,
                code,
                color,
                reason_code,
                reason,
                Decimal(value).quantize(Decimal("0.01")) if value is not None else None,
                figures,
            )
        )
        return self.out[-1]

    def run(self) -> list[Measured]:
        projects = self.projects()
        self.measure_projects(projects)
        if self.project_ids is None:
            self.measure_targets()
            self.measure_units()
        return self.out

    # --- projects ---------------------------------------------------------------------------------
    def projects(self) -> dict[int, object]:
        """Projects that get a light: under construction in the period (they report), or planned
        to start by its end and not started yet."""
        from django.db.models import Q

        from chainlead.dispatch.services import expected_projects
        from chainlead.projects.choices import Stage
        from chainlead.projects.models import KeyProject

        expected = expected_projects(self.period).values("pk")
        not_started = (
            Q(planned_start_on__isnull=False, planned_start_on__lte=self.on)
            & (Q(started_on__isnull=True) | Q(started_on__gt=self.on))
            & ~Q(stage__in=[Stage.TERMINATED, Stage.ON_HOLD])
        )
        qs = KeyProject.objects.filter(Q(pk__in=expected) | not_started).only(
            "pk",
            "name",
            "responsible_unit_id",
            "annual_plan",
            "started_on",
            "planned_start_on",
            "fai_in_db",
            "fai_month",
            "completed_on",
            "stage",
            "chain_id",
            "area_id",
        )
        if self.project_ids is not None:
            qs = qs.filter(pk__in=self.project_ids)
        self.expected_ids = set(expected_projects(self.period).values_list("pk", flat=True))
        return {p.pk: p for p in qs}

    def measure_projects(self, projects: dict) -> None:
        from chainlead.dispatch import queries
        from chainlead.dispatch.choices import ItemKind

        ids = list(projects)
        under_way = [pk for pk in ids if pk in self.expected_ids]
        # W1 ---------------------------------------------------------------------------------------
        w1 = self.rule("W1")
        self.progress = queries.project_progress(self.period, under_way) if under_way else {}
        for pk in under_way:
            p = projects[pk]
            row = self.progress.get(pk)
            if w1 is None or row is None or not row.annual_plan or row.annual_plan < w1.min_annual_plan:
                continue
            gap, rate = row.gap, row.rate
            figures = {
                "ytd": str(row.ytd),
                "plan": str(row.annual_plan),
                "rate": str(rate),
                "share": str(row.share),
                "gap": str(gap),
                "reported": row.reported,
            }
            if row.report is None:
                reason = _("本年尚未报送完成投资，序时进度{}%").format(_pct(row.share))
                code = "w1_no_report"
            elif gap <= 0:
                reason = _("投资完成率{}%，达到序时进度（{}%）").format(_pct(rate), _pct(row.share))
                code = "w1_on_plan"
            else:
                reason = _("投资完成率{}%，低于序时进度{}个百分点").format(_pct(rate), _pct(gap))
                code = "w1_behind"
            self.add(
                SubjectKind.PROJECT, pk, p.name, p.responsible_unit_id, "W1", gap, code, reason, **figures
            )
        # W2 ---------------------------------------------------------------------------------------
        if self.rule("W2"):
            for p in projects.values():
                if not p.planned_start_on or (p.started_on and p.started_on <= self.on):
                    if p.planned_start_on and p.started_on and p.started_on.year == self.on.year:
                        late = p.started_on > month_end(p.planned_start_on)
                        self.add(
                            SubjectKind.PROJECT,
                            p.pk,
                            p.name,
                            p.responsible_unit_id,
                            "W2",
                            Decimal(0),
                            "w2_started_late" if late else "w2_started",
                            _("已于{}开工").format(_cn_date(p.started_on)),
                            planned=str(p.planned_start_on),
                            started=str(p.started_on),
                        )
                    continue
                deadline = month_end(p.planned_start_on)
                over = months_between(deadline, self.on)
                if over <= 0:
                    reason, code = (
                        _("计划{}年{}月开工，尚未到期").format(
                            p.planned_start_on.year, p.planned_start_on.month
                        ),
                        "w2_not_due",
                    )
                else:
                    reason = _("计划{}年{}月开工，已超期{}个月未开工").format(
                        p.planned_start_on.year, p.planned_start_on.month, _pct(over)
                    )
                    code = "w2_overdue"
                self.add(
                    SubjectKind.PROJECT,
                    p.pk,
                    p.name,
                    p.responsible_unit_id,
                    "W2",
                    over,
                    code,
                    reason,
                    planned=str(p.planned_start_on),
                )
        # W3 ---------------------------------------------------------------------------------------
        if self.rule("W3"):
            for p in projects.values():
                if not p.started_on or p.started_on > self.on:
                    continue
                in_db = p.fai_in_db and (p.fai_month is None or p.fai_month <= self.on)
                if in_db:
                    self.add(
                        SubjectKind.PROJECT,
                        p.pk,
                        p.name,
                        p.responsible_unit_id,
                        "W3",
                        None,
                        "w3_in_db",
                        _("已入库纳统"),
                        started=str(p.started_on),
                    )
                    continue
                months = months_between(p.started_on, self.on)
                self.add(
                    SubjectKind.PROJECT,
                    p.pk,
                    p.name,
                    p.responsible_unit_id,
                    "W3",
                    months,
                    "w3_not_in_db",
                    _("{}开工，已{}个月未入库纳统").format(_cn_date(p.started_on), _pct(months)),
                    started=str(p.started_on),
                )
        # W4 ---------------------------------------------------------------------------------------
        if self.rule("W4") and ids:
            from chainlead.warroom.models import ProjectSchedule
            from chainlead.warroom.services import node_statuses

            with_plan = set(
                ProjectSchedule.objects.filter(project_id__in=ids).values_list("project_id", flat=True)
            )
            overdue = (
                node_statuses(
                    ProjectSchedule.objects.filter(project_id__in=with_plan).values("project_id"), on=self.on
                )
                if with_plan
                else {}
            )
            for pk in with_plan:
                p = projects[pk]
                nodes = overdue.get(pk) or []
                if not nodes:
                    self.add(
                        SubjectKind.PROJECT,
                        pk,
                        p.name,
                        p.responsible_unit_id,
                        "W4",
                        Decimal(0),
                        "w4_on_time",
                        _("计划节点均未逾期"),
                    )
                    continue
                worst = max(nodes, key=lambda n: n.days_overdue)
                self.add(
                    SubjectKind.PROJECT,
                    pk,
                    p.name,
                    p.responsible_unit_id,
                    "W4",
                    worst.days_overdue,
                    "w4_overdue",
                    _("节点“{}”逾期{}天（共{}个节点逾期）").format(
                        worst.name, worst.days_overdue, len(nodes)
                    ),
                    nodes=[{"name": n.name, "days": n.days_overdue, "due": str(n.due_on)} for n in nodes[:5]],
                )
        # W5 / W6 (shared with targets) -------------------------------------------------------------
        lit = under_way
        self.measure_problems("project", {pk: projects[pk] for pk in ids})
        if self.rule("W6") and lit:
            self.measure_timeliness(ItemKind.PROJECT, {pk: projects[pk] for pk in lit})

    def measure_problems(self, field_name: str, subjects: dict) -> None:
        if not self.rule("W5") or not subjects:
            return
        from chainlead.dispatch import queries

        kind = SubjectKind.PROJECT if field_name == "project" else SubjectKind.TARGET
        if not hasattr(self, "_overdue_problems"):
            self._overdue_problems = queries.problems_overdue(today=self.on)
        worst: dict[int, list] = {}
        for problem, days in self._overdue_problems:
            sid = getattr(problem, f"{field_name}_id")
            if sid not in subjects:
                continue
            current = worst.get(sid)
            if current is None:
                worst[sid] = [problem, days, 1]
            else:
                current[2] += 1
                if days > current[1]:
                    current[0], current[1] = problem, days
        for sid, subject in subjects.items():
            name = getattr(subject, "name", None) or str(subject)
            if sid not in worst:
                self.add(
                    kind, sid, name, subject.responsible_unit_id, "W5", Decimal(0), "w5_none", _("无超期问题")
                )
                continue
            problem, days, count = worst[sid]
            self.add(
                kind,
                sid,
                name,
                subject.responsible_unit_id,
                "W5",
                days,
                "w5_overdue",
                _("问题“{}”超过办理时限{}个工作日").format(problem.title, days),
                problem=problem.pk,
                problems=count,
                lead=str(problem.lead_unit or ""),
            )

    def measure_timeliness(self, kind: str, subjects: dict) -> None:
        from chainlead.dispatch import queries

        skind = SubjectKind.PROJECT if kind == "project" else SubjectKind.TARGET
        states = queries.report_timeliness(kind, list(subjects), cycles=2, now=_end_of_day(self.on))
        rule = self.rule("W6")
        for sid, subject in subjects.items():
            seq = states.get(sid)
            if not seq:
                continue
            missed = 0
            for state in seq:
                if state != "missing":
                    break
                missed += 1
            name = getattr(subject, "name", None) or str(subject)
            if missed:
                reason = _("连续{}期未报送").format(missed) if missed > 1 else _("上期未报送")
                code = "w6_missing"
            elif seq[0] == "late":
                reason, code = _("上期迟报"), "w6_late"
            else:
                reason, code = _("按时报送"), "w6_on_time"
            m = self.add(
                skind, sid, name, subject.responsible_unit_id, "W6", missed, code, reason, states=seq
            )
            if code == "w6_late" and m.color == LightColor.GREEN and rule.yellow_at is not None:
                m.color = LightColor.YELLOW  # "late this cycle" is yellow whatever the miss count

    # --- attack targets ---------------------------------------------------------------------------
    def measure_targets(self) -> None:
        from chainlead.dispatch.choices import ItemKind
        from chainlead.dispatch.services import expected_targets

        targets = {
            t.pk: t
            for t in expected_targets(self.period).only(
                "pk", "title", "number", "responsible_unit_id", "deadline", "done_on", "status"
            )
        }
        for t in targets.values():
            t.name = t.title
        if self.rule("W4"):
            for t in targets.values():
                done = t.done_on is not None and t.done_on <= self.on
                if done:
                    days = max(0, (t.done_on - t.deadline).days)
                    self.add(
                        SubjectKind.TARGET,
                        t.pk,
                        t.name,
                        t.responsible_unit_id,
                        "W4",
                        Decimal(0),
                        "w4_done",
                        _("已于{}完成").format(_cn_date(t.done_on))
                        + (_("（逾期{}天）").format(days) if days else ""),
                    )
                elif t.deadline < self.on:
                    days = (self.on - t.deadline).days
                    self.add(
                        SubjectKind.TARGET,
                        t.pk,
                        t.name,
                        t.responsible_unit_id,
                        "W4",
                        days,
                        "w4_overdue",
                        _("完成时限{}，已逾期{}天").format(_cn_date(t.deadline), days),
                        deadline=str(t.deadline),
                    )
                else:
                    self.add(
                        SubjectKind.TARGET,
                        t.pk,
                        t.name,
                        t.responsible_unit_id,
                        "W4",
                        Decimal(0),
                        "w4_on_time",
                        _("完成时限{}，未到期").format(_cn_date(t.deadline)),
                        deadline=str(t.deadline),
                    )
        self.measure_problems("target", targets)
        if self.rule("W6") and targets:
            self.measure_timeliness(ItemKind.TARGET, targets)

    # --- units ------------------------------------------------------------------------------------
    def measure_units(self) -> None:
        from chainlead.organization.models import Unit

        names = dict(Unit.objects.values_list("pk", "name"))
        if self.rule("W7"):
            self.measure_growth(names)
        if self.rule("W8"):
            self.measure_tasks(names)

    def measure_growth(self, names: dict) -> None:
        """W7: YTD investment of each responsible unit's projects vs the same period last year."""
        from chainlead.dispatch import queries
        from chainlead.dispatch.models import Period

        last = (
            Period.objects.select_related("cycle")
            .filter(cycle=self.period.cycle, start=self.period.start.replace(year=self.period.start.year - 1))
            .first()
        )
        if last is None:
            return
        before = queries.project_progress(last)
        now_rows = self.progress or queries.project_progress(self.period)
        this_year, last_year = defaultdict(Decimal), defaultdict(Decimal)
        for row in now_rows.values():
            this_year[row.project.responsible_unit_id] += row.ytd
        for row in before.values():
            last_year[row.project.responsible_unit_id] += row.ytd
        total_now, total_before = sum(this_year.values(), Decimal(0)), sum(last_year.values(), Decimal(0))
        average = ((total_now - total_before) * HUNDRED / total_before).quantize(Q1) if total_before else None
        rule = self.rule("W7")
        for unit_id, base in last_year.items():
            if not base or unit_id is None:
                continue
            growth = ((this_year.get(unit_id, Decimal(0)) - base) * HUNDRED / base).quantize(Q1)
            m = self.add(
                SubjectKind.UNIT,
                unit_id,
                names.get(unit_id, ""),
                unit_id,
                "W7",
                growth,
                "w7_growth",
                _("本年累计完成投资{}万元，同比增长{}%（全区平均{}%，目标{}%）").format(
                    format_wan(this_year.get(unit_id, 0)),
                    _pct(growth),
                    _pct(average),
                    _pct(rule.yellow_at) if rule.yellow_at is not None else "—",
                ),
                ytd=str(this_year.get(unit_id, 0)),
                last=str(base),
                average=str(average),
            )
            if (
                m.color == LightColor.GREEN
                and rule.compare_average
                and average is not None
                and growth < average
            ):
                m.color = LightColor.YELLOW
                m.reason_code = "w7_below_average"
            elif m.color != LightColor.GREEN:
                m.reason_code = "w7_negative" if growth < 0 else "w7_below_target"

    def measure_tasks(self, names: dict) -> None:
        """W8: a unit misses a month when one of its attack targets due that month was not done by
        its deadline; consecutive missed months up to this period."""
        from chainlead.targets.choices import TargetStatus
        from chainlead.targets.models import AttackTarget

        year = self.period.end.year
        rows = (
            AttackTarget.objects.exclude(status=TargetStatus.CANCELLED)
            .filter(deadline__year=year, deadline__lte=self.on)
            .values_list("responsible_unit_id", "deadline", "done_on", "title")
        )
        months: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for unit_id, deadline, done_on, title in rows:
            missed = done_on is None or done_on > deadline
            months[unit_id][deadline.month].append((missed, title))
        current = self.on.month
        for unit_id, by_month in months.items():
            streak, m = 0, current
            while m >= 1 and any(missed for missed, _t in by_month.get(m, [])):
                streak += 1
                m -= 1
            due_now = by_month.get(current, [])
            missed_now = [t for missed, t in due_now if missed]
            if streak:
                reason = _("本月{}项攻坚任务未按期完成（如“{}”）").format(len(missed_now), missed_now[0])
                if streak > 1:
                    reason += _("，已连续{}个月未完成").format(streak)
                code = "w8_missed"
            elif due_now:
                reason, code = _("本月到期的{}项攻坚任务均按期完成").format(len(due_now)), "w8_done"
            else:
                reason, code = _("本月无到期攻坚任务"), "w8_none_due"
            self.add(
                SubjectKind.UNIT,
                unit_id,
                names.get(unit_id, ""),
                unit_id,
                "W8",
                streak,
                code,
                reason,
                due=len(due_now),
                missed=len(missed_now),
            )


def _cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def measure(period, *, on=None, project_ids=None, rules=None) -> list[Measured]:
    """Every component light of ``period`` (or of some of its projects)."""
    return Engine(period, on=on, project_ids=project_ids, rules=rules).run()


def overall_of(components: list) -> tuple[str, object | None]:
    """(overall colour, the worst component) from objects with ``effective_color`` or ``color``."""
    from chainlead.supervision.choices import COLOR_RANK

    worst_item, worst_rank = None, -1
    for item in components:
        color = getattr(item, "effective_color", None) or item.color
        rank = COLOR_RANK[LightColor(color)]
        if rank > worst_rank:
            worst_item, worst_rank = item, rank
    if worst_item is None:
        return LightColor.GREEN, None
    return (getattr(worst_item, "effective_color", None) or worst_item.color), worst_item


COMPONENT_ORDER = {c.value: i for i, c in enumerate(Component)}
