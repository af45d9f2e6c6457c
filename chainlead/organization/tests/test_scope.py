"""Unit scope in the demo zone: a unit's reporter cannot see or change another unit's objects
(404), the office and the leaders see everything, and forbidden actions get a Chinese 403."""

import pytest
from django.urls import reverse

from chainlead.core.demo import DEMO_PASSWORD, load_demo
from chainlead.organization.models import Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo(verbosity=0)


def login(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)


def test_reporter_cannot_see_or_change_another_units_objects(client, demo):
    login(client, "tzcj_reporter")  # 投资促进局
    other = demo.units["fgj"]  # 发改局
    colleague_elsewhere = User.objects.get(username="fgj_head")
    assert client.get(reverse("organization:unit_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("organization:unit_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("organization:unit_edit", args=[other.pk]), {"name": "x"}).status_code == 404
    assert client.get(reverse("organization:user_detail", args=[colleague_elsewhere.pk])).status_code == 404
    assert client.get(reverse("organization-api:unit-detail", args=[other.pk])).status_code == 404
    assert (
        client.patch(
            reverse("organization-api:unit-detail", args=[other.pk]),
            {"name": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    listed = {row.record.pk for row in client.get(reverse("organization:unit_list")).context["table"].rows}
    assert other.pk not in listed
    assert demo.units["tzcj"].pk in listed
    other.refresh_from_db()
    assert other.name == "区发展和改革局"


def test_reporter_may_see_own_unit_but_not_change_it(client, demo):
    login(client, "tzcj_reporter")
    own = demo.units["tzcj"]
    assert client.get(reverse("organization:unit_detail", args=[own.pk])).status_code == 200
    response = client.get(reverse("organization:unit_edit", args=[own.pk]))
    assert response.status_code == 403
    assert "您没有修改单位的权限" in response.content.decode()


def test_area_head_sees_the_battle_zones_below(client, demo):
    login(client, "jtsw_head")
    listed = {row.record.pk for row in client.get(reverse("organization:unit_list")).context["table"].rows}
    zones = {demo.units[f"bz{i}"].pk for i in range(1, 7)}
    assert zones <= listed
    assert demo.units["gzk"].pk not in listed


@pytest.mark.parametrize("username", ["office", "leader", "chainleader"])
def test_office_and_leaders_see_everything(client, demo, username):
    login(client, username)
    listed = {
        row.record.pk
        for row in client.get(reverse("organization:unit_list") + "?per_page=200").context["table"].rows
    }
    assert listed == set(Unit.objects.values_list("pk", flat=True))
    other = demo.units["fgj"]
    assert client.get(reverse("organization:unit_detail", args=[other.pk])).status_code == 200


def test_leader_can_view_but_not_edit(client, demo):
    login(client, "leader")
    response = client.get(reverse("organization:unit_edit", args=[demo.units["fgj"].pk]))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_forbidden_page_is_in_chinese(client, demo):
    login(client, "tjj_viewer")
    response = client.get(reverse("organization:unit_add"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "没有权限" in body and "您没有新建单位的权限" in body


def test_invalid_form_shows_chinese_field_errors_and_saves_nothing(client, demo):
    login(client, "office")
    before = Unit.objects.count()
    response = client.post(reverse("organization:unit_add"), {"name": "", "kind": "x", "phone": "12345"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "该字段是必填项。" in errors["name"]
    assert "电话号码“12345”格式不正确" in errors["phone"][0]
    assert Unit.objects.count() == before


def test_unit_cannot_become_its_own_descendant(client, demo):
    login(client, "office")
    area = demo.units["jtsw"]
    zone = demo.units["bz1"]
    response = client.post(
        reverse("organization:unit_edit", args=[area.pk]),
        {
            "name": area.name,
            "kind": area.kind,
            "parent": zone.pk,
            "sort_order": 1,
            "is_active": "on",
            "_version": area.version,
        },
    )
    assert response.status_code == 200
    assert "会形成循环" in str(response.context["form"].errors)
    area.refresh_from_db()
    assert area.parent_id is None
