"""Read-side functions other apps use: the ranking a bulletin attaches (supervision) and the
dashboard panel. They read; they never write."""

from __future__ import annotations

import datetime

from chainlead.assessment.choices import RESULT_STATES, RankingStatus


def latest_ranking(period_end: datetime.date | None = None, subject_kind: str = "zone"):
    """The latest ranking with results whose period ends on or before ``period_end`` (default:
    any): the most recent period first; for the same period a published one before a computed one."""
    from django.db.models import Case, IntegerField, Value, When

    from chainlead.assessment.models import Ranking

    qs = Ranking.objects.filter(subject_kind=subject_kind, status__in=list(RESULT_STATES))
    if period_end is not None:
        qs = qs.filter(period_end__lte=period_end)
    return (
        qs.annotate(
            published_first=Case(
                When(status=RankingStatus.PUBLISHED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("scheme")
        .order_by("-period_end", "published_first", "-computed_at", "-pk")
        .first()
    )


def ranking_rows(period_end: datetime.date, subject_kind: str = "zone") -> list[dict]:
    """Rows of the latest ranking ending on or before ``period_end``, best first::

        {"name", "total" (Decimal), "rank" (int), "change" (int | None, positive = moved up),
         "lights_red", "lights_yellow" (ints, from supervision's light counts, else 0)}

    ``[]`` when there is none. Bulletins attach this table (DOMAIN.md §6.1)."""
    ranking = latest_ranking(period_end, subject_kind)
    if ranking is None:
        return []
    red = _light_counts("red_light_counts", ranking)
    yellow = _light_counts("yellow_light_counts", ranking)
    rows = []
    for score in ranking.scores.order_by("rank", "name"):
        rows.append(
            {
                "name": score.name,
                "total": score.total,
                "rank": score.rank,
                "change": score.change,
                "lights_red": int(red.get(score.unit_id, 0)) if score.unit_id else 0,
                "lights_yellow": int(yellow.get(score.unit_id, 0)) if score.unit_id else 0,
            }
        )
    return rows


def _light_counts(name: str, ranking) -> dict:
    """Supervision's per-unit light counts over the ranking's period, summed over each unit's
    subtree; {} when the supervision app does not provide them (yet)."""
    try:
        from chainlead.supervision import queries as supervision
    except ImportError:
        return {}
    func = getattr(supervision, name, None)
    if func is None:
        return {}
    counts = {int(k): int(v) for k, v in (func(ranking.period_start, ranking.period_end) or {}).items()}
    if not counts:
        return {}
    from chainlead.organization.models import Unit

    paths = dict(Unit.objects.filter(pk__in=list(counts)).values_list("pk", "path"))
    subject_paths = dict(
        Unit.objects.filter(pk__in=ranking.scores.exclude(unit=None).values("unit_id")).values_list(
            "pk", "path"
        )
    )
    out = {}
    for subject, spath in subject_paths.items():
        out[subject] = sum(n for unit, n in counts.items() if (paths.get(unit) or "").startswith(spath))
    return out
