"""The data behind the project map (挂图): the zone's polygons come from the uploaded GeoJSON (no
tile server), the projects are markers placed by their coordinates, coloured by stage or by the
schedule light, and a click on a marker opens the project."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from chainlead.organization.choices import UnitKind
from chainlead.organization.models import Unit
from chainlead.projects.choices import STAGE_ORDER, Stage
from chainlead.projects.models import KeyProject
from chainlead.utilities.money import format_yi
from chainlead.warroom.choices import LIGHT_COLORS, Light, MapColoring

#: Tabler's palette for the stage colours of ``projects.choices.STAGE_COLORS``.
STAGE_HEX = {
    Stage.LEAD: "#9aa0ac",
    Stage.NEGOTIATING: "#17a2b8",
    Stage.NEGOTIATING: "#17a2b8",
    Stage.SIGNED: "#206bc4",
    Stage.REGISTERED: "#4263eb",
    Stage.STARTED: "#f76707",
    Stage.COMPLETED: "#0ca678",
    Stage.IN_PRODUCTION: "#2fb344",
    Stage.AT_CAPACITY: "#74b816",
    Stage.ON_HOLD: "#f59f00",
    Stage.TERMINATED: "#d63939",
}
REGION_FILL = {UnitKind.AREA: "rgba(32,107,196,0.10)", UnitKind.BATTLE_ZONE: "rgba(247,103,7,0.14)"}
MAX_MARKERS = 5000


def active_map(qs):
    """The newest active zone map of a (restricted) queryset, or None."""
    return qs.filter(is_active=True).order_by("-created", "-pk").first()


def _regions(zone_map, user) -> list[dict]:
    """Per feature: its unit's kind (for the fill) and the board to open on a click."""
    if zone_map is None:
        return []
    from chainlead.warroom.boards import board_zones

    ids = [f.get("unit_id") for f in zone_map.features if f.get("unit_id")]
    units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    boards = set(board_zones(user).filter(pk__in=ids).values_list("pk", flat=True)) if user else set()
    out = []
    for f in zone_map.features:
        unit = units.get(f.get("unit_id"))
        kind = unit.kind if unit else ""
        out.append(
            {
                "name": f["name"],
                "kind": kind,
                "fill": REGION_FILL.get(kind, "rgba(120,130,140,0.10)"),
                "url": reverse("warroom:board", args=[unit.pk]) if unit and unit.pk in boards else "",
            }
        )
    return out


def map_config(projects, *, coloring: str, zone_map, user) -> dict:
    """Markers (grouped for the legend), polygons and labels for ``warroom/map.js``."""
    from chainlead.warroom.services import project_lights

    rows = list(
        projects.filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("area", "chain")
        .order_by("pk")[:MAX_MARKERS]
    )
    unplaced = projects.filter(latitude__isnull=True).count()
    lights = project_lights(projects) if coloring == MapColoring.LIGHT else {}
    groups: dict[str, dict] = {}
    order = []
    if coloring == MapColoring.LIGHT:
        for light in (Light.RED, Light.YELLOW, Light.GREEN, Light.NONE):
            order.append((light, str(Light(light).label), LIGHT_COLORS[light]))
    else:
        for stage in [*STAGE_ORDER, Stage.ON_HOLD, Stage.TERMINATED]:
            order.append((stage, str(Stage(stage).label), STAGE_HEX[stage]))
    for key, label, color in order:
        groups[key] = {"key": key, "name": label, "color": color, "data": []}
    for p in rows:
        key = lights.get(p.pk, Light.NONE) if coloring == MapColoring.LIGHT else p.stage
        groups[key]["data"].append(
            {
                "name": p.name,
                "value": [float(p.longitude), float(p.latitude)],
                "id": p.pk,
                "url": p.get_absolute_url(),
                "area": str(p.area or ""),
                "stage": p.get_stage_display(),
                "chain": str(p.chain or ""),
                "investment": format_yi(p.total_investment) + _("亿元"),
            }
        )
    return {
        "geojson": reverse("warroom:map_geojson") if zone_map else "",
        "mapName": f"zone-{zone_map.pk}" if zone_map else "",
        "bbox": zone_map.bbox if zone_map else [],
        "regions": _regions(zone_map, user),
        "series": [g for g in groups.values() if g["data"]],
        "legend": [
            {"name": g["name"], "color": g["color"], "count": len(g["data"])} for g in groups.values()
        ],
        "count": len(rows),
        "unplaced": unplaced,
        "placeUrl": reverse("warroom:map_place"),
        "labels": {
            "area": _("所在片区"),
            "stage": _("阶段"),
            "chain": _("产业链"),
            "investment": _("总投资"),
            "open": _("点击打开项目"),
            "placing": _("请在地图上点击项目位置"),
            "noMap": _("尚未上传区域地图"),
            "placed": _("已放置"),
            "failed": _("放置失败"),
        },
    }


def preview_config(zone_map) -> dict:
    """The zone map on its own page: polygons only."""
    return {
        "geojson": reverse("warroom:zonemap_geojson", args=[zone_map.pk]),
        "mapName": f"zone-{zone_map.pk}",
        "bbox": zone_map.bbox,
        "regions": _regions(zone_map, None),
        "series": [],
        "legend": [],
        "count": 0,
        "unplaced": 0,
        "placeUrl": "",
        "labels": {"noMap": _("尚未上传区域地图")},
    }


def placeable(user, limit: int = 1000) -> list[tuple[int, str, bool]]:
    """(id, name, has coordinates) of the projects the user may place on the map."""
    return [
        (pk, name, lat is not None)
        for pk, name, lat in KeyProject.objects.restrict(user, "change")
        .order_by("latitude", "name")
        .values_list("pk", "name", "latitude")[:limit]
    ]
