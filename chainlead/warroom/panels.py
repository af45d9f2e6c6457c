"""The war room's panels on the leaders' dashboard (驾驶舱): the project map coloured by stage,
and the plan nodes overdue the longest."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chainlead.dashboard.panels import Panel, register_panel

OVERDUE_PANEL_ROWS = 10


def _projects(request, dash):
    from chainlead.projects.models import KeyProject

    qs = KeyProject.objects.restrict(dash.user, "view")
    if dash.area is not None:
        qs = qs.filter(area__path__startswith=dash.area.path)
    return qs


def map_context(request, dash) -> dict:
    from chainlead.warroom.choices import MapColoring
    from chainlead.warroom.mapdata import active_map, map_config
    from chainlead.warroom.models import ZoneMap

    zone_map = active_map(ZoneMap.objects.restrict(dash.user, "view"))
    config = map_config(
        _projects(request, dash), coloring=MapColoring.STAGE, zone_map=zone_map, user=dash.user
    )
    return {"config": config, "zone_map": zone_map}


def overdue_context(request, dash) -> dict:
    from chainlead.core import clock
    from chainlead.warroom.choices import NodeStatus
    from chainlead.warroom.models import ScheduleNode

    qs = ScheduleNode.objects.restrict(dash.user, "view").filter(status=NodeStatus.OVERDUE)
    if dash.area is not None:
        qs = qs.filter(schedule__project__area__path__startswith=dash.area.path)
    total = qs.count()
    nodes = list(
        qs.select_related("schedule__project", "owner_department").order_by("due_on", "pk")[
            :OVERDUE_PANEL_ROWS
        ]
    )
    today = clock.today()
    for n in nodes:
        n.overdue_days = (today - n.due_on).days if n.due_on else None
    return {"nodes": nodes, "total": total}


register_panel(
    Panel(
        key="warroom_map",
        title=_("挂图作战地图"),
        order=40,
        template="warroom/panels/map.html",
        context=map_context,
        width=6,
        supports_as_of=False,
    )
)
register_panel(
    Panel(
        key="warroom_overdue_nodes",
        title=_("逾期最久的计划节点"),
        order=45,
        template="warroom/panels/overdue_nodes.html",
        context=overdue_context,
        width=6,
        supports_as_of=False,
    )
)
