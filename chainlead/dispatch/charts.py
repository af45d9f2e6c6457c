"""ECharts options of the dispatch pages and panels, built in Python (see chainlead/charts.js)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def rate_chart(rows, period) -> dict:
    """填报率 per unit as horizontal bars: on time, late, missing (stacked), clickable to the unit page."""
    rows = [r for r in rows if r.expected]
    rows = sorted(rows, key=lambda r: (r.rate or 0, r.unit.name))
    names = [r.unit.short_name or r.unit.name for r in rows]

    def series(name, color, values):
        return {
            "name": name,
            "type": "bar",
            "stack": "total",
            "itemStyle": {"color": color},
            "label": {"show": False},
            "data": values,
        }

    def data(attr):
        return [
            {"value": getattr(r, attr), "url": reverse("dispatch:unit_page", args=[r.unit.pk])} for r in rows
        ]

    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": names, "axisLabel": {"width": 110, "overflow": "truncate"}},
        "series": [
            series(_("按时报送"), "#2fb344", data("on_time")),
            series(_("迟报"), "#f59f00", data("late")),
            series(_("未报"), "#d63939", data("missing")),
        ],
        "title": {"show": False, "text": period.label if period else ""},
    }


def rate_bar_height(rows) -> int:
    return max(180, 28 * len([r for r in rows if r.expected]) + 60)
