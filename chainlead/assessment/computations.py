"""The registry of named computations: how a computed indicator measures each subject from the
platform's data (projects, enterprises, dispatch, targets, supervision).

Each computation is ``func(ctx) -> {subject key: Measure}`` and is registered with its label, its
unit and its definition in words (shown on the indicator's 口径 page)::

    @computation("start_rate", _("计划新开工项目开工率"), "%", _("…口径…"))
    def start_rate(ctx): ...

Subjects: a zone (功能区) or battle zone counts the projects located in it or below it (``area``;
a project with no location counts for its responsible unit); a department counts the projects
it is responsible for; a chain counts the projects on it. Period-based counts use the period's
dates; rates that run over the year ("开工率", "投资完成率") count from 1 January to the period end.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainlead.assessment.choices import SubjectKind
from chainlead.assessment.scoring import Measure

YI = Decimal(10000)  # 万元 per 亿元


@dataclass
class Subject:
    """A unit or a chain being assessed. ``key`` is its id; ``path`` the unit's tree path."""

    key: int
    name: str
    unit: object = None
    chain: object = None
    path: str = ""


@dataclass
class ComputeContext:
    """What every computation gets: the subjects, the period, and a per-run cache."""

    kind: str
    start: datetime.date
    end: datetime.date
    subjects: list[Subject]
    cache: dict = field(default_factory=dict)

    @property
    def year_start(self) -> datetime.date:
        return self.end.replace(month=1, day=1)

    def in_period(self, d) -> bool:
        return d is not None and self.start <= d <= self.end

    def in_year(self, d) -> bool:
        return d is not None and self.year_start <= d <= self.end

    def unit_subjects(self, *paths: str | None) -> set[int]:
        """Subjects whose unit subtree holds any of the unit ``paths``."""
        out = set()
        for path in paths:
            if not path:
                continue
            for s in self.subjects:
                if s.path and path.startswith(s.path):
                    out.add(s.key)
        return out


@dataclass(frozen=True)
class Computation:
    code: str
    label: str
    unit: str
    definition: str
    func: Callable
    kinds: frozenset = frozenset(SubjectKind.values)


REGISTRY: dict[str, Computation] = {}


def computation(code: str, label, unit: str, definition, *, kinds=None):
    """Register ``func(ctx)`` as the computation called ``code``."""

    def decorator(func):
        REGISTRY[code] = Computation(
            code, label, unit, definition, func, frozenset(kinds or SubjectKind.values)
        )
        return func

    return decorator


def computation_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(c.code, f"{c.label}（{c.code}）") for c in REGISTRY.values()]


# --- subjects ------------------------------------------------------------------------------------
def subjects_for(kind: str) -> list[Subject]:
    """Everything of ``kind`` that is assessed: active areas, battle zones, departments, chains."""
    from chainlead.organization.choices import UnitKind
    from chainlead.organization.models import Unit

    if kind == SubjectKind.CHAIN:
        from chainlead.chains.models import KeyChain

        return [
            Subject(c.pk, c.short_name or c.name, chain=c)
            for c in KeyChain.objects.filter(is_active=True).order_by("sort_order", "pk")
        ]
    unit_kind = {
        SubjectKind.ZONE: UnitKind.AREA,
        SubjectKind.BATTLE_ZONE: UnitKind.BATTLE_ZONE,
        SubjectKind.DEPARTMENT: UnitKind.DEPARTMENT,
    }[kind]
    return [
        Subject(u.pk, u.name, unit=u, path=u.path)
        for u in Unit.objects.filter(kind=unit_kind, is_active=True).order_by("sort_order", "path")
    ]


def _project_rows(ctx: ComputeContext) -> list[dict]:
    """Every project that can count this year, with the subjects it counts for. One query per run."""
    if "projects" not in ctx.cache:
        from chainlead.projects.choices import Stage
        from chainlead.projects.models import KeyProject

        rows = list(
            KeyProject.objects.exclude(stage=Stage.LEAD)
            .values(
                "pk",
                "stage",
                "total_investment",
                "contracted_investment",
                "annual_plan",
                "chain_id",
                "chain_node_id",
                "signed_on",
                "registered_on",
                "started_on",
                "completed_on",
                "production_on",
                "planned_start_on",
                "planned_completion_on",
                "planned_production_on",
                "fai_in_db",
                "enterprise_id",
                "enterprise_in_stats",
                "stats_month",
                "area__path",
                "responsible_unit__path",
                "enterprise__source_tags",
            )
            .order_by("pk")
        )
        for row in rows:
            if ctx.kind == SubjectKind.CHAIN:
                row["subjects"] = {row["chain_id"]} if row["chain_id"] else set()
            elif ctx.kind == SubjectKind.DEPARTMENT:
                row["subjects"] = ctx.unit_subjects(row["responsible_unit__path"])
            else:
                row["subjects"] = ctx.unit_subjects(row["area__path"] or row["responsible_unit__path"])
        ctx.cache["projects"] = rows
    return ctx.cache["projects"]


