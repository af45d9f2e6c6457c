"""Workflow verbs of the war room: apply a template, recompute, complete a node, approve a
baseline, re-plan, place a project on the map; and the read helpers other apps use
(``node_statuses`` for the W4 warning light).

Every verb runs in one transaction, checks the actor's permission again, records an audit event
and recomputes the plan with the engine (``warroom.engine``). Views, the API, the demo and the
nightly job call these; none of them writes actual dates, statuses or baselines by hand.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.core.audit import record_event
from chainlead.core.context import change_context, current
from chainlead.core.exceptions import ConflictError, ForbiddenAction, ServiceError
from chainlead.core.workdays import WorkCalendar
from chainlead.organization.choices import Role
from chainlead.projects.choices import InvestmentNature
from chainlead.projects.models import KeyProject
from chainlead.utilities.uploads import validate_upload
from chainlead.warroom import engine
from chainlead.warroom.choices import (
    MAIN_PROCESS_CAP_WD,
    MILESTONE_FOR_TARGET,
    W4_RED_DAYS,
    WHOLE_PROCESS_CAP_WD,
    Light,
    Milestone,
    NodeStatus,
    ScheduleStatus,
    TargetKind,
)
from chainlead.warroom.models import (
    Baseline,
    BaselineNode,
    ProjectSchedule,
    ScheduleDependency,
    ScheduleNode,
    ScheduleTemplate,
    TemplateDependency,
    TemplateNode,
    calendar_bounds,
)


# --- helpers ------------------------------------------------------------------------------------------
@contextmanager
def _acting_as(by):
    """Attribute writes to ``by`` when no request or job has opened a change context for them."""
    ctx = current()
    if ctx.user is None and by is not None:
        with change_context(user=by, request_id=ctx.request_id, source=ctx.source, batch_id=ctx.batch_id):
            yield
    else:
        yield


def _require(model, pk, by, action: str, message: str) -> None:
    if by is None or not model.objects.restrict(by, action).filter(pk=pk).exists():
        raise ForbiddenAction(message)


def _validation_to_service_error(exc: ValidationError) -> ServiceError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return ServiceError("；".join(m for e in errors for m in e.messages), field=field)
    return ServiceError("；".join(exc.messages))


def _date(value, field: str, label: str, *, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ServiceError(_("请填写{}。").format(label), field=field)
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError(
            _("{}“{}”格式不正确，请按 2021-11-30 的格式填写。").format(label, value), field=field
        )


def _check_actual_date(day: datetime.date | None, field: str, label: str) -> None:
    first, _last = calendar_bounds()
    if day is not None and day < first:
        raise ServiceError(
            _("{}（{}）早于 {}，请检查年份。").format(label, day.isoformat(), first.isoformat()), field=field
        )


def _check_target_date(target_date: datetime.date) -> None:
    first, last = calendar_bounds()
    if not first <= target_date <= last:
        raise ServiceError(
            _("目标日期应在 {} 至 {} 之间（工作日历的范围）。").format(first.isoformat(), last.isoformat()),
            field="target_date",
        )


def work_calendar() -> WorkCalendar:
    """The working-day calendar with the office's holiday overrides (one query)."""
    return WorkCalendar.load()


# --- cycles (used by the dependency models' clean()) ---------------------------------------------------
def _cycle_names(names: dict[int, str], edges: list[tuple[int, int]]) -> list[str]:
    ids = sorted(names)
    if not ids:
        return []
    index = {pk: i for i, pk in enumerate(ids)}
    try:
        engine.compile_network(
            [0] * len(ids), [(index[a], index[b], 0) for a, b in edges if a in index and b in index], 0
        )
    except engine.ScheduleInputError as exc:
        if exc.kind == "cycle":
            return [names[ids[i]] for i in exc.nodes]
        raise
    return []


def template_cycle(template_id: int, extra: TemplateDependency | None = None) -> list[str]:
    """The names of the nodes of a dependency cycle in the template (with ``extra`` added), or []."""
    names = dict(TemplateNode.objects.filter(template_id=template_id).values_list("pk", "name"))
    edges = list(
        TemplateDependency.objects.filter(template_id=template_id)
        .exclude(pk=extra.pk if extra and extra.pk else None)
        .values_list("predecessor_id", "successor_id")
    )
    if extra is not None:
        edges.append((extra.predecessor_id, extra.successor_id))
    return _cycle_names(names, edges)


def schedule_cycle(schedule_id: int, extra: ScheduleDependency | None = None) -> list[str]:
    """The names of the nodes of a dependency cycle in the plan (with ``extra`` added), or []."""
    names = dict(ScheduleNode.objects.filter(schedule_id=schedule_id).values_list("pk", "name"))
    edges = list(
        ScheduleDependency.objects.filter(schedule_id=schedule_id)
        .exclude(pk=extra.pk if extra and extra.pk else None)
        .values_list("predecessor_id", "successor_id")
    )
    if extra is not None:
        edges.append((extra.predecessor_id, extra.successor_id))
    return _cycle_names(names, edges)


# --- compiling one plan for the engine ----------------------------------------------------------------
@dataclass
class Compiled:
    """One plan as the engine sees it: node ids in index order and the checked network."""

    node_ids: list[int]
    nodes: list
    network: engine.Network
    names: list[str]


