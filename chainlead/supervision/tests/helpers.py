"""Builders for the supervision tests: an organisation, monthly periods, started projects and
their reports (figures given directly), and a light engine run as of a day."""

from __future__ import annotations

import datetime
from decimal import Decimal

from chainlead.dispatch.choices import ReportStatus
from chainlead.dispatch.models import ProgressReport
from chainlead.dispatch.tests import factories as f
from chainlead.supervision import lights
from chainlead.supervision.models import WarningRule

D = datetime.date


def period(year=2021, month=11):
    return f.period(year, month)


def project(unit, name="示范项目", **fields):
    fields.setdefault("annual_plan", Decimal(1000))
    return f.project(unit, name=name, **fields)


def report(project, per, ytd, *, status=ReportStatus.APPROVED, late=False):
    return ProgressReport.objects.create(
        period=per,
        project=project,
        responsible_unit=project.responsible_unit,
        status=status,
        ytd_completed=Decimal(ytd),
        annual_plan=project.annual_plan,
        progress_text="施工中",
        is_late=late,
    )


def measure(per, on=None, project_ids=None):
    return lights.measure(per, on=on, project_ids=project_ids)


def color_of(results, code, subject_id=None, kind=None):
    found = [
        m
        for m in results
        if m.component == code
        and (subject_id is None or m.subject_id == subject_id)
        and (kind is None or m.subject_kind == kind)
    ]
    assert len(found) == 1, f"{code} of {subject_id}: {[(m.subject_id, m.color, m.reason) for m in found]}"
    return found[0].color


def rule(code) -> WarningRule:
    return WarningRule.objects.get(code=code)
