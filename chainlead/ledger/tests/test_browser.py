"""Browser journey: upload a messy ledger, watch the progress bar, see the preview with the
mapping and its confidence, correct one column, confirm, watch the import run, see the batch page."""

import pytest

from chainlead.core import tasks
from chainlead.core.jobs import run_job
from chainlead.core.models import Job
from chainlead.ledger.models import ImportBatch
from chainlead.ledger.tests.corpus import LEDGERS, build
from chainlead.projects.models import KeyProject
from chainlead.utilities.testing.browser import console_errors, login, shot, watch_external_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class HeldQueue:
    """Jobs wait until the test runs them, so the page shows them queued and then finishing."""

    def __init__(self):
        self.ids: list[str] = []

    def enqueue(self, job_id):
        self.ids.append(job_id)

    def run_next(self):
        run_job(self.ids.pop(0))


def test_upload_preview_correct_confirm(page, live_server, world, monkeypatch):
    queue = HeldQueue()
    monkeypatch.setattr(tasks, "execute_job", queue)
    external = watch_external_requests(page, live_server)
    errors = console_errors(page)
    data, name, expected = build(LEDGERS[0])
    path = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "office")

    page.goto(f"{path}/ledger/import/")
    assert "上传台账文件" in page.inner_text("#upload-form")
    shot(page, "ledger-import")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}],
    )
    page.click("#upload-button")
    page.wait_for_selector("#batch-progress .job-progress")
    assert "排队中" in page.inner_text("#batch-progress")
    shot(page, "ledger-parsing")

    queue.run_next()  # the preview job; the page polls, sees it finish and reloads itself
    page.wait_for_selector("#mapping-form", timeout=15000)
    batch = ImportBatch.objects.get()
    assert batch.status == "ready"
    assert page.inner_text("#summary-projects") == str(expected["projects"])
    assert "汇总/透视表，已跳过" in page.inner_text("#other-sheets")
    rows = page.locator("#mapping-form tbody tr")
    assert rows.count() >= 10
    shot(page, "ledger-preview")

    # Correct one column: 包抓领导 is the person in charge here, not the leader.
    sheet = next(s for s in batch.preview["sheets"] if s["is_data"])
    leader = next(c for c in sheet["columns"] if c["field"] == "responsible_leader")
    page.select_option(f"select[name=map-{sheet['index']}-{leader['index']}]", "responsible_person")
    page.click("#confirm-button")
    page.wait_for_selector("#batch-progress .job-progress")
    shot(page, "ledger-committing")
    queue.run_next()  # the commit job
    page.wait_for_selector("#batch-objects", timeout=15000)
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert KeyProject.objects.count() == expected["projects"]
    assert not KeyProject.objects.exclude(responsible_person="").filter(responsible_leader__gt="").exists()
    assert "撤销这次导入" in page.inner_text("#undo-form")
    shot(page, "ledger-batch")

    page.goto(f"{path}/ledger/batches/")
    assert name in page.inner_text("#object-list")
    shot(page, "ledger-batches")
    page.goto(f"{path}/ledger/synonyms/?field=total_investment")
    shot(page, "ledger-synonyms")

    page.set_viewport_size({"width": 375, "height": 760})
    page.goto(f"{path}{batch.get_absolute_url()}")
    shot(page, "ledger-batch-phone")
    page.goto(f"{path}/ledger/import/")
    shot(page, "ledger-import-phone")
    assert external == []
    assert errors == [], errors
    assert Job.objects.filter(status="succeeded").count() == 2
