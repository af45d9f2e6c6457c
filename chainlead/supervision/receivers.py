"""Signal receivers: lights follow dispatch without dispatch knowing about them.

- a progress report approved → that project's live lights are recomputed (after the commit);
- a period closed → its lights are frozen (a job queued after the commit).

Both run after the transaction commits and never make the dispatch verb fail: a light that could
not be computed now is computed by the nightly job.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from chainlead.dispatch.choices import ItemKind, PeriodStatus, ReportStatus
from chainlead.dispatch.models import Period, ProgressReport

logger = logging.getLogger(__name__)


def _safely(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception:  # noqa: BLE001 — the nightly run catches up
        logger.exception("supervision: %s failed", getattr(fn, "__name__", fn))


@receiver(post_save, sender=ProgressReport, dispatch_uid="supervision.report_approved")
def report_approved(sender, instance: ProgressReport, created=False, raw=False, **kwargs):
    if raw or created or not instance.project_id or instance.status != ReportStatus.APPROVED:
        return
    period_id, project_id = instance.period_id, instance.project_id

    def run():
        from chainlead.supervision.services import is_frozen, recompute_period

        period = Period.objects.select_related("cycle").filter(pk=period_id).first()
        if period is None or period.cycle.item_kind != ItemKind.PROJECT or is_frozen(period):
            return
        recompute_period(period, project_ids=[project_id], notify_changes=False)

    transaction.on_commit(lambda: _safely(run), robust=True)


@receiver(post_save, sender=Period, dispatch_uid="supervision.period_closed")
def period_closed(sender, instance: Period, created=False, raw=False, **kwargs):
    if raw or instance.status != PeriodStatus.CLOSED:
        return
    period_id = instance.pk

    def run():
        from chainlead.supervision.services import freeze_period, is_frozen

        period = (
            Period.objects.select_related("cycle").filter(pk=period_id, status=PeriodStatus.CLOSED).first()
        )
        if period is None or period.cycle.item_kind != ItemKind.PROJECT or is_frozen(period):
            return
        freeze_period(period)

    transaction.on_commit(lambda: _safely(run), robust=True)
