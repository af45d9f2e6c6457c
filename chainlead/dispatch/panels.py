"""The dispatch panels of the leaders' dashboard (驾驶舱): 填报率 per unit, data freshness, and
open/overdue problems. Registered from ``DispatchConfig.ready``."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chainlead.core import clock


def _period(dash):
    from chainlead.dispatch.choices import ItemKind
    from chainlead.dispatch.services import latest_due_period

    end = getattr(dash, "period_end", None) or clock.today()
    return latest_due_period(ItemKind.PROJECT, min(end, clock.today()) if end else None)


def reporting_rate_context(request, dash) -> dict:
    from chainlead.dispatch import charts
    from chainlead.dispatch.services import period_summary

    period = _period(dash)
    if period is None:
        return {"period": None}
    summary = period_summary(period)
    return {
        "period": period,
        "summary": summary,
        "chart": charts.rate_chart(summary["rows"], period),
        "height": charts.rate_bar_height(summary["rows"]),
        "url": reverse("dispatch:tracking") + f"?period={period.pk}",
    }


def freshness_context(request, dash) -> dict:
    from chainlead.dispatch.services import freshness

    rows = sorted(freshness(), key=lambda r: (r.days_since is None, -(r.days_since or 0)), reverse=False)
    rows.sort(key=lambda r: ({"red": 0, "yellow": 1, "green": 2}[r.level], -(r.days_since or 9999)))
    return {"rows": rows[:12], "url": reverse("dispatch:unit_index")}


def problems_context(request, dash) -> dict:
    from chainlead.dispatch.choices import (
        ACTIVE_PROBLEM_STATES,
        OPEN_PROBLEM_STATES,
        ProblemCategory,
        ProblemLevel,
    )
    from chainlead.dispatch.models import Problem

    today = clock.today()
    open_q = Q(status__in=list(OPEN_PROBLEM_STATES))
    overdue_q = Q(status__in=list(ACTIVE_PROBLEM_STATES), due_on__lt=today)
    totals = Problem.objects.aggregate(
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=overdue_q),
        supervised=Count("pk", filter=open_q & Q(level=ProblemLevel.PRINCIPAL)),
    )
    by_level = {
        row["level"]: row
        for row in Problem.objects.filter(open_q)
        .values("level")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=overdue_q))
    }
    by_category = Problem.objects.filter(open_q).values("category").annotate(n=Count("pk")).order_by("-n")[:6]
    labels = dict(ProblemCategory.choices)
    base = reverse("dispatch:problem_list")
    return {
        "totals": totals,
        "levels": [
            {
                "level": level,
                "label": label,
                "n": by_level.get(level, {}).get("n", 0),
                "overdue": by_level.get(level, {}).get("overdue", 0),
                "url": f"{base}?level={level}&status=assigned&status=in_progress&status=reopened&status=raised&status=resolved",
            }
            for level, label in ProblemLevel.choices
        ],
        "categories": [{"label": labels.get(r["category"], r["category"]), "n": r["n"]} for r in by_category],
        "url": base,
        "overdue_url": f"{base}?overdue=true",
    }


def register_panels() -> None:
    try:
        from chainlead.dashboard.panels import Panel, register_panel
    except ImportError:  # the dashboard app is optional
        return
    register_panel(
        Panel(
            key="dispatch_reporting_rate",
            title=_("填报率"),
            order=60,
            template="dispatch/panels/reporting_rate.html",
            context=reporting_rate_context,
            supports_as_of=False,
        )
    )
    register_panel(
        Panel(
            key="dispatch_freshness",
            title=_("数据新鲜度"),
            order=61,
            template="dispatch/panels/freshness.html",
            context=freshness_context,
            supports_as_of=False,
        )
    )
    register_panel(
        Panel(
            key="dispatch_problems",
            title=_("堵点问题"),
            order=62,
            template="dispatch/panels/problems.html",
            context=problems_context,
            supports_as_of=False,
        )
    )
