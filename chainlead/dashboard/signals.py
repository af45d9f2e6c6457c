"""Keep the summary tables in step with single writes, inside the writing transaction.

Bulk writes send no signals; ``summary.sync()`` picks them up from the history tables (see the
``summary`` module docstring). Until the tables have been built once nothing is done here: the
first ``sync()`` builds them from scratch.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from chainlead.dashboard import summary
from chainlead.enterprises.models import Enterprise
from chainlead.projects.models import KeyProject


@receiver(post_save, sender=KeyProject, dispatch_uid="dashboard_project_saved")
@receiver(post_delete, sender=KeyProject, dispatch_uid="dashboard_project_deleted")
def project_changed(sender, instance, raw=False, **kwargs):
    if raw or not summary.is_built():
        return
    summary.apply([instance.pk])


@receiver(post_save, sender=Enterprise, dispatch_uid="dashboard_enterprise_saved")
def enterprise_changed(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or not summary.is_built():
        return
    summary.apply_enterprise(instance.pk, instance.source_tags)
