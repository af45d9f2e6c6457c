"""Crash safety: a real process is killed with SIGKILL in the middle of a ledger import commit, a
progress-report submission and a bulletin issue. After the "restart" there are no partial rows,
the job left half-run is marked failed with a way to run it again, and running it again completes.

How: the test's data is committed (transactional test) and a child Python process works on the
same database (the PostgreSQL test database, or — on SQLite, whose test database lives in memory
— a file copied from it with SQLite's backup API and copied back after the kill). The child wraps
one function that its service calls *inside* the transaction, after the rows are written, so that
it stops there: it writes what it sees in its own transaction to a marker file and sleeps. The test
waits for the marker, kills the child with SIGKILL, and looks at the database.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from chainlead.core.jobs import recover_interrupted_jobs, retry_job
from chainlead.core.models import AuditEvent, Job, JobStatus, ObjectChange

pytestmark = pytest.mark.django_db(transaction=True)

PRELUDE = """
import json, os, sys, time
import django
django.setup()
MARKER = os.environ["CRASH_MARKER"]

def pause(state):
    '''Called inside the service's transaction: say what this transaction sees, then wait to be killed.'''
    with open(MARKER + ".tmp", "w") as f:
        json.dump(state, f)
    os.replace(MARKER + ".tmp", MARKER)
    time.sleep(120)
    sys.exit("not killed")
