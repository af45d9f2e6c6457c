"""Headline figures and their definitions: what counts, which date, which stages.

The seed's figures ("1–11月 洽谈和招引208个、总投资3068亿元；签约和注册140个；达产后年产值1962亿元") are
computed here, and the leaders' dashboard uses the same functions. Each function takes a base
queryset so the same definition can run over today's rows or over the history table "as of" a
past date (``KeyProject.history.as_of(...)`` has the same field names).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=18, decimal_places=2))


@dataclass(frozen=True)
class Period:
    """A closed date range, e.g. 2021-01-01 … 2021-11-30 ("2021年1–11月")."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year_to_month(cls, year: int, month: int) -> Period:
        """1月 to the end of ``month`` of ``year``."""
        end = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
        return cls(datetime.date(year, 1, 1), end)

    def same_period_last_year(self) -> Period:
        def back(d: datetime.date) -> datetime.date:
            try:
                return d.replace(year=d.year - 1)
            except ValueError:  # 29 February
                return d.replace(year=d.year - 1, day=28)

        return Period(back(self.start), back(self.end))

    @property
    def label(self) -> str:
        if self.start.year == self.end.year and self.start.day == 1 and self.start.month == 1:
            if self.end.month == 1:
                return f"{self.end.year}年1月"
            return f"{self.end.year}年1–{self.end.month}月"
        return f"{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"


def in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def landed_in(period: Period) -> Q:
    """Landed (落地) in the period: signed in it, or registered in it (签约和注册合并计算)."""
    return in_period("signed_on", period) | in_period("registered_on", period)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "count" or "yi" (亿元 from 万元 sums)
    definition: str
    date_field: str
    stages: str
    filter: object  # callable(period) -> Q
    sum_field: str | None = None


METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "attracted",
            _("洽谈和招引项目"),
            "count",
            _(
                "统计期内进入洽谈阶段的项目个数（以“开始洽谈日期”计），包括之后已签约、开工、投产的项目，也包括之后终止的项目。"
            ),
            "negotiating_on",
            _("洽谈及以后各阶段"),
            lambda p: in_period("negotiating_on", p),
        ),
        Metric(
            "attracted_investment",
            _("洽谈和招引项目总投资"),
            "yi",
            _("上述洽谈和招引项目的计划总投资之和，以亿元显示（库中以万元存储）。"),
            "negotiating_on",
            _("洽谈及以后各阶段"),
            lambda p: in_period("negotiating_on", p),
            "total_investment",
        ),
        Metric(
            "landed",
            _("签约和注册项目"),
            "count",
            _("统计期内签约或注册（落地）的项目个数：签约日期或注册日期在统计期内即计入，同一项目只计一次。"),
            "signed_on / registered_on",
            _("签约、注册及以后各阶段"),
            landed_in,
        ),
        Metric(
            "landed_output",
            _("达产后年产值"),
            "yi",
            _("上述签约和注册项目的预计达产后年产值之和，以亿元显示。"),
            "signed_on / registered_on",
            _("签约、注册及以后各阶段"),
            landed_in,
            "expected_output",
        ),
        Metric(
            "started",
            _("开工项目"),
            "count",
            _("统计期内开工的项目个数（以“开工日期”计；场地平整不算开工）。"),
            "started_on",
            _("开工及以后各阶段"),
            lambda p: in_period("started_on", p),
        ),
        Metric(
            "completed",
            _("竣工项目"),
            "count",
            _("统计期内竣工验收的项目个数（以“竣工日期”计）。"),
            "completed_on",
            _("竣工及以后各阶段"),
            lambda p: in_period("completed_on", p),
        ),
        Metric(
            "in_production",
            _("投产项目"),
            "count",
            _("统计期内投产（投用）的项目个数（以“投产日期”计）。"),
            "production_on",
            _("投产、达产"),
            lambda p: in_period("production_on", p),
        ),
        Metric(
            "enterprises_in_stats",
            _("企业纳统"),
            "count",
            _("统计期内项目企业纳入“四上”统计的个数（以“企业纳统月份”计，同一企业只计一次）。"),
            "stats_month",
            _("纳统标记"),
            lambda p: (
                Q(enterprise_in_stats=True)
                & in_period("stats_month", p.__class__(p.start.replace(day=1), p.end))
            ),
        ),
    ]
}


def metric_queryset(metric: Metric, queryset, period: Period):
    """The rows behind a figure (the drill-down list)."""
    return queryset.filter(metric.filter(period))


def metric_value(metric: Metric, queryset, period: Period) -> Decimal | int:
    """The figure: a count, or a sum in 万元 (shown in 亿元)."""
    qs = metric_queryset(metric, queryset, period)
    if metric.sum_field:
        return qs.aggregate(v=Coalesce(Sum(metric.sum_field), ZERO))["v"]
    if metric.key == "enterprises_in_stats":
        return qs.exclude(enterprise_id=None).values("enterprise_id").distinct().count()
    return qs.count()


def headline(queryset, period: Period) -> dict[str, Decimal | int]:
    """All headline figures for a period, computed with as few queries as the definitions allow."""
    agg = queryset.aggregate(
        attracted=Count("pk", filter=METRICS["attracted"].filter(period)),
        attracted_investment=Coalesce(
            Sum("total_investment", filter=METRICS["attracted"].filter(period)), ZERO
        ),
        landed=Count("pk", filter=landed_in(period)),
        landed_output=Coalesce(Sum("expected_output", filter=landed_in(period)), ZERO),
        started=Count("pk", filter=METRICS["started"].filter(period)),
        completed=Count("pk", filter=METRICS["completed"].filter(period)),
        in_production=Count("pk", filter=METRICS["in_production"].filter(period)),
    )
    agg["enterprises_in_stats"] = metric_value(METRICS["enterprises_in_stats"], queryset, period)
    return agg
