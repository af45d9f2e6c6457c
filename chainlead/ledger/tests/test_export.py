"""The generic export (utilities/export.py): a large list is exported by a job with progress and
a download link; the file has Chinese headers with units, a frozen header row, number formats and
widths."""

import io

import openpyxl
import pytest
from django.urls import reverse

from chainlead.core.models import Job
from chainlead.projects.models import KeyProject
from chainlead.utilities import export

pytestmark = pytest.mark.django_db


def _projects(world, n):
    unit = world.units["区发展和改革局"]
    KeyProject.objects.bulk_create(
        [
            KeyProject(
                name=f"导出项目{i}", investor_name="某公司", responsible_unit=unit, total_investment=1000 + i
            )
            for i in range(n)
        ]
    )


def test_small_export_is_immediate_with_formats(world, client):
    _projects(world, 3)
    client.force_login(world.office)
    response = client.get(reverse("projects:keyproject_list") + "?export=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert "总投资（万元）" in headers
    assert sheet.freeze_panes == "A2"
    column = headers.index("总投资（万元）") + 1
    cell = sheet.cell(row=2, column=column)
    assert isinstance(cell.value, (int, float)) and cell.number_format == "#,##0.00"
    letter = openpyxl.utils.get_column_letter(headers.index("项目名称") + 1)
    assert sheet.column_dimensions[letter].width >= 10


def test_large_export_runs_as_a_job_with_a_download(
    world, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(export, "EXPORT_JOB_ROWS", 5)
    _projects(world, 12)
    client.force_login(world.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("projects:keyproject_list") + "?export=xlsx&q=导出项目")
    job = Job.objects.get(name="utilities.export_table")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result["rows"] == 12 and job.progress_done == job.progress_total == 12
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert job.result["url"] in page  # the progress bar ends with a download button
    download = client.get(job.result["url"])
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 13 and sheet.freeze_panes == "A2"
    names = [
        sheet.cell(row=r, column=[c.value for c in sheet[1]].index("项目名称") + 1).value
        for r in range(2, 14)
    ]
    assert names == [f"导出项目{i}" for i in reversed(range(12))]  # the list's order
    # Another user cannot fetch it.
    client.force_login(world.reporter)
    assert client.get(job.result["url"]).status_code == 404