"""


class Child:
    """Runs a script in a separate process on the test database and kills it at the marker."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.marker = tmp_path / "marker.json"
        self.sqlite_file = tmp_path / "chainlead.sqlite3"

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
        env.update(
            CHAINLEAD_TESTING="1",
            CHAINLEAD_DATA_DIR=str(self.tmp),
            CRASH_MARKER=str(self.marker),
            DJANGO_SETTINGS_MODULE="chainlead.settings",
            CHAINLEAD_TODAY=str(getattr(settings, "CHAINLEAD_TODAY", "") or ""),
        )
        if not env["CHAINLEAD_TODAY"]:
            env.pop("CHAINLEAD_TODAY")
        if connection.vendor == "postgresql":
            base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            env["DATABASE_URL"] = f"{base}/{connection.settings_dict['NAME']}"
        else:
            env.pop("DATABASE_URL", None)
        return env

    def _to_file(self):
        if connection.vendor != "sqlite":
            return
        connection.ensure_connection()
        target = sqlite3.connect(self.sqlite_file)
        connection.connection.backup(target)
        target.close()

    def _from_file(self):
        if connection.vendor != "sqlite":
            return
        source = sqlite3.connect(self.sqlite_file)  # opening it rolls back the killed transaction
        source.backup(connection.connection)
        source.close()

    def kill_at_marker(self, script: str, *, timeout: float = 60) -> dict:
        """Run ``script`` in a child process; SIGKILL it once it reaches ``pause()``; return the
        state the child saw inside its transaction."""
        self._to_file()
        proc = subprocess.Popen(
            [sys.executable, "-c", PRELUDE + textwrap.dedent(script)],
            cwd=settings.BASE_DIR,
            env=self._env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            while not self.marker.exists():
                if proc.poll() is not None:
                    out, err = proc.communicate()
                    raise AssertionError(f"the child ended before the crash point:\n{out.decode()}\n{err.decode()}")
                if time.monotonic() > deadline:
                    raise AssertionError("the child never reached the crash point")
                time.sleep(0.05)
            state = json.loads(self.marker.read_text())
            os.kill(proc.pid, signal.SIGKILL)  # the real thing: no cleanup, no rollback by Python
            proc.wait(timeout=30)
            assert proc.returncode == -signal.SIGKILL
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        self._from_file()
        return {**state, "pid": proc.pid}


@pytest.fixture
def child(tmp_path):
    return Child(tmp_path)


# --- (a) ledger import commit -----------------------------------------------------------------------
def ledger_file(n: int) -> bytes:
    from chainlead.ledger.tests.test_hostile import small_xlsx

    header = ("项目名称", "建设单位", "责任单位", "总投资（万元）")
    rows = [(f"崩溃测试项目{i:04d}", f"崩溃测试公司{i:04d}", "区发展和改革局", 100 + i) for i in range(n)]
    return small_xlsx((header, *rows))


def test_kill_during_ledger_import_commit_leaves_nothing_and_the_job_can_run_again(
    child, settings, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chainlead.ledger import services
    from chainlead.ledger.choices import BatchStatus
    from chainlead.ledger.models import ImportBatch
    from chainlead.ledger.tests.helpers import TODAY, World
    from chainlead.projects.models import KeyProject

    settings.CHAINLEAD_TODAY = TODAY
    world = World()
    rows = 1500
    batch = services.upload(SimpleUploadedFile("台账.xlsx", ledger_file(rows)), by=world.office)
    batch.refresh_from_db()  # the preview job ran in this process (immediate queue)
    assert batch.status == BatchStatus.READY, batch.message
    # Queue the commit but let the child process run it.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda *a, **k: None)
    services.confirm(batch, by=world.office)
    monkeypatch.undo()
    job = Job.objects.get(name="ledger.commit")
    before = (KeyProject.objects.count(), ObjectChange.objects.count(), KeyProject.history.count())

    seen = child.kill_at_marker(
        f"""
        from chainlead.ledger import services
        from chainlead.projects.models import KeyProject
        from chainlead.core.jobs import run_job
        from chainlead.core.models import ObjectChange

        real = services._remember
        def remember(layouts, user):  # called after the rows are written, before the commit
            pause({{"projects": KeyProject.objects.count(), "changes": ObjectChange.objects.count()}})
        services._remember = remember
        run_job("{job.pk}")
        """
    )
    # The child was mid-write: its transaction held every new project and its log rows.
    assert seen["projects"] == before[0] + rows
    assert seen["changes"] >= before[1] + rows

    # After the crash: not one partial row, no log rows, no history rows.
    assert (KeyProject.objects.count(), ObjectChange.objects.count(), KeyProject.history.count()) == before
    assert not KeyProject.objects.filter(name__startswith="崩溃测试项目").exists()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.worker.endswith(f":{seen['pid']}")

    # The worker starts again: the job is marked failed, the batch is importable again.
    assert recover_interrupted_jobs() == 1
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.status == JobStatus.FAILED and "重新运行" in job.error
    assert batch.status == BatchStatus.READY and "被中断" in batch.message

    # "重新运行" completes the import: every row, each logged once under the new job.
    again = retry_job(job, by=world.office)
    again.refresh_from_db()
    batch.refresh_from_db()
    assert again.status == JobStatus.SUCCEEDED, again.error
    assert again.retry_of_id == job.pk
    assert batch.status == BatchStatus.COMMITTED and batch.created_count == rows
    assert batch.job_id == again.pk
    assert KeyProject.objects.filter(name__startswith="崩溃测试项目").count() == rows
    created = ObjectChange.objects.filter(batch_id=batch.batch_id, action="create")
    assert created.count() == rows and set(created.values_list("request_id", flat=True)) == {again.pk}
    assert ImportBatch.objects.get(pk=batch.pk).committed_by_id == world.office.pk


# --- (b) progress report submission -----------------------------------------------------------------
def test_kill_during_report_submission_leaves_the_draft_untouched(child):
    from django.contrib.contenttypes.models import ContentType

    from chainlead.dispatch import services
    from chainlead.dispatch.choices import ReportStatus
    from chainlead.dispatch.models import ProgressReport
    from chainlead.dispatch.tests import factories as f
    from chainlead.organization.choices import Role
    from chainlead.utilities.testing.base import Org

    org = Org(role=Role.REPORTER)
    project = f.project(org.unit_a, annual_plan=Decimal(3000), total_investment=Decimal(10000))
    report = f.report(item=project, per=f.period(2021, 10), amount=Decimal(200))
    ct = ContentType.objects.get_for_model(ProgressReport)
    changes = ObjectChange.objects.filter(content_type=ct, object_id=str(report.pk))
    submitted = AuditEvent.objects.filter(verb="submitted")
    before = (report.version, changes.count(), submitted.count())

    # The reporter presses "提交审核" on the report page: the real view, in another process.
    seen = child.kill_at_marker(
        f"""
        from django.test import Client
        from chainlead.dispatch import services
        from chainlead.dispatch.models import ProgressReport
        from chainlead.organization.models import User

        def record_event(obj, verb, **kwargs):  # after the status is written, before the commit
            row = ProgressReport.objects.get(pk={report.pk})
            pause({{"status": row.status, "submitted": row.submitted_at is not None}})
        services.record_event = record_event
        client = Client()
        client.force_login(User.objects.get(pk={org.insider.pk}))
        client.post("/dispatch/reports/{report.pk}/submit/", {{"version": "{report.version}"}})
        """
    )
    assert seen == {**seen, "status": ReportStatus.SUBMITTED, "submitted": True}, "killed mid-submission"

    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.submitted_at is None and report.first_submitted_at is None and report.submitted_by is None
    assert (report.version, changes.count(), submitted.count()) == before, "nothing half-written"

    # Submitting again works, and is logged once.
    services.submit_report(report, by=org.insider)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.version == before[0] + 1
    assert changes.count() == before[1] + 1
    assert AuditEvent.objects.filter(verb="submitted").count() == 1


# --- (c) bulletin issue -------------------------------------------------------------------------------
def test_kill_during_bulletin_issue_consumes_no_number(child):
    from chainlead.dispatch import services as dispatch_services
    from chainlead.supervision import services
    from chainlead.supervision.choices import BulletinStatus
    from chainlead.supervision.models import Bulletin
    from chainlead.supervision.tests.helpers import period, project, report
    from chainlead.utilities.testing.base import Org

    org = Org()
    oct_ = period(2021, 10)
    report(project(org.unit_a, "示范项目"), oct_, 500)
    dispatch_services.close_period(oct_, by=org.office)
    bulletin = services.create_bulletin(period=oct_, by=org.office, generate=False)
    services.build_now(bulletin, fill_texts=True, pdf=False)
    bulletin.refresh_from_db()
    if not bulletin.issuer_code:
        Bulletin.objects.filter(pk=bulletin.pk).update(issuer_code="西链办发")
        bulletin.refresh_from_db()
    issued_events = AuditEvent.objects.filter(verb="bulletin_issued")
    before = (bulletin.version, ObjectChange.objects.count(), issued_events.count())

    seen = child.kill_at_marker(
        f"""
        from chainlead.supervision import services
        from chainlead.supervision.models import Bulletin
        from chainlead.organization.models import User

        def record_event(obj, verb, **kwargs):  # after number and status are written
            row = Bulletin.objects.get(pk={bulletin.pk})
            pause({{"status": row.status, "number": row.number}})
        services.record_event = record_event
        services.issue_bulletin(Bulletin.objects.get(pk={bulletin.pk}), by=User.objects.get(pk={org.office.pk}))
        """
    )
    assert seen["status"] == BulletinStatus.ISSUED and seen["number"], "killed mid-issue"

    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT and not bulletin.issued_at and not bulletin.issued_by_id
    assert (bulletin.version, ObjectChange.objects.count(), issued_events.count()) == before
    assert not Bulletin.objects.filter(status=BulletinStatus.ISSUED).exists()

    # Issuing again takes number 1: the killed attempt used none.
    issued = services.issue_bulletin(bulletin, by=org.office, render=True, pdf=False)
    assert issued.status == BulletinStatus.ISSUED and issued.number == 1 and issued.issue_no == 1
    assert AuditEvent.objects.filter(verb="bulletin_issued").count() == 1
