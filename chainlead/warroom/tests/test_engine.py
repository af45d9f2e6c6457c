"""The schedule engine against hand-computed critical-path examples, on the real 2021 calendar.

The working days used below (chinesecalendar, 2021):

- National Day: 9月26日 (Sunday) is a 调休 working day, 10月1日–7日 are off, 10月9日 (Saturday)
  is a 调休 working day. So after Thursday 9月30日 the next working day is Friday 10月8日, then
  Saturday 10月9日, then Monday 10月11日.
- Spring Festival: 2月7日 (Sunday) is a working day, 2月11日–17日 are off, 2月20日 (Saturday) is a
  working day.
"""

import datetime

import pytest

from chainlead.core.workdays import WorkCalendar
from chainlead.warroom import engine
from chainlead.warroom.engine import Axis, ScheduleInputError, compile_network, schedule, shown_finish

D = datetime.date
AXIS = Axis.of(WorkCalendar())


def day(i: int) -> datetime.date:
    return AXIS.date(i)


def i_(d: datetime.date) -> int:
    return AXIS.on_or_after(d)


def dates(result, k):
    """(ES, shown EF, LS, shown LF) of node k as dates."""
    return (
        day(result.es[k]),
        day(shown_finish(result.es[k], result.ef[k])),
        day(result.ls[k]),
        day(shown_finish(result.ls[k], result.lf[k])),
    )


def test_the_calendar_around_national_day_is_as_assumed():
    cal = WorkCalendar()
    assert cal.is_workday(D(2021, 9, 26)) and cal.is_workday(D(2021, 10, 9))
    assert not any(cal.is_workday(D(2021, 10, d)) for d in range(1, 8))
    assert cal.is_workday(D(2021, 2, 7)) and cal.is_workday(D(2021, 2, 20))
    assert not any(cal.is_workday(D(2021, 2, d)) for d in range(11, 18))


def test_duration_and_lag_conventions():
    # A node of 3 WD starting Thursday 9月30日 finishes on the third working day: 10月9日 (Saturday).
    s = i_(D(2021, 9, 30))
    assert day(s + 3 - 1) == D(2021, 10, 9)
    # Finish-to-start, lag 0: the successor starts on the next working day after the finish.
    net = compile_network([1, 1], [(0, 1, 0)], anchor=1)
    r = schedule(net, target=i_(D(2021, 12, 31)), today=i_(D(2021, 9, 30)))
    assert dates(r, 0)[:2] == (D(2021, 9, 30), D(2021, 9, 30))
    assert dates(r, 1)[:2] == (D(2021, 10, 8), D(2021, 10, 8))
    # Lag 2: the successor starts on the 3rd working day after the finish (10/8, 10/9, 10/11).
    net = compile_network([1, 1], [(0, 1, 2)], anchor=1)
    r = schedule(net, target=i_(D(2021, 12, 31)), today=i_(D(2021, 9, 30)))
    assert dates(r, 1)[0] == D(2021, 10, 11)


def test_serial_chain_worked_back_over_national_day():
    """A (3 WD) → B (2 WD) → 开工 (milestone) must happen by Tuesday 10月12日.

    Backward: 开工 on 10/12 (LS), so B must finish by 10/11 and start by 10/9 (the Saturday 调休
    day); A must finish by 10/8 and start by 9/29 (9/29, 9/30, 10/8).
    Forward from Friday 9/24: A 9/24–9/27 (Sunday 9/26 works), B 9/28–9/29, 开工 on 9/30.
    Slack is 4 WD everywhere (9/24→9/29 is 4 working days: 9/26, 9/27, 9/28, 9/29)."""
    net = compile_network([3, 2, 0], [(0, 1, 0), (1, 2, 0)], anchor=2)
    r = schedule(net, target=AXIS.on_or_before(D(2021, 10, 12)), today=i_(D(2021, 9, 24)))
    assert dates(r, 0) == (D(2021, 9, 24), D(2021, 9, 27), D(2021, 9, 29), D(2021, 10, 8))
    assert dates(r, 1) == (D(2021, 9, 28), D(2021, 9, 29), D(2021, 10, 9), D(2021, 10, 11))
    assert dates(r, 2) == (D(2021, 9, 30), D(2021, 9, 30), D(2021, 10, 12), D(2021, 10, 12))
    assert r.slack == [4, 4, 4]
    assert r.critical == [True, True, True]
    assert r.feasible and r.shortfall == 0 and r.late == []


