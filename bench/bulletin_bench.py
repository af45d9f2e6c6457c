#!/usr/bin/env python
"""Benchmark of issue 6: the 督查通报 for a period covering 1,000 projects in at most 2 s.

What is timed is what the "生成" job does once the period is closed and its lights are frozen:
collect the frozen period data (lights, figures, problems), write the text sections from the
template, and build the GB/T 9704 .docx with its three attachments (the 1,000-row light list, the
problem list and — when the assessment app provides one — the ranking table), stored on the
bulletin. The PDF (LibreOffice) is measured separately: it is a second step of the job and its
cost is LibreOffice's, not ours.

The data: 1,000 key projects under construction across 10 units, each with an approved report
for every month January–November 2021 (year-to-date figures spread so that every light colour
occurs), 120 problems (a third overdue), the November period closed and its lights frozen.
SQLite in a temporary folder; ``--postgres`` uses PostgreSQL (DATABASE_URL's server).

Usage::

    .venv/bin/python bench/bulletin_bench.py            # 1,000 projects, 7 repetitions
    .venv/bin/python bench/bulletin_bench.py --projects 200 --repeat 3

The result goes to BENCHMARKS.md between the bulletin-bench markers.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARK_START, MARK_END = "<!-- bench:bulletin -->", "<!-- /bench:bulletin -->"
GOAL_SECONDS = 2.0


def setup_django(postgres: bool) -> str:
    tmp = tempfile.mkdtemp(prefix="bulletin-bench-")
    os.environ["CHAINLEAD_DATA_DIR"] = tmp
    os.environ["CHAINLEAD_TODAY"] = "2021-12-08"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainlead.settings")
    if postgres:
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
        import psycopg

        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS chainlead_bench_bulletin")
            conn.execute("CREATE DATABASE chainlead_bench_bulletin")
        os.environ["DATABASE_URL"] = base + "/chainlead_bench_bulletin"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return tmp


def build_data(n_projects: int):
    import random

    from chainlead.core.context import change_context
    from chainlead.dispatch.choices import ProblemStatus, ReportStatus
    from chainlead.dispatch.models import Problem, ProgressReport
    from chainlead.dispatch.tests import factories as f
    from chainlead.organization.choices import Role, UnitKind
    from chainlead.organization.models import Unit
    from chainlead.projects.models import KeyProject
    from chainlead.utilities.testing.base import make_user

    rng = random.Random(20211130)
    office_unit = Unit.objects.create(name="领导小组办公室", kind=UnitKind.OFFICE)
    office = make_user("bench_office", unit=office_unit, roles=[(Role.OFFICE_ADMIN, office_unit)])
    units = [Unit.objects.create(name=f"第{i + 1}功能区", kind=UnitKind.AREA) for i in range(10)]
    with change_context(user=office, source="bench"):
        projects = KeyProject.objects.bulk_create(
            [
                KeyProject(
                    name=f"重点项目{i + 1:04d}号智能制造产业园",
                    responsible_unit=units[i % 10],
                    area=units[i % 10],
                    total_investment=Decimal(rng.randint(20000, 200000)),
                    annual_plan=Decimal(rng.randint(5000, 20000)),
                    stage="started",
                    started_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 600)),
                    planned_start_on=datetime.date(2021, rng.randint(1, 12), 1) if i % 7 == 0 else None,
                    fai_in_db=i % 5 != 0,
                    fai_month=datetime.date(2021, 1, 1),
                    responsible_person=f"责任人{i}",
                )
                for i in range(n_projects)
            ],
            batch_size=500,
        )
        periods = [f.period(2021, m) for m in range(1, 12)]
        reports = []
        for p in projects:
            pace = Decimal(rng.uniform(0.4, 1.15))
            for per in periods:
                if per.end < p.started_on:
                    continue
                ytd = (p.annual_plan * Decimal(per.end.month) / 12 * pace).quantize(Decimal("0.01"))
                reports.append(
                    ProgressReport(
                        period=per,
                        project=p,
                        responsible_unit=p.responsible_unit,
                        status=ReportStatus.APPROVED,
                        ytd_completed=ytd,
                        annual_plan=p.annual_plan,
                        progress_text="主体施工",
                        is_late=rng.random() < 0.05,
                    )
                )
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
        Problem.objects.bulk_create(
            [
                Problem(
                    number=f"2021-{i:03d}",
                    title=f"第{i}号堵点问题",
                    category="land",
                    project=rng.choice(projects),
                    raised_by_unit=units[i % 10],
                    lead_unit=units[(i + 1) % 10],
                    status=ProblemStatus.ASSIGNED,
                    raised_on=datetime.date(2021, 10, 1),
                    due_on=datetime.date(2021, 11, 1 + i % 28),
                )
                for i in range(120)
            ]
        )
        # Closed as the office would, without the receiver freezing every month on the way: only
        # November's freeze is measured (below).
        from chainlead.dispatch.choices import PeriodStatus
        from chainlead.dispatch.models import Period

        Period.objects.filter(pk__in=[p.pk for p in periods]).update(status=PeriodStatus.CLOSED)
        periods[-1].refresh_from_db()
    return office, periods[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    setup_django(args.postgres)
    from django.db import connection

    from chainlead.supervision import services
    from chainlead.supervision.models import Light
    from chainlead.utilities import gbt9704

    t = time.perf_counter()
    office, november = build_data(args.projects)
    print(f"data built in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    services.freeze_period(november, by=office)
    freeze_s = time.perf_counter() - t
    lights = Light.objects.filter(period=november).count()
    counts = services.light_counts(november)
    print(f"froze November: {lights} lights in {freeze_s:.2f} s; {counts}")

    times, phases = [], []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        bulletin = services.create_bulletin(period=november, by=office, generate=False)
        marks = []
        services.build_now(
            bulletin,
            fill_texts=True,
            pdf=False,
            progress=lambda step, _m, marks=marks: marks.append((step, time.perf_counter())),
        )
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        collect = marks[1][1] - marks[0][1] if len(marks) > 1 else 0
        phases.append((marks[0][1] - t0, collect, elapsed - (marks[1][1] - t0)))
        print(f"run {i + 1}: {elapsed:.3f} s")
    bulletin.refresh_from_db()
    rows = len(bulletin.data["rows"])
    pdf_s = None
    if gbt9704.libreoffice():
        t = time.perf_counter()
        from chainlead.supervision import documents

        documents.render(bulletin, pdf=True)
        pdf_s = time.perf_counter() - t
    median = statistics.median(times)
    ph = [statistics.median(p[i] for p in phases) for i in range(3)]
    db = "PostgreSQL" if args.postgres else "SQLite (WAL)"
    verdict = "PASS" if median <= GOAL_SECONDS else "FAIL"
    print(f"median {median:.3f} s ({verdict}); rows {rows}; pdf {pdf_s}")
    section = f"""{MARK_START}
