"""Figures other apps add to the dashboard's own blocks (besides whole panels, see ``panels.py``).

- ``register_chain_figure``: one more line on every chain scorecard, e.g. the dispatch app's
  year-to-date completed investment per chain (建设)::

      register_chain_figure(ChainFigure(
          key="ytd_investment", label=_("本年完成投资"), task="construction", unit="yi",
          values=lambda dash, chain_ids: {chain_id: Decimal(…万元…), …},
      ))

- ``register_freshness_source``: more columns of the data-freshness panel per responsible unit,
  e.g. the dispatch app's last report and count of late reports::

      register_freshness_source(FreshnessSource(
          key="reports", columns=[("last_report", _("最近填报")), ("late_reports", _("迟报次数"))],
          values=lambda dash, unit_ids: {unit_id: {"last_report": datetime, "late_reports": 2}, …},
      ))

A value may be an int, a ``Decimal`` in 万元 (shown in 亿元 when ``unit="yi"``), a date/datetime
or text. Hooks must respect ``dash.as_of``: return ``None`` from ``values`` when they cannot show
the past (the dashboard then leaves the line out in "as of" mode).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChainFigure:
    key: str
    label: Any
    values: Callable[[Any, list[int]], dict | None]
    task: str = "construction"  # "attraction" | "construction" | "statistics"
    unit: str = "count"  # "count" | "yi"


@dataclass
class FreshnessSource:
    key: str
    columns: list[tuple[str, Any]] = field(default_factory=list)
    values: Callable[[Any, list[int]], dict | None] = lambda dash, ids: {}


CHAIN_FIGURES: dict[str, ChainFigure] = {}
FRESHNESS_SOURCES: dict[str, FreshnessSource] = {}


def register_chain_figure(figure: ChainFigure) -> None:
    CHAIN_FIGURES[figure.key] = figure


def register_freshness_source(source: FreshnessSource) -> None:
    FRESHNESS_SOURCES[source.key] = source
