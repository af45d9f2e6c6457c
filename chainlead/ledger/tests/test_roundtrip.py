"""Export → import changes nothing: the exported headers (the table's column titles, with units)
map back exactly, numbers and dates come back as they went out, formula-like text survives."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from chainlead.core.demo import load_demo
from chainlead.core.models import ObjectChange
from chainlead.ledger.tests.helpers import import_file
from chainlead.projects.models import KeyProject
from chainlead.projects.tables import KeyProjectTable
from chainlead.utilities.export import csv_response, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.CHAINLEAD_TODAY = datetime.date(2021, 11, 30)
    return load_demo(verbosity=0)


def _export(client, columns) -> bytes:
    url = reverse("projects:keyproject_list")
    client.post(url, {"columns": columns})
    response = client.get(url + "?export=xlsx")
    assert response.status_code == 200
    return response.content


def _snapshot():
    return {p.pk: (p.version, p.last_updated) for p in KeyProject.objects.all()}


@pytest.mark.parametrize("columns", ["default", "all"])
def test_reimporting_an_exported_list_changes_nothing(
    columns, demo, client, django_capture_on_commit_callbacks
):
    office = demo.users["office"]
    client.force_login(office)
    names = [name for name, _header in KeyProjectTable.available_columns()]
    chosen = list(KeyProjectTable.Meta.default_columns) if columns == "default" else names
    content = _export(client, chosen)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    headers = [c.value for c in sheet[1]]
    assert "总投资（万元）" in headers and sheet.freeze_panes == "A2"
    before, changes = _snapshot(), ObjectChange.objects.count()
    batch = import_file(django_capture_on_commit_callbacks, content, "项目台账.xlsx", office)
    mapped = {c["header"]: c for c in batch.preview["sheets"][0]["columns"]}
    assert all(c["field"] and c["confidence"] == 1.0 for c in mapped.values()), [
        c for c in mapped.values() if not c["field"] or c["confidence"] < 1
    ]
    assert batch.status == "committed", batch.message
    assert (batch.created_count, batch.updated_count) == (0, 0), batch.preview["summary"]["updates"][:5]
    assert batch.unchanged_count == KeyProject.objects.count()
    assert _snapshot() == before
    assert ObjectChange.objects.count() == changes


def test_csv_export_round_trip_and_formula_text(demo, client, django_capture_on_commit_callbacks):
    office = demo.users["office"]
    project = KeyProject.objects.order_by("pk").first()
    KeyProject.objects.filter(pk=project.pk).update(responsible_person='=HYPERLINK("http://x")')
    qs = KeyProject.objects.select_related("chain", "chain_node", "area", "responsible_unit", "enterprise")
    table = KeyProjectTable(
        qs, selected_columns=[*KeyProjectTable.Meta.default_columns, "responsible_person"]
    )
    headers, rows = table_rows(table)
    response = csv_response("项目台账.csv", headers, rows)
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text  # neutralised for spreadsheets
    before, changes = _snapshot(), ObjectChange.objects.count()
    batch = import_file(django_capture_on_commit_callbacks, response.content, "项目台账.csv", office)
    assert (batch.created_count, batch.updated_count) == (0, 0), batch.preview["summary"]["updates"][:5]
    assert _snapshot() == before and ObjectChange.objects.count() == changes
    project.refresh_from_db()
    assert project.responsible_person == '=HYPERLINK("http://x")'


def test_xlsx_export_writes_formula_like_text_as_text(demo, client):
    KeyProject.objects.filter(pk=KeyProject.objects.order_by("pk").first().pk).update(name="=1+2")
    client.force_login(demo.users["office"])
    content = _export(client, list(KeyProjectTable.Meta.default_columns))
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula cell anywhere
    values = [c.value for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]
    assert "=1+2" in values