## 督查通报: bulletin for a period of {args.projects:,} projects ({db})

`.venv/bin/python bench/bulletin_bench.py{" --postgres" if args.postgres else ""}` — {datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {args.repeat} repetitions.

What is timed is the body of the "生成通报" job for a closed, frozen period: create the draft
from the default template, collect the frozen data ({lights:,} lights of {args.projects:,} projects,
120 problems), write the text sections, and build the GB/T 9704 .docx with its attachments (the
{rows:,}-row light list and the problem list), stored on the bulletin.

| | |
|---|---|
| **Median** | **{median:.3f} s** |
| Min / max | {min(times):.3f} s / {max(times):.3f} s |
| Phases (medians) | draft {ph[0]:.3f} s · collect + texts {ph[1]:.3f} s · .docx {ph[2]:.3f} s |
| Goal | ≤ {GOAL_SECONDS:.1f} s |
| Verdict | **{verdict}** ({median / GOAL_SECONDS:.0%} of the budget) |
| Not in the figure | freezing the period's lights (once, when the period closes): {freeze_s:.2f} s; the PDF through LibreOffice: {f"{pdf_s:.2f} s" if pdf_s else "not installed"} |

Light colours of the frozen period: {counts["red"]} red, {counts["yellow"]} yellow, {counts["green"]} green. The
.docx is written by python-docx; the light-list table (≈ 8 cells per project) dominates the build.
{MARK_END}"""
    if not args.no_write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text()
        if MARK_START in text:
            before, rest = text.split(MARK_START, 1)
            after = rest.split(MARK_END, 1)[1]
            text = before + section + after
        else:
            text = text.rstrip() + "\n\n" + section + "\n"
        path.write_text(text)
        print("BENCHMARKS.md updated")
    connection.close()


if __name__ == "__main__":
    main()
