"""Services of the enterprises app: the dated 四上 thresholds and the monthly 纳统 candidates.

四上 thresholds change over time (DOMAIN.md §2.3), so they are data with a validity period
(``StatsThreshold``), never constants in code. A month is judged by the threshold in force on the
month's last day, the day the reported year-to-date revenue refers to.
"""

from __future__ import annotations

import calendar
import datetime
import re

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.translation import gettext as _

from chainlead.core import clock
from chainlead.core.exceptions import ServiceError
from chainlead.enterprises.choices import DEFAULT_THRESHOLDS, StatsStatus
from chainlead.enterprises.models import Enterprise, EnterpriseRevenue, StatsThreshold

#: Categories judged by qualification or activity, not revenue (有资质的建筑业, 房地产开发经营业).
NO_REVENUE_THRESHOLD = frozenset(str(c) for c, (value, _basis) in DEFAULT_THRESHOLDS.items() if value is None)

MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(today: datetime.date | None = None) -> datetime.date:
    """The first day of the month before ``today`` (default: today in Asia/Shanghai)."""
    today = today or clock.today()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def parse_month(text: str) -> datetime.date:
    """``"2021-11"`` → 2021-11-01; a plain Chinese message for anything else."""
    match = MONTH_RE.match(text or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1900 <= year <= 2100:
            return datetime.date(year, month, 1)
    raise ServiceError(_("月份“{}”无法识别：请按“年-月”填写，如 2021-11。").format(text), field="month")


def threshold_for(category: str, on_date: datetime.date) -> StatsThreshold | None:
    """The ``StatsThreshold`` of ``category`` valid on ``on_date``, or None if none is recorded."""
    if not category:
        return None
    return StatsThreshold.objects.valid_on(on_date).filter(category=category).order_by("-valid_from").first()


def stats_candidates(month: datetime.date, queryset: QuerySet | None = None) -> QuerySet:
    """Enterprises that have reached the 四上 threshold but are not yet 已纳统, for ``month``.

    For each enterprise with a 四上 category, take its latest year-to-date revenue reported in or
    before ``month`` and the threshold of its category valid at the end of ``month``. It is a
    candidate when

    - the category has a revenue threshold, the revenue has reached it, and the status is not
      已纳统 (未纳统 or 已退库); or
    - the category has no revenue threshold (有资质的建筑业, 房地产开发经营业: a threshold row
      without an amount, or no row at all for these two), the enterprise reported revenue above
      zero, and its status is 未纳统: the office then checks the qualification by hand.

    Categories that need a revenue threshold but have none recorded for the month are left out:
    they cannot be judged. ``queryset`` narrows the enterprises (e.g. to what the user may view).
    Each row is annotated with ``ytd_revenue``, ``reported_month``, ``threshold``, ``excess``
    (revenue − threshold, None without a threshold) and ``threshold_basis``.
    """
    first = month_start(month)
    last = month_end(month)
    qs = queryset if queryset is not None else Enterprise.objects.all()
    latest = EnterpriseRevenue.objects.filter(enterprise=OuterRef("pk"), period__lte=first).order_by(
        "-period"
    )
    rule = (
        StatsThreshold.objects.valid_on(last)
        .filter(category=OuterRef("stats_category"))
        .order_by("-valid_from")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    qs = (
        qs.exclude(stats_category="")
        .exclude(stats_status=StatsStatus.IN_STATS)
        .annotate(
            ytd_revenue=Subquery(latest.values("revenue_ytd")[:1], output_field=money),
            reported_month=Subquery(latest.values("period")[:1]),
            threshold=Subquery(rule.values("threshold")[:1], output_field=money),
            threshold_basis=Subquery(rule.values("basis")[:1]),
            has_rule=Exists(rule),
        )
        .filter(ytd_revenue__isnull=False)
    )
    by_revenue = Q(threshold__isnull=False, ytd_revenue__gte=F("threshold"))
    without_revenue_rule = (
        Q(threshold__isnull=True)
        & (Q(has_rule=True) | Q(stats_category__in=NO_REVENUE_THRESHOLD))
        & Q(ytd_revenue__gt=0, stats_status=StatsStatus.NOT_IN)
    )
    return qs.filter(by_revenue | without_revenue_rule).annotate(
        excess=ExpressionWrapper(F("ytd_revenue") - F("threshold"), output_field=money)
    )


def revenue_rows_with_thresholds(enterprise: Enterprise, revenues) -> list[dict]:
    """Each revenue row of ``enterprise`` with the threshold valid in its month and whether it is
    reached (for the enterprise's 营收 tab). One query for the thresholds, whatever the rows."""
    rules = []
    if enterprise.stats_category:
        rules = list(
            StatsThreshold.objects.filter(category=enterprise.stats_category).order_by("-valid_from")
        )
    rows = []
    for revenue in revenues:
        day = month_end(revenue.period)
        rule = next(
            (r for r in rules if r.valid_from <= day and (r.valid_to is None or r.valid_to >= day)), None
        )
        threshold = rule.threshold if rule else None
        rows.append(
            {
                "revenue": revenue,
                "rule": rule,
                "threshold": threshold,
                "reached": threshold is not None and revenue.revenue_ytd >= threshold,
                "share": (revenue.revenue_ytd / threshold * 100) if threshold else None,
            }
        )
    return rows
