"""The supervision panel of the leaders' dashboard (驾驶舱): the project light counts of the
latest frozen period, with the reddest units. Registered from ``SupervisionConfig.ready``."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def lights_context(request, dash) -> dict:
    from chainlead.dispatch.models import Period
    from chainlead.supervision.choices import LIGHT_HEX, Component, LightColor, SubjectKind
    from chainlead.supervision.models import Light
    from chainlead.supervision.queries import dashboard_counts

    result = dashboard_counts(dash.user)
    if not result:
        return {"period": None}
    period = Period.objects.select_related("cycle").get(pk=result["period_id"])
    counts = result["counts"]
    reds = Counter(
        Light.objects.restrict(dash.user, "view")
        .filter(
            period=period,
            component=Component.OVERALL,
            subject_kind=SubjectKind.PROJECT,
            color=LightColor.RED,
            excused=False,
        )
        .values_list("responsible_unit__name", flat=True)
    )
    base = reverse("supervision:light_list") + f"?period={period.pk}&component=overall&subject_kind=project"
    chart = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": ["45%", "70%"],
                "label": {"formatter": "{b} {c}"},
                "data": [
                    {
                        "name": str(LightColor(c).label),
                        "value": counts.get(c.value, 0),
                        "itemStyle": {"color": LIGHT_HEX[c]},
                    }
                    for c in LightColor
                    if counts.get(c.value, 0)
                ],
            }
        ],
    }
    return {
        "period": period,
        "counts": [
            (LightColor(c), counts.get(c.value, 0), f"{base}&color={c.value}")
            for c in LightColor
            if c != LightColor.ORANGE or counts.get(c.value)
        ],
        "reds": reds.most_common(5),
        "chart": chart,
        "url": base,
    }


def register_panels() -> None:
    try:
        from chainlead.dashboard.panels import Panel, register_panel
    except ImportError:  # the dashboard app is optional
        return
    register_panel(
        Panel(
            key="supervision_lights",
            title=_("红黄绿灯"),
            order=35,
            template="supervision/panels/lights.html",
            context=lights_context,
            supports_as_of=False,
        )
    )