def test_target_on_a_holiday_means_the_working_day_before():
    """开工 "by 10月5日" (a holiday) → by Thursday 9月30日."""
    net = compile_network([2, 0], [(0, 1, 0)], anchor=1)
    r = schedule(net, target=AXIS.on_or_before(D(2021, 10, 5)), today=i_(D(2021, 9, 1)))
    assert dates(r, 1)[2] == D(2021, 9, 30)
    assert dates(r, 0)[2:] == (D(2021, 9, 28), D(2021, 9, 29))


def network_spring():
    """S (2 WD) → X (5 WD) → E (1 WD); S → Y (3 WD, lag 1) → E. E must finish by 2月22日 (Monday)."""
    return compile_network([2, 5, 3, 1], [(0, 1, 0), (0, 2, 1), (1, 3, 0), (2, 3, 0)], anchor=3)


def test_parallel_branches_and_lag_over_spring_festival():
    """Backward: E 2/22; X must finish by 2/20 (Saturday 调休) and start by 2/9 (2/9, 2/10, 2/18,
    2/19, 2/20); Y must finish by 2/20, start by 2/18; S must finish by min(2/9 − 1 WD = 2/8,
    2/18 − 2 WD = 2/9) = 2/8 and start by 2/7 (Sunday 调休).
    Forward from Monday 2/1: S 2/1–2/2; X 2/3–2/8 (2/3, 2/4, 2/5, 2/7, 2/8); Y (lag 1: skips 2/3)
    2/4–2/7; E on 2/9. Slack: S, X, E 5 WD (critical); Y 6 WD."""
    r = schedule(network_spring(), target=AXIS.on_or_before(D(2021, 2, 22)), today=i_(D(2021, 2, 1)))
    assert dates(r, 0) == (D(2021, 2, 1), D(2021, 2, 2), D(2021, 2, 7), D(2021, 2, 8))
    assert dates(r, 1) == (D(2021, 2, 3), D(2021, 2, 8), D(2021, 2, 9), D(2021, 2, 20))
    assert dates(r, 2) == (D(2021, 2, 4), D(2021, 2, 7), D(2021, 2, 18), D(2021, 2, 20))
    assert dates(r, 3) == (D(2021, 2, 9), D(2021, 2, 9), D(2021, 2, 22), D(2021, 2, 22))
    assert r.slack == [5, 5, 6, 5]
    assert r.critical == [True, True, False, True]


def test_infeasible_plan_names_the_nodes_and_the_working_days():
    """The same plan seen on 2/9 with nothing done: S can start 2/9 at the earliest but had to
    start by 2/7, two working days ago (2/8, 2/9). The target is missed by 2 WD."""
    r = schedule(network_spring(), target=AXIS.on_or_before(D(2021, 2, 22)), today=i_(D(2021, 2, 9)))
    assert not r.feasible
    assert r.shortfall == 2
    assert r.late == [(0, "start_past", 2)]
    assert r.slack == [-2, -2, -1, -2]
    assert r.critical == [True, True, False, True]


def test_actual_dates_drive_the_forward_pass():
    """S done 2/1–2/2; X started 2/3 but not finished on 2/19: its earliest finish is today (it is
    still running), so E can be 2/20 at the earliest; Y has not started: 2/19–2/22."""
    starts = [i_(D(2021, 2, 1)), i_(D(2021, 2, 3)), None, None]
    finishes = [AXIS.on_or_before(D(2021, 2, 2)), None, None, None]
    r = schedule(network_spring(), AXIS.on_or_before(D(2021, 2, 22)), i_(D(2021, 2, 19)), starts, finishes)
    assert r.done == [True, False, False, False]
    assert dates(r, 1)[:2] == (D(2021, 2, 3), D(2021, 2, 19))
    assert dates(r, 2)[:2] == (D(2021, 2, 19), D(2021, 2, 22))
    assert dates(r, 3)[:2] == (D(2021, 2, 23), D(2021, 2, 23))
    # Y now decides the finish: it had to start by 2/18; E misses 2/22 by one working day.
    assert r.critical == [False, False, True, True]
    assert r.shortfall == 1
    assert r.late == [(2, "start_past", 1)]


def test_running_node_that_cannot_finish_in_time_is_named_as_overrun():
    starts = [i_(D(2021, 2, 1)), i_(D(2021, 2, 18)), i_(D(2021, 2, 4)), None]
    finishes = [AXIS.on_or_before(D(2021, 2, 2)), None, AXIS.on_or_before(D(2021, 2, 7)), None]
    r = schedule(network_spring(), AXIS.on_or_before(D(2021, 2, 22)), i_(D(2021, 2, 19)), starts, finishes)
    # X started 2/18 with 5 WD: earliest finish 2/23 (2/18, 2/19, 2/20, 2/22, 2/23), latest 2/20.
    assert dates(r, 1)[1] == D(2021, 2, 23)
    assert (1, "overrun", 2) in r.late
    assert r.shortfall == 2


