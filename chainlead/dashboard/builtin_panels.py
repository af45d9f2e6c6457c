"""The dashboard's own panels, registered like any other app's (see ``panels.py``).

They all read the figures computed once per page (``dash.extra["data"]``, a
``figures.DashboardData``), so adding a panel costs no query.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chainlead.dashboard import charts, figures
from chainlead.dashboard.panels import Panel, register_panel


def data_of(dash) -> figures.DashboardData:
    data = dash.extra.get("data")
    if data is None:
        data = dash.extra["data"] = figures.compute(dash)
    return data


def _chart(dash, key: str, option: dict, *, height: int = 300, note: str = "") -> dict:
    return {"option": option, "chart_id": f"chart-{key}", "height": height, "note": note}


def _funnel(request, dash):
    data = data_of(dash)
    return _chart(dash, "funnel", charts.funnel(data.funnel), height=320)


def _urls(data, dash):
    area = dash.area.pk if dash.area is not None else None

    def url(metric):
        return lambda p: figures.list_url(metric, p, as_of=data.as_of, area=area)

    return {"landed": url("landed"), "started": url("started")}


def _trend(request, dash):
    data = data_of(dash)
    return _chart(dash, "trend", charts.trend_counts(data.trend, _urls(data, dash)), height=320)


def _trend_investment(request, dash):
    data = data_of(dash)
    return _chart(
        dash, "trend-investment", charts.trend_investment(data.trend, _urls(data, dash)["landed"]), height=320
    )


def _chains(request, dash):
    data = data_of(dash)
    return _chart(dash, "chains", charts.by_chain(data.chains))


def _areas(request, dash):
    data = data_of(dash)
    return _chart(dash, "areas", charts.by_area(data.areas))


def _bands(request, dash):
    data = data_of(dash)
    return _chart(dash, "bands", charts.bands(data.bands))


def _tags(request, dash):
    data = data_of(dash)
    return _chart(
        dash,
        "tags",
        charts.tags(data.tags),
        note=_("一个企业可有多个来源标签，各标签分别计数。"),
    )


def _lagging(request, dash):
    items, total = figures.lagging(dash, limit=8 if dash.extra.get("screen") else 10)
    return {"items": items, "total": total}


def _freshness(request, dash):
    return figures.freshness(dash, limit=12)


def _no_other_freshness_panel(user) -> bool:
    """The dispatch app's data-freshness panel (reports and their timeliness per unit) supersedes
    this one, which only knows when each unit last changed its projects."""
    from chainlead.dashboard.panels import _PANELS

    return "dispatch_freshness" not in _PANELS


def register_builtin_panels() -> None:
    for panel in (
        Panel("dashboard_funnel", _("项目推进漏斗"), 10, "dashboard/panels/chart.html", _funnel, width=4),
        Panel(
            "dashboard_trend",
            _("月度签约和注册、开工项目"),
            20,
            "dashboard/panels/chart.html",
            _trend,
            width=4,
        ),
        Panel(
            "dashboard_trend_investment",
            _("月度新落地项目总投资"),
            25,
            "dashboard/panels/chart.html",
            _trend_investment,
            width=4,
            big_screen=False,
        ),
        Panel("dashboard_chains", _("各产业链项目情况"), 30, "dashboard/panels/chart.html", _chains),
        Panel("dashboard_areas", _("各片区/战区项目情况"), 38, "dashboard/panels/chart.html", _areas),
        Panel(
            "dashboard_bands",
            _("洽谈和招引项目投资规模"),
            50,
            "dashboard/panels/chart.html",
            _bands,
            big_screen=False,
        ),
        Panel(
            "dashboard_tags",
            _("洽谈和招引项目来源"),
            55,
            "dashboard/panels/chart.html",
            _tags,
            big_screen=False,
        ),
        Panel(
            "dashboard_lagging",
            _("进度最滞后的项目"),
            70,
            "dashboard/panels/lagging.html",
            _lagging,
            supports_as_of=False,
        ),
        Panel(
            "dashboard_freshness",
            _("数据更新情况"),
            90,
            "dashboard/panels/freshness.html",
            _freshness,
            big_screen=False,
            supports_as_of=False,
            visible=_no_other_freshness_panel,
        ),
    ):
        register_panel(panel)
