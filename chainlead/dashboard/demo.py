"""Demo data of the dashboard app (see chainlead.core.demo).

The demo zone's story happened between 2019 and November 2021, but it is loaded in one go today,
so the history tables would say that every project appeared, fully formed, at load time — and
"as of 31 October 2021" would show nothing. This module replays the story into the history
tables: for each project one historical row at each milestone date (its lead, 洽谈, 签约, 注册,
开工, 竣工, 投产, 暂缓/终止, 入库, 纳统), holding the project as it stood after that milestone;
for each enterprise one row before the story starts. The change log (``ObjectChange``) is left
alone: these rows only give the "as of" view a past to rebuild. Then the summary tables and the
month-end snapshots of 2020 and 2021 are built.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from chainlead.dashboard import summary
from chainlead.projects.choices import STAGE_DATE_FIELD, STAGE_ORDER, STAGE_RANK, Stage

#: The day the demo's story ends (the business date of ``make run``).
STORY_END = datetime.date(2021, 11, 30)
STORY_START = datetime.date(2019, 1, 2)
REPLAY_REASON = "演示数据：按节点日期回放"


def _moment(day: datetime.date, seq: int) -> datetime.datetime:
    """18:00 on the milestone day (plus ``seq`` seconds so that no two rows of a project tie)."""
    naive = datetime.datetime.combine(day, datetime.time(18, 0)) + datetime.timedelta(seconds=seq)
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _state_at(values: dict, day: datetime.date) -> dict:
    """The project's stage fields as they stood at the end of ``day``."""
    state = dict(values)
    for field in STAGE_DATE_FIELD.values():
        if values.get(field) and values[field] > day:
            state[field] = None
    fai_on = values.get("fai_month") and max(
        values["fai_month"], values.get("started_on") or values["fai_month"]
    )
    if not (values.get("fai_in_db") and fai_on and fai_on <= day):
        state["fai_in_db"], state["fai_month"] = False, None
    stats_on = values.get("stats_month") and max(
        values["stats_month"], values.get("production_on") or values["stats_month"]
    )
    if not (values.get("enterprise_in_stats") and stats_on and stats_on <= day):
        state["enterprise_in_stats"], state["stats_month"], state["stats_category"] = False, None, ""
    if state.get("terminated_on"):
        stage = Stage.TERMINATED
    else:
        reached = [s for s in STAGE_ORDER if state.get(STAGE_DATE_FIELD[s])]

        def order(s):  # 签约 and 注册 come in either order: the later one is the stage
            rank = 2 if s in (Stage.SIGNED, Stage.REGISTERED) else STAGE_RANK[s]
            return (rank, state[STAGE_DATE_FIELD[s]], STAGE_RANK[s])

        stage = max(reached, key=order) if reached else Stage.LEAD
        if state.get("on_hold_on"):
            state["stage_before_hold"] = stage
            stage = Stage.ON_HOLD
    state["stage"] = stage
    if stage != Stage.ON_HOLD:
        state["stage_before_hold"], state["hold_reason"] = "", ""
        state["on_hold_on"] = None
    if stage != Stage.TERMINATED:
        state["terminated_reason"] = ""
    return state


def _milestones(values: dict) -> list[datetime.date]:
    days = {values[f] for f in STAGE_DATE_FIELD.values() if values.get(f)}
    if values.get("fai_in_db") and values.get("fai_month"):
        days.add(max(values["fai_month"], values.get("started_on") or values["fai_month"]))
    if values.get("enterprise_in_stats") and values.get("stats_month"):
        days.add(max(values["stats_month"], values.get("production_on") or values["stats_month"]))
    return sorted(days)


def replay_history() -> int:
    """Write the backdated history rows of the demo's projects and enterprises."""
    from chainlead.enterprises.models import Enterprise
    from chainlead.projects.models import KeyProject

    HP, HE = KeyProject.history.model, Enterprise.history.model
    if HP.objects.filter(history_change_reason=REPLAY_REASON).exists():
        return 0
    tracked = [f.attname for f in HP.tracked_fields]
    rows, touched = [], []
    for project in KeyProject._base_manager.order_by("pk"):
        values = {name: getattr(project, name) for name in tracked}
        days = _milestones(values)
        if not days:
            continue
        first = values.get("lead_on") or days[0]
        if first > days[0]:
            first = days[0]
        days = sorted({first, *days})
        for seq, day in enumerate(days):
            # the last row is the project exactly as it is now
            state = dict(values) if day == days[-1] else _state_at(values, day)
            state["created"] = _moment(first, 0)
            state["last_updated"] = _moment(day, seq)
            state["version"] = seq + 1
            rows.append(
                HP(
                    **state,
                    history_date=_moment(day, seq),
                    history_type="+" if seq == 0 else "~",
                    history_change_reason=REPLAY_REASON,
                )
            )
        project.last_updated = _moment(min(days[-1], STORY_END), len(days) - 1)
        touched.append(project)
    HP.objects.bulk_create(rows, batch_size=1000)
    # "Last updated" of each project is its last milestone, as in the story (a plain QuerySet: this
    # cosmetic fix of the load time is not an edit anyone made, so it is not logged).
    models.QuerySet(KeyProject).bulk_update(touched, ["last_updated"], batch_size=500)
    tracked_e = [f.attname for f in HE.tracked_fields]
    enterprise_rows = [
        HE(
            **{name: getattr(e, name) for name in tracked_e},
            history_date=_moment(STORY_START, 0),
            history_type="+",
            history_change_reason=REPLAY_REASON,
        )
        for e in Enterprise._base_manager.all()
    ]
    HE.objects.bulk_create(enterprise_rows, batch_size=1000)
    return len(rows)


def month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    out = []
    year, month = first.year, first.month
    while True:
        day = summary.month_end(year, month)
        if day > last:
            return out
        out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def load(ctx) -> None:
    replayed = replay_history()
    result = summary.rebuild()
    snapshots = month_ends(datetime.date(2020, 1, 1), STORY_END - datetime.timedelta(days=30))
    for day in snapshots:
        summary.build_snapshot(day)
    ctx.log(
        f"  dashboard: {replayed} history rows replayed, {result['events']} summary facts, "
        f"{len(snapshots)} month-end snapshots"
    )
