"""The platform's "today": the real date, or a fixed business date for demonstrations and training.

Every rule that depends on the date (overdue, "cannot be later than today", default periods)
asks ``clock.today()``. With ``CHAINLEAD_TODAY=2021-11-30`` the demo zone is seen exactly as on the
day its story ends (the newspaper's 1–11月 figures); without it the platform uses the real date.
Timestamps of writes (change log, jobs) always use the real clock.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def business_date() -> datetime.date | None:
    """The fixed business date, if one is configured."""
    return getattr(settings, "CHAINLEAD_TODAY", None)


def today() -> datetime.date:
    return business_date() or timezone.localdate()


def now() -> datetime.datetime:
    """The current moment on the business date (the real time of day)."""
    fixed = business_date()
    real = timezone.localtime()
    if fixed is None:
        return real
    return real.replace(year=fixed.year, month=fixed.month, day=fixed.day)
