"""Small builders for the dispatch tests: cycles and periods, started projects, targets, reports,
problems, meetings. The business date of the tests is 2021-11-03 unless a test says otherwise."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chainlead.dispatch import services
from chainlead.dispatch.choices import Frequency, ItemKind
from chainlead.dispatch.models import DispatchMeeting, Period, Problem, ProgressReport, ReportingCycle
from chainlead.dispatch.photos import sample_jpeg
from chainlead.projects.choices import Stage
from chainlead.projects.models import KeyProject

TODAY = datetime.date(2021, 11, 3)


def cycle(kind=ItemKind.PROJECT, frequency=Frequency.MONTHLY, *, starts_on=datetime.date(2021, 1, 1), **kw):
    existing = ReportingCycle.objects.filter(item_kind=kind, is_active=True).first()
    if existing is not None:
        return existing
    return ReportingCycle.objects.create(
        name=f"{ItemKind(kind).label}{Frequency(frequency).label}调度",
        item_kind=kind,
        frequency=frequency,
        starts_on=starts_on,
        **kw,
    )


def period(year=2021, month=10, *, kind=ItemKind.PROJECT) -> Period:
    """The monthly period of ``month`` (created with its siblings from January)."""
    c = cycle(kind)
    services.ensure_periods(until=datetime.date(year, month, 1), cycles=[c])
    start = datetime.date(year, month, 1)
    found = Period.objects.select_related("cycle").filter(cycle=c, start=start).first()
    if found is None:  # before the cycle started: an earlier period entered by hand
        from chainlead.core.workdays import WorkCalendar

        _start, end = services.period_bounds(c.frequency, start)
        found = Period.objects.create(
            cycle=c, start=start, end=end, due_at=services.due_at_for(c, start, end, WorkCalendar.load())
        )
    return found


def week(start: datetime.date) -> Period:
    c = cycle(ItemKind.TARGET, Frequency.WEEKLY, starts_on=datetime.date(2021, 11, 1))
    services.ensure_periods(until=start, cycles=[c])
    return Period.objects.select_related("cycle").get(cycle=c, start=start)


def project(unit, name="示范项目", **fields) -> KeyProject:
    """A key project under construction since 2021-03-15 (reports are due for it)."""
    values = {
        "total_investment": Decimal(10000),
        "annual_plan": Decimal(3000),
        "stage": Stage.STARTED,
        "started_on": datetime.date(2021, 3, 15),
        "investor_name": "某投资方",
    }
    values.update(fields)
    return KeyProject.objects.create(name=name, responsible_unit=unit, **values)


def target(unit, number=1, **fields):
    from chainlead.targets.tests.factories import make_target

    return make_target(unit, number, **fields)


def report(
    unit=None, *, item=None, per=None, status="draft", amount=Decimal(0), text="主体施工至三层", **fields
):
    """A report of ``item`` (default: a new project of ``unit``) for ``per`` (default: October 2021)."""
    item = item if item is not None else project(unit)
    per = per or period()
    kind = {"project": item} if isinstance(item, KeyProject) else {"target": item}
    return ProgressReport.objects.create(
        period=per,
        responsible_unit=item.responsible_unit,
        status=status,
        period_completed=amount,
        progress_text=text,
        **kind,
        **fields,
    )


def problem(unit, n=0, **fields) -> Problem:
    values = {
        "title": f"用地指标未落实{n}",
        "category": "land",
        "raised_by_unit": unit,
        "number": f"2021-9{n:02d}",
    }
    values.update(fields)
    return Problem.objects.create(**values)


def meeting(n=0, **fields) -> DispatchMeeting:
    values = {
        "title": f"第{n}次调度会",
        "held_on": datetime.date(2021, 10, 28) + datetime.timedelta(days=n),
        "chair": "张建国",
    }
    values.update(fields)
    return DispatchMeeting.objects.create(**values)


def jpeg(name="site.jpg", taken: datetime.datetime | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_jpeg("t", taken=taken), content_type="image/jpeg")


def png(name="site.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))
