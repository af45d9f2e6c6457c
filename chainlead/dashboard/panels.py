"""Dashboard panels: any app contributes a panel to the leaders' dashboard (驾驶舱).

An app registers its panels in ``AppConfig.ready``::

    from chainlead.dashboard.panels import Panel, register_panel

    register_panel(Panel(
        key="reporting_rate", title=_("填报率"), order=60,
        template="dispatch/panels/reporting_rate.html",
        context=lambda request, dash: {"rows": reporting_rate(dash.period)},
    ))

The dashboard renders the panels in ``order``; ``dash`` is a ``DashboardContext`` (the period,
the "as of" moment if any, the user). A panel's template gets its own context plus ``dash`` and
``panel``. Charts use ECharts options built in Python and the shared ``chainlead/charts.js``
(``{{ option|json_script:"id" }}`` + ``<div data-chart="id">``); make the element ids unique with
``panel.key`` and give the chart ``style="height:…"`` (on the big screen the panel body is a
fixed-height flex box: use ``class="chart chart-fill"`` to fill it).

Orders used by the dashboard's own panels (leave room between them): 10 funnel, 20/25 monthly
trends, 30 by chain, 38 by area, 50 size bands, 55 source tags, 70 most lagging, 90 data
freshness (hidden when the dispatch app's ``dispatch_freshness`` is registered). The other apps
use 35 warning lights, 40/45 the war map and its overdue nodes, 60–62 填报率, freshness and
problems.

In "as of" mode (``dash.as_of`` set) a panel whose ``supports_as_of`` is False is not computed:
the dashboard shows "该板块暂不支持历史回看" in its place. A panel that does support it should
read the past, e.g. from ``dash.projects()`` (the history rows as they stood) — never today's data
relabelled.

Panels that want more than the project figures can use the dashboard's own results in
``dash.extra["data"]`` (a ``figures.DashboardData``) instead of querying again.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass
class DashboardContext:
    """What every panel is computed for."""

    user: Any
    period_start: datetime.date
    period_end: datetime.date
    as_of: datetime.datetime | None = None  # None: today's data; else rebuilt from history
    area: Any = None  # optional Unit filter (an area or battle zone)
    extra: dict = field(default_factory=dict)

    @property
    def period(self):
        """The period as a ``projects.metrics.Period``."""
        from chainlead.projects.metrics import Period

        return Period(self.period_start, self.period_end)

    @property
    def as_of_date(self) -> datetime.date | None:
        """The month-end the "as of" moment falls on (local date)."""
        if self.as_of is None:
            return None
        from django.utils import timezone

        moment = self.as_of
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.date()

    def scope(self):
        """The projects that count for this user and area filter (``figures.Scope``)."""
        cached = self.extra.get("_scope")
        if cached is None:
            from chainlead.dashboard.figures import Scope
            from chainlead.organization.models import Unit
            from chainlead.organization.permissions import get_scope
            from chainlead.projects.models import KeyProject

            units = get_scope(self.user).units_for(KeyProject, "view")
            areas = None
            if self.area is not None:
                areas = frozenset(
                    Unit.objects.filter(path__startswith=self.area.path).values_list("pk", flat=True)
                )
            cached = self.extra["_scope"] = Scope(units=units, areas=areas)
        return cached

    def projects(self):
        """``KeyProject`` rows in scope: today's (restricted), or as they stood at ``as_of``."""
        from django.db.models import Q

        from chainlead.projects.models import KeyProject

        scope = self.scope()
        if self.as_of is None:
            qs = KeyProject.objects.restrict(self.user, "view")
        else:
            qs = KeyProject.history.as_of(self.as_of)
            if scope.units is not None:
                qs = qs.filter(Q(area_id__in=scope.units) | Q(responsible_unit_id__in=scope.units))
        if scope.areas is not None:
            qs = qs.filter(area_id__in=scope.areas)
        return qs


@dataclass
class Panel:
    key: str
    title: Any
    order: int
    template: str
    context: Callable[[Any, DashboardContext], dict]
    #: Shown on the 1920×1080 big screen too.
    big_screen: bool = True
    #: Width in the 12-column grid on desktop.
    width: int = 6
    #: Optional check: ``visible(user) -> bool``.
    visible: Callable[[Any], bool] | None = None
    #: False when the panel cannot be rebuilt "as of" a past date (it then says so).
    supports_as_of: bool = True


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def unregister_panel(key: str) -> None:
    """Remove a panel (tests register temporary ones)."""
    _PANELS.pop(key, None)


def panels_for(user) -> list[Panel]:
    return sorted(
        (p for p in _PANELS.values() if p.visible is None or p.visible(user)), key=lambda p: p.order
    )


@dataclass
class RenderedPanel:
    panel: Panel
    html: str = ""
    #: "ok", "as_of_unsupported" or "error"
    status: str = "ok"

    @property
    def key(self) -> str:
        return self.panel.key

    @property
    def title(self):
        return self.panel.title

    @property
    def width(self) -> int:
        return self.panel.width


def render_panels(request, dash: DashboardContext, panels: list[Panel]) -> list[RenderedPanel]:
    """Render each panel in its own card. One failing panel does not take the dashboard down."""
    from django.template.loader import render_to_string

    out = []
    for panel in panels:
        if dash.as_of is not None and not panel.supports_as_of:
            out.append(RenderedPanel(panel, status="as_of_unsupported"))
            continue
        try:
            context = panel.context(request, dash) or {}
            html = render_to_string(
                panel.template, {**context, "dash": dash, "panel": panel}, request=request
            )
        except Exception:  # a broken panel of another app must not break the leaders' page
            logger.exception("dashboard panel %s failed", panel.key)
            out.append(RenderedPanel(panel, status="error"))
            continue
        out.append(RenderedPanel(panel, html=html))
    return out
