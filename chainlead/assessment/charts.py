"""ECharts options of the assessment pages and panel, built in Python (see chainlead/charts.js)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

GROUP_COLORS = ["#206bc4", "#2fb344", "#f59f00", "#ae3ec9", "#17a2b8", "#d63939", "#868e96"]


def total_chart(ranking, scores) -> dict:
    """Totals per subject, best on top, as horizontal bars stacked by indicator group (bonus in
    the stack, penalties as a negative bar), each bar clickable to the subject's breakdown."""
    groups = list(ranking.scheme.groups.order_by("sort_order", "pk"))
    scores = sorted(scores, key=lambda s: (-s.rank, s.name))  # ECharts draws categories bottom-up
    names = [s.name for s in scores]
    series = []
    for i, group in enumerate(groups):
        series.append(
            {
                "name": group.name,
                "type": "bar",
                "stack": "total",
                "itemStyle": {"color": GROUP_COLORS[i % len(GROUP_COLORS)]},
                "data": [
                    {
                        "value": float(Decimal(s.subtotals.get(group.code, "0"))),
                        "url": reverse("assessment:score_detail", args=[s.pk]),
                    }
                    for s in scores
                ],
            }
        )
    series.append(
        {
            "name": _("总分"),
            "type": "scatter",
            "symbolSize": 1,
            "label": {"show": True, "position": "right", "formatter": "{c}"},
            "itemStyle": {"color": "#1d273b"},
            "data": [float(s.total) for s in scores],
            "tooltip": {"show": False},
        }
    )
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 48, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "name": _("分")},
        "yAxis": {"type": "category", "data": names, "axisLabel": {"width": 120, "overflow": "truncate"}},
        "series": series,
    }


def bar_height(scores) -> int:
    return max(200, 36 * len(scores) + 80)
