"""Dashboard panels: any app contributes a panel to the leaders' dashboard (驾驶舱).

An app registers its panels in ``AppConfig.ready``::

    from chainlead.dashboard.panels import Panel, register_panel

    register_panel(Panel(
        key="reporting_rate", title=_("填报率"), order=60,
        template="dispatch/panels/reporting_rate.html",
        context=lambda request, dash: {"rows": reporting_rate(dash.period)},
    ))

The dashboard renders the panels in ``order``; ``dash`` is a ``DashboardContext`` (the period,
the "as of" moment if any, the user). A panel's template gets its own context plus ``dash``.
Charts use ECharts options built in Python and the shared ``chainlead/charts.js``
(``{{ option|json_script:"id" }}`` + ``<div data-chart="id">``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DashboardContext:
    """What every panel is computed for."""

    user: Any
    period_start: datetime.date
    period_end: datetime.date
    as_of: datetime.datetime | None = None  # None: today's data; else rebuilt from history
    area: Any = None  # optional Unit filter (an area or battle zone)
    extra: dict = field(default_factory=dict)


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


def panels_for(user) -> list[Panel]:
    return sorted(
        (p for p in _PANELS.values() if p.visible is None or p.visible(user)), key=lambda p: p.order
    )
