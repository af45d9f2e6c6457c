"""Audit retention: the change log and audit events are kept at least 6 months (configurable),
older rows are purged by the nightly job, and nobody edits them in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from chainlead.core.jobs import periodic_jobs
from chainlead.core.models import AuditEvent, ObjectChange
from chainlead.utilities.testing.base import Org

pytestmark = pytest.mark.django_db


def test_retention_never_below_six_months(settings):
    assert settings.CHANGELOG_RETENTION_DAYS >= 180


def test_purge_keeps_what_is_within_retention(settings):
    org = Org()
    settings.CHANGELOG_RETENTION_DAYS = 200
    recent = ObjectChange.objects.filter(object_repr="甲局").first()
    old_ids = list(ObjectChange.objects.exclude(pk=recent.pk).values_list("pk", flat=True)[:3])
    from django.db import connection

    with connection.cursor() as cursor:
        old = timezone.now() - timedelta(days=201)
        cursor.execute(f"UPDATE core_objectchange SET time = %s WHERE id IN ({','.join(['%s'] * len(old_ids))})", [old, *old_ids])
    AuditEvent.objects.create(verb="login", object_repr="x")
    total = ObjectChange.objects.count()
    result = periodic_jobs()["core.changelog_retention"]()
    assert result["changes"] == 3
    assert ObjectChange.objects.count() == total - 3
    assert ObjectChange.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(verb="login").exists()
    assert org


def test_admin_cannot_edit_or_delete_log_entries(client):
    org = Org()
    change = ObjectChange.objects.first()
    client.force_login(org.office)
    url = reverse("admin:core_objectchange_change", args=[change.pk])
    assert client.get(url).status_code == 200  # viewing is allowed
    client.post(url, {"object_repr": "篡改"})
    change.refresh_from_db()
    assert change.object_repr != "篡改"
    response = client.post(reverse("admin:core_objectchange_delete", args=[change.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert ObjectChange.objects.filter(pk=change.pk).exists()
