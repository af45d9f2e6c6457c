"""The change log: every write path lands in it (page, API, admin, command, bulk), with the user,
the request or job id, and before/after values; objects can be seen "as of" a past moment; the
log cannot be edited."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chainlead.core.context import change_context
from chainlead.core.exceptions import ConflictError
from chainlead.core.models import ObjectChange
from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import Unit
from chainlead.utilities.testing.base import Org, assert_logged, changes_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return Org(role=Role.UNIT_HEAD)


def test_page_edit_records_user_request_id_and_before_after(client, org):
    unit = org.unit_a
    client.force_login(org.office)
    response = client.post(
        reverse("organization:unit_edit", args=[unit.pk]),
        {
            "name": "甲局（更名）",
            "kind": unit.kind,
            "sort_order": 3,
            "is_active": "on",
            "_version": unit.version,
        },
    )
    assert response.status_code == 302
    change = assert_logged(unit, action="update", user=org.office, source="web")
    assert change.prechange_data["name"] == "甲局"
    assert change.postchange_data["name"] == "甲局（更名）"
    assert str(change.request_id) == response["X-Request-ID"]
    assert ("name", "甲局", "甲局（更名）") in change.diff()


def test_api_write_is_logged_as_api(client, org):
    client.force_login(org.office)
    response = client.post(
        reverse("organization-api:unit-list"),
        {"name": "接口新建单位", "kind": UnitKind.STREET},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    change = assert_logged(Unit, response.json()["id"], action="create", user=org.office, source="api")
    assert str(change.request_id) == response["X-Request-ID"]


def test_admin_write_is_logged_as_admin(client, org):
    client.force_login(org.office)
    response = client.post(
        reverse("admin:organization_unit_add"),
        {
            "name": "后台新建单位",
            "kind": UnitKind.DEPARTMENT,
            "sort_order": 1,
            "is_active": "on",
            "version": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(name="后台新建单位")
    assert_logged(unit, action="create", user=org.office, source="admin")


def test_admin_is_closed_to_everyone_but_the_office(client, org):
    client.force_login(org.insider)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # to the admin login page
    client.force_login(org.office)
    assert client.get(reverse("admin:index")).status_code == 200


def test_management_command_writes_are_logged_as_command(monkeypatch):
    import django.core.management

    from chainlead import cli

    # `chainlead demo` as typed; run_from_argv would close the test's database connection at the
    # end, so the command itself is run with call_command inside the CLI's change context.
    monkeypatch.setattr(
        django.core.management, "execute_from_command_line", lambda argv: call_command(argv[1])
    )
    cli.main(["chainlead", "demo"])
    office = Unit.objects.get(kind=UnitKind.OFFICE)
    change = assert_logged(office, action="create", source="command:demo")
    # The whole demo is one command run: one id for all its writes.
    assert ObjectChange.objects.exclude(request_id=change.request_id).count() == 0


def test_call_command_inside_context_is_logged():
    with change_context(source="command:test"):
        call_command("demo", verbosity=0)
    assert ObjectChange.objects.filter(source="command:test").count() > 20


def test_bulk_writes_do_not_escape_the_log(org):
    units = Unit.objects.bulk_create([Unit(name=f"批量{i}", kind=UnitKind.STREET) for i in range(3)])
    for u in units:
        assert_logged(u, action="create")
    Unit.objects.filter(name__startswith="批量").update(phone="0532-12345678")
    for u in units:
        change = assert_logged(u, action="update")
        assert change.prechange_data["phone"] == ""
        assert change.postchange_data["phone"] == "0532-12345678"
        u.refresh_from_db()
        assert u.version == 2
    for u in units:
        u.address = "新地址"
    Unit.objects.bulk_update(units, ["address"])
    assert changes_for(units[0], "update").count() == 2, list(
        changes_for(units[0], "update").values("source", "prechange_data", "postchange_data")
    )
    Unit.objects.filter(name__startswith="批量").delete()
    for u in units:
        assert_logged(Unit, u.pk, action="delete")


def test_history_tables_give_as_of(org):
    unit = org.unit_a
    t0 = timezone.now()
    unit.name = "甲局二期"
    unit.save()
    old = Unit.history.as_of(t0).get(pk=unit.pk)
    assert old.name == "甲局"
    assert Unit.history.as_of(timezone.now()).get(pk=unit.pk).name == "甲局二期"


def test_history_tab_shows_object_as_of_a_past_moment(client, org):
    unit = org.unit_a
    before = timezone.localtime() - datetime.timedelta(seconds=1)
    Unit.history.filter(id=unit.pk).update(history_date=before - datetime.timedelta(days=2))
    unit.name = "甲局（新）"
    unit.save()
    client.force_login(org.office)
    ct = ContentType.objects.get_for_model(Unit)
    url = reverse("core:object_history", args=[ct.pk, unit.pk])
    response = client.get(url, {"as_of": (before - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200
    rows = dict(response.context["as_of_rows"])
    assert rows["名称"] == "甲局"
    assert "甲局（新）" in response.content.decode()  # the change list shows the new name too
    bad = client.get(url, {"as_of": "2021-13-45"})
    assert "不是有效的日期时间" in bad.content.decode()


def test_history_is_404_outside_scope(client, org):
    client.force_login(org.insider)
    ct = ContentType.objects.get_for_model(Unit)
    assert client.get(reverse("core:object_history", args=[ct.pk, org.unit_b.pk])).status_code == 404
    assert client.get(reverse("core:object_history", args=[ct.pk, org.unit_a.pk])).status_code == 200


def test_global_log_page_filters(client, org):
    org.unit_a.phone = "0532-88888888"
    org.unit_a.save()
    client.force_login(org.office)
    response = client.get(reverse("core:objectchange_list"), {"action": "update"})
    assert response.status_code == 200
    rows = [row.record for row in response.context["table"].rows]
    assert rows and all(r.action == "update" for r in rows)
    response = client.get(reverse("core:objectchange_list"), {"q": "甲局"})
    assert all("甲局" in row.record.object_repr for row in response.context["table"].rows)


def test_non_oversight_users_see_only_their_own_changes(client, org):
    with change_context(user=org.office):
        org.unit_b.phone = "0532-11111111"
        org.unit_b.save()
    client.force_login(org.insider)
    rows = [row.record for row in client.get(reverse("core:objectchange_list")).context["table"].rows]
    assert all(r.user_id == org.insider.pk for r in rows)


def test_log_entries_cannot_be_edited(org):
    change = ObjectChange.objects.first()
    change.object_repr = "篡改"
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        ObjectChange.objects.update(object_repr="篡改")


def test_log_api_is_read_only(client, org):
    client.force_login(org.office)
    url = reverse("core-api:objectchange-list")
    assert client.get(url).status_code == 200
    assert client.post(url, {}, content_type="application/json").status_code == 405
    change = ObjectChange.objects.first()
    detail = reverse("core-api:objectchange-detail", args=[change.pk])
    assert client.delete(detail).status_code == 405
    assert client.patch(detail, {}, content_type="application/json").status_code == 405


def test_optimistic_lock_refuses_a_stale_save(org):
    first = Unit.objects.get(pk=org.unit_a.pk)
    second = Unit.objects.get(pk=org.unit_a.pk)
    first.phone = "0532-22222222"
    first.save()
    second.phone = "0532-33333333"
    with pytest.raises(ConflictError), transaction.atomic():
        second.save()
    org.unit_a.refresh_from_db()
    assert org.unit_a.phone == "0532-22222222"


def test_context_ids_are_per_request(client, org):
    client.force_login(org.office)
    a = client.get(reverse("home"))["X-Request-ID"]
    b = client.get(reverse("home"))["X-Request-ID"]
    assert a != b and uuid.UUID(a)
