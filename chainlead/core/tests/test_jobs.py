"""Background jobs: progress, result, failure, retry, crash recovery, and cron once per slot."""

import io
import uuid
from datetime import timedelta

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from chainlead.core.jobs import enqueue_job, job_handler, periodic_jobs, recover_interrupted_jobs, run_job
from chainlead.core.models import Job, JobStatus, ObjectChange, PeriodicRun
from chainlead.organization.models import Unit
from chainlead.utilities.testing.base import Org

pytestmark = pytest.mark.django_db


@job_handler("tests.rename_units")
def rename_units(job, *, suffix):
    units = list(Unit.objects.order_by("pk"))
    for i, unit in enumerate(units, start=1):
        unit.name = unit.name + suffix
        unit.save()
        job.progress(i, len(units), f"{i}/{len(units)}")
    return {"renamed": len(units)}


@job_handler("tests.explode")
def explode(job):
    Unit.objects.create(name="半途写入", kind="street")
    raise ValueError("第3行，列“总投资”：不是数字")


@pytest.fixture
def org():
    return Org()


def test_job_runs_with_progress_and_logs_its_writes_under_the_job_id(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue_job("tests.rename_units", label="单位改名", by=org.office, suffix="（测）")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"renamed": 3}
    assert job.percent == 100
    assert job.progress_done == job.progress_total == 3
    changes = ObjectChange.objects.filter(request_id=job.pk)
    assert changes.count() == 3
    assert set(changes.values_list("source", flat=True)) == {"job:tests.rename_units"}
    assert set(changes.values_list("user_id", flat=True)) == {org.office.pk}


@job_handler("tests.all_or_nothing")
def all_or_nothing(job):
    with transaction.atomic():
        job.progress(1, 2, "写入中")
        return explode(job)


def test_progress_inside_a_transaction_is_visible_live(org):
    job = Job.objects.create(name="x", label="x", user=org.office, status=JobStatus.RUNNING)
    with transaction.atomic():
        job.progress(7, 10, "第7行")
    fresh = Job.objects.get(pk=job.pk)
    assert fresh.progress_done == 0  # the row is not written inside a transaction…
    assert fresh.load_live_progress().progress_done == 7  # …the live store has it
    assert fresh.percent == 70


def test_failed_job_records_the_error_and_its_writes_are_undone(org):
    job = Job.objects.create(name="tests.all_or_nothing", label="会失败的任务", user=org.office)
    run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "第3行" in job.error
    assert not Unit.objects.filter(name="半途写入").exists()


def test_a_job_runs_once_even_if_queued_twice(org):
    job = Job.objects.create(name="tests.rename_units", label="x", kwargs={"suffix": "!"}, user=org.office)
    run_job(str(job.pk))
    run_job(str(job.pk))
    assert Unit.objects.filter(name__endswith="!!").count() == 0
    assert Unit.objects.filter(name__endswith="!").count() == 3


def test_progress_page_and_retry(client, org):
    job = Job.objects.create(
        name="tests.rename_units",
        label="单位改名",
        kwargs={"suffix": "?"},
        user=org.office,
        status=JobStatus.FAILED,
        error="进程被终止",
    )
    client.force_login(org.office)
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    body = page.content.decode()
    assert "进程被终止" in body and "重新运行" in body and 'role="progressbar"' in body
    response = client.post(reverse("core:job_retry", args=[job.pk]))
    assert response.status_code == 302
    new = Job.objects.exclude(pk=job.pk).get()
    assert new.retry_of_id == job.pk and new.kwargs == {"suffix": "?"}


def test_running_job_polls_its_progress(client, org):
    job = Job.objects.create(
        name="x",
        label="长任务",
        user=org.office,
        status=JobStatus.RUNNING,
        progress_done=40,
        progress_total=100,
        message="第40行",
    )
    client.force_login(org.office)
    body = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body and "40%" in body and "第40行" in body
    job.status = JobStatus.SUCCEEDED
    job.save()
    body = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in body and "100%" in body


def test_others_cannot_see_my_job(client, org):
    job = Job.objects.create(name="x", label="我的任务", user=org.insider)
    client.force_login(org.outsider)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    client.force_login(org.office)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 200


def test_jobs_of_a_dead_worker_are_marked_failed():
    dead = Job.objects.create(
        name="x",
        label="被中断",
        status=JobStatus.RUNNING,
        worker="nohost:1",
        started=timezone.now() - timedelta(hours=1),
        heartbeat=timezone.now() - timedelta(hours=1),
    )
    alive = Job.objects.create(
        name="x",
        label="正在跑",
        status=JobStatus.RUNNING,
        worker="nohost:1",
        started=timezone.now(),
        heartbeat=timezone.now(),
    )
    assert recover_interrupted_jobs() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and "重新运行" in dead.error
    assert alive.status == JobStatus.RUNNING


def test_periodic_job_runs_once_per_slot():
    runner = periodic_jobs()["core.reap_jobs"]
    runner()
    assert runner() is None  # the second worker finds the slot taken
    assert PeriodicRun.objects.filter(name="core.reap_jobs").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicRun.objects.create(name="core.reap_jobs", slot=PeriodicRun.objects.get().slot)


def test_changelog_background_export(client, org, django_capture_on_commit_callbacks):
    client.force_login(org.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:objectchange_export"), {"query": "action=create"})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    download = client.get(job.result["url"])
    assert download.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    ws = wb.active
    assert ws.cell(1, 1).value == "时间"
    assert ws.max_row - 1 == ObjectChange.objects.filter(action="create").count() == job.result["rows"]
    client.force_login(org.outsider)
    assert client.get(job.result["url"]).status_code == 404


def test_unknown_job_name_is_refused():
    with pytest.raises(KeyError):
        enqueue_job("no.such.job", label="x")
    assert uuid.UUID(str(Job.objects.model._meta.pk.default()))