def compile_plan(nodes: list, deps: Iterable[tuple[int, int, int]], target_kind: str) -> Compiled:
    """Nodes (ordered) and ``(pred_id, succ_id, lag)`` → the engine's network.

    Raises ``ServiceError`` for a cycle (naming its nodes), a negative duration or a missing
    target node; nothing is saved by the caller then."""
    ids = [n.pk if n.pk is not None else id(n) for n in nodes]
    index = {pk: i for i, pk in enumerate(ids)}
    names = [n.name for n in nodes]
    milestone = MILESTONE_FOR_TARGET[TargetKind(target_kind)]
    anchors = [i for i, n in enumerate(nodes) if n.milestone == milestone]
    if not anchors:
        raise ServiceError(
            _("计划中没有“{}”，无法按{}日期倒排工期。请在模板中把一个节点设为{}。").format(
                Milestone(milestone).label, TargetKind(target_kind).label, Milestone(milestone).label
            ),
            field="target_kind",
        )
    edges = [(index[a], index[b], lag) for a, b, lag in deps if a in index and b in index]
    try:
        network = engine.compile_network([n.duration_wd for n in nodes], edges, anchors[0])
    except engine.ScheduleInputError as exc:
        if exc.kind == "cycle":
            chain = " → ".join([names[i] for i in exc.nodes] + [names[exc.nodes[0]]])
            raise ServiceError(_("依赖关系形成了循环：{}。请删除其中一条依赖。").format(chain))
        if exc.kind == "negative_duration":
            raise ServiceError(
                _("节点“{}”的工期为负数（{}），工期不能为负数。").format(
                    names[exc.nodes[0]], nodes[exc.nodes[0]].duration_wd
                ),
                field="duration_wd",
            )
        if exc.kind == "negative_lag":
            raise ServiceError(
                _("“{}”到“{}”的间隔为负数，间隔不能为负数。").format(
                    names[exc.nodes[0]], names[exc.nodes[1]]
                ),
                field="lag_wd",
            )
        raise ServiceError(str(exc))
    return Compiled(ids, nodes, network, names)


def _actual_indexes(axis: engine.Axis, nodes: list) -> tuple[list, list]:
    starts, finishes = [], []
    for n in nodes:
        af = n.actual_finish
        as_ = n.actual_start
        if n.duration_wd == 0 and af is not None:
            starts.append(axis.on_or_after(as_ or af))
            finishes.append(axis.on_or_before(af))
            continue
        starts.append(axis.on_or_after(as_) if as_ else None)
        finishes.append(axis.on_or_before(af) if af else None)
    return starts, finishes


def check_target_against_actuals(compiled: Compiled, target_date: datetime.date, axis: engine.Axis) -> None:
    """Refuse a target date earlier than the recorded actual dates already allow."""
    starts, finishes = _actual_indexes(axis, compiled.nodes)
    earliest = engine.earliest_from_actuals(compiled.network, starts, finishes)
    if earliest is not None and earliest > axis.on_or_before(target_date):
        anchor = compiled.names[compiled.network.anchor]
        raise ServiceError(
            _(
                "目标日期 {} 早于实际进度所允许的最早日期 {}：按已填报的实际完成日期和后续节点工期推算，“{}”最早只能在 {} 达成。"
            ).format(
                target_date.isoformat(),
                axis.date(earliest).isoformat(),
                anchor,
                axis.date(earliest).isoformat(),
            ),
            field="target_date",
        )


# --- recompute ------------------------------------------------------------------------------------------
COMPUTED_NODE_FIELDS = (
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "slack_wd",
    "is_critical",
    "due_on",
    "baseline_finish",
    "variance_wd",
    "status",
)


def _approval_sums(compiled: Compiled) -> tuple[int, int]:
    """(main-process approval WD, whole-process approval WD): approval nodes before the 开工 node
    count for the main process; every approval node counts for the whole process."""
    nodes = compiled.nodes
    net = compiled.network
    whole = sum(n.duration_wd for n in nodes if n.is_approval)
    start = next((i for i, n in enumerate(nodes) if n.milestone == Milestone.START), None)
    if start is None:
        return whole, whole
    ancestors = {start}
    for j in reversed(net.order):
        if j in ancestors:
            for i, _lag in net.preds[j]:
                ancestors.add(i)
    main = sum(nodes[i].duration_wd for i in ancestors if nodes[i].is_approval)
    return main, whole


def approval_cap(schedule: ProjectSchedule) -> int:
    """The main-process cap in working days for the project's investment nature."""
    nature = schedule.project.investment_nature or InvestmentNature.SOCIAL
    return MAIN_PROCESS_CAP_WD.get(nature, MAIN_PROCESS_CAP_WD[InvestmentNature.SOCIAL])


def approval_check(schedule: ProjectSchedule) -> list[str]:
    """Warnings when the approval steps exceed the provincial caps (DOMAIN.md §2.4)."""
    nature = schedule.project.investment_nature or InvestmentNature.SOCIAL
    cap = approval_cap(schedule)
    warnings = []
    if schedule.approval_wd > cap:
        warnings.append(
            _(
                "主流程审批合计 {} 个工作日，超过{}项目 {} 个工作日的上限（山东省2019年工程建设项目审批制度改革）。"
            ).format(schedule.approval_wd, InvestmentNature(nature).label, cap)
        )
    if schedule.whole_approval_wd > WHOLE_PROCESS_CAP_WD:
        warnings.append(
            _("全流程审批合计 {} 个工作日，超过 {} 个工作日的上限。").format(
                schedule.whole_approval_wd, WHOLE_PROCESS_CAP_WD
            )
        )
    return warnings


