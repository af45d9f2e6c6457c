"""Shared test set-up: the corpus's units, chains and enterprises, users, and running an import."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chainlead.ledger import services
from chainlead.ledger.models import ImportBatch
from chainlead.ledger.tests.corpus import reference_data
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import make_user

TODAY = datetime.date(2022, 6, 30)


class World:
    def __init__(self):
        self.units, self.chains, self.enterprises = reference_data()
        office = self.units["office"]
        self.office = make_user("office", unit=office, roles=[(Role.OFFICE_ADMIN, office)], name="王晓梅")
        fgj = self.units["区发展和改革局"]
        self.reporter = make_user("fgj_reporter", unit=fgj, roles=[(Role.REPORTER, fgj)], name="陈静")
        self.viewer = make_user("viewer", unit=fgj, roles=[(Role.VIEWER, fgj)], name="周敏")


@pytest.fixture
def world(db, settings):
    settings.CHAINLEAD_TODAY = TODAY
    return World()


def upload(capture, data: bytes, name: str, user, **kwargs) -> ImportBatch:
    """Upload and run the preview job; returns the refreshed batch."""
    with capture(execute=True):
        batch = services.upload(SimpleUploadedFile(name, data), by=user, **kwargs)
    batch.refresh_from_db()
    return batch


def commit(capture, batch: ImportBatch, user, overrides=None) -> ImportBatch:
    with capture(execute=True):
        services.confirm(batch, by=user, overrides=overrides)
    batch.refresh_from_db()
    return batch


def import_file(capture, data: bytes, name: str, user, **kwargs) -> ImportBatch:
    batch = upload(capture, data, name, user, **kwargs)
    assert batch.status == "ready", (batch.status, batch.message, batch.preview.get("errors", [])[:5])
    return commit(capture, batch, user)
