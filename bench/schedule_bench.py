#!/usr/bin/env python
"""Benchmark of issue 4: recomputing the schedules of 10,000 projects with 12 nodes each.

Goal: at most 1 s for all of them — the engine's whole recompute of a plan: check and sort its
network (topological order, cycle check), the forward pass from today and the actual dates, the
backward pass from the target, slack, critical path and feasibility, and every node's status
against its due date (the baseline's latest finish where there is one).

The 10,000 plans are synthetic, built in memory with a seeded RNG: 12 nodes each, durations 0–60
working days, every node after the first depending on one or two earlier nodes (so the networks
have parallel branches), lags of 0–3 working days on a quarter of the dependencies, the target on
the 投产 node (or on the 开工 node for a third of them), a prefix of nodes finished or running
(actual dates as dates, converted to working days in the timed loop, as the service does), and
a baseline's due dates for half of them. The calendar is the real one (chinesecalendar with 调休).

Usage::

    .venv/bin/python bench/schedule_bench.py                  # 10,000 × 12, 7 repetitions
    .venv/bin/python bench/schedule_bench.py --projects 2000  # quicker

The result goes to BENCHMARKS.md between the schedule-bench markers.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The engine and the working-day calendar are plain Python: no Django, no database.
from chainlead.core.workdays import WorkCalendar  # noqa: E402
from chainlead.warroom import engine  # noqa: E402

MARK_START, MARK_END = "<!-- bench:schedule -->", "<!-- /bench:schedule -->"
GOAL_SECONDS = 1.0
NODES = 12
TODAY = datetime.date(2021, 11, 30)


def build(n_projects: int, seed: int = 20211130) -> list[dict]:
    """Synthetic plans: durations, dependencies (parallel branches, lags), target, actual dates."""
    rng = random.Random(seed)
    cal = WorkCalendar()
    plans = []
    for _ in range(n_projects):
        durations = [rng.randint(1, 60) for _ in range(NODES)]
        start_node = 6
        durations[start_node] = 0  # 开工 milestone
        durations[-1] = 0  # 投产 milestone
        edges = []
        for j in range(1, NODES):
            for i in rng.sample(range(j), min(j, rng.choice((1, 1, 2)))):
                edges.append((i, j, rng.choice((0, 0, 0, 1, 2, 3))))
        # Make sure every node leads to the end (a single project finish).
        for i in range(NODES - 1):
            if not any(a == i for a, _b, _l in edges):
                edges.append((i, NODES - 1, 0))
        anchor = start_node if rng.random() < 1 / 3 else NODES - 1
        begin = datetime.date(2021, 1, 4) + datetime.timedelta(days=rng.randint(0, 300))
        target = cal.add(begin, sum(durations) // 2 + rng.randint(-40, 80))
        done = rng.randint(0, NODES - 2)
        actual_start: list[datetime.date | None] = [None] * NODES
        actual_finish: list[datetime.date | None] = [None] * NODES
        day = begin
        for k in range(done):
            actual_start[k] = day
            day = cal.add(day, max(durations[k], 1) + rng.randint(-2, 5))
            actual_finish[k] = min(day, TODAY)
        if done < NODES:
            actual_start[done] = min(day, TODAY) if rng.random() < 0.5 else None
        baseline_due = None
        if rng.random() < 0.5:
            baseline_due = [cal.add(target, -rng.randint(0, 200)) for _ in range(NODES)]
        plans.append(
            {
                "durations": durations,
                "edges": edges,
                "anchor": anchor,
                "target": target,
                "actual_start": actual_start,
                "actual_finish": actual_finish,
                "baseline_due": baseline_due,
            }
        )
    return plans


def recompute_all(plans: list[dict], axis: engine.Axis, today: datetime.date) -> int:
    """What ``services.recompute`` asks of the engine, for every plan. Returns a checksum."""
    today_idx = axis.on_or_after(today)
    on_or_after, on_or_before = axis.on_or_after, axis.on_or_before
    checksum = 0
    for p in plans:
        net = engine.compile_network(p["durations"], p["edges"], p["anchor"])
        starts = [on_or_after(d) if d else None for d in p["actual_start"]]
        finishes = [on_or_before(d) if d else None for d in p["actual_finish"]]
        result = engine.schedule(net, on_or_before(p["target"]), today_idx, starts, finishes)
        base = p["baseline_due"]
        if base is not None:
            due = [on_or_before(d) for d in base]
        else:
            due = [engine.shown_finish(ls, lf) for ls, lf in zip(result.ls, result.lf, strict=True)]
        finished = [d.toordinal() if d else None for d in p["actual_finish"]]
        statuses = engine.statuses(axis, today, due, finished)
        checksum += result.shortfall + sum(result.critical) + len(statuses)
    return checksum


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU ({model or platform.machine()})"


def write_markdown(section: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{MARK_START}\n{section.strip()}\n{MARK_END}"
    if MARK_START in text and MARK_END in text:
        before, rest = text.split(MARK_START, 1)
        _old, after = rest.split(MARK_END, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args()
    if args.repeat < 5:
        parser.error("--repeat must be at least 5")

    t0 = time.perf_counter()
    plans = build(args.projects)
    axis = engine.Axis.of(WorkCalendar())
    built = time.perf_counter() - t0
    print(f"built {len(plans):,} plans × {NODES} nodes in {built:.2f} s")
    recompute_all(plans[:200], axis, TODAY)  # warm up
    times = []
    checksum = None
    for i in range(args.repeat):
        t = time.perf_counter()
        value = recompute_all(plans, axis, TODAY)
        elapsed = time.perf_counter() - t
        times.append(elapsed)
        assert checksum in (None, value), "the recompute is not deterministic"
        checksum = value
        print(f"  run {i + 1}: {elapsed:.3f} s")
    median = statistics.median(times)
    per_plan_us = median / len(plans) * 1e6
    ok = median <= GOAL_SECONDS
    verdict = "PASS" if ok else "FAIL"
    print(
        f"median {median:.3f} s (min {min(times):.3f}, max {max(times):.3f}); goal ≤ {GOAL_SECONDS:.1f} s: {verdict}"
    )

    section = f"""## Schedule recompute (issue 4: 倒排工期)

Recomputing the plans of **{len(plans):,} projects × {NODES} nodes** (parallel branches, lags, a
prefix of actual dates, half with a baseline) with `chainlead.warroom.engine`: network check and
topological sort, forward pass, backward pass from the target, slack, critical path, feasibility
and every node's status, on the real working-day calendar (chinesecalendar with 调休). Pure
Python, one process; the plans are built in memory (`bench/schedule_bench.py`).

| | |
|---|---|
| Machine | {machine()} |
| Python | {platform.python_version()} ({platform.python_implementation()}) |
| Date | {datetime.date.today().isoformat()} |
| Repetitions | {len(times)} |
| **Median** | **{median:.3f} s** ({per_plan_us:.0f} µs per plan) |
| Min / max | {min(times):.3f} s / {max(times):.3f} s |
| Goal | ≤ {GOAL_SECONDS:.1f} s for all plans |
| Verdict | **{verdict}** ({median / GOAL_SECONDS:.0%} of the budget) |

The database side of a recompute (reading the nodes, writing only the values that changed with
one `executemany`) is not part of this figure; the nightly job recomputes in batches of 500 plans.
"""
    if not args.no_write:
        write_markdown(section)
        print("BENCHMARKS.md updated")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