def _landed(ctx, row) -> bool:
    """Signed or registered (落地) in the period; a project counts once."""
    return ctx.in_period(row["signed_on"]) or (
        row["signed_on"] is None and ctx.in_period(row["registered_on"])
    )


def _tally(ctx, rows, value=lambda row: 1) -> dict[int, Measure]:
    totals = {s.key: Decimal(0) for s in ctx.subjects}
    for row in rows:
        for key in row["subjects"]:
            if key in totals:
                totals[key] += Decimal(value(row))
    return {k: Measure(v) for k, v in totals.items()}


def _rate(ctx, rows, counted) -> dict[int, Measure]:
    num = {s.key: 0 for s in ctx.subjects}
    den = {s.key: 0 for s in ctx.subjects}
    for row in rows:
        for key in row["subjects"]:
            if key in den:
                den[key] += 1
                num[key] += 1 if counted(row) else 0
    return {k: Measure.rate(num[k], den[k]) for k in den}


# --- attraction ----------------------------------------------------------------------------------
@computation(
    "signed_1yi_count",
    _("新签约亿元以上项目个数"),
    "个",
    _(
        "统计期内签约（未签约的以注册日期计）且计划总投资不低于1亿元（10000万元）的项目个数，同一项目只计一次。"
    ),
)
def signed_1yi_count(ctx):
    return _tally(
        ctx, [r for r in _project_rows(ctx) if _landed(ctx, r) and (r["total_investment"] or 0) >= YI]
    )


@computation(
    "contracted_investment",
    _("签约项目合同投资额"),
    "亿元",
    _("统计期内签约（或注册）项目的合同投资之和，未填合同投资的按计划总投资计，以亿元计。"),
)
def contracted_investment(ctx):
    def amount(row):
        return (row["contracted_investment"] or row["total_investment"] or 0) / YI

    return _tally(ctx, [r for r in _project_rows(ctx) if _landed(ctx, r)], amount)


@computation(
    "chain_fit_share",
    _("签约项目链上占比"),
    "%",
    _("统计期内签约（或注册）的项目中，已落到重点产业链图谱节点上的项目所占比例。"),
)
def chain_fit_share(ctx):
    return _rate(
        ctx, [r for r in _project_rows(ctx) if _landed(ctx, r)], lambda r: r["chain_node_id"] is not None
    )


# --- construction --------------------------------------------------------------------------------
@computation(
    "start_rate",
    _("计划新开工项目开工率"),
    "%",
    _("计划开工日期在本年1月1日至考核期末的项目中，到考核期末已开工（有开工日期）的项目所占比例。"),
)
def start_rate(ctx):
    rows = [r for r in _project_rows(ctx) if ctx.in_year(r["planned_start_on"])]
    return _rate(ctx, rows, lambda r: r["started_on"] is not None and r["started_on"] <= ctx.end)


@computation(
    "ytd_investment_rate",
    _("年度计划投资完成率"),
    "%",
    _(
        "在建项目本年累计完成投资之和 ÷ 年度计划投资之和。累计完成投资取各项目截至考核期末最近一期已报送（已提交、已审核或已锁定）的月度进度报告；年度计划为0的项目不计。"
    ),
)
def ytd_investment_rate(ctx):
    from chainlead.dispatch.choices import ItemKind
    from chainlead.dispatch.models import Period
    from chainlead.dispatch.queries import project_progress

    period = (
        Period.objects.filter(cycle__item_kind=ItemKind.PROJECT, end__lte=ctx.end, end__year=ctx.end.year)
        .order_by("-end", "-pk")
        .first()
    )
    rows = [
        r
        for r in _project_rows(ctx)
        if (r["annual_plan"] or 0) > 0 and r["started_on"] and r["started_on"] <= ctx.end
    ]
    progress = project_progress(period, [r["pk"] for r in rows]) if period else {}
    ytd = {s.key: Decimal(0) for s in ctx.subjects}
    plan = {s.key: Decimal(0) for s in ctx.subjects}
    for row in rows:
        done = progress[row["pk"]].ytd if row["pk"] in progress else Decimal(0)
        for key in row["subjects"]:
            if key in plan:
                ytd[key] += done
                plan[key] += row["annual_plan"]
    note = str(_("截至{}")).format(period.label) if period else str(_("考核期内无月度调度期"))
    return {k: Measure.rate(ytd[k], plan[k], note) for k in plan}