def _late_message(compiled: Compiled, result: engine.Result, axis: engine.Axis) -> list[dict]:
    out = []
    for i, how, wd in result.late:
        node = compiled.nodes[i]
        out.append(
            {
                "node_id": compiled.node_ids[i],
                "name": node.name,
                "how": how,
                "wd": wd,
                "late_start": axis.date(result.ls[i]).isoformat(),
                "late_finish": axis.date(engine.shown_finish(result.ls[i], result.lf[i])).isoformat(),
            }
        )
    return out


def infeasible_message(schedule: ProjectSchedule) -> str:
    """ "计划不可行…" naming the shortfall and the nodes, from the stored problems."""
    if schedule.feasible:
        return ""
    parts = []
    for item in (schedule.problems or {}).get("late", []):
        if item["how"] == "start_past":
            parts.append(
                _("“{}”（最迟开始 {}，已过 {} 个工作日）").format(
                    item["name"], item["late_start"], item["wd"]
                )
            )
        else:
            parts.append(
                _("“{}”（进行中，最迟应于 {} 完成，按工期还要晚 {} 个工作日）").format(
                    item["name"], item["late_finish"], item["wd"]
                )
            )
    names = "、".join(parts)
    text = _("计划不可行：按剩余工期测算，目标日期 {} 已无法实现，至少差 {} 个工作日。").format(
        schedule.target_date.isoformat(), schedule.shortfall_wd
    )
    if names:
        text += _("最迟开始已过或无法按时完成的节点：{}。").format(names)
    return text


