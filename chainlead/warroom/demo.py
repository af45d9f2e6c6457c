"""Demo data of the war room (see chainlead.core.demo): the shipped templates, a fictional zone map,
and plans worked back from their targets for 交通商务区's 19 key projects and 30 other projects
under construction, told as of 2021-11-30 (the demo's business date).

- The zone map (``data/demo_zone.geojson``) draws fictional shapes for 古镇口核心区, 桥头堡国际商务区,
  交通商务区 with its six battle zones, and two streets, around the West Coast; every project of those
  units is moved inside its unit's shape (a logged bulk update).
- Every plan is applied, approved as baseline 1 and given actual dates through the services: most
  nodes on time, some late, some overdue. The four 交通商务区 projects not yet started aim at 开工 on
  2021-12-15; one of them cannot make it and was re-planned (with a reason) to a new baseline.
- Infrastructure projects of the district are government investment and use the government template.

The demo draws from its own seeded RNG, so it does not shift the data of the apps loaded after it.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile

from chainlead.core.workdays import WorkCalendar
from chainlead.projects.choices import InvestmentNature, ProjectType, Stage
from chainlead.projects.models import KeyProject
from chainlead.warroom import engine, presets, services
from chainlead.warroom.choices import Milestone, TargetKind
from chainlead.warroom.models import ProjectSchedule, ScheduleTemplate, ZoneMap

STORY_TODAY = datetime.date(2021, 11, 30)
GEOJSON = Path(__file__).resolve().parent / "data" / "demo_zone.geojson"
#: Unit key → the box (lng0, lat0, lng1, lat1) its shape surely contains (the shape's core).
CORE_BOXES = {
    "gzk": (119.90, 35.855, 120.02, 35.95),
    "hsy": (119.925, 35.965, 120.02, 36.045),
    "qtb": (120.185, 35.96, 120.295, 36.045),
    "lsw": (120.10, 35.85, 120.28, 35.905),
}
ZONE_GRID = (120.038, 35.925, 120.162, 36.035)
OTHER_PLANS = 30
JTSW_START_TARGET = datetime.date(2021, 12, 15)
REPLAN_TARGET = datetime.date(2022, 3, 31)
REPLAN_REASON = "受征迁清表进度影响，土地供应推迟，经交通商务区指挥部研究，目标开工日期调整至2022年3月31日。"


def _boxes(ctx) -> dict[int, tuple[float, float, float, float]]:
    boxes = {ctx.units[k].pk: box for k, box in CORE_BOXES.items() if k in ctx.units}
    x0, y0, x1, y1 = ZONE_GRID
    cw, rh = (x1 - x0) / 3, (y1 - y0) / 2
    for i in range(6):
        key = f"bz{i + 1}"
        if key not in ctx.units:
            continue
        col, row = i % 3, 1 - i // 3
        boxes[ctx.units[key].pk] = (
            x0 + col * cw + 0.002,
            y0 + row * rh + 0.002,
            x0 + (col + 1) * cw - 0.002,
            y0 + (row + 1) * rh - 0.002,
        )
    return boxes


def _inside(rng, box) -> tuple[Decimal, Decimal]:
    """A point in the middle 70% of the box (the shapes' bumps never reach that far in)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    lng = x0 + w * rng.uniform(0.15, 0.85)
    lat = y0 + h * rng.uniform(0.15, 0.85)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def place_projects(ctx, rng) -> int:
    """Move every project of a drawn unit inside that unit's shape (one logged bulk update)."""
    boxes = _boxes(ctx)
    projects = list(KeyProject.objects.filter(area_id__in=list(boxes)).order_by("pk"))
    for p in projects:
        p.latitude, p.longitude = _inside(rng, boxes[p.area_id])
    KeyProject.objects.bulk_update(projects, ["latitude", "longitude"], batch_size=500)
    return len(projects)


def load_zone_map(ctx) -> ZoneMap:
    zone_map = ZoneMap(
        name="西海岸新区演示区划（虚构边界）",
        is_active=True,
        uploaded_by=ctx.users.get("office"),
        comments="演示用的虚构片区、战区边界，不代表真实行政区划；正式使用时请上传本区的边界数据。",
    )
    zone_map.file = ContentFile(GEOJSON.read_bytes(), name="demo_zone.geojson")
    zone_map.full_clean()
    zone_map.save()
    return zone_map


# --- actual dates -------------------------------------------------------------------------------------
class Story:
    """Actual dates of one plan, consistent with its dependencies and its 开工 date."""

    def __init__(self, rng, cal: WorkCalendar):
        self.rng = rng
        self.cal = cal

    def wd(self, day: datetime.date, n: int) -> datetime.date:
        return self.cal.add(self.cal.next_workday(day), n) if n else self.cal.next_workday(day)

    def before_start(self, nodes, preds, succs, start_node, started_on) -> dict:
        """Every ancestor of 开工 done, worked back from the 开工 date (as late as possible, with
        small gaps)."""
        ancestors, stack = set(), [start_node.pk]
        while stack:
            j = stack.pop()
            for i, _lag in preds.get(j, []):
                if i not in ancestors:
                    ancestors.add(i)
                    stack.append(i)
        start_of: dict[int, datetime.date] = {start_node.pk: started_on}
        out = {}
        order = [n for n in reversed(nodes) if n.pk in ancestors]
        for n in order:
            latest = None
            for j, lag in succs.get(n.pk, []):
                if j in start_of:
                    limit = self.cal.add(
                        self.cal.next_workday(start_of[j]), -(lag + 1 + self.rng.choice([0, 0, 1, 2]))
                    )
                    latest = limit if latest is None or limit < latest else latest
            finish = latest or self.cal.add(started_on, -1)
            begin = self.cal.add(finish, -(n.duration_wd - 1)) if n.duration_wd > 1 else finish
            start_of[n.pk] = begin
            out[n.pk] = (begin, finish)
        return out

    def after_start(
        self, nodes, preds, start_node, started_on, *, slip: float, today: datetime.date, open_ids=frozenset()
    ) -> dict:
        """Nodes after 开工, forward from the 开工 date with small delays and some overruns; what
        has not finished by ``today`` is left running or not started. ``open_ids`` cannot be
        finished yet (the project has not reached 竣工: its acceptance and what follows)."""
        finish_of: dict[int, datetime.date] = {start_node.pk: self.cal.add(started_on, -1)}
        started = {start_node.pk}
        out = {}
        reach = {start_node.pk}
        for n in nodes:
            if any(i in reach for i, _lag in preds.get(n.pk, [])) and n.pk != start_node.pk:
                reach.add(n.pk)
        for n in nodes:
            if n.pk == start_node.pk or n.pk not in reach:
                continue
            ins = preds.get(n.pk, [])
            if any(i not in finish_of for i, _lag in ins if i in reach):
                continue  # a predecessor is still open: this node has not started
            begin = max(self.cal.add(finish_of[i], lag + 1) for i, lag in ins if i in finish_of)
            begin = self.cal.add(begin, self.rng.choice([0, 0, 0, 1, 2, 3])) if n.duration_wd else begin
            if begin > today:
                continue
            over = 1 + (slip if self.rng.random() < 0.5 else self.rng.uniform(0, 0.06))
            length = max(int(round(n.duration_wd * over)), 0)
            finish = self.cal.add(begin, length - 1) if length > 1 else begin
            if n.duration_wd == 0:
                finish = begin
            if finish > today or n.pk in open_ids:
                if n.duration_wd:
                    out[n.pk] = (begin, None)
                    started.add(n.pk)
                continue
            out[n.pk] = (begin, finish)
            finish_of[n.pk] = finish if n.duration_wd else self.cal.add(finish, -1)
        return out


def _graph(schedule):
    nodes = list(schedule.nodes.order_by("sort_order", "pk"))
    preds: dict[int, list] = {}
    succs: dict[int, list] = {}
    for a, b, lag in schedule.dependencies.values_list("predecessor_id", "successor_id", "lag_wd"):
        preds.setdefault(b, []).append((a, lag))
        succs.setdefault(a, []).append((b, lag))
    return nodes, preds, succs


def _chain_after(template, cal: WorkCalendar, started_on: datetime.date) -> datetime.date:
    """The earliest 投产 after starting on ``started_on``, with the template's durations."""
    nodes = list(template.nodes.order_by("sort_order", "pk"))
    index = {n.pk: i for i, n in enumerate(nodes)}
    edges = [
        (index[a], index[b], lag)
        for a, b, lag in template.dependencies.values_list("predecessor_id", "successor_id", "lag_wd")
    ]
    start = next(i for i, n in enumerate(nodes) if n.milestone == Milestone.START)
    end = next(i for i, n in enumerate(nodes) if n.milestone == Milestone.PRODUCTION)
    net = engine.compile_network([n.duration_wd for n in nodes], edges, end)
    axis = engine.Axis.of(cal)
    s = axis.on_or_after(started_on)
    starts = [None] * len(nodes)
    finishes = [None] * len(nodes)
    starts[start] = finishes[start] = s
    result = engine.schedule(net, axis.on_or_before(datetime.date(2030, 1, 1)), s, starts, finishes)
    return axis.date(engine.shown_finish(result.es[end], result.ef[end]))


def _note(node) -> str:
    if "备案" in node.name:
        return "已取得项目备案证明，赋项目代码。"
    if "许可" in node.name:
        return "已取得{}证书。".format(node.name.replace("施工图审查及", "").replace("方案审查及", ""))
    if "土地" in node.name:
        return "已签订国有建设用地使用权出让合同。"
    if "验收" in node.name:
        return "已通过联合验收并完成备案。"
    if node.milestone == Milestone.START:
        return "开工报告已报送，现场照片已上传。"
    return f"{node.name}已完成，佐证材料已归档。"


def load(ctx) -> None:
    rng = random.Random(20211130 * 7 + 4)
    office = ctx.users.get("office")
    jtsw_head = ctx.users.get("jtsw_head") or office
    presets.install_presets(only_if_empty=False)
    presets.link_departments()
    industrial = ScheduleTemplate.objects.get(name=presets.PRESETS[0]["name"])
    government = ScheduleTemplate.objects.get(name=presets.PRESETS[1]["name"])
    zone_map = load_zone_map(ctx)
    placed = place_projects(ctx, rng)

    jtsw = [KeyProject.objects.get(pk=p.pk) for p in ctx.extra.get("projects_jtsw", [])]
    infra = [p.pk for p in jtsw if p.project_type == ProjectType.INFRASTRUCTURE]
    if infra:
        KeyProject.objects.filter(pk__in=infra).update(investment_nature=InvestmentNature.GOVERNMENT)
    jtsw_ids = {p.pk for p in jtsw}
    others = list(
        KeyProject.objects.filter(stage=Stage.STARTED, started_on__isnull=False)
        .exclude(pk__in=jtsw_ids)
        .order_by("pk")
    )
    others = sorted(rng.sample(others, min(OTHER_PLANS, len(others))), key=lambda p: p.pk)
    cal = WorkCalendar.load()
    story = Story(rng, cal)
    today = min(STORY_TODAY, _today())
    plans = 0
    replanned = None
    for project in [*KeyProject.objects.filter(pk__in=jtsw_ids).order_by("pk"), *others]:
        by = jtsw_head if project.pk in jtsw_ids else office
        template = government if project.investment_nature == InvestmentNature.GOVERNMENT else industrial
        if project.started_on:
            earliest = _chain_after(template, cal, project.started_on)
            if earliest < cal.add(today, 20):
                # Started long ago and not finished: the approved plan already allowed for that.
                earliest = cal.add(today, rng.randint(20, 90))
            roll = rng.random()
            margin = (
                rng.randint(30, 90)
                if roll < 0.5
                else rng.randint(3, 20)
                if roll < 0.8
                else -rng.randint(5, 20)
            )
            target = cal.add(earliest, margin)
            schedule = services.apply_template(
                project, template, target_kind=TargetKind.PRODUCTION, target_date=target, by=by
            )
            nodes, preds, succs = _graph(schedule)
            start_node = next(n for n in nodes if n.milestone == Milestone.START)
            actual = story.before_start(nodes, preds, succs, start_node, project.started_on)
            approved_on = min(actual.values())[0] if actual else project.started_on
            approved_on = min(approved_on, today)
            services.approve_baseline(
                schedule, by=by, reason="按倒排工期编制，经指挥部审定。", approved_on=approved_on
            )
            actual[start_node.pk] = (project.started_on, project.started_on)
            slip = rng.choice([0.0, 0.05, 0.1, 0.25, 0.4])
            actual.update(
                story.after_start(
                    nodes,
                    preds,
                    start_node,
                    project.started_on,
                    slip=slip,
                    today=today,
                    open_ids=_from_acceptance(nodes, succs) if not project.completed_on else frozenset(),
                )
            )
        else:
            schedule = services.apply_template(
                project, template, target_kind=TargetKind.START, target_date=JTSW_START_TARGET, by=by
            )
            nodes, preds, succs = _graph(schedule)
            approved_on = project.registered_on or project.signed_on or datetime.date(2021, 6, 1)
            approved_on = max(min(approved_on, today), datetime.date(2021, 8, 2))
            services.approve_baseline(
                schedule, by=by, reason="按2021年12月15日开工倒排工期。", approved_on=approved_on
            )
            actual = _pre_start_story(story, nodes, preds, project, today, late=replanned is None)
            if replanned is None:
                replanned = schedule
        services.record_actuals(
            schedule,
            {
                pk: (a, b, _note(next(n for n in nodes if n.pk == pk)) if b else "")
                for pk, (a, b) in actual.items()
            },
            by=by,
        )
        plans += 1
    if replanned is not None:
        replanned.refresh_from_db()
        services.replan(replanned, by=jtsw_head, reason=REPLAN_REASON, target_date=REPLAN_TARGET)
        # The zone also allows more time for the two permits: the plan now exceeds the 45-day cap
        # of main-process approval, and the plan page says so.
        for node in replanned.nodes.filter(name__contains="许可", is_approval=True, duration_wd__gte=10):
            node.duration_wd += 10
            node.full_clean()
            node.save()
        services.recompute(replanned)
        services.approve_baseline(replanned, by=jtsw_head, reason=REPLAN_REASON, approved_on=today)
    ctx.extra["warroom_schedules"] = list(ProjectSchedule.objects.order_by("pk"))
    ctx.extra["warroom_replanned"] = replanned
    ctx.extra["zone_map"] = zone_map
    ctx.log(
        f"  warroom: {plans} plans, zone map with {zone_map.feature_count} shapes, {placed} projects placed"
    )


def _from_acceptance(nodes, succs) -> frozenset:
    """The completion-acceptance node and every node after it."""
    first = next((n for n in nodes if "验收" in n.name), None)
    if first is None:
        return frozenset()
    out, stack = {first.pk}, [first.pk]
    while stack:
        for j, _lag in succs.get(stack.pop(), []):
            if j not in out:
                out.add(j)
                stack.append(j)
    return frozenset(out)


def _today() -> datetime.date:
    from chainlead.core import clock

    return clock.today()


def _pre_start_story(story: Story, nodes, preds, project, today, *, late: bool) -> dict:
    """A district project aiming at 开工 on 2021-12-15: registered long ago, the rest of the
    approvals running since September; the land of the first one is held up by demolition (it
    cannot start in time and is re-planned)."""
    rng, cal = story.rng, story.cal
    out = {}
    registered = project.registered_on or datetime.date(2021, 3, 1)
    register = next((n for n in nodes if "注册" in n.name or "立项" in n.name), nodes[0])
    reg_finish = cal.previous_workday(min(registered, today))
    reg_start = cal.add(reg_finish, -(register.duration_wd - 1)) if register.duration_wd > 1 else reg_finish
    out[register.pk] = (reg_start, reg_finish)
    kickoff = cal.next_workday(datetime.date(2021, 9, 1) + datetime.timedelta(days=rng.randint(0, 6)))
    finish_of = {register.pk: reg_finish}
    for n in nodes:
        if n.pk in out or n.milestone:
            continue
        ins = preds.get(n.pk, [])
        if not ins or any(i not in finish_of for i, _lag in ins):
            continue
        begin = max(cal.add(finish_of[i], lag + 1) for i, lag in ins)
        begin = cal.add(max(begin, kickoff), rng.choice([0, 0, 1, 2]))
        finish = cal.add(begin, n.duration_wd - 1) if n.duration_wd > 1 else begin
        if begin > today:
            continue
        if finish > today or (late and "土地" in n.name):
            out[n.pk] = (begin, None)
            continue
        out[n.pk] = (begin, finish)
        finish_of[n.pk] = finish
    return out
