"""Pages: upload, preview with mapping, confirm, batch page, undo, synonyms; who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chainlead.ledger.models import ColumnMapping, ImportBatch
from chainlead.ledger.tests.corpus import LEDGERS, build
from chainlead.ledger.tests.helpers import commit, upload
from chainlead.projects.models import KeyProject

pytestmark = pytest.mark.django_db


def test_upload_page_previews_then_confirm_imports(client, world, django_capture_on_commit_callbacks):
    data, name, expected = build(LEDGERS[0])
    client.force_login(world.office)
    page = client.get(reverse("ledger:import"))
    assert page.status_code == 200
    assert "上传台账文件" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger:import"), {"file": SimpleUploadedFile(name, data)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    body = client.get(batch.get_absolute_url()).content.decode()
    assert "列映射" in body and "确认导入" in body
    assert "总投资" in body and "亿元" in body  # the header's unit is shown
    assert "汇总/透视表，已跳过" in body
    assert f'id="summary-projects">{expected["projects"]}<' in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:importbatch_confirm", args=[batch.pk]), {"action": "confirm"})
    batch.refresh_from_db()
    assert batch.status == "committed"
    body = client.get(batch.get_absolute_url()).content.decode()
    assert "这次导入写入的记录" in body and "撤销这次导入" in body
    assert KeyProject.objects.count() == expected["projects"]
    listing = client.get(reverse("ledger:importbatch_list")).content.decode()
    assert name in listing


def test_correcting_a_column_on_the_preview_is_used_and_remembered(
    client, world, django_capture_on_commit_callbacks
):
    data, name, expected = build(LEDGERS[0])
    batch = upload(django_capture_on_commit_callbacks, data, name, world.office)
    sheet = next(s for s in batch.preview["sheets"] if s["is_data"])
    leader = next(c for c in sheet["columns"] if c["field"] == "responsible_leader")
    client.force_login(world.office)
    post = {f"map-{sheet['index']}-{c['index']}": c["field"] for c in sheet["columns"]}
    post[f"map-{sheet['index']}-{leader['index']}"] = "responsible_person"  # 包抓领导 → 责任人
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:importbatch_confirm", args=[batch.pk]), {**post, "action": "repreview"})
    batch.refresh_from_db()
    column = next(
        c for c in batch.preview["sheets"][sheet["index"]]["columns"] if c["index"] == leader["index"]
    )
    assert (column["field"], column["how"]) == ("responsible_person", "manual")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:importbatch_confirm", args=[batch.pk]), {**post, "action": "confirm"})
    batch.refresh_from_db()
    assert batch.status == "committed"
    project = KeyProject.objects.first()
    assert project.responsible_person and not project.responsible_leader
    remembered = ColumnMapping.objects.get()
    assert remembered.mapping[str(leader["index"])] == "responsible_person"
    # The next file with the same header is mapped the same way, with no one asking.
    again = upload(django_capture_on_commit_callbacks, data, name, world.office)
    column = next(
        c for c in again.preview["sheets"][sheet["index"]]["columns"] if c["index"] == leader["index"]
    )
    assert (column["field"], column["how"], column["confidence"]) == ("responsible_person", "remembered", 1.0)


def test_viewer_may_not_import_and_others_batches_are_hidden(
    client, world, django_capture_on_commit_callbacks
):
    data, name, _expected = build(LEDGERS[7])
    batch = upload(django_capture_on_commit_callbacks, data, name, world.office)
    client.force_login(world.viewer)
    assert client.get(reverse("ledger:import")).status_code == 403
    response = client.post(reverse("ledger:import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 1
    client.force_login(world.reporter)
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(reverse("ledger:importbatch_confirm", args=[batch.pk])).status_code == 404
    assert client.post(reverse("ledger:importbatch_undo", args=[batch.pk])).status_code == 404
    assert batch.pk not in {
        row.record.pk for row in client.get(reverse("ledger:importbatch_list")).context["table"].rows
    }
    client.logout()
    assert client.get(reverse("ledger:import")).status_code == 302


def test_synonym_and_mapping_pages(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.office)
    body = client.get(reverse("ledger:fieldsynonym_list") + "?q=计划总投资").content.decode()
    assert "计划总投资" in body
    data, name, _expected = build(LEDGERS[7])
    commit(
        django_capture_on_commit_callbacks,
        upload(django_capture_on_commit_callbacks, data, name, world.office),
        world.office,
    )
    body = client.get(reverse("ledger:columnmapping_list")).content.decode()
    assert "重点项目" in body and "项目名称 → 项目名称" in body
    client.force_login(world.reporter)
    assert client.get(reverse("ledger:columnmapping_list")).status_code == 403
    assert client.get(reverse("ledger:fieldsynonym_list")).status_code == 200  # readable by all
    assert client.get(reverse("ledger:fieldsynonym_add")).status_code == 403
