"""The 倒排工期 engine: a critical-path schedule in working days, in plain Python.

No ORM here: the passes work on lists of integers, so recomputing ten thousand projects is a tight
loop (see ``bench/schedule_bench.py``). The services turn model rows into these lists and back.

Time axis
---------
Every date is a **working-day index**: the position of the day in ``WorkCalendar.ordinals`` (the
sorted ordinals of all working days, with 调休 and the office's ``HolidayOverride`` rows). Index
``i + 1`` is the next working day after index ``i``, whatever weekends and holidays lie between.
``Axis`` converts dates to indexes and back:

- ``axis.on_or_after(day)``: the first working day on or after ``day`` (where work can start);
- ``axis.on_or_before(day)``: the last working day on or before ``day`` (a deadline that falls on a
  holiday means "by the working day before it").

Conventions (tested by hand-computed examples around the 2021 Spring Festival and National Day)
-----------------------------------------------------------------------------------------------
- **Duration.** A node of duration ``d`` working days that starts on working day ``s`` finishes on
  working day ``f = s + d − 1``. A milestone has ``d = 0``: then ``f = s − 1``, and the milestone
  happens on day ``s`` (``shown_finish(s, f) = max(s, f)`` is the date shown for it).
- **Finish-to-start with lag.** A dependency ``i → j`` with lag ``L ≥ 0`` means ``j`` starts on the
  ``(L + 1)``-th working day after ``i``'s finish: ``ES(j) ≥ EF(i) + L + 1``. With ``L = 0`` the
  successor starts on the next working day; a milestone successor happens on that day too.
- **Forward pass** (earliest dates, ``ES``/``EF``) from the data date: a node not started cannot
  start before ``today`` (the first working day on or after the data date); a started node starts
  on its actual start; a finished node finishes on its actual finish; a node started but not
  finished cannot finish before ``today``.
- **Backward pass** (latest dates, ``LS``/``LF``) from the target. The target pins one *anchor*
  node — the 开工 or the 投产 milestone of the template: the anchor's shown finish must not be later
  than the target (``LF ≤ T``, or ``LS ≤ T`` for a milestone). Nodes after the anchor get the
  latest dates that follow from the anchor finishing on the target (the project end ``D`` is the
  anchor's latest finish plus the longest path after it); every sink has ``LF = D``.
- **Slack** (total float) is ``LS − ES = LF − EF`` in working days. A node is **critical** when it
  is not finished and its slack equals the smallest slack of the unfinished nodes (the longest
  remaining path, which may run through parallel branches of equal length).
- **Feasibility.** The plan is infeasible when an unfinished node has negative slack: the target
  cannot be met by ``−min(slack)`` working days. The nodes to name are the ones whose latest start
  is already past (not started, ``LS < today``) and the started ones that cannot finish by their
  latest finish.
- **Status** of a node against its due date (the latest finish of the approved baseline, else of
  the current plan): ``DONE_ON_TIME`` / ``DONE_LATE`` when finished (on or before / after the due
  date), else ``OVERDUE`` when the due date has passed, ``DUE_SOON`` when at most
  ``DUE_SOON_WORKDAYS`` working days remain, else ``NOT_DUE``.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

#: A node is "due soon" when at most this many working days remain to its due date (DOMAIN §3.2).
DUE_SOON_WORKDAYS = 5

# Status codes (the same strings as ``choices.NodeStatus``; the engine does not import Django).
NOT_DUE = "not_due"
DUE_SOON = "due_soon"
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OVERDUE = "overdue"

#: Stands for "no constraint" in the passes (far outside any calendar).
NEG_INF = -(10**9)
POS_INF = 10**9


class ScheduleInputError(ValueError):
    """The network cannot be scheduled: a cycle, a negative duration or lag, a bad anchor.

    ``kind`` is ``"cycle"``, ``"negative_duration"``, ``"negative_lag"`` or ``"anchor"``;
    ``nodes`` are the node indexes concerned (for a cycle, in cycle order)."""

    def __init__(self, kind: str, nodes: Sequence[int], message: str = ""):
        self.kind = kind
        self.nodes = list(nodes)
        super().__init__(message or f"{kind}: {self.nodes}")


# --- the time axis ---------------------------------------------------------------------------------
class Axis:
    """Dates ↔ working-day indexes over a sorted list of working-day ordinals."""

    def __init__(self, ordinals: Sequence[int]):
        self.ordinals = ordinals

    @classmethod
    def of(cls, calendar) -> Axis:
        """The axis of a ``chainlead.core.workdays.WorkCalendar``."""
        return cls(calendar.ordinals)

    def on_or_after(self, day: datetime.date) -> int:
        return bisect.bisect_left(self.ordinals, day.toordinal())

    def on_or_before(self, day: datetime.date) -> int:
        return bisect.bisect_right(self.ordinals, day.toordinal()) - 1

    def date(self, index: int) -> datetime.date:
        return datetime.date.fromordinal(self.ordinals[index])

    def ordinal(self, index: int) -> int:
        return self.ordinals[index]


def shown_finish(start: int, finish: int) -> int:
    """The working day shown as a node's finish: its last day, or its own day for a milestone."""
    return finish if finish >= start else start


