"""Read-side helpers shared by the filters, the pages and the zone checklist: what "overdue" means
in SQL, and the four counts an office reads off a list (total / done / in progress / overdue)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from chainlead.core import clock
from chainlead.targets.choices import OPEN_STATUSES, TargetStatus


def overdue_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Targets past their deadline and neither done nor cancelled (the model's ``is_overdue``)."""
    today = today or clock.today()
    return Q(**{f"{prefix}status__in": list(OPEN_STATUSES), f"{prefix}deadline__lt": today})


def in_progress_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Open targets still within their deadline (未启动 and 推进中 alike)."""
    today = today or clock.today()
    return Q(**{f"{prefix}status__in": list(OPEN_STATUSES), f"{prefix}deadline__gte": today})


def count_kwargs(prefix: str = "", today: datetime.date | None = None) -> dict:
    """``Count`` expressions for aggregate()/annotate(): total, done, in_progress, overdue, cancelled.

    ``prefix`` is the lookup from the queried model to the targets (``"attack_targets__"`` on
    units); the five always add up: total = done + in_progress + overdue + cancelled."""
    today = today or clock.today()
    pk = f"{prefix}pk" if prefix else "pk"
    return {
        "total": Count(pk, distinct=True),
        "done": Count(pk, filter=Q(**{f"{prefix}status": TargetStatus.DONE}), distinct=True),
        "in_progress": Count(pk, filter=in_progress_q(today, prefix), distinct=True),
        "overdue": Count(pk, filter=overdue_q(today, prefix), distinct=True),
        "cancelled": Count(pk, filter=Q(**{f"{prefix}status": TargetStatus.CANCELLED}), distinct=True),
    }


def status_counts(queryset) -> dict:
    """The counts of a queryset of targets, in one query."""
    return queryset.aggregate(**count_kwargs())
