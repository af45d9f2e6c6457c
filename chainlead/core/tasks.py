"""Tasks for Django's tasks API and the platform's own cron jobs."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from huey import crontab

from chainlead.core.jobs import periodic, recover_interrupted_jobs, run_job


@task
def execute_job(job_id: str) -> None:
    """Run one ``Job`` row (see ``chainlead.core.jobs``)."""
    run_job(job_id)


@periodic("core.heartbeat", crontab())
def heartbeat():
    """Every minute: proves a worker (and its scheduler) is alive; the jobs page shows the last beat."""
    return None


@periodic("core.reap_jobs", crontab(minute="*/5"))
def reap_interrupted_jobs():
    """Every 5 minutes: jobs whose worker died are marked failed, with a way to run them again."""
    return recover_interrupted_jobs()


@periodic("core.changelog_retention", crontab(hour="3", minute="17"))
def purge_old_changelog():
    """Nightly: drop change-log and audit rows older than the retention (at least 180 days)."""
    from chainlead.core.models import AuditEvent, ObjectChange, PeriodicRun

    cutoff = timezone.now() - timedelta(days=settings.CHANGELOG_RETENTION_DAYS)
    # QuerySet.delete bypasses ImmutableQuerySet.update; retention is the one allowed removal.
    changes = ObjectChange.objects.filter(time__lt=cutoff)._raw_delete(ObjectChange.objects.db)
    events = AuditEvent.objects.filter(time__lt=cutoff)._raw_delete(AuditEvent.objects.db)
    PeriodicRun.objects.filter(started__lt=timezone.now() - timedelta(days=30)).delete()
    return {"changes": changes, "events": events}
