"""Working days with 调休, checked against the State Council's published 2021 holidays."""

import datetime

import pytest

from chainlead.core.models import HolidayOverride
from chainlead.core.workdays import WorkCalendar

D = datetime.date


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar()


def test_national_day_2021_and_its_make_up_saturday(cal):
    # 2021: 10月1日–7日 off; Sunday 9/26 and Saturday 10/9 are working days (调休).
    assert not cal.is_workday(D(2021, 10, 1))
    assert not cal.is_workday(D(2021, 10, 7))
    assert cal.is_workday(D(2021, 9, 26))
    assert cal.is_workday(D(2021, 10, 9))
    assert not cal.is_workday(D(2021, 10, 10))  # an ordinary Sunday


def test_adding_working_days_across_the_golden_week(cal):
    # Thursday 30 September + 1 working day = Friday 8 October (1–7 October off).
    assert cal.add(D(2021, 9, 30), 1) == D(2021, 10, 8)
    assert cal.add(D(2021, 9, 30), 2) == D(2021, 10, 9)  # the make-up Saturday
    assert cal.add(D(2021, 9, 30), 3) == D(2021, 10, 11)
    assert cal.add(D(2021, 10, 8), -1) == D(2021, 9, 30)
    assert cal.add(D(2021, 10, 3), 0) == D(2021, 10, 8)
    assert cal.add(D(2021, 10, 8), 0) == D(2021, 10, 8)


def test_spring_festival_2021(cal):
    # 2月11日–17日 off; Sunday 2/7 and Saturday 2/20 worked.
    assert cal.is_workday(D(2021, 2, 7)) and cal.is_workday(D(2021, 2, 20))
    assert cal.between(D(2021, 2, 10), D(2021, 2, 18)) == 1
    # 19 weekdays after Monday 1 February, minus 5 weekdays of the festival, plus 2 make-up days.
    assert cal.between(D(2021, 2, 1), D(2021, 2, 28)) == 16


def test_between_counts_end_not_start(cal):
    assert cal.between(D(2021, 11, 1), D(2021, 11, 5)) == 4
    assert cal.between(D(2021, 11, 5), D(2021, 11, 1)) == -4
    assert cal.between(D(2021, 11, 1), D(2021, 11, 1)) == 0


def test_years_the_package_does_not_know_use_weekdays():
    cal = WorkCalendar()
    assert cal.is_workday(D(2030, 1, 7))  # a Monday
    assert not cal.is_workday(D(2030, 1, 6))


@pytest.mark.django_db
def test_office_overrides_win():
    HolidayOverride.objects.create(date=D(2030, 1, 7), is_workday=False, name="地方假日")
    HolidayOverride.objects.create(date=D(2030, 1, 5), is_workday=True, name="调休上班")
    cal = WorkCalendar.load()
    assert not cal.is_workday(D(2030, 1, 7))
    assert cal.is_workday(D(2030, 1, 5))
    assert cal.add(D(2030, 1, 4), 1) == D(2030, 1, 5)
