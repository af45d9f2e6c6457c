"""Checks for the zone map the office uploads (GeoJSON of areas and battle zones).

The map is drawn from the GeoJSON alone (no tile server), so the file must be exactly what the
drawing needs: a ``FeatureCollection`` of ``Polygon``/``MultiPolygon`` features, each with a
``name`` property, coordinates as ``[longitude, latitude]`` inside China's bounds. Each feature is
linked to a ``Unit`` (area, battle zone or street) by its name; names that match no unit are
reported, not rejected (a zone may draw a park or a port that is not a unit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_GEOJSON_BYTES = 20 * 1024 * 1024
#: China's bounding box (longitude 73–136 °E, latitude 3–54 °N).
LNG_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)
POLYGON_TYPES = ("Polygon", "MultiPolygon")


@dataclass
class CheckedMap:
    """What the check learned about a valid file."""

    features: list[dict] = field(default_factory=list)  # [{"name":…, "unit_id":… or None}]
    unmatched: list[str] = field(default_factory=list)
    bbox: list[float] = field(default_factory=list)  # [min lng, min lat, max lng, max lat]


def _pairs(geometry_type: str, coordinates):
    """Every [x, y] position of a (Multi)Polygon; raises ValueError when the nesting is wrong."""
    rings = [coordinates] if geometry_type == "Polygon" else coordinates
    if not isinstance(rings, list):
        raise ValueError
    for polygon in rings:
        if not isinstance(polygon, list) or not polygon:
            raise ValueError
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValueError
            for pos in ring:
                if (
                    not isinstance(pos, list)
                    or len(pos) < 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos[:2])
                ):
                    raise ValueError
                yield float(pos[0]), float(pos[1])


def _in_china(lng: float, lat: float) -> bool:
    return LNG_RANGE[0] <= lng <= LNG_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]


def check_geojson(data: bytes, *, name: str = "", units=None) -> CheckedMap:
    """Validate GeoJSON bytes; raise ``ValidationError`` with a plain Chinese message.

    ``units`` is an iterable of ``(id, name, short_name)`` to link features to; None skips linking."""
    label = name or _("上传的文件")
    if len(data) > MAX_GEOJSON_BYTES:
        raise ValidationError(
            _("文件“{}”有 {:.1f} MB，超过 {} MB 的上限。").format(
                label, len(data) / 1024 / 1024, MAX_GEOJSON_BYTES // 1024 // 1024
            ),
            code="too_large",
        )
    try:
        text = data.decode("utf-8-sig")
        doc = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = _("（第 {} 行第 {} 列）").format(exc.lineno, exc.colno) if hasattr(exc, "lineno") else ""
        raise ValidationError(
            _("文件“{}”不是有效的 JSON{}，请用 GIS 软件重新导出 GeoJSON。").format(label, where), code="json"
        )
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise ValidationError(
            _("GeoJSON 的最外层应为 FeatureCollection（要素集合），而这个文件是“{}”。").format(found),
            code="not_collection",
        )
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(_("GeoJSON 中没有任何要素（features 为空）。"), code="empty")
    checked = CheckedMap()
    names: list[str] = []
    total = swapped = outside = 0
    min_lng = min_lat = float("inf")
    max_lng = max_lat = float("-inf")
    for n, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ValidationError(_("第 {} 个要素不是 Feature。").format(n), code="feature")
        props = feature.get("properties") or {}
        feature_name = str(props.get("name") or "").strip() if isinstance(props, dict) else ""
        if not feature_name:
            raise ValidationError(
                _("第 {} 个要素缺少 name 属性（片区或战区名称）。").format(n), code="no_name"
            )
        geometry = feature.get("geometry") or {}
        gtype = geometry.get("type") if isinstance(geometry, dict) else None
        if gtype not in POLYGON_TYPES:
            raise ValidationError(
                _("要素“{}”的几何类型是“{}”，只接受 Polygon 或 MultiPolygon（面）。").format(
                    feature_name, gtype or _("空")
                ),
                code="geometry",
            )
        try:
            pairs = list(_pairs(gtype, geometry.get("coordinates")))
        except ValueError:
            raise ValidationError(
                _("要素“{}”的坐标结构不正确（每个环至少 4 个 [经度, 纬度] 点）。").format(feature_name),
                code="coordinates",
            )
        for x, y in pairs:
            total += 1
            if _in_china(x, y):
                min_lng, max_lng = min(min_lng, x), max(max_lng, x)
                min_lat, max_lat = min(min_lat, y), max(max_lat, y)
            elif _in_china(y, x):
                swapped += 1
            else:
                outside += 1
        names.append(feature_name)
    if swapped and swapped * 2 >= total:
        raise ValidationError(
            _("坐标顺序似乎是[纬度, 经度]，GeoJSON 要求[经度, 纬度]。请交换坐标顺序后重新上传。"),
            code="swapped",
        )
    if swapped or outside:
        raise ValidationError(
            _(
                "有 {} 个坐标点不在中国范围内（经度 73–136，纬度 3–54）。请确认坐标系为 WGS84/CGCS2000 经纬度，而不是投影坐标。"
            ).format(swapped + outside),
            code="outside",
        )
    duplicates = sorted({x for x in names if names.count(x) > 1})
    if duplicates:
        raise ValidationError(_("要素名称重复：{}。每个片区或战区只能画一次。").format("、".join(duplicates)))
    checked.bbox = [round(min_lng, 6), round(min_lat, 6), round(max_lng, 6), round(max_lat, 6)]
    lookup: dict[str, int] = {}
    if units is not None:
        for unit_id, unit_name, short_name in units:
            lookup.setdefault(unit_name, unit_id)
            if short_name:
                lookup.setdefault(short_name, unit_id)
    for feature_name in names:
        unit_id = lookup.get(feature_name) if units is not None else None
        checked.features.append({"name": feature_name, "unit_id": unit_id})
        if units is not None and unit_id is None:
            checked.unmatched.append(feature_name)
    return checked