@computation(
    "completion_rate",
    _("计划竣工投产项目完成率"),
    "%",
    _("计划竣工或计划投产日期在本年1月1日至考核期末的项目中，到考核期末已竣工或已投产的项目所占比例。"),
)
def completion_rate(ctx):
    rows = [
        r
        for r in _project_rows(ctx)
        if ctx.in_year(r["planned_completion_on"]) or ctx.in_year(r["planned_production_on"])
    ]

    def done(r):
        return any(d is not None and d <= ctx.end for d in (r["completed_on"], r["production_on"]))

    return _rate(ctx, rows, done)


# --- statistics ----------------------------------------------------------------------------------
@computation(
    "new_four_above",
    _("新增四上企业个数"),
    "个",
    _("统计期内项目企业纳入“四上”统计的个数（以项目的“企业纳统月份”计，同一企业只计一次）。"),
)
def new_four_above(ctx):
    start = ctx.start.replace(day=1)
    seen: dict[int, set] = {s.key: set() for s in ctx.subjects}
    for r in _project_rows(ctx):
        month = r["stats_month"]
        if r["enterprise_in_stats"] and month and start <= month <= ctx.end:
            ident = r["enterprise_id"] or f"p{r['pk']}"
            for key in r["subjects"]:
                if key in seen:
                    seen[key].add(ident)
    return {k: Measure(Decimal(len(v))) for k, v in seen.items()}


@computation(
    "fai_entry_rate",
    _("开工项目入库率"),
    "%",
    _("本年1月1日至考核期末开工的项目中，已纳入固定资产投资统计库（入库）的项目所占比例。"),
)
def fai_entry_rate(ctx):
    rows = [r for r in _project_rows(ctx) if ctx.in_year(r["started_on"])]
    return _rate(ctx, rows, lambda r: r["fai_in_db"])


# --- mechanism -----------------------------------------------------------------------------------
def _unit_filter(ctx, subject, *paths: str) -> Q:
    q = Q()
    for path in paths:
        q |= Q(**{f"{path}__path__startswith": subject.path})
    return q


@computation(
    "late_reports",
    _("迟报次数"),
    "次",
    _("调度期截止日期在考核期内、首次提交晚于截止时间的进度报告份数（按填报单位计）。"),
    kinds=[SubjectKind.ZONE, SubjectKind.BATTLE_ZONE, SubjectKind.DEPARTMENT, SubjectKind.CHAIN],
)
def late_reports(ctx):
    from chainlead.dispatch.models import ProgressReport

    qs = ProgressReport.objects.filter(is_late=True, period__end__gte=ctx.start, period__end__lte=ctx.end)
    out = {}
    for s in ctx.subjects:
        f = (
            Q(project__chain_id=s.key)
            if ctx.kind == SubjectKind.CHAIN
            else _unit_filter(ctx, s, "responsible_unit")
        )
        out[s.key] = Measure(Decimal(qs.filter(f).count()))
    return out


@computation(
    "problem_resolution_rate",
    _("问题限时办结率"),
    "%",
    _(
        "答复时限在考核期内的问题中，在时限内办结（办结日期不晚于答复时限）的问题所占比例。功能区、战区按其项目和由其牵头的问题计，部门按牵头办理的问题计。"
    ),
)
def problem_resolution_rate(ctx):
    from django.db.models import Count, F

    from chainlead.dispatch.models import Problem

    qs = Problem.objects.filter(due_on__gte=ctx.start, due_on__lte=ctx.end)
    out = {}
    for s in ctx.subjects:
        if ctx.kind == SubjectKind.CHAIN:
            f = Q(project__chain_id=s.key)
        elif ctx.kind == SubjectKind.DEPARTMENT:
            f = _unit_filter(ctx, s, "lead_unit")
        else:
            f = _unit_filter(ctx, s, "lead_unit", "project__area", "target__battle_zone")
        agg = qs.filter(f).aggregate(
            n=Count("pk", distinct=True), k=Count("pk", distinct=True, filter=Q(resolved_on__lte=F("due_on")))
        )
        out[s.key] = Measure.rate(agg["k"], agg["n"])
    return out


