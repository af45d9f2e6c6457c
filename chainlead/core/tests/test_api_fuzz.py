"""Schemathesis against the whole OpenAPI schema (``/api/schema/``, drf-spectacular), through the
WSGI application, signed in as the office admin (HTTP Basic, which ``REST_FRAMEWORK`` enables).

Every operation gets ``CHAINLEAD_FUZZ_EXAMPLES`` generated requests (default 3, so the suite stays
fast; the longer recorded run in SECURITY.md used 50). The test fails on any 5xx and on any
response that does not conform to the schema (status code, content type, body schema). Each
request runs in a savepoint that is rolled back, so one example's writes cannot break the next
and a database error cannot poison the test transaction (PostgreSQL).

Failures are collected for all operations and reported together, one line per operation.
"""

from __future__ import annotations

import base64
import datetime
import os
import time

import pytest
import schemathesis
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    not_a_server_error,
)
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chainlead.utilities.testing.base import PASSWORD, Org
from chainlead.wsgi import application

EXAMPLES = int(os.environ.get("CHAINLEAD_FUZZ_EXAMPLES", "3"))
#: Only operations whose label contains this text (e.g. "/api/chains/"), for reproducing a find.
ONLY = os.environ.get("CHAINLEAD_FUZZ_ONLY", "")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _seed(org):
    """A few real objects so detail routes are reached, not only 404s: the per-model samples."""
    from chainlead.core.tests.test_permission_matrix import _sample_classes

    for cls in _sample_classes().values():
        sample = cls.__new__(cls)
        sample.org = org
        for unit, n in ((org.unit_a, 31), (org.unit_b, 32)):
            try:
                with transaction.atomic():
                    sample.make(org, unit, n)
            except Exception:  # noqa: BLE001 — seeding is best effort; the matrix tests the samples
                pass


@pytest.fixture
def _keep_connection():
    """The raw WSGI application closes the database connection after each request (Django's
    ``close_old_connections`` signal); inside a test transaction that kills the connection
    (PostgreSQL: every later request 500s). Django's test client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_connection")
@override_settings(CHAINLEAD_TODAY=datetime.date(2021, 11, 3), ALLOWED_HOSTS=["*"])
def test_api_fuzz_no_server_errors_and_schema_conformance():
    org = Org()
    _seed(org)
    token = base64.b64encode(f"{org.office.username}:{PASSWORD}".encode()).decode()
    auth = {"Authorization": f"Basic {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

    failures: dict[str, list[str]] = {}
    stats = {"operations": 0, "requests": 0}
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        label = operation.label
        if ONLY not in label:
            continue
        stats["operations"] += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            stats["requests"] += 1
            with transaction.atomic():
                response = case.call(headers=auth)
                transaction.set_rollback(True)
            try:
                case.validate_response(response, checks=CHECKS, headers=auth)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 — collected, reported below
                text = [str(e).strip().replace("\n", " ")[:300] for e in getattr(exc, "exceptions", [exc])]
                failures.setdefault(label, []).append(  # noqa: B023 — run() is called right below
                    f"{response.status_code} {case.method} {case.formatted_path}: {' | '.join(text[:6])}"
                )

        run()
    elapsed = time.monotonic() - started
    print(f"fuzz: {stats['operations']} operations, {stats['requests']} requests, {elapsed:.0f} s")
    assert ONLY or stats["operations"] > 100, "the schema lost its operations"
    report = "\n".join(
        f"{op}:\n    " + "\n    ".join(sorted(set(lines))[:3]) for op, lines in sorted(failures.items())
    )
    assert not failures, f"{len(failures)} operations failed:\n{report}"
