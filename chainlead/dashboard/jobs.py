"""Background work of the dashboard: rebuilds, month-end snapshots and the catch-up sync.

- ``dashboard.rebuild`` (job): recompute the live summary tables.
- ``dashboard.snapshot`` (job): rebuild one month-end from the history tables.
- cron ``dashboard.sync`` every 10 minutes: apply history rows written since the last sync.
- cron ``dashboard.month_end`` daily at 01:10: make sure the last two month-ends have snapshots
  and drop rollup rows that went back to zero.
- cron ``dashboard.nightly_rebuild`` at 02:40: a full rebuild, the safety net for writes that
  bypass both the signals and the history tables (raw SQL, restored backups).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from huey import crontab

from chainlead.core import clock
from chainlead.core.jobs import enqueue_job, job_handler, periodic
from chainlead.dashboard import summary


@job_handler("dashboard.rebuild")
def rebuild_job(job):
    return summary.rebuild(progress=lambda done, total, message: job.progress(done, total, message))


@job_handler("dashboard.snapshot")
def snapshot_job(job, *, as_of: str):
    day = datetime.date.fromisoformat(as_of)
    return summary.build_snapshot(
        day, progress=lambda done, total, message: job.progress(done, total, message)
    )


def enqueue_rebuild(*, by=None):
    return enqueue_job("dashboard.rebuild", label=_("重建驾驶舱汇总表"), by=by)


def ensure_rebuild_job(*, by=None):
    """The pending or running rebuild, or a new one (first use of a big zone)."""
    from chainlead.core.models import Job, JobStatus

    job = (
        Job.objects.filter(name="dashboard.rebuild", status__in=[JobStatus.PENDING, JobStatus.RUNNING])
        .order_by("-created")
        .first()
    )
    return job or enqueue_rebuild(by=by)


def ensure_snapshot_job(as_of: datetime.date, *, by=None, force: bool = False):
    """The pending or running snapshot job of this month-end, or a new one."""
    from chainlead.core.models import Job, JobStatus

    if not force:
        job = (
            Job.objects.filter(
                name="dashboard.snapshot",
                kwargs__as_of=as_of.isoformat(),
                status__in=[JobStatus.PENDING, JobStatus.RUNNING],
            )
            .order_by("-created")
            .first()
        )
        if job is not None:
            return job
    return enqueue_job(
        "dashboard.snapshot",
        label=_("生成驾驶舱快照（截至{}）").format(as_of.strftime("%Y年%m月%d日")),
        by=by,
        as_of=as_of.isoformat(),
    )


def last_month_ends(today: datetime.date, count: int = 2) -> list[datetime.date]:
    out = []
    day = today.replace(day=1) - datetime.timedelta(days=1)
    for _i in range(count):
        out.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return out


@periodic("dashboard.sync", crontab(minute="*/10"))
def sync_cron():
    return summary.sync()


@periodic("dashboard.month_end", crontab(hour="1", minute="10"))
def month_end_cron():
    built = []
    summary.sync()
    for day in last_month_ends(clock.today()):
        if not summary.has_snapshot(day):
            summary.build_snapshot(day)
            built.append(day.isoformat())
    summary.prune_zero_rows()
    return {"built": built}


@periodic("dashboard.nightly_rebuild", crontab(hour="2", minute="40"))
def nightly_rebuild_cron():
    return summary.rebuild()
