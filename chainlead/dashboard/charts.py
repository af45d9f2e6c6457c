"""ECharts 6 options of the dashboard's charts, built in Python (see ``chainlead/charts.js``).

Every data item that stands for a set of projects carries ``url``: a click opens the list behind
it. Amounts are shown in 亿元 with two decimals. The options use light colours; the big screen
adapts every chart on it (its own and the other apps') to its dark background in ``screen.js``.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from chainlead.utilities.money import format_yi, wan_to_yi

PALETTE = ["#206bc4", "#2fb344", "#f76707", "#ae3ec9", "#0ca678", "#f59f00", "#d63939", "#4299e1", "#74b816"]
MONTHS = [f"{m}月" for m in range(1, 13)]


def _yi(value) -> float:
    """亿元 as a number for a chart (the label text is formatted separately)."""
    return float(wan_to_yi(value or Decimal(0)))


def _base(**extra) -> dict:
    option = {
        "color": PALETTE,
        "textStyle": {"fontFamily": "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif"},
        "tooltip": {"trigger": "item", "confine": True},
        "animationDuration": 600,
    }
    option.update(extra)
    return option


def funnel(rows: list[dict]) -> dict:
    """洽谈和招引 → 签约和注册 → 开工 → 竣工 → 投产: counts, with total investment in the label."""
    data = []
    for i, row in enumerate(rows):
        text = _("{label}\n{n}个 · {yi}亿元").format(
            label=row["label"], n=row["n"], yi=format_yi(row["investment"])
        )
        data.append(
            {
                "name": str(row["label"]),
                "value": row["n"],
                "url": row["url"],
                "label": {"formatter": text},
                "tooltip": {"formatter": text.replace("\n", "：")},
                "itemStyle": {"color": PALETTE[i % len(PALETTE)]},
            }
        )
    return _base(
        series=[
            {
                "type": "funnel",
                "sort": "none",
                "left": "3%",
                "right": "3%",
                "top": 10,
                "bottom": 10,
                "minSize": "52%",
                "maxSize": "100%",
                "gap": 3,
                "label": {
                    "show": True,
                    "position": "inside",
                    "color": "#fff",
                    "fontSize": 12,
                    "lineHeight": 17,
                },
                "data": data,
            }
        ]
    )


def _trend_axis(name_unit: str) -> dict:
    return {
        "type": "value",
        "name": name_unit,
        "minInterval": 1,
        "splitLine": {"lineStyle": {"color": "#e9ecef"}},
    }


def trend_counts(trend: dict, urls: dict) -> dict:
    """Signings (签约和注册) and starts per month of this year, last year dashed."""
    y, py = trend["this_year"], trend["last_year"]
    series = []
    for key, label, color in (("landed", _("签约和注册"), PALETTE[0]), ("started", _("开工"), PALETTE[2])):
        for name, rows, dashed in (
            ("current", trend["current"], False),
            ("previous", trend["previous"], True),
        ):
            year = y if name == "current" else py
            data = []
            for row in rows:
                if row is None:
                    data.append(None)
                    continue
                data.append({"value": row[key], "url": urls[key](row["period"])})
            series.append(
                {
                    "name": _("{label}（{year}年）").format(label=label, year=year),
                    "type": "line",
                    "data": data,
                    "smooth": True,
                    "symbolSize": 6 if not dashed else 4,
                    "lineStyle": {"type": "dashed" if dashed else "solid", "width": 1.5 if dashed else 2.5},
                    "itemStyle": {"color": color, "opacity": 0.55 if dashed else 1},
                }
            )
    return _base(
        tooltip={"trigger": "axis", "confine": True},
        legend={"top": 0, "itemWidth": 18, "itemGap": 8, "textStyle": {"fontSize": 11}},
        grid={"left": 36, "right": 12, "top": 58, "bottom": 24},
        xAxis={"type": "category", "data": MONTHS, "boundaryGap": False},
        yAxis=_trend_axis(_("个")),
        series=series,
    )


def trend_investment(trend: dict, url) -> dict:
    """Total investment of the projects newly landed each month (亿元), last year dashed."""
    y, py = trend["this_year"], trend["last_year"]
    current = [
        None if row is None else {"value": _yi(row["landed_investment"]), "url": url(row["period"])}
        for row in trend["current"]
    ]
    previous = [
        None if row is None else {"value": _yi(row["landed_investment"]), "url": url(row["period"])}
        for row in trend["previous"]
    ]
    return _base(
        tooltip={"trigger": "axis", "confine": True},
        legend={"top": 0, "itemWidth": 18, "itemGap": 8, "textStyle": {"fontSize": 11}},
        grid={"left": 44, "right": 12, "top": 58, "bottom": 24},
        xAxis={"type": "category", "data": MONTHS},
        yAxis={"type": "value", "name": _("亿元"), "splitLine": {"lineStyle": {"color": "#e9ecef"}}},
        series=[
            {
                "name": _("新落地项目总投资（{year}年）").format(year=y),
                "type": "bar",
                "data": current,
                "barMaxWidth": 22,
                "itemStyle": {"color": PALETTE[1], "borderRadius": [3, 3, 0, 0]},
            },
            {
                "name": _("新落地项目总投资（{year}年）").format(year=py),
                "type": "line",
                "data": previous,
                "smooth": True,
                "symbolSize": 4,
                "lineStyle": {"type": "dashed", "width": 1.5},
                "itemStyle": {"color": "#868e96"},
            },
        ],
    )


def grouped_bars(
    categories: list[str], series_rows: list[tuple[str, list[dict]]], *, rotate: int = 0
) -> dict:
    """Counts per category (chain, area…) for several figures side by side."""
    long_labels = max((len(c) for c in categories), default=0) > 5
    return _base(
        tooltip={"trigger": "axis", "axisPointer": {"type": "shadow"}, "confine": True},
        legend={"top": 0},
        grid={"left": 36, "right": 12, "top": 40, "bottom": 8, "containLabel": True},
        xAxis={
            "type": "category",
            "data": categories,
            "axisLabel": {
                "interval": 0,
                "rotate": rotate or (30 if long_labels and len(categories) > 5 else 0),
            },
        },
        yAxis={
            "type": "value",
            "name": _("个"),
            "minInterval": 1,
            "splitLine": {"lineStyle": {"color": "#e9ecef"}},
        },
        series=[
            {
                "name": name,
                "type": "bar",
                "data": data,
                "barMaxWidth": 18,
                "itemStyle": {"borderRadius": [3, 3, 0, 0]},
            }
            for name, data in series_rows
        ],
    )


def by_chain(chains: list[dict]) -> dict:
    rows = [c for c in chains if c["id"]]
    cats = [c["short_name"] for c in rows]
    series = []
    for key, label in (("attracted", _("洽谈和招引")), ("landed", _("签约和注册")), ("started", _("开工"))):
        series.append((str(label), [{"value": c[key], "url": c["urls"].get(key)} for c in rows]))
    return grouped_bars(cats, series)


def by_area(areas: list[dict]) -> dict:
    cats = [a["name"] for a in areas]
    series = [
        (str(_("洽谈和招引")), [{"value": a["attracted"], "url": a["url"]} for a in areas]),
        (str(_("签约和注册")), [{"value": a["landed"], "url": a["url_landed"]} for a in areas]),
        (str(_("开工")), [{"value": a["started"], "url": a["url_started"]} for a in areas]),
    ]
    return grouped_bars(cats, series)


def bands(rows: list[dict]) -> dict:
    data = []
    for i, row in enumerate(rows):
        if not row["n"]:
            continue  # an empty slice only clutters the labels; the legend still lists every band
        text = _("{label}：{n}个，{yi}亿元").format(
            label=row["label"], n=row["n"], yi=format_yi(row["investment"])
        )
        data.append(
            {
                "name": row["label"],
                "value": row["n"],
                "url": row["url"],
                "tooltip": {"formatter": text},
                "itemStyle": {"color": ["#a5d8ff", "#4dabf7", "#1c7ed6", "#f76707", "#d63939"][i % 5]},
            }
        )
    return _base(
        legend={"bottom": 0, "type": "scroll", "data": [row["label"] for row in rows]},
        series=[
            {
                "type": "pie",
                "radius": ["42%", "70%"],
                "center": ["50%", "45%"],
                "avoidLabelOverlap": True,
                "label": {"formatter": "{b}\n{c}个"},
                "data": data,
            }
        ],
    )


def tags(rows: list[dict]) -> dict:
    rows = list(reversed(rows))
    data = []
    for row in rows:
        text = _("{label}：{n}个，{yi}亿元").format(
            label=row["label"], n=row["n"], yi=format_yi(row["investment"])
        )
        data.append({"value": row["n"], "url": row["url"], "tooltip": {"formatter": text}})
    return _base(
        grid={"left": 8, "right": 28, "top": 8, "bottom": 8, "containLabel": True},
        xAxis={"type": "value", "minInterval": 1, "splitLine": {"lineStyle": {"color": "#e9ecef"}}},
        yAxis={"type": "category", "data": [r["label"] for r in rows]},
        series=[
            {
                "type": "bar",
                "data": data,
                "barMaxWidth": 16,
                "label": {"show": True, "position": "right"},
                "itemStyle": {"color": PALETTE[3], "borderRadius": [0, 3, 3, 0]},
            }
        ],
    )


MINIMAP_COLUMNS = 7


def minimap_height(map_data: dict) -> int:
    """Pixel height of a miniature chain map: one 15px row per seven nodes of the longest segment."""
    from collections import Counter

    counts = Counter(n["segment"] for n in map_data["nodes"])
    rows = max(1, max(((c + MINIMAP_COLUMNS - 1) // MINIMAP_COLUMNS for c in counts.values()), default=1))
    return min(140, 30 + rows * 15)


def chain_minimap(map_data: dict, url: str | None = None) -> dict:
    """A chain map in miniature: each segment (上游, 中游, 下游) a block of dots, one per node,
    coloured by local strength; missing nodes red and larger. Names show on hover (and the
    scorecard lists the missing ones)."""
    from chainlead.chains.choices import Segment, Strength

    columns = {s.value: i for i, s in enumerate(Segment)}
    per_segment: dict[int, list[dict]] = {0: [], 1: [], 2: []}
    for node in map_data["nodes"]:
        per_segment[columns.get(node["segment"], 1)].append(node)
    cols = MINIMAP_COLUMNS
    rows = max(1, max(((len(v) + cols - 1) // cols for v in per_segment.values()), default=1))
    dots, titles = [], []
    for seg, nodes in per_segment.items():
        for i, node in enumerate(nodes):
            missing = node["strength"] == Strength.MISSING
            dots.append(
                {
                    "name": node["name"],
                    "value": [seg * (cols + 1) + i % cols, i // cols],
                    "symbolSize": 11 if missing else 8,
                    "itemStyle": {
                        "color": node["color"],
                        "borderColor": "#ffc9c9" if missing else "rgba(0,0,0,0)",
                        "borderWidth": 2 if missing else 0,
                    },
                    "url": url,
                }
            )
        label = str(dict(Segment.choices)[list(Segment)[seg].value])
        titles.append(
            {
                "name": label,
                "value": [seg * (cols + 1) + (cols - 1) / 2, -1.15],
                "label": {
                    "show": True,
                    "formatter": label,
                    "position": "inside",
                    "fontSize": 11,
                    "color": "#667382",
                },
            }
        )
    return _base(
        tooltip={"trigger": "item", "confine": True, "formatter": "{b}"},
        animation=False,
        grid={"left": 4, "right": 4, "top": 2, "bottom": 2},
        xAxis={"type": "value", "show": False, "min": -0.8, "max": 3 * (cols + 1) - 1.2},
        yAxis={"type": "value", "show": False, "min": -1.9, "max": rows - 0.4, "inverse": True},
        series=[
            {"type": "scatter", "symbol": "roundRect", "data": dots},
            {"type": "scatter", "symbolSize": 0, "silent": True, "tooltip": {"show": False}, "data": titles},
        ],
    )