@computation(
    "targets_on_time",
    _("攻坚目标按期完成率"),
    "%",
    _("完成时限在考核期内的攻坚目标（已取消的不计）中，在时限内完成的目标所占比例。"),
)
def targets_on_time(ctx):
    from django.db.models import Count, F

    from chainlead.targets.choices import TargetStatus
    from chainlead.targets.models import AttackTarget

    qs = AttackTarget.objects.filter(deadline__gte=ctx.start, deadline__lte=ctx.end).exclude(
        status=TargetStatus.CANCELLED
    )
    out = {}
    for s in ctx.subjects:
        if ctx.kind == SubjectKind.CHAIN:
            out[s.key] = Measure(None)
            continue
        agg = qs.filter(_unit_filter(ctx, s, "battle_zone", "responsible_unit")).aggregate(
            n=Count("pk", distinct=True),
            k=Count("pk", distinct=True, filter=Q(status=TargetStatus.DONE, done_on__lte=F("deadline"))),
        )
        out[s.key] = Measure.rate(agg["k"], agg["n"])
    return out


def _by_unit_tree(ctx, values: dict, combine) -> dict[int, list]:
    """Group per-unit figures under the subjects whose subtree holds the unit."""
    from chainlead.organization.models import Unit

    paths = dict(Unit.objects.filter(pk__in=list(values)).values_list("pk", "path"))
    out: dict[int, list] = {s.key: [] for s in ctx.subjects}
    for unit_id, value in values.items():
        for key in ctx.unit_subjects(paths.get(unit_id)):
            out[key].append((unit_id, value))
    return {k: combine(k, v) for k, v in out.items()}


@computation(
    "rectification_rate",
    _("通报问题整改率"),
    "%",
    _("督查通报点名问题在考核期内的整改完成比例（取自督查通报模块）；下属单位的整改率取平均。"),
    kinds=[SubjectKind.ZONE, SubjectKind.BATTLE_ZONE, SubjectKind.DEPARTMENT],
)
def rectification_rate(ctx):
    from chainlead.supervision.queries import rectification_rates

    rates = {int(k): v for k, v in (rectification_rates(ctx.start, ctx.end) or {}).items()}

    def combine(key, pairs):
        own = [v for unit_id, v in pairs if unit_id == key]
        values = own or [v for _u, v in pairs]
        if not values:
            return Measure(None)
        return Measure(Decimal(str(sum(values) / len(values))).quantize(Decimal("0.0001")))

    return _by_unit_tree(ctx, rates, combine)


# --- bonus and penalty ---------------------------------------------------------------------------
BIG_NAME_TAGS = {"fortune500", "central_soe", "listed"}


@computation(
    "big_name_projects",
    _("世界500强、央企、上市公司投资项目"),
    "个",
    _("统计期内签约（或注册）、投资企业带有“世界500强”“央企”或“上市公司”来源标签的项目个数。"),
)
def big_name_projects(ctx):
    def tagged(r):
        return bool(BIG_NAME_TAGS & set(r["enterprise__source_tags"] or []))

    return _tally(ctx, [r for r in _project_rows(ctx) if _landed(ctx, r) and tagged(r)])


@computation(
    "projects_10yi",
    _("10亿元以上签约项目"),
    "个",
    _("统计期内签约（或注册）、计划总投资不低于10亿元且低于50亿元的项目个数。"),
)
def projects_10yi(ctx):
    return _tally(
        ctx,
        [
            r
            for r in _project_rows(ctx)
            if _landed(ctx, r) and 10 * YI <= (r["total_investment"] or 0) < 50 * YI
        ],
    )


@computation(
    "projects_50yi",
    _("50亿元以上签约项目"),
    "个",
    _("统计期内签约（或注册）、计划总投资不低于50亿元的项目个数。"),
)
def projects_50yi(ctx):
    return _tally(
        ctx, [r for r in _project_rows(ctx) if _landed(ctx, r) and (r["total_investment"] or 0) >= 50 * YI]
    )


@computation(
    "red_lights",
    _("亮红灯次数"),
    "次",
    _(
        "考核期内本单位及下属单位负责的项目、攻坚目标和单位亮红灯的次数（取自督查通报模块的预警灯，已免责的不计）。"
    ),
    kinds=[SubjectKind.ZONE, SubjectKind.BATTLE_ZONE, SubjectKind.DEPARTMENT],
)
def red_lights(ctx):
    from chainlead.supervision.queries import red_light_counts

    counts = {int(k): v for k, v in (red_light_counts(ctx.start, ctx.end) or {}).items()}
    return _by_unit_tree(ctx, counts, lambda key, pairs: Measure(Decimal(sum(v for _u, v in pairs))))


def measure_all(ctx: ComputeContext, codes) -> dict[str, dict[int, Measure]]:
    """Run the named computations once each: ``{code: {subject key: Measure}}``."""
    return {code: REGISTRY[code].func(ctx) for code in dict.fromkeys(codes)}