def recompute(
    schedules,
    *,
    cal: WorkCalendar | None = None,
    today: datetime.date | None = None,
    notify_changes: bool = True,
) -> int:
    """Recompute plans (a ``ProjectSchedule``, a list or a queryset): dates, slack, critical path,
    due dates against the latest baseline, variance and statuses. Only values that changed are
    written (without change-log entries: they derive from logged inputs). Returns the number of
    plans recomputed."""
    if isinstance(schedules, ProjectSchedule):
        schedules = [schedules]
    schedules = list(schedules)
    if not schedules:
        return 0
    cal = cal or work_calendar()
    axis = engine.Axis.of(cal)
    today = today or clock.today()
    today_idx = axis.on_or_after(today)
    ids = [s.pk for s in schedules]
    nodes_by = defaultdict(list)
    for node in ScheduleNode.objects.filter(schedule_id__in=ids).order_by("schedule_id", "sort_order", "pk"):
        nodes_by[node.schedule_id].append(node)
    deps_by = defaultdict(list)
    for sid, a, b, lag in ScheduleDependency.objects.filter(schedule_id__in=ids).values_list(
        "schedule_id", "predecessor_id", "successor_id", "lag_wd"
    ):
        deps_by[sid].append((a, b, lag))
    latest = dict(
        Baseline.objects.filter(schedule_id__in=ids)
        .values("schedule_id")
        .annotate(m=Max("number"))
        .values_list("schedule_id", "m")
    )
    due_by_node: dict[int, datetime.date] = {}
    if latest:
        q = models.Q()
        for sid, number in latest.items():
            q |= models.Q(baseline__schedule_id=sid, baseline__number=number)
        due_by_node = dict(BaselineNode.objects.filter(q).values_list("node_id", "late_finish"))
    changed_nodes: list[ScheduleNode] = []
    newly_infeasible: list[ProjectSchedule] = []
    newly_overdue: list[ScheduleNode] = []
    for schedule in schedules:
        nodes = nodes_by.get(schedule.pk, [])
        summary = {
            "computed_on": today,
            "feasible": True,
            "shortfall_wd": 0,
            "forecast_date": None,
            "approval_wd": 0,
            "whole_approval_wd": 0,
            "overdue_count": 0,
            "problems": {},
        }
        try:
            if not nodes:
                raise ServiceError(_("计划中还没有节点。"))
            compiled = compile_plan(nodes, deps_by.get(schedule.pk, []), schedule.target_kind)
        except ServiceError as exc:
            summary["problems"] = {"error": exc.message}
            _store_summary(schedule, summary)
            continue
        starts, finishes = _actual_indexes(axis, nodes)
        result = engine.schedule(
            compiled.network, axis.on_or_before(schedule.target_date), today_idx, starts, finishes
        )
        span = (*result.es, *result.ef, *result.ls, *result.lf)
        if min(span) < 0 or max(span) >= len(axis.ordinals):
            summary["problems"] = {
                "error": _("计划的日期超出了工作日历的范围（2004—2040年），请检查目标日期和工期。")
            }
            _store_summary(schedule, summary)
            continue
        has_baseline = schedule.pk in latest
        overdue = 0
        for i, node in enumerate(nodes):
            es, ef, ls, lf = result.es[i], result.ef[i], result.ls[i], result.lf[i]
            values = {
                "early_start": axis.date(es),
                "early_finish": axis.date(engine.shown_finish(es, ef)),
                "late_start": axis.date(ls),
                "late_finish": axis.date(engine.shown_finish(ls, lf)),
                "slack_wd": result.slack[i],
                "is_critical": result.critical[i],
            }
            base_finish = due_by_node.get(node.pk) if has_baseline else None
            due = base_finish or values["late_finish"]
            values["due_on"] = due
            values["baseline_finish"] = base_finish
            finish = node.actual_finish or values["early_finish"]
            values["variance_wd"] = cal.between(base_finish, finish) if base_finish else None
            left = cal.between(today, due) if not node.actual_finish and due >= today else None
            values["status"] = engine.status(
                finished_on=node.actual_finish, due_on=due, today=today, workdays_left=left
            )
            if values["status"] == NodeStatus.OVERDUE:
                overdue += 1
                if node.status != NodeStatus.OVERDUE and node.status:
                    newly_overdue.append(node)
            if any(getattr(node, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(node, f, v)
                changed_nodes.append(node)
        anchor = compiled.network.anchor
        main, whole = _approval_sums(compiled)
        summary.update(
            feasible=result.feasible,
            shortfall_wd=result.shortfall,
            forecast_date=axis.date(engine.shown_finish(result.es[anchor], result.ef[anchor]))
            if not nodes[anchor].actual_finish
            else nodes[anchor].actual_finish,
            approval_wd=main,
            whole_approval_wd=whole,
            overdue_count=overdue,
            problems={"late": _late_message(compiled, result, axis)} if not result.feasible else {},
        )
        if schedule.feasible and not result.feasible and schedule.computed_on is not None:
            newly_infeasible.append(schedule)
        _store_summary(schedule, summary)
    if changed_nodes:
        _write_computed(changed_nodes)
    if notify_changes and (newly_infeasible or newly_overdue):
        transaction.on_commit(
            lambda: _send_alarms([s.pk for s in newly_infeasible], [n.pk for n in newly_overdue])
        )
    return len(schedules)


def _write_computed(nodes: list[ScheduleNode]) -> None:
    """Write the engine's columns of ``nodes`` in one ``executemany`` (derived values: no
    change-log entry, no version bump, so an edit form opened before stays valid)."""
    ops = connection.ops
    meta = ScheduleNode._meta
    fields = [meta.get_field(name) for name in COMPUTED_NODE_FIELDS]
    sets = ", ".join(f"{ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {ops.quote_name(meta.db_table)} SET {sets} WHERE {ops.quote_name(meta.pk.column)} = %s"
    rows = [[f.get_db_prep_save(getattr(n, f.attname), connection) for f in fields] + [n.pk] for n in nodes]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _store_summary(schedule: ProjectSchedule, summary: dict) -> None:
    changed = {k: v for k, v in summary.items() if getattr(schedule, k) != v}
    if changed:
        models.QuerySet(ProjectSchedule).filter(pk=schedule.pk).update(**changed)
        for k, v in changed.items():
            setattr(schedule, k, v)


def _people_of(units) -> list:
    from chainlead.organization.models import User

    return list(
        User.objects.filter(
            is_active=True,
            grants__unit__in=[u for u in units if u is not None],
            grants__role__in=[Role.UNIT_HEAD, Role.REPORTER],
        ).distinct()
    )


def _send_alarms(infeasible_ids: list[int], overdue_ids: list[int]) -> None:
    """The alarm the moment a deadline can no longer be met, and a notice when a node turns overdue."""
    from chainlead.core.notifications import notify

    for schedule in ProjectSchedule.objects.filter(pk__in=infeasible_ids).select_related(
        "project__responsible_unit", "project__area"
    ):
        project = schedule.project
        units = [project.responsible_unit, project.area]
        notify(
            _people_of(units),
            _("【倒排工期预警】{}已无法按期实现{}目标").format(
                project.name, schedule.get_target_kind_display()
            ),
            body=infeasible_message(schedule),
            url=schedule.get_absolute_url(),
            level="warning",
            kind="warroom.infeasible",
            dedupe_key=f"warroom-infeasible-{schedule.pk}-{schedule.target_date:%Y%m%d}",
            units=[u for u in units if u is not None],
        )
    for node in ScheduleNode.objects.filter(pk__in=overdue_ids).select_related(
        "schedule__project__responsible_unit", "owner_department"
    ):
        project = node.schedule.project
        units = [project.responsible_unit, node.owner_department]
        notify(
            _people_of(units),
            _("【节点逾期】{}：“{}”已超过完成时限 {}").format(project.name, node.name, node.due_on),
            body=_("责任部门：{}。请尽快完成并在系统中填报实际完成日期和佐证。").format(node.owner_display),
            url=node.schedule.get_absolute_url(),
            level="warning",
            kind="warroom.overdue",
            dedupe_key=f"warroom-overdue-{node.pk}-{node.due_on:%Y%m%d}",
        )


def ensure_fresh(schedules, *, cal: WorkCalendar | None = None) -> None:
    """Recompute the plans not yet computed today (the nightly job may not have run)."""
    today = clock.today()
    stale = [s for s in schedules if s.computed_on != today]
    if stale:
        recompute(stale, cal=cal, today=today)


# --- apply a template ------------------------------------------------------------------------------------
def apply_template(
    project: KeyProject,
    template: ScheduleTemplate,
    *,
    target_kind: str,
    target_date: datetime.date,
    by,
    comments: str = "",
) -> ProjectSchedule:
    """Copy ``template`` into a new plan for ``project`` worked back from ``target_date`` (for the
    template's 开工 or 投产 node) and compute it. An infeasible plan is saved and flagged; a cycle, a
    negative duration or a missing target node saves nothing."""
    target_date = _date(target_date, "target_date", _("目标日期"))
    if target_kind not in TargetKind.values:
        raise ServiceError(_("请选择目标节点（开工或投产）。"), field="target_kind")
    _check_target_date(target_date)
    if template is None:
        raise ServiceError(_("请选择计划模板。"), field="template")
    with _acting_as(by), transaction.atomic():
        _require(KeyProject, project.pk, by, "change", _("您没有为这个项目编制进度计划的权限。"))
        if ProjectSchedule.objects.filter(project=project).exists():
            raise ServiceError(
                _("项目“{}”已有进度计划；如需改变目标，请在原计划上“调整计划”。").format(project),
                field="project",
            )
        tnodes = list(template.nodes.select_related("owner_department").order_by("sort_order", "pk"))
        if not tnodes:
            raise ServiceError(_("模板“{}”还没有节点。").format(template), field="template")
        tdeps = list(template.dependencies.values_list("predecessor_id", "successor_id", "lag_wd"))
        compile_plan(tnodes, tdeps, target_kind)  # cycle, negative duration, target node: before writing
        schedule = ProjectSchedule(
            project=project,
            template=template,
            target_kind=target_kind,
            target_date=target_date,
            status=ScheduleStatus.DRAFT,
            comments=comments,
        )
        try:
            schedule.full_clean()
        except ValidationError as exc:
            raise _validation_to_service_error(exc)
        schedule.save()
        nodes = [
            ScheduleNode(
                schedule=schedule,
                template_node=t,
                name=t.name,
                owner_department=t.owner_department,
                owner_note=t.owner_note,
                duration_wd=t.duration_wd,
                is_approval=t.is_approval,
                milestone=t.milestone,
                sort_order=t.sort_order,
            )
            for t in tnodes
        ]
        ScheduleNode.objects.bulk_create(nodes)
        by_template = {n.template_node_id: n for n in nodes}
        deps = [
            ScheduleDependency(
                schedule=schedule,
                predecessor=by_template[a],
                successor=by_template[b],
                lag_wd=lag,
            )
            for a, b, lag in tdeps
        ]
        ScheduleDependency.objects.bulk_create(deps)
        recompute(schedule, notify_changes=False)
        record_event(
            schedule,
            "schedule_applied",
            by=by,
            message=_("套用模板“{}”，{}目标日期 {}。").format(
                template, TargetKind(target_kind).label, target_date.isoformat()
            ),
            data={
                "template": template.pk,
                "target_kind": target_kind,
                "target_date": target_date.isoformat(),
            },
        )
    return schedule


# --- baselines and re-plans --------------------------------------------------------------------------------
def approve_baseline(
    schedule: ProjectSchedule, *, by, reason: str = "", approved_on: datetime.date | None = None
) -> Baseline:
    """Approve the current plan as the next numbered baseline (written once, never changed).

    ``approved_on`` records an approval given earlier (entering an approved paper plan); it
    defaults to today and cannot be later."""
    approved_on = _date(approved_on, "approved_on", _("批准日期"), required=False) or clock.today()
    if approved_on > clock.today():
        raise ServiceError(_("批准日期不能晚于今天。"), field="approved_on")
    with _acting_as(by), transaction.atomic():
        _require(ProjectSchedule, schedule.pk, by, "approve", _("您没有批准这个进度计划的权限。"))
        fresh = ProjectSchedule.objects.select_for_update().get(pk=schedule.pk)
        if fresh.status == ScheduleStatus.APPROVED:
            raise ServiceError(_("当前计划已经批准为基线，无需重复批准；如需调整，请先“调整计划”。"))
        recompute(fresh, notify_changes=False)
        if (fresh.problems or {}).get("error"):
            raise ServiceError(fresh.problems["error"])
        reason = (reason or "").strip() or fresh.replan_reason
        number = (fresh.baselines.aggregate(m=Max("number"))["m"] or 0) + 1
        baseline = Baseline(
            schedule=fresh,
            number=number,
            approved_by=by,
            approved_at=timezone.now(),
            approved_on=approved_on,
            reason=reason,
            target_kind=fresh.target_kind,
            target_date=fresh.target_date,
            feasible=fresh.feasible,
            shortfall_wd=fresh.shortfall_wd,
        )
        baseline.full_clean()
        baseline.save()
        nodes = list(fresh.nodes.select_related("owner_department").order_by("sort_order", "pk"))
        BaselineNode.objects.bulk_create(
            [
                BaselineNode(
                    baseline=baseline,
                    node=n,
                    name=n.name,
                    owner=n.owner_display[:150],
                    duration_wd=n.duration_wd,
                    early_start=n.early_start,
                    early_finish=n.early_finish,
                    late_start=n.late_start,
                    late_finish=n.late_finish,
                    slack_wd=n.slack_wd,
                    is_critical=n.is_critical,
                    sort_order=n.sort_order,
                )
                for n in nodes
            ]
        )
        fresh.status = ScheduleStatus.APPROVED
        fresh.replan_reason = ""
        fresh.save(update_fields=["status", "replan_reason"])
        recompute(fresh, notify_changes=False)  # due dates now come from the new baseline
        record_event(
            fresh,
            "baseline_approved",
            by=by,
            message=_("批准为基线{}。{}").format(number, reason),
            data={"baseline": baseline.pk, "number": number, "reason": reason},
        )
    _refresh(schedule, fresh)
    return baseline


def replan(
    schedule: ProjectSchedule,
    *,
    by,
    reason: str,
    target_kind: str | None = None,
    target_date: datetime.date | None = None,
) -> ProjectSchedule:
    """Open an approved plan for changes (and optionally move its target). The reason is required
    and audited; the approved baselines stay as they are until a new one is approved."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("调整计划必须填写原因。"), field="reason")
    target_date = _date(target_date, "target_date", _("目标日期"), required=False)
    if target_kind and target_kind not in TargetKind.values:
        raise ServiceError(_("请选择目标节点（开工或投产）。"), field="target_kind")
    if target_date:
        _check_target_date(target_date)
    with _acting_as(by), transaction.atomic():
        _require(ProjectSchedule, schedule.pk, by, "change", _("您没有调整这个进度计划的权限。"))
        fresh = ProjectSchedule.objects.select_for_update().get(pk=schedule.pk)
        previous = {"target_kind": fresh.target_kind, "target_date": fresh.target_date.isoformat()}
        new_kind = target_kind or fresh.target_kind
        new_date = target_date or fresh.target_date
        _check_feasible_target(fresh, new_kind, new_date)
        fresh.target_kind = new_kind
        fresh.target_date = new_date
        fresh.status = ScheduleStatus.REPLANNING
        fresh.replan_reason = reason[:300]
        fresh.full_clean()
        fresh.save()
        recompute(fresh)
        record_event(
            fresh,
            "replanned",
            by=by,
            message=reason,
            data={
                "reason": reason,
                "before": previous,
                "after": {"target_kind": new_kind, "target_date": new_date.isoformat()},
            },
        )
    _refresh(schedule, fresh)
    return fresh


def _check_feasible_target(schedule: ProjectSchedule, target_kind: str, target_date: datetime.date) -> None:
    nodes = list(schedule.nodes.order_by("sort_order", "pk"))
    deps = schedule.dependencies.values_list("predecessor_id", "successor_id", "lag_wd")
    compiled = compile_plan(nodes, deps, target_kind)
    check_target_against_actuals(compiled, target_date, engine.Axis.of(work_calendar()))


def change_target(
    schedule: ProjectSchedule, *, target_kind: str, target_date, by, reason: str = "", comments=None
) -> ProjectSchedule:
    """The plan's edit form: a draft plan takes the new target directly; an approved one is
    re-planned (which needs a reason). ``schedule`` may carry the form's unsaved values; the stored
    plan and the version the user opened are compared here."""
    target_date = _date(target_date, "target_date", _("目标日期"))
    stored = ProjectSchedule.objects.get(pk=schedule.pk)
    expected = getattr(schedule, "_loaded_version", None)
    if expected is not None and expected != stored.version:
        raise ConflictError(schedule)
    changed = target_kind != stored.target_kind or target_date != stored.target_date
    if stored.status == ScheduleStatus.APPROVED and changed:
        fresh = replan(stored, by=by, reason=reason, target_kind=target_kind, target_date=target_date)
        if comments is not None and comments != fresh.comments:
            fresh.comments = comments
            fresh.save(update_fields=["comments"])
        _refresh(schedule, fresh)
        return fresh
    _check_target_date(target_date)
    with _acting_as(by), transaction.atomic():
        _require(ProjectSchedule, schedule.pk, by, "change", _("您没有修改这个进度计划的权限。"))
        _check_feasible_target(stored, target_kind, target_date)
        stored.target_kind = target_kind
        stored.target_date = target_date
        if comments is not None:
            stored.comments = comments
        try:
            stored.full_clean()
        except ValidationError as exc:
            raise _validation_to_service_error(exc)
        stored.save()
        recompute(stored)
        reason = (reason or "").strip()
        if changed and reason:
            record_event(stored, "replanned", by=by, message=reason, data={"reason": reason})
    _refresh(schedule, stored)
    return stored


def _refresh(target, fresh) -> None:
    if target is fresh:
        return
    for f in fresh._meta.concrete_fields:
        setattr(target, f.attname, getattr(fresh, f.attname))
    target._loaded_version = fresh.version


# --- actuals -------------------------------------------------------------------------------------------------
@dataclass
class Evidence:
    file: object | None = None
    note: str = ""


def complete_node(
    node: ScheduleNode,
    *,
    finished_on,
    by,
    started_on=None,
    evidence=None,
    note: str = "",
) -> ScheduleNode:
    """Record that ``node`` was finished on ``finished_on`` (and started on ``started_on``; by
    default worked back from its duration), with an evidence file or a note, then recompute."""
    finished_on = _date(finished_on, "actual_finish", _("实际完成日期"))
    started_on = _date(started_on, "actual_start", _("实际开始日期"), required=False)
    note = (note or "").strip()
    today = clock.today()
    if finished_on > today:
        raise ServiceError(
            _("实际完成日期（{}）不能晚于今天。").format(finished_on.isoformat()), field="actual_finish"
        )
    if started_on and started_on > finished_on:
        raise ServiceError(_("实际开始日期不能晚于实际完成日期。"), field="actual_start")
    _check_actual_date(finished_on, "actual_finish", _("实际完成日期"))
    _check_actual_date(started_on, "actual_start", _("实际开始日期"))
    if evidence is None and not note:
        raise ServiceError(
            _("请上传完成佐证（如批复文件、证照、现场照片）或填写完成情况说明。"), field="evidence"
        )
    if evidence is not None:
        try:
            validate_upload(evidence)
        except ValidationError as exc:
            raise ServiceError("；".join(exc.messages), field="evidence")
    with _acting_as(by), transaction.atomic():
        _require(ScheduleNode, node.pk, by, "change", _("您没有填报这个节点的权限。"))
        fresh = ScheduleNode.objects.select_for_update().select_related("schedule").get(pk=node.pk)
        if fresh.actual_finish:
            raise ServiceError(
                _("节点“{}”已于 {} 完成；如填报有误，请先撤销完成。").format(fresh.name, fresh.actual_finish)
            )
        cal = work_calendar()
        if started_on is None:
            started_on = fresh.actual_start
        if started_on is None:
            days = max(fresh.duration_wd - 1, 0)
            started_on = cal.add(finished_on, -days) if days and cal.is_workday(finished_on) else finished_on
            if days and not cal.is_workday(finished_on):
                started_on = cal.add(cal.previous_workday(finished_on), -days)
        fresh.actual_start = started_on
        fresh.actual_finish = finished_on
        fresh.evidence_note = note[:300]
        fresh.completed_by = by
        if evidence is not None:
            fresh.evidence.save(getattr(evidence, "name", "evidence"), evidence, save=False)
        fresh.save()
        recompute(fresh.schedule, cal=cal)
        fresh.refresh_from_db()
        late = fresh.status == NodeStatus.DONE_LATE
        record_event(
            fresh,
            "node_completed",
            by=by,
            message=_("“{}”于 {} 完成{}。{}").format(
                fresh.name,
                finished_on.isoformat(),
                _("（超过完成时限 {}）").format(fresh.due_on) if late else "",
                note,
            ),
            data={
                "actual_start": started_on.isoformat(),
                "actual_finish": finished_on.isoformat(),
                "due_on": fresh.due_on.isoformat() if fresh.due_on else None,
                "late": late,
                "evidence": fresh.evidence.name or "",
            },
        )
    _refresh(node, fresh)
    return fresh


def start_node(node: ScheduleNode, *, started_on, by) -> ScheduleNode:
    """Record the actual start of a node still in progress."""
    started_on = _date(started_on, "actual_start", _("实际开始日期"))
    if started_on > clock.today():
        raise ServiceError(_("实际开始日期不能晚于今天。"), field="actual_start")
    _check_actual_date(started_on, "actual_start", _("实际开始日期"))
    with _acting_as(by), transaction.atomic():
        _require(ScheduleNode, node.pk, by, "change", _("您没有填报这个节点的权限。"))
        fresh = ScheduleNode.objects.select_for_update().select_related("schedule").get(pk=node.pk)
        if fresh.actual_finish:
            raise ServiceError(_("节点“{}”已经完成。").format(fresh.name))
        fresh.actual_start = started_on
        fresh.save()
        recompute(fresh.schedule)
        record_event(
            fresh, "node_started", by=by, message=_("“{}”于 {} 开始。").format(fresh.name, started_on)
        )
    _refresh(node, fresh)
    return fresh


def reopen_node(node: ScheduleNode, *, by, reason: str) -> ScheduleNode:
    """Undo a completion entered by mistake; the reason is required and audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写撤销完成的原因。"), field="reason")
    with _acting_as(by), transaction.atomic():
        _require(ScheduleNode, node.pk, by, "change", _("您没有修改这个节点的权限。"))
        fresh = ScheduleNode.objects.select_for_update().select_related("schedule").get(pk=node.pk)
        if not fresh.actual_finish:
            raise ServiceError(_("节点“{}”尚未完成，无需撤销。").format(fresh.name))
        before = {"actual_start": str(fresh.actual_start), "actual_finish": str(fresh.actual_finish)}
        fresh.actual_finish = None
        fresh.completed_by = None
        fresh.save()
        recompute(fresh.schedule)
        record_event(fresh, "node_reopened", by=by, message=reason, data={"reason": reason, "before": before})
    _refresh(node, fresh)
    return fresh


def record_actuals(
    schedule: ProjectSchedule,
    actuals: dict[int, tuple[datetime.date | None, datetime.date | None, str]],
    *,
    by,
) -> int:
    """Several actual dates at once (an import, the demo): ``{node_id: (start, finish, note)}``,
    each checked like ``complete_node``; one audit event per completed node, one recompute."""
    today = clock.today()
    with _acting_as(by), transaction.atomic():
        _require(ProjectSchedule, schedule.pk, by, "change", _("您没有填报这个进度计划的权限。"))
        nodes = {n.pk: n for n in schedule.nodes.all()}
        changed = []
        for node_id, (start, finish, note) in actuals.items():
            node = nodes.get(node_id)
            if node is None:
                raise ServiceError(_("节点 #{} 不属于这个进度计划。").format(node_id))
            if (finish and finish > today) or (start and start > today):
                raise ServiceError(_("节点“{}”的实际日期不能晚于今天。").format(node.name))
            if start and finish and start > finish:
                raise ServiceError(_("节点“{}”的实际开始日期晚于实际完成日期。").format(node.name))
            _check_actual_date(start, "actual_start", _("实际开始日期"))
            _check_actual_date(finish, "actual_finish", _("实际完成日期"))
            if finish and not (note or "").strip():
                raise ServiceError(_("节点“{}”须填写完成情况说明或上传佐证。").format(node.name))
            node.actual_start = start or node.actual_start
            node.actual_finish = finish
            node.evidence_note = (note or "")[:300]
            node.completed_by = by if finish else None
            changed.append(node)
        ScheduleNode.objects.bulk_update(
            changed, ["actual_start", "actual_finish", "evidence_note", "completed_by"]
        )
        recompute(schedule, notify_changes=False)
        for node in changed:
            if node.actual_finish:
                record_event(
                    node,
                    "node_completed",
                    by=by,
                    message=_("“{}”于 {} 完成。{}").format(node.name, node.actual_finish, node.evidence_note),
                    data={"actual_finish": node.actual_finish.isoformat()},
                )
    return len(changed)


# --- the map ---------------------------------------------------------------------------------------------------
def _coordinate(value, field: str, label: str, low: int, high: int) -> Decimal:
    try:
        number = Decimal(str(value).strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("{}“{}”不是有效的数字。").format(label, value), field=field)
    if not low <= number <= high:
        raise ServiceError(_("{}应在 {} 到 {} 之间（中国范围）。").format(label, low, high), field=field)
    return number


def place_project(project: KeyProject, *, latitude, longitude, by) -> KeyProject:
    """Put a project on the map (its coordinates, from a click on the map or typed in)."""
    lat = _coordinate(latitude, "latitude", _("纬度"), 3, 54)
    lng = _coordinate(longitude, "longitude", _("经度"), 73, 136)
    with _acting_as(by), transaction.atomic():
        _require(KeyProject, project.pk, by, "change", _("您没有修改这个项目位置的权限。"))
        fresh = KeyProject.objects.select_for_update().get(pk=project.pk)
        before = (str(fresh.latitude or ""), str(fresh.longitude or ""))
        fresh.latitude, fresh.longitude = lat, lng
        try:
            fresh.full_clean()
        except ValidationError as exc:
            raise _validation_to_service_error(exc)
        fresh.save(update_fields=["latitude", "longitude"])
        record_event(
            fresh,
            "placed_on_map",
            by=by,
            message=_("地图落位：纬度 {}，经度 {}。").format(lat, lng),
            data={"before": before, "after": (str(lat), str(lng))},
        )
    project.latitude, project.longitude = lat, lng
    project.version, project._loaded_version = fresh.version, fresh.version
    return fresh


# --- read helpers for other apps --------------------------------------------------------------------------------
@dataclass(frozen=True)
class OverdueNode:
    """A schedule node past its due date on ``on``: what issue 6's W4 light reads."""

    node_id: int
    schedule_id: int
    name: str
    owner: str
    due_on: datetime.date
    days_overdue: int  # calendar days (W4: 1–14 yellow, ≥ 15 red)


def node_statuses(projects_qs, on: datetime.date | None = None) -> dict[int, list[OverdueNode]]:
    """Per project id, its schedule nodes that are overdue on ``on`` (default today), worst first.

    One query. A node is overdue on a day when it has no actual finish by that day and its due date
    (the latest approved baseline's latest finish, else the plan's) is before it. Projects without
    overdue nodes are absent."""
    on = on or clock.today()
    rows = (
        ScheduleNode.objects.filter(schedule__project__in=projects_qs, due_on__lt=on)
        .filter(models.Q(actual_finish__isnull=True) | models.Q(actual_finish__gt=on))
        .values_list(
            "pk",
            "schedule_id",
            "schedule__project_id",
            "name",
            "owner_department__name",
            "owner_note",
            "due_on",
        )
        .order_by("due_on", "pk")
    )
    out: dict[int, list[OverdueNode]] = defaultdict(list)
    for pk, sid, project_id, name, dept, note, due in rows:
        owner = " · ".join(p for p in (dept or "", note or "") if p)
        out[project_id].append(OverdueNode(pk, sid, name, owner, due, (on - due).days))
    return dict(out)


def light_for(overdue: list[OverdueNode] | None) -> str:
    """W4 from a project's overdue nodes: none → green, 1–14 days → yellow, ≥ 15 → red."""
    if not overdue:
        return Light.GREEN
    worst = max(n.days_overdue for n in overdue)
    return Light.RED if worst >= W4_RED_DAYS else Light.YELLOW


def project_lights(projects_qs, on: datetime.date | None = None) -> dict[int, str]:
    """The schedule light (W4) of each project that has a plan (two queries)."""
    with_plan = set(
        ProjectSchedule.objects.filter(project__in=projects_qs).values_list("project_id", flat=True)
    )
    overdue = node_statuses(projects_qs, on=on)
    return {pid: light_for(overdue.get(pid)) for pid in with_plan}


def schedule_url(schedule: ProjectSchedule) -> str:
    return reverse("warroom:projectschedule_detail", args=[schedule.pk])
