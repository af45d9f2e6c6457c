"""The zone map upload: a GeoJSON that cannot be drawn is refused with a plain message and nothing
is saved; features are linked to units by name and the others are reported."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.utilities.testing.base import Org
from chainlead.warroom.geojson import MAX_GEOJSON_BYTES, check_geojson
from chainlead.warroom.models import ZoneMap
from chainlead.warroom.tests.factories import geojson, geojson_bytes

pytestmark = pytest.mark.django_db


def feature(name, ring, kind="Polygon"):
    coords = [ring] if kind == "Polygon" else [[ring]]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": kind, "coordinates": coords},
    }


SQUARE = [[120.0, 35.9], [120.1, 35.9], [120.1, 36.0], [120.0, 36.0], [120.0, 35.9]]
SWAPPED = [[lat, lng] for lng, lat in SQUARE]


def message(data: bytes) -> str:
    with pytest.raises(ValidationError) as exc:
        check_geojson(data, name="zone.geojson")
    return " ".join(exc.value.messages)


def test_a_valid_file_is_accepted_and_linked_by_name():
    area = Unit.objects.create(name="古镇口核心区", short_name="古镇口", kind=UnitKind.AREA)
    street = Unit.objects.create(name="灵山卫街道", kind=UnitKind.STREET)
    doc = geojson(
        [feature("古镇口", SQUARE), feature("灵山卫街道", SQUARE, "MultiPolygon"), feature("港口", SQUARE)]
    )
    units = [(area.pk, area.name, area.short_name), (street.pk, street.name, "")]
    checked = check_geojson(geojson_bytes(doc), units=units)
    assert [f["unit_id"] for f in checked.features] == [area.pk, street.pk, None]
    assert checked.unmatched == ["港口"]
    assert checked.bbox == [120.0, 35.9, 120.1, 36.0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b"\xff\xfe\x00garbage", "不是有效的 JSON"),
        (json.dumps({"type": "Feature", "geometry": None}).encode(), "FeatureCollection"),
        (json.dumps([1, 2]).encode(), "FeatureCollection"),
        (geojson_bytes(geojson([])), "没有任何要素"),
        (geojson_bytes(geojson([feature("", SQUARE)])), "缺少 name 属性"),
        (
            geojson_bytes(
                geojson(
                    [
                        {
                            "type": "Feature",
                            "properties": {"name": "点"},
                            "geometry": {"type": "Point", "coordinates": [120, 36]},
                        }
                    ]
                )
            ),
            "只接受 Polygon 或 MultiPolygon",
        ),
        (geojson_bytes(geojson([feature("三角", [[120, 36], [120.1, 36]])])), "坐标结构不正确"),
        (geojson_bytes(geojson([feature("甲", SQUARE), feature("甲", SQUARE)])), "要素名称重复"),
        (
            geojson_bytes(geojson([feature("投影坐标", [[x * 1e5, y * 1e5] for x, y in SQUARE])])),
            "不在中国范围内",
        ),
    ],
)
def test_files_that_cannot_be_drawn_are_refused(data, expected):
    assert expected in message(data)


def test_swapped_coordinates_are_named():
    text = message(geojson_bytes(geojson([feature("反了", SWAPPED)])))
    assert "坐标顺序似乎是[纬度, 经度]，GeoJSON 要求[经度, 纬度]" in text


def test_over_20_mb_is_refused():
    big = b" " * (MAX_GEOJSON_BYTES + 1)
    assert "超过 20 MB 的上限" in message(big)


@pytest.fixture
def org():
    return Org(role=Role.UNIT_HEAD)


def test_upload_page_refuses_bad_files_and_saves_nothing(client, org):
    client.force_login(org.office)
    url = reverse("warroom:zonemap_add")
    cases = {
        "invalid.geojson": (b"{", "不是有效的 JSON"),
        "swapped.geojson": (geojson_bytes(geojson([feature("反了", SWAPPED)])), "坐标顺序似乎是[纬度, 经度]"),
        "notfc.geojson": (json.dumps({"type": "Polygon", "coordinates": []}).encode(), "FeatureCollection"),
        "big.geojson": (b"{" + b" " * MAX_GEOJSON_BYTES + b"}", "超过 20 MB 的上限"),
    }
    for name, (content, expected) in cases.items():
        response = client.post(
            url, {"name": "区划", "file": SimpleUploadedFile(name, content), "is_active": "on"}
        )
        assert response.status_code == 200, name
        assert expected in " ".join(response.context["form"].errors["file"]), name
    assert not ZoneMap.objects.exists()
    response = client.post(
        url, {"name": "区划", "file": SimpleUploadedFile("ok.geojson", geojson_bytes()), "is_active": "on"}
    )
    assert response.status_code == 302
    zone_map = ZoneMap.objects.get()
    assert (
        zone_map.feature_count == 1
        and zone_map.unmatched == ["测试片区"]
        and zone_map.uploaded_by == org.office
    )
    page = client.get(zone_map.get_absolute_url())
    assert "以下要素没有找到同名的片区、战区或街道：测试片区" in page.content.decode()


def test_api_refuses_swapped_coordinates(client, org):
    client.force_login(org.office)
    response = client.post(
        reverse("warroom-api:zonemap-list"),
        json.dumps({"name": "接口", "geojson": geojson([feature("反了", SWAPPED)])}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "坐标顺序似乎是[纬度, 经度]" in response.content.decode()
    assert not ZoneMap.objects.exists()


def test_only_the_office_uploads(client, org):
    client.force_login(org.insider)
    response = client.post(
        reverse("warroom:zonemap_add"),
        {"name": "区划", "file": SimpleUploadedFile("ok.geojson", geojson_bytes())},
    )
    assert response.status_code == 403
    assert not ZoneMap.objects.exists()


def test_geojson_is_served_to_signed_in_users_only(client, org):
    zone_map = ZoneMap(name="区划")
    zone_map.file = SimpleUploadedFile("zone.geojson", geojson_bytes())
    zone_map.full_clean()
    zone_map.save()
    url = reverse("warroom:map_geojson")
    assert client.get(url).status_code == 302
    client.force_login(org.viewer_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert json.loads(b"".join(response.streaming_content))["features"][0]["properties"]["name"] == "测试片区"
    client.force_login(org.nobody)
    assert client.get(url).status_code == 403
