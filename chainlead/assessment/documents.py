"""The .xlsx of a ranking: the ranking table (rank, change, subtotals, lights) and the
per-indicator breakdown. Small (one row per subject), so it is written in the request."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from chainlead.assessment.models import IndicatorScore, Ranking
from chainlead.assessment.queries import _light_counts
from chainlead.assessment.services import effective_target
from chainlead.assessment.texts import show_value
from chainlead.utilities.export import xlsx_response


def ranking_sheets(ranking: Ranking) -> list[tuple[str, list[str], list[list]]]:
    groups = list(ranking.scheme.groups.order_by("sort_order", "pk"))
    scores = list(ranking.scores.order_by("rank", "name"))
    red = _light_counts("red_light_counts", ranking)
    yellow = _light_counts("yellow_light_counts", ranking)
    headers = [
        _("名次"),
        _("考核对象"),
        _("总分"),
        *[_("{}（分）").format(g.name) for g in groups],
        _("上期名次"),
        _("名次变化（正数为上升）"),
        _("红灯（次）"),
        _("黄灯（次）"),
    ]
    rows = []
    for s in scores:
        rows.append(
            [
                s.rank,
                s.name,
                s.total,
                *[Decimal(s.subtotals.get(g.code, "0")) for g in groups],
                s.previous_rank,
                s.change,
                int(red.get(s.unit_id, 0)) if s.unit_id else 0,
                int(yellow.get(s.unit_id, 0)) if s.unit_id else 0,
            ]
        )
    detail_headers = [
        _("考核对象"),
        _("指标组"),
        _("指标"),
        _("实际值"),
        _("目标值（本期）"),
        _("计算得分"),
        _("得分"),
        _("说明"),
    ]
    items = (
        IndicatorScore.objects.filter(score__ranking=ranking)
        .select_related("score", "indicator__group")
        .prefetch_related("adjustments")
        .order_by("score__rank", "score__name", "indicator__group__sort_order", "indicator__sort_order")
    )
    detail = []
    for item in items:
        ind = item.indicator
        target = effective_target(ind, ranking)
        notes = [item.note] if item.note else []
        for adj in item.adjustments.all():
            notes.append(_("人工调整：{}→{}分，原因：{}").format(adj.old_score, adj.new_score, adj.reason))
        detail.append(
            [
                item.score.name,
                ind.group.name,
                ind.name,
                show_value(item.value, ind.value_unit),
                show_value(target, ind.value_unit) if target is not None else "",
                item.computed_score,
                item.final_score,
                "；".join(notes),
            ]
        )
    return [(_("考核排名"), headers, rows), (_("指标得分明细"), detail_headers, detail)]


def ranking_xlsx(ranking: Ranking):
    filename = f"{ranking.label}{ranking.get_subject_kind_display()}考核排名.xlsx"
    return xlsx_response(filename, ranking_sheets(ranking))