def test_target_on_an_intermediate_milestone_extends_the_plan_after_it():
    """开工 by 10/12 with 2 WD of work after it: the later node's latest dates follow from 开工 on
    10/12 (10/12–10/13)."""
    net = compile_network([1, 0, 2], [(0, 1, 0), (1, 2, 0)], anchor=1)
    r = schedule(net, target=AXIS.on_or_before(D(2021, 10, 12)), today=i_(D(2021, 9, 1)))
    assert dates(r, 1)[2:] == (D(2021, 10, 12), D(2021, 10, 12))
    assert dates(r, 2)[2:] == (D(2021, 10, 12), D(2021, 10, 13))
    assert dates(r, 0)[2:] == (D(2021, 10, 11), D(2021, 10, 11))


def test_completed_milestone_lets_successors_start_the_same_day():
    net = compile_network([0, 2], [(0, 1, 0)], anchor=0)
    a = i_(D(2021, 10, 8))
    r = schedule(net, target=a, today=i_(D(2021, 10, 11)), actual_start=[a, None], actual_finish=[a, None])
    assert dates(r, 0)[:2] == (D(2021, 10, 8), D(2021, 10, 8))
    assert dates(r, 1)[:2] == (D(2021, 10, 11), D(2021, 10, 12))


def test_cycle_is_refused_naming_its_nodes_in_order():
    with pytest.raises(ScheduleInputError) as exc:
        compile_network([1, 1, 1, 1], [(0, 1, 0), (1, 2, 0), (2, 3, 0), (3, 1, 0)], anchor=0)
    assert exc.value.kind == "cycle"
    assert exc.value.nodes == [1, 2, 3]


def test_negative_duration_and_lag_are_refused():
    with pytest.raises(ScheduleInputError) as exc:
        compile_network([1, -2], [(0, 1, 0)], anchor=1)
    assert (exc.value.kind, exc.value.nodes) == ("negative_duration", [1])
    with pytest.raises(ScheduleInputError) as exc:
        compile_network([1, 2], [(0, 1, -1)], anchor=1)
    assert exc.value.kind == "negative_lag"


def test_earliest_from_actuals():
    """A (3 WD) done on 10/8, then B (2 WD) then 开工: 开工 can be on 10/12 at the earliest
    (B 10/9–10/11), whatever today is; nothing recorded → no bound."""
    net = compile_network([3, 2, 0], [(0, 1, 0), (1, 2, 0)], anchor=2)
    finishes = [AXIS.on_or_before(D(2021, 10, 8)), None, None]
    assert day(engine.earliest_from_actuals(net, [None, None, None], finishes)) == D(2021, 10, 12)
    assert engine.earliest_from_actuals(net, [None] * 3, [None] * 3) is None


@pytest.mark.parametrize(
    ("finished", "due", "today", "left", "expected"),
    [
        (D(2021, 10, 8), D(2021, 10, 8), D(2021, 11, 1), None, engine.DONE_ON_TIME),
        (D(2021, 10, 9), D(2021, 10, 8), D(2021, 11, 1), None, engine.DONE_LATE),
        (None, D(2021, 10, 8), D(2021, 10, 9), None, engine.OVERDUE),
        (None, D(2021, 10, 8), D(2021, 9, 30), 1, engine.DUE_SOON),
        (None, D(2021, 10, 8), D(2021, 10, 8), 0, engine.DUE_SOON),
        (None, D(2021, 10, 15), D(2021, 10, 7), 6, engine.NOT_DUE),
    ],
)
def test_status(finished, due, today, left, expected):
    assert engine.status(finished_on=finished, due_on=due, today=today, workdays_left=left) == expected


def test_due_soon_counts_working_days_over_the_holiday():
    """On 9/30 a node due 10/11 has 3 working days left (10/8, 10/9, 10/11): due soon, though 11
    calendar days away; on 9/24 it has 8 (9/26 … 10/11): not due."""
    due = AXIS.on_or_before(D(2021, 10, 11))
    assert engine.statuses(AXIS, D(2021, 9, 30), [due], [None]) == [engine.DUE_SOON]
    assert engine.statuses(AXIS, D(2021, 9, 24), [due], [None]) == [engine.NOT_DUE]
    assert engine.statuses(AXIS, D(2021, 10, 12), [due], [None]) == [engine.OVERDUE]
    assert engine.statuses(AXIS, D(2021, 10, 12), [due], [D(2021, 10, 10).toordinal()]) == [
        engine.DONE_ON_TIME
    ]
