"""Background jobs with progress, on Django's tasks API (backed by huey).

Usage::

    @job_handler("ledger.import")
    def import_ledger(job, *, batch_id):
        for i, row in enumerate(rows):
            ...
            job.progress(i + 1, len(rows), "第{}行".format(i + 1))
        return {"created": n}

    job = enqueue_job("ledger.import", label="导入台账", by=request.user, batch_id=...)

The page then shows ``{% job_progress job %}``, which polls until the job ends. A handler runs
inside a change context whose request id is the job id, so its writes are logged under the job.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chainlead.core.context import change_context
from chainlead.core.models import Job, JobStatus, PeriodicRun

logger = logging.getLogger(__name__)
_HANDLERS: dict[str, Callable] = {}


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


_ON_INTERRUPTED: dict[str, Callable] = {}


def job_handler(name: str, *, on_interrupted: Callable | None = None):
    """Register ``func(job, **kwargs)`` as the handler of jobs called ``name``.

    ``on_interrupted(job, **kwargs)``, if given, runs when ``recover_interrupted_jobs`` finds the
    job's worker dead: the handler's own transaction was rolled back by the database, and this puts
    back any state set *before* it (e.g. an import batch shown as "importing")."""

    def decorator(func):
        _HANDLERS[name] = func
        if on_interrupted is not None:
            _ON_INTERRUPTED[name] = on_interrupted
        return func

    return decorator


def enqueue_job(name: str, *, label: str, by=None, **kwargs) -> Job:
    """Create a job row and queue it once the surrounding transaction commits."""
    if name not in _HANDLERS:
        raise KeyError(f"no job handler called {name!r}")
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    job = Job.objects.create(name=name, label=label, kwargs=kwargs, user=user)
    from chainlead.core.tasks import execute_job

    transaction.on_commit(lambda: execute_job.enqueue(str(job.pk)))
    return job


def run_job(job_id: str) -> None:
    """Run one job. The status moves PENDING → RUNNING in one conditional UPDATE, so a job queued
    twice, or picked by two workers, runs exactly once."""
    Job.objects.filter(pk=job_id).update(deliveries=F("deliveries") + 1)
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started=timezone.now(), heartbeat=timezone.now(), worker=worker_id()
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    handler = _HANDLERS.get(job.name)
    try:
        if handler is None:
            raise LookupError(_("未知的任务类型：{}").format(job.name))
        with change_context(user=job.user, request_id=job.pk, source=f"job:{job.name}"):
            result = handler(job, **job.kwargs)
    except Exception as exc:  # the job records any failure; the worker keeps running
        logger.exception("job %s (%s) failed", job.pk, job.name)
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished=timezone.now(),
            error=str(message)[:5000],
            message=_("失败"),
            progress_done=job.progress_done,
            progress_total=job.progress_total,
            result={"traceback": traceback.format_exc()[-4000:]},
        )
        return
    from huey.contrib.djhuey import HUEY

    HUEY.get(job._live_key)  # drop the live progress entry
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED,
        finished=timezone.now(),
        result=result if result is not None else {},
        progress_done=max(job.progress_done, job.progress_total),
        progress_total=job.progress_total,
        message=job.message or _("完成"),
    )


def retry_job(job: Job, *, by) -> Job:
    """Run a failed job again, as a new job that points back at the old one."""
    new = enqueue_job(job.name, label=job.label, by=by, **job.kwargs)
    Job.objects.filter(pk=new.pk).update(retry_of=job)
    new.retry_of = job
    return new


def recover_interrupted_jobs(*, stale_after: timedelta = timedelta(minutes=10)) -> int:
    """Mark as failed the jobs whose worker died (kill -9, power cut): jobs of this host whose
    process is gone, and jobs anywhere with no heartbeat for ``stale_after``."""
    host = socket.gethostname()
    failed = 0
    message = _("任务在运行中被中断（进程退出），未完成的写入已全部撤销。可点击“重新运行”。")
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        dead = False
        job_host, _sep, pid = job.worker.rpartition(":")
        if job_host == host and pid.isdigit() and int(pid) != os.getpid():
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                dead = True
            except PermissionError:
                pass
        beat = job.heartbeat or job.started
        if beat and timezone.now() - beat > stale_after:
            dead = True
        if dead:
            marked = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, finished=timezone.now(), error=message, message=_("已中断")
            )
            failed += marked
            hook = _ON_INTERRUPTED.get(job.name)
            if marked and hook is not None:
                try:
                    with change_context(user=job.user, request_id=job.pk, source=f"job:{job.name}:recover"):
                        hook(job, **job.kwargs)
                except Exception:  # recovery of one job must not stop the others
                    logger.exception("recovering job %s (%s) failed", job.pk, job.name)
    return failed


def periodic(name: str, schedule):
    """Register a cron job with huey that runs once per scheduled slot across all workers.

    ``schedule`` is a ``huey.crontab``. Every worker's scheduler fires it; the first to insert the
    slot's ``PeriodicRun`` row runs it, the others find the row taken and skip."""
    from huey.contrib.djhuey import db_periodic_task

    def decorator(func):
        @wraps(func)
        def runner():
            slot = timezone.now().replace(second=0, microsecond=0)
            try:
                with transaction.atomic():
                    PeriodicRun.objects.create(name=name, slot=slot, worker=worker_id())
            except IntegrityError:
                PeriodicRun.objects.filter(name=name, slot=slot).update(attempts=F("attempts") + 1)
                return None
            with change_context(source=f"job:cron:{name}"):
                return func()

        runner.__name__ = f"periodic_{name.replace('.', '_')}"
        task = db_periodic_task(schedule, name=f"chainlead.{name}")(runner)
        task.run_once = runner  # tests and `chainlead cron` call this directly
        _PERIODIC[name] = runner
        return task

    return decorator


_PERIODIC: dict[str, Callable] = {}


def periodic_jobs() -> dict[str, Callable]:
    return dict(_PERIODIC)
