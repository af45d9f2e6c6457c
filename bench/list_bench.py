#!/usr/bin/env python
"""Benchmarks of issue 9: the project list at 1,000,000 projects, and API throughput.

1. **List**: the project list page (a filter, a sort, one page of 50) with 1,000,000 projects;
   goal p95 ≤ 80 ms. Measured in-process with Django's test client (no network), logged in as the
   office, over a mix of filters and sorts.
2. **API throughput**: GET /api/projects/projects/ (one page of 50) against a bare Django view
   returning the same 50 rows as JSON, both served by the same gunicorn on loopback and driven by
   the same load generator in the same run; goal ≥ 60 % of the bare view's requests per second.

Usage::

    .venv/bin/python bench/list_bench.py                  # SQLite file under /tmp
    .venv/bin/python bench/list_bench.py --postgres       # a throw-away PostgreSQL database
    .venv/bin/python bench/list_bench.py --projects 100000 --no-api   # quicker

The 1,000,000 rows are inserted with plain SQL (benchmark data, not user writes: they are not
change-logged). Results go to BENCHMARKS.md between the list-bench markers.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(args):
    data = Path(args.data_dir)
    if data.exists() and not args.reuse:
        shutil.rmtree(data)
    data.mkdir(parents=True, exist_ok=True)
    os.environ["CHAINLEAD_DATA_DIR"] = str(data)
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
    if args.postgres:
        import psycopg

        base = args.postgres_url.rsplit("/", 1)[0]
        if not args.reuse:
            with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS chainlead_bench_list WITH (FORCE)")
                conn.execute("CREATE DATABASE chainlead_bench_list")
        os.environ["DATABASE_URL"] = base + "/chainlead_bench_list"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n: int) -> None:
    from django.db import connection, transaction

    from chainlead.chains.models import ChainNode, KeyChain
    from chainlead.core.demo import DemoContext
    from chainlead.organization import demo as org_demo
    from chainlead.projects.choices import STAGE_ORDER

    ctx = DemoContext(verbosity=0)
    org_demo.load(ctx)
    units = list(ctx.units.values())
    chains = [
        KeyChain.objects.create(name=f"链{i}", code=f"c{i}", lead_department=ctx.units["gxj"])
        for i in range(9)
    ]
    nodes = [
        ChainNode.objects.create(chain=c, segment="midstream", name=f"节点{c.pk}-{j}")
        for c in chains
        for j in range(40)
    ]
    rng = random.Random(1)
    now = datetime.datetime.now(datetime.UTC).isoformat()
    cols = (
        "name",
        "project_code",
        "investor_name",
        "content",
        "chain_id",
        "chain_node_id",
        "purpose",
        "area_id",
        "address",
        "responsible_leader",
        "responsible_unit_id",
        "responsible_person",
        "responsible_phone",
        "level",
        "project_type",
        "investment_nature",
        "source",
        "info_provider",
        "total_investment",
        "annual_plan",
        "stage",
        "negotiating_on",
        "started_on",
        "stage_before_hold",
        "hold_reason",
        "terminated_reason",
        "agreement_type",
        "construction_permit_no",
        "fai_in_db",
        "enterprise_in_stats",
        "stats_category",
        "created",
        "last_updated",
        "version",
        "comments",
    )
    areas = [u for u in units if u.kind in ("area", "battle_zone", "street")]
    sql = f"INSERT INTO projects_keyproject ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
    t0 = time.perf_counter()
    batch = []
    with transaction.atomic():
        cursor = connection.cursor()
        for i in range(n):
            node = nodes[i % len(nodes)]
            day = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 1400))
            stage = STAGE_ORDER[rng.randint(0, 6)]
            batch.append(
                (
                    f"项目{i:07d}",
                    "",
                    f"投资方{i % 5000}",
                    "",
                    node.chain_id,
                    node.pk,
                    "fill",
                    areas[i % len(areas)].pk,
                    "",
                    f"领导{i % 30}",
                    units[i % len(units)].pk,
                    f"责任人{i % 900}",
                    "",
                    "",
                    "industrial",
                    "social",
                    "",
                    "",
                    rng.randint(500, 5_000_000),
                    0,
                    stage,
                    day,
                    day if stage in ("started", "completed") else None,
                    "",
                    "",
                    "",
                    "",
                    "",
                    False,
                    False,
                    "",
                    now,
                    now,
                    1,
                    "",
                )
            )
            if len(batch) == 20000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE projects_keyproject")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")
    print(f"inserted {n:,} projects in {time.perf_counter() - t0:.1f} s")


LIST_CASES = [
    "",
    "?stage=started",
    "?stage=started&sort=-total_investment",
    "?chain={chain}&sort=name",
    "?area={area}&stage=signed&stage=registered",
    "?investment_min=100000&sort=-total_investment",
    "?q=项目00012",
    "?responsible_unit={unit}&page=3",
]


def bench_list(repeats: int) -> dict:
    from django.test import Client

    from chainlead.chains.models import KeyChain
    from chainlead.organization.models import Unit, User

    client = Client()
    client.force_login(User.objects.get(username="office"))
    chain = KeyChain.objects.first().pk
    area = Unit.objects.get(short_name="古镇口").pk
    unit = Unit.objects.get(short_name="投资促进局").pk
    urls = [("/projects/projects/" + c.format(chain=chain, area=area, unit=unit)) for c in LIST_CASES]
    for url in urls:  # warm up
        assert client.get(url).status_code == 200, url
    timings = {url: [] for url in urls}
    for _ in range(repeats):
        for url in urls:
            t = time.perf_counter()
            response = client.get(url)
            timings[url].append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
    every = sorted(x for v in timings.values() for x in v)
    p95 = every[int(len(every) * 0.95) - 1]
    return {
        "p50": statistics.median(every),
        "p95": p95,
        "per_case": {
            url: (statistics.median(v), sorted(v)[int(len(v) * 0.95) - 1]) for url, v in timings.items()
        },
        "requests": len(every),
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port, path, cookie, seconds, threads):
    """Requests per second of GET path with keep-alive connections from ``threads`` threads."""
    stop = time.monotonic() + seconds
    counts = [0] * threads
    errors = [0] * threads

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                r = conn.getresponse()
                r.read()
                if r.status == 200:
                    counts[i] += 1
                else:
                    errors[i] += 1
            except OSError:
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / seconds, sum(errors)


def bench_api(seconds: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from chainlead.organization.models import User

    user = User.objects.get(username="office")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    port = free_port()
    env = dict(os.environ)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "chainlead.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/login/")
                break
            except OSError:
                time.sleep(0.2)
        results = {}
        for name, path in (
            ("bare", "/bench/bare/"),
            ("api", "/api/projects/projects/?per_page=50"),
            ("bare2", "/bench/bare/"),
            ("api2", "/api/projects/projects/?per_page=50"),
        ):
            load(port, path, cookie, 2, 8)  # warm
            results[name] = load(port, path, cookie, seconds, 8)
        bare = statistics.mean([results["bare"][0], results["bare2"][0]])
        api = statistics.mean([results["api"][0], results["api2"][0]])
        return {
            "bare_rps": bare,
            "api_rps": api,
            "ratio": api / bare,
            "errors": sum(r[1] for r in results.values()),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def write_results(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    start, end = "<!-- bench:list -->", "<!-- /bench:list -->"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in current:
        before, rest = current.split(start, 1)
        current = before + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--data-dir", default="/tmp/chainlead-bench-list")
    parser.add_argument("--no-api", action="store_true")
    parser.add_argument("--api-seconds", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run if it has the rows")
    args = parser.parse_args()
    setup(args)
    from chainlead.projects.models import KeyProject

    if args.reuse:
        if KeyProject.objects.count() != args.projects:
            sys.exit("no database with that many projects to reuse: run once without --reuse")
    else:
        populate(args.projects)
    from django.db import connection

    engine = connection.vendor
    result = bench_list(args.repeats)
    lines = [
        f"### Project list at {args.projects:,} projects ({engine})",
        "",
        f"Run {datetime.date.today()} on this machine (2 cores); in-process test client, logged in as the office; "
        f"{result['requests']} requests over {len(LIST_CASES)} filter/sort cases.",
        "",
        f"- p50 **{result['p50']:.1f} ms**, p95 **{result['p95']:.1f} ms** (goal p95 ≤ 80 ms) → "
        f"{'met' if result['p95'] <= 80 else 'NOT met'}",
        "",
        "| case | p50 ms | p95 ms |",
        "|---|---|---|",
    ]
    for url, (p50, p95) in result["per_case"].items():
        lines.append(f"| `{url}` | {p50:.1f} | {p95:.1f} |")
    if not args.no_api:
        api = bench_api(args.api_seconds)
        lines += [
            "",
            f"### API throughput ({engine}, {args.projects:,} projects)",
            "",
            f"gunicorn 2 workers × 4 threads on loopback, 8 client threads with keep-alive, {args.api_seconds} s per run, "
            "two alternating runs each, same process:",
            "",
            f"- bare Django JSON view (same 50 rows): **{api['bare_rps']:.0f} req/s**",
            f"- `GET /api/projects/projects/?per_page=50`: **{api['api_rps']:.0f} req/s**",
            f"- ratio **{api['ratio'] * 100:.0f} %** (goal ≥ 60 %) → {'met' if api['ratio'] >= 0.6 else 'NOT met'}; "
            f"errors: {api['errors']}",
        ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_results(text)


if __name__ == "__main__":
    main()
