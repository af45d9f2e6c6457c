"""Demo data of the assessment app (see chainlead.core.demo): the default scheme scores the demo
zone's three areas (功能区) and six battle zones for 2021 Q3 (published) and Q4 to 30 November
(computed, not yet published), so the rankings show the change since the last quarter; manual
indicators are entered with evidence notes and one score is adjusted with its reason."""

from __future__ import annotations

import datetime
from decimal import Decimal

from chainlead.assessment import services
from chainlead.assessment.choices import PeriodKind, SchemeStatus, SubjectKind
from chainlead.assessment.default_scheme import CODE
from chainlead.assessment.models import IndicatorScore, Scheme

Q3_DAY = datetime.date(2021, 10, 12)
STORY_TODAY = datetime.date(2021, 11, 30)
#: Upper-level criticism (受到上级通报批评) per quarter: (subject name, count, evidence note).
CRITICISM = {
    3: {"古镇口核心区": (2, "青岛市重点项目推进情况通报（青重点办〔2021〕21号）点名两个项目开工滞后。")},
    4: {"桥头堡国际商务区": (1, "青岛市重点项目推进情况通报（青重点办〔2021〕27号）点名一个项目入库滞后。")},
}


def _business_day(day):
    from chainlead.dispatch.demo import business_day

    return business_day(day)


def _score(scheme, kind, quarter, office):
    ranking = services.prepare_ranking(
        scheme=scheme, subject_kind=kind, period_kind=PeriodKind.QUARTER, year=2021, number=quarter, by=office
    )
    ranking = services.compute_ranking(ranking, by=office)
    named = CRITICISM.get(quarter, {})
    for item in IndicatorScore.objects.filter(
        score__ranking=ranking, indicator__code="upper_criticism"
    ).select_related("score", "indicator"):
        count, note = named.get(
            item.score.name, (0, "经领导小组办公室核实，本季度未受到市级及以上通报批评。")
        )
        services.enter_value(item, value=Decimal(count), evidence_note=note, by=office)
    return ranking


def load(ctx) -> None:
    office = ctx.users.get("office")
    scheme = Scheme.objects.filter(code=CODE, status=SchemeStatus.PUBLISHED).order_by("-revision").first()
    if office is None or scheme is None:
        return
    with _business_day(Q3_DAY):
        q3 = {kind: _score(scheme, kind, 3, office) for kind in (SubjectKind.ZONE, SubjectKind.BATTLE_ZONE)}
        for ranking in q3.values():
            services.publish_ranking(ranking, by=office)
    with _business_day(STORY_TODAY):
        q4 = {kind: _score(scheme, kind, 4, office) for kind in (SubjectKind.ZONE, SubjectKind.BATTLE_ZONE)}
        # One correction the office made by hand, with its reason (audited).
        item = (
            IndicatorScore.objects.filter(
                score__ranking=q4[SubjectKind.BATTLE_ZONE], indicator__code="targets_on_time"
            )
            .select_related("score", "indicator")
            .order_by("score__rank")
            .last()
        )
        if item is not None:
            services.adjust_score(
                item,
                score=min(item.indicator.weight, item.final_score + Decimal(1)),
                reason="攻坚目标“综合客运枢纽主体封顶”因设计变更经区政府常务会议同意延期，按期完成率核增1分（区政府常务会议纪要〔2021〕15号）。",
                by=office,
            )
    ctx.extra["assessment"] = {"q3": q3, "q4": q4}
    zone = q4[SubjectKind.ZONE]
    line = "，".join(f"{s.rank}.{s.name}{s.total}" for s in zone.scores.order_by("rank"))
    ctx.log(f"  assessment: {len(q3) + len(q4)} rankings; {zone}: {line}")
