"""Working-day arithmetic with China's 调休 (moved weekends around public holidays).

Time limits for approvals, problems and reports are counted in working days. The calendar is
``chinesecalendar`` (it needs a yearly upgrade once the State Council publishes next year's
holidays), corrected by the office's ``HolidayOverride`` rows; years the package does not know fall
back to "Monday to Friday" plus the overrides.

A ``WorkCalendar`` holds a sorted array of working-day ordinals, so adding or counting working days
is a binary search: fast enough to schedule ten thousand projects in well under a second.
"""

from __future__ import annotations

import bisect
import datetime
from functools import lru_cache

import chinese_calendar

FIRST_YEAR = 2004
LAST_YEAR = 2040


@lru_cache(maxsize=1)
def _base_days() -> tuple[tuple[int, ...], frozenset[int]]:
    """(ordinals from FIRST_YEAR to LAST_YEAR, the ordinals that are working days) without overrides."""
    start = datetime.date(FIRST_YEAR, 1, 1).toordinal()
    end = datetime.date(LAST_YEAR, 12, 31).toordinal()
    work = []
    for ordinal in range(start, end + 1):
        day = datetime.date.fromordinal(ordinal)
        try:
            is_work = chinese_calendar.is_workday(day)
        except NotImplementedError:
            is_work = day.weekday() < 5
        if is_work:
            work.append(ordinal)
    return (start, end), frozenset(work)


class WorkCalendar:
    """Working days, with the given overrides {date: is_workday}."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None):
        (self.start, self.end), base = _base_days()
        work = set(base)
        for day, is_work in (overrides or {}).items():
            (work.add if is_work else work.discard)(day.toordinal())
        self.ordinals = sorted(work)
        self._set = frozenset(work)

    @classmethod
    def load(cls) -> WorkCalendar:
        """The calendar with the office's current overrides (one query)."""
        from chainlead.core.models.calendar import HolidayOverride

        return cls(dict(HolidayOverride.objects.values_list("date", "is_workday")))

    def _check(self, day: datetime.date) -> int:
        ordinal = day.toordinal()
        if not self.start <= ordinal <= self.end:
            raise ValueError(f"{day} is outside the working-day calendar ({FIRST_YEAR}–{LAST_YEAR})")
        return ordinal

    def is_workday(self, day: datetime.date) -> bool:
        return self._check(day) in self._set

    def add(self, day: datetime.date, n: int) -> datetime.date:
        """The ``n``-th working day after ``day`` (before it when ``n`` < 0); ``day`` itself does
        not count. ``add(d, 0)`` is ``d`` if it is a working day, else the next working day."""
        ordinal = self._check(day)
        if n > 0:
            i = bisect.bisect_right(self.ordinals, ordinal) + n - 1
        elif n == 0:
            i = bisect.bisect_left(self.ordinals, ordinal)
        else:
            i = bisect.bisect_left(self.ordinals, ordinal) + n
        if not 0 <= i < len(self.ordinals):
            raise ValueError(f"{n} working days from {day} is outside the calendar")
        return datetime.date.fromordinal(self.ordinals[i])

    def next_workday(self, day: datetime.date) -> datetime.date:
        """The first working day on or after ``day``."""
        return self.add(day, 0)

    def previous_workday(self, day: datetime.date) -> datetime.date:
        """The last working day on or before ``day``."""
        ordinal = self._check(day)
        i = bisect.bisect_right(self.ordinals, ordinal) - 1
        return datetime.date.fromordinal(self.ordinals[i])

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` < ``start``)."""
        a, b = self._check(start), self._check(end)
        if b >= a:
            return bisect.bisect_right(self.ordinals, b) - bisect.bisect_right(self.ordinals, a)
        return -(bisect.bisect_right(self.ordinals, a) - bisect.bisect_right(self.ordinals, b))


def calendar() -> WorkCalendar:
    return WorkCalendar.load()
