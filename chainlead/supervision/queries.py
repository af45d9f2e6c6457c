"""Read-side functions other apps use (the assessment's penalty and rectification indicators, the
dashboard) and the consequence ladder. They read; they never write.

Definitions
- *frozen period*: a project period whose lights were frozen when it closed;
- *red light count* of a unit: non-excused red overall lights of the projects it is responsible
  for, over the frozen periods ending within the range;
- *rectification rate* of a unit (整改率): of the lagging items (red or yellow overall lights)
  named in bulletins issued on or before the range's end, the share whose light improved — a red
  to yellow or green, a yellow to green — by the latest frozen period ending within the range
  (and after the bulletin's own period; items with no later frozen period do not count yet).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from chainlead.supervision.choices import COLOR_RANK, Component, LightColor, SubjectKind


def red_light_counts(start: datetime.date, end: datetime.date) -> dict[int, int]:
    """{responsible unit id: non-excused red overall project lights in frozen periods ending
    within [start, end]}."""
    from django.db.models import Count

    from chainlead.supervision.models import Light

    rows = (
        Light.objects.filter(
            is_frozen=True,
            component=Component.OVERALL,
            subject_kind=SubjectKind.PROJECT,
            color=LightColor.RED,
            excused=False,
            period__end__gte=start,
            period__end__lte=end,
            responsible_unit__isnull=False,
        )
        .values("responsible_unit_id")
        .annotate(n=Count("pk"))
    )
    return {r["responsible_unit_id"]: r["n"] for r in rows}


def rectification_rates(start: datetime.date, end: datetime.date) -> dict[int, float]:
    """{responsible unit id: share (0–1) of its bulletin-named lagging items that improved}."""
    from chainlead.supervision.choices import BulletinStatus
    from chainlead.supervision.models import Bulletin, Light

    latest = (
        Light.objects.filter(is_frozen=True, period__end__gte=start, period__end__lte=end)
        .order_by("-period__end")
        .values_list("period_id", "period__end")
        .first()
    )
    if latest is None:
        return {}
    latest_id, latest_end = latest
    named: dict[str, tuple] = {}  # subject key → (unit id, colour named, bulletin period end)
    for bulletin in (
        Bulletin.objects.filter(status=BulletinStatus.ISSUED, issued_on__lte=end)
        .select_related("period")
        .order_by("issued_on", "pk")
    ):
        if bulletin.period.end >= latest_end:
            continue
        for row in (bulletin.data or {}).get("lagging", []):
            key = f"project:{row.get('project_id')}"
            named[key] = (row.get("unit_id"), row.get("color"), bulletin.period.end)
    if not named:
        return {}
    now = {
        key: (LightColor.GREEN if excused else color)
        for key, color, excused in Light.objects.filter(
            period_id=latest_id, component=Component.OVERALL, subject_key__in=list(named)
        ).values_list("subject_key", "color", "excused")
    }
    total, improved = defaultdict(int), defaultdict(int)
    for key, (unit_id, color, _period_end) in named.items():
        if unit_id is None or color not in COLOR_RANK:
            continue
        total[unit_id] += 1
        # A project no longer lit (completed, taken off the list) counts as rectified.
        current = now.get(key, LightColor.GREEN)
        if COLOR_RANK[LightColor(current)] < COLOR_RANK[LightColor(color)]:
            improved[unit_id] += 1
    return {unit_id: improved[unit_id] / n for unit_id, n in total.items() if n}


def consequence_for(light) -> object | None:
    """The highest rung of the consequence ladder that applies to a light (its effective colour
    held for ``streak`` periods), or None for green."""

    color = light.effective_color
    if color == LightColor.GREEN:
        return None
    steps = [s for s in _steps() if s.color == color and s.min_streak <= max(1, light.streak)]
    if not steps and color == LightColor.ORANGE:
        steps = [s for s in _steps() if s.color == LightColor.YELLOW and s.min_streak <= max(1, light.streak)]
    return max(steps, key=lambda s: (s.min_streak, -s.sort_order)) if steps else None


def _steps():
    from chainlead.supervision.models import ConsequenceStep

    return list(ConsequenceStep.objects.filter(is_active=True))


def ladder() -> list:
    return _steps()


def history(subject_key: str, component: str = Component.OVERALL) -> list:
    """The subject's lights period by period (frozen ones, then the live one), oldest first."""
    from chainlead.supervision.models import Light

    return list(
        Light.objects.filter(subject_key=subject_key, component=component)
        .select_related("period__cycle", "excused_by")
        .order_by("period__start")
    )


def transitions(rows: list) -> list[dict]:
    """The history told as steps: "红 3月 → 黄 4月 追上进度"."""
    out = []
    prev = None
    for light in rows:
        entry = {"light": light, "label": f"{light.short} {light.period.end.month}月", "note": ""}
        if prev is not None:
            a, b = prev.rank, light.rank
            if b < a:
                entry["note"] = _improved_note(prev, light)
            elif b > a:
                entry["note"] = "转" + light.short
            else:
                entry["note"] = "持续" + light.short if b else ""
        elif light.rank:
            entry["note"] = light.reason
        out.append(entry)
        prev = light
    return out


def _improved_note(prev, light) -> str:
    if light.excused:
        return "说明免亮"
    gap_then, gap_now = (
        prev.figures.get("gap") if prev.figures else None,
        light.figures.get("gap") if light.figures else None,
    )
    try:
        if gap_then is not None and gap_now is not None and float(gap_now) < float(gap_then):
            return "追上进度"
    except (TypeError, ValueError):
        pass
    return "好转"


def history_line(rows: list) -> str:
    """One line: "红 3月 → 黄 4月 追上进度 → 绿 5月 追上进度"."""
    parts = []
    for step in transitions(rows):
        parts.append(
            f"{step['label']} {step['note']}".strip() if step["note"] and len(parts) else step["label"]
        )
    return " → ".join(parts)


def dashboard_counts(user=None, period=None) -> dict:
    """Overall project light counts of the latest frozen period (or the given one)."""
    from chainlead.supervision.models import Light

    qs = Light.objects.all() if user is None else Light.objects.restrict(user, "view")
    if period is None:
        row = (
            Light.objects.filter(is_frozen=True, subject_kind=SubjectKind.PROJECT)
            .order_by("-period__start")
            .values_list("period_id", flat=True)
            .first()
        )
        if row is None:
            return {}
        period_id = row
    else:
        period_id = period.pk
    counts = {c.value: 0 for c in LightColor}
    for color, excused in qs.filter(
        period_id=period_id, component=Component.OVERALL, subject_kind=SubjectKind.PROJECT
    ).values_list("color", "excused"):
        counts[LightColor.GREEN if excused else color] += 1
    return {"period_id": period_id, "counts": counts}