# --- the network -----------------------------------------------------------------------------------
@dataclass
class Network:
    """Nodes ``0..n-1`` with durations and finish-to-start dependencies, checked and sorted once.

    ``preds[j]`` lists ``(i, lag)`` for every dependency ``i → j``; ``order`` is a topological
    order; ``anchor`` is the node the target date pins (the 开工 or 投产 milestone)."""

    durations: list[int]
    preds: list[list[tuple[int, int]]]
    succs: list[list[tuple[int, int]]]
    order: list[int]
    anchor: int
    #: Nodes after the anchor (reachable from it), in topological order, anchor excluded.
    downstream: list[int] = field(default_factory=list)


def compile_network(durations: Sequence[int], edges: Sequence[tuple[int, int, int]], anchor: int) -> Network:
    """Check and sort a network. ``edges`` are ``(pred, succ, lag)``.

    Raises ``ScheduleInputError`` for a negative duration or lag, an anchor that is not a node,
    or a dependency cycle (naming the nodes of one cycle, in order)."""
    n = len(durations)
    for i, d in enumerate(durations):
        if d < 0:
            raise ScheduleInputError("negative_duration", [i])
    if not 0 <= anchor < n:
        raise ScheduleInputError("anchor", [anchor])
    preds: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    succs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    indegree = [0] * n
    for i, j, lag in edges:
        if lag < 0:
            raise ScheduleInputError("negative_lag", [i, j])
        preds[j].append((i, lag))
        succs[i].append((j, lag))
        indegree[j] += 1
    order = [i for i in range(n) if indegree[i] == 0]
    k = 0
    while k < len(order):
        i = order[k]
        k += 1
        for j, _lag in succs[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                order.append(j)
    if len(order) < n:
        raise ScheduleInputError("cycle", find_cycle(succs, {i for i in range(n) if indegree[i] > 0}))
    # Nodes reachable from the anchor, in topological order.
    reach = [False] * n
    reach[anchor] = True
    downstream = []
    for i in order:
        if reach[i]:
            if i != anchor:
                downstream.append(i)
            for j, _lag in succs[i]:
                reach[j] = True
    return Network(list(durations), preds, succs, order, anchor, downstream)


def find_cycle(succs: Sequence[Sequence[tuple[int, int]]], candidates: set[int]) -> list[int]:
    """One dependency cycle among ``candidates`` (nodes left over by the topological sort), as
    the list of its nodes in order (without repeating the first)."""
    state: dict[int, int] = {}  # 1 = on the stack, 2 = done
    for root in sorted(candidates):
        if root in state:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        path: list[int] = [root]
        state[root] = 1
        while stack:
            node, k = stack[-1]
            nexts = [j for j, _ in succs[node] if j in candidates]
            if k < len(nexts):
                stack[-1] = (node, k + 1)
                j = nexts[k]
                if state.get(j) == 1:
                    return path[path.index(j) :]
                if j not in state:
                    state[j] = 1
                    stack.append((j, 0))
                    path.append(j)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return sorted(candidates)  # unreachable for a real leftover set


# --- the passes ------------------------------------------------------------------------------------
@dataclass
class Result:
    """One schedule, as working-day indexes (see the module docstring for the conventions)."""

    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    slack: list[int]
    critical: list[bool]
    done: list[bool]
    #: Smallest slack of the unfinished nodes (None when every node is finished).
    min_slack: int | None
    #: ``(node, how, working days)``: ``how`` is ``"start_past"`` (not started, latest start
    #: already past by that many working days) or ``"overrun"`` (started, cannot finish by its
    #: latest finish by that many working days). Empty when the plan is feasible.
    late: list[tuple[int, str, int]]

    @property
    def feasible(self) -> bool:
        return self.min_slack is None or self.min_slack >= 0

    @property
    def shortfall(self) -> int:
        """Working days by which the target cannot be met (0 when feasible)."""
        return 0 if self.feasible else -self.min_slack


def schedule(
    net: Network,
    target: int,
    today: int,
    actual_start: Sequence[int | None] | None = None,
    actual_finish: Sequence[int | None] | None = None,
) -> Result:
    """Forward pass, backward pass, slack, critical path and feasibility.

    ``target`` is the index of the target date (``axis.on_or_before``), ``today`` the index of the
    data date (``axis.on_or_after``); actual dates are indexes (start: ``on_or_after``, finish:
    ``on_or_before``) or None."""
    n = len(net.durations)
    dur = net.durations
    preds, succs = net.preds, net.succs
    a_start = actual_start or [None] * n
    a_finish = actual_finish or [None] * n
    es = [0] * n
    ef = [0] * n
    done = [False] * n
    # Forward pass.
    for j in net.order:
        d = dur[j]
        af = a_finish[j]
        if af is not None:
            as_ = a_start[j]
            done[j] = True
            if d == 0:  # a milestone that happened on day s: its successors may start that day
                s = as_ if as_ is not None else af
                es[j] = s
                ef[j] = s - 1
                continue
            s = as_ if as_ is not None and as_ <= af + 1 else af - d + 1
            es[j] = s
            ef[j] = af
            continue
        as_ = a_start[j]
        if as_ is not None:
            es[j] = as_
            f = as_ + d - 1
            ef[j] = f if f >= today else today
            continue
        s = today
        for i, lag in preds[j]:
            t = ef[i] + lag + 1
            if t > s:
                s = t
        es[j] = s
        ef[j] = s + d - 1
    # The latest finish the target allows for the anchor, and the project end after it.
    anchor = net.anchor
    cap = target if dur[anchor] > 0 else target - 1
    x = {anchor: cap}
    end = cap
    for j in net.downstream:
        best = NEG_INF
        for i, lag in preds[j]:
            xi = x.get(i)
            if xi is not None:
                t = xi + lag + dur[j]
                if t > best:
                    best = t
        x[j] = best
        if best > end:
            end = best
    # Backward pass.
    lf = [0] * n
    ls = [0] * n
    for k in range(n - 1, -1, -1):
        i = net.order[k]
        f = end
        for j, lag in succs[i]:
            t = ls[j] - lag - 1
            if t < f:
                f = t
        if i == anchor and cap < f:
            f = cap
        lf[i] = f
        ls[i] = f - dur[i] + 1
    # Slack, critical path, feasibility.
    slack = [lf[i] - ef[i] for i in range(n)]
    open_slacks = [slack[i] for i in range(n) if not done[i]]
    min_slack = min(open_slacks) if open_slacks else None
    critical = [(not done[i]) and slack[i] == min_slack for i in range(n)]
    late: list[tuple[int, str, int]] = []
    if min_slack is not None and min_slack < 0:
        for i in net.order:
            if done[i] or slack[i] >= 0:
                continue
            if a_start[i] is None:
                if ls[i] < today:
                    late.append((i, "start_past", today - ls[i]))
            else:
                late.append((i, "overrun", ef[i] - lf[i]))
    return Result(es, ef, ls, lf, slack, critical, done, min_slack, late)


def earliest_from_actuals(
    net: Network, actual_start: Sequence[int | None], actual_finish: Sequence[int | None]
) -> int | None:
    """The earliest shown finish of the anchor that the recorded actual dates allow (the
    durations that follow them, ignoring today), or None when no actual date constrains it.

    A target earlier than this is rejected: it is already impossible, not merely late."""
    n = len(net.durations)
    dur = net.durations
    ef: list[int | None] = [None] * n
    es: list[int | None] = [None] * n
    for j in net.order:
        af = actual_finish[j]
        if af is not None:
            if dur[j] == 0:
                es[j] = actual_start[j] if actual_start[j] is not None else af
                ef[j] = es[j] - 1
            else:
                ef[j] = af
                es[j] = actual_start[j] if actual_start[j] is not None else af - dur[j] + 1
            continue
        s = actual_start[j]
        for i, lag in net.preds[j]:
            if ef[i] is not None:
                t = ef[i] + lag + 1
                if s is None or t > s:
                    s = t
        if s is not None:
            es[j] = s
            ef[j] = s + dur[j] - 1
    a = net.anchor
    if ef[a] is None:
        return None
    return shown_finish(es[a], ef[a])


# --- statuses ---------------------------------------------------------------------------------------
def status(
    *,
    finished_on: datetime.date | None,
    due_on: datetime.date | None,
    today: datetime.date,
    workdays_left: int | None,
    due_soon: int = DUE_SOON_WORKDAYS,
) -> str:
    """A node's status from its actual finish date, its due date and today.

    ``workdays_left`` is the number of working days after ``today`` up to and including the due
    date (``WorkCalendar.between(today, due_on)``); only needed when not finished and not late."""
    if finished_on is not None:
        if due_on is None or finished_on <= due_on:
            return DONE_ON_TIME
        return DONE_LATE
    if due_on is None:
        return NOT_DUE
    if today > due_on:
        return OVERDUE
    if workdays_left is not None and workdays_left <= due_soon:
        return DUE_SOON
    return NOT_DUE


def statuses(
    axis: Axis,
    today: datetime.date,
    due: Sequence[int | None],
    finished: Sequence[int | None],
    due_soon: int = DUE_SOON_WORKDAYS,
) -> list[str]:
    """Statuses of many nodes at once, on indexes: ``due`` are due-date indexes, ``finished``
    actual-finish *ordinals* (a finish on a day off still counts by its calendar day)."""
    today_ord = today.toordinal()
    today_floor = bisect.bisect_right(axis.ordinals, today_ord) - 1
    ordinals = axis.ordinals
    out = []
    for d, fin in zip(due, finished, strict=True):
        if fin is not None:
            out.append(DONE_ON_TIME if d is None or fin <= ordinals[d] else DONE_LATE)
        elif d is None:
            out.append(NOT_DUE)
        elif today_ord > ordinals[d]:
            out.append(OVERDUE)
        elif d - today_floor <= due_soon:
            out.append(DUE_SOON)
        else:
            out.append(NOT_DUE)
    return out
