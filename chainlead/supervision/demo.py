"""Demo data of the supervision app (see chainlead.core.demo), told as of 2021-11-30.

- the office closes October and November (the 1–11月 figures of the seed), and every closed
  month of 2021 gets its lights frozen, so each project has a light history from January;
- the leader excuses one start-on-time (W2) light with a justified reason;
- the November bulletin for the whole zone is issued as 西链办发〔2021〕12号 (第11期), and a
  draft for 古镇口核心区 waits for editing.
"""

from __future__ import annotations

from chainlead.dispatch import services as dispatch_services
from chainlead.dispatch.choices import PeriodStatus
from chainlead.dispatch.demo import STORY_TODAY, business_day
from chainlead.dispatch.models import Period
from chainlead.supervision import services
from chainlead.supervision.choices import Component, LightColor, ScopeKind
from chainlead.supervision.models import Light

EXCUSE_REASON = "因片区控制性详细规划调整，经区政府专题会议同意延期至2022年3月开工（会议纪要〔2021〕45号）。"


def load(ctx) -> None:
    if "office" not in ctx.users or "dispatch" not in ctx.extra:
        return
    office, leader = ctx.users["office"], ctx.users.get("leader")
    monthly = ctx.extra["dispatch"]["monthly"]
    with business_day(STORY_TODAY):
        periods = list(
            Period.objects.select_related("cycle").filter(cycle=monthly, start__year=2021).order_by("start")
        )
        for period in periods:
            if period.status == PeriodStatus.OPEN:
                dispatch_services.close_period(period, by=office)
            services.freeze_period(period)
        november = periods[-1]
        excused = None
        candidate = (
            Light.objects.filter(period=november, component=Component.W2)
            .exclude(color=LightColor.GREEN)
            .order_by("subject_name")
            .first()
        ) or (
            Light.objects.filter(period=november, component=Component.W3)
            .exclude(color=LightColor.GREEN)
            .order_by("subject_name")
            .first()
        )
        if candidate is not None and leader is not None:
            excused = services.excuse_light(candidate, by=leader, reason=EXCUSE_REASON)
        issued = services.create_bulletin(period=november, by=office, generate=False)
        services.build_now(issued, fill_texts=True, pdf=False)
        issued = services.issue_bulletin(issued, by=office, number=12, issue_no=11, render=True, pdf=False)
        draft = services.create_bulletin(
            period=november, by=office, scope_kind=ScopeKind.ZONE, scope_unit=ctx.units["gzk"], generate=False
        )
        services.build_now(draft, fill_texts=True, pdf=False)
    counts = services.light_counts(november)
    ctx.extra["supervision"] = {"issued": issued, "draft": draft, "excused": excused}
    ctx.log(
        f"  supervision: lights frozen for {len(periods)} months; November: {counts['red']} red, "
        f"{counts['yellow']} yellow, {counts['green']} green; bulletin {issued.doc_number} "
        f"({issued.issue_label}) issued, 1 draft"
    )
