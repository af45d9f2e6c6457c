#!/usr/bin/env python
"""Load benchmark of regular dispatch (issue 5): 100 reporters submit progress reports at once.

What it does, all on loopback:

1. creates a fresh PostgreSQL database (``postgres://postgres@127.0.0.1:5432``), migrates it and
   loads 100 units, each with a reporter, a unit head and 3 key projects under construction, and a
   weekly reporting cycle whose ~1,900 open periods (2004–2040) give every reporter more fresh
   (period, project) slots than ten minutes can use;
2. starts the application under gunicorn (``--workers`` × ``--threads``, DEBUG off);
3. runs ``--clients`` concurrent clients (threads, ``urllib``) that each sign in once and then loop
   for ``--minutes`` through the real pages, exactly as a reporter on a phone would: open 填报's
   one-tap link (``/dispatch/fill/…``, which creates the draft), open the report form, and post it
   with "提交审核" — every tenth time with a site photo (a JPEG with an EXIF capture time);
4. counts HTTP errors (any unexpected status, or a form that comes back with an error) and
   compares the submissions the clients saw succeed with the rows in the database: submitted
   reports and stored photos must match exactly (0 lost), and no draft may be left half-done;
5. writes throughput and latency (p50/p95/p99) into BENCHMARKS.md between the
   ``<!-- bench:dispatch_load -->`` markers, and drops the database.

Usage::

    .venv/bin/python bench/dispatch_load.py                 # the recorded run: 100 clients, 10 minutes
    .venv/bin/python bench/dispatch_load.py --minutes 1     # a smoke run
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import io
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MARK_BEGIN = "<!-- bench:dispatch_load -->"
MARK_END = "<!-- /bench:dispatch_load -->"
PASSWORD = "Bench#Pass2026"
BUSINESS_DATE = "2021-11-03"
SETTINGS = '''"""Settings of the dispatch load benchmark: production-like (DEBUG off), static files served
without the collectstatic manifest (the benchmark measures the application, not static files)."""
from chainlead.settings import *  # noqa: F403

DEBUG = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
LOGGING["root"]["level"] = "ERROR"
'''


# --- set-up ---------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_environment(args, tmp: Path) -> dict:
    (tmp / "dispatch_bench_settings.py").write_text(SETTINGS)
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{args.postgres}/{args.database}",
            "DJANGO_SETTINGS_MODULE": "dispatch_bench_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
            "CHAINLEAD_DATA_DIR": str(tmp / "data"),
            "CHAINLEAD_MEDIA_ROOT": str(tmp / "media"),
            "CHAINLEAD_TODAY": BUSINESS_DATE,
            "SECRET_KEY": "dispatch-bench-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CHAINLEAD_TESTING": "",
            "LOG_LEVEL": "ERROR",
        }
    )
    env.pop("CHAINLEAD_DEBUG", None)
    return env


def create_database(args) -> None:
    import psycopg

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')


def drop_database(args) -> None:
    import psycopg

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def django_setup(env: dict) -> None:
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    sys.path[:0] = env["PYTHONPATH"].split(os.pathsep)
    import django

    django.setup()


def load_data(args) -> list[dict]:
    """100 units with a reporter, a unit head and 3 projects; a weekly cycle with its periods."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from chainlead.core.context import change_context
    from chainlead.dispatch import services
    from chainlead.dispatch.models import Period, ReportingCycle
    from chainlead.organization.choices import Role, UnitKind
    from chainlead.organization.models import RoleGrant, Unit, User
    from chainlead.projects.choices import Stage
    from chainlead.projects.models import KeyProject

    call_command("migrate", verbosity=0)
    password = make_password(PASSWORD)
    clients = []
    with change_context(source="command:dispatch_load"), transaction.atomic():
        office = Unit.objects.create(name="领导小组办公室", kind=UnitKind.OFFICE)
        admin = User.objects.create(username="office", name="办公室", unit=office, password=password)
        RoleGrant.objects.create(user=admin, role=Role.OFFICE_ADMIN, unit=office)
        cycle = ReportingCycle.objects.create(
            name="压测周调度", item_kind="project", frequency="weekly", starts_on=datetime.date(2004, 1, 5)
        )
        services.ensure_periods(until=datetime.date(2040, 11, 30), cycles=[cycle])
        periods = list(Period.objects.filter(cycle=cycle).order_by("start").values_list("pk", flat=True))
        for i in range(args.clients):
            unit = Unit.objects.create(name=f"压测单位{i:03d}", kind=UnitKind.DEPARTMENT)
            reporter = User.objects.create(
                username=f"reporter{i:03d}", name=f"填报员{i:03d}", unit=unit, password=password
            )
            head = User.objects.create(
                username=f"head{i:03d}", name=f"负责人{i:03d}", unit=unit, password=password
            )
            RoleGrant.objects.create(user=reporter, role=Role.REPORTER, unit=unit)
            RoleGrant.objects.create(user=head, role=Role.UNIT_HEAD, unit=unit)
            projects = [
                KeyProject.objects.create(
                    name=f"压测单位{i:03d}项目{k}",
                    responsible_unit=unit,
                    investor_name="压测投资方",
                    total_investment=100_000_000,
                    annual_plan=10_000_000,
                    stage=Stage.STARTED,
                    started_on=datetime.date(2003, 6, 1),
                ).pk
                for k in range(3)
            ]
            clients.append({"username": reporter.username, "projects": projects})
    for client in clients:
        client["periods"] = periods
    return clients


# --- the server -----------------------------------------------------------------------------------
def start_server(args, env: dict, port: int) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "chainlead.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--timeout",
        "120",
        "--graceful-timeout",
        "20",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not come up within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # our own process group (start_new_session)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- the clients ----------------------------------------------------------------------------------
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(r'name="_version" value="(\d+)"')


def photo_bytes() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (640, 480), (80, 120, 160))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2021:11:02 10:30:00"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----dispatchbench" + uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, mime) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {mime}\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Client(threading.Thread):
    """One reporter: sign in, then fill → open the form → submit, until told to stop."""

    def __init__(self, base: str, spec: dict, stop: threading.Event, photo: bytes, index: int):
        super().__init__(daemon=True)
        self.base, self.spec, self.stop_event, self.photo, self.index = base, spec, stop, photo, index
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.latency: dict[str, list[float]] = {"fill": [], "form": [], "submit": []}
        self.errors: Counter = Counter()
        self.submitted = 0
        self.photos = 0
        self.requests = 0

    def request(self, kind: str, url: str, data: bytes | None = None, content_type: str | None = None):
        headers = {"Referer": self.base + "/"}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + url, data=data, headers=headers)
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=120) as response:
                status, body, location = (
                    response.status,
                    response.read(),
                    response.headers.get("Location", ""),
                )
        except urllib.error.HTTPError as exc:
            status, body, location = exc.code, exc.read() if exc.fp else b"", exc.headers.get("Location", "")
        finally:
            elapsed = time.perf_counter() - start
            self.requests += 1
        if kind in self.latency:
            self.latency[kind].append(elapsed)
        return status, body.decode("utf-8", "replace"), location

    def login(self) -> None:
        status, body, _ = self.request("login", "/login/")
        token = CSRF_RE.search(body).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": self.spec["username"], "password": PASSWORD}
        ).encode()
        status, body, location = self.request("login", "/login/", data, "application/x-www-form-urlencoded")
        if status != 302:
            raise RuntimeError(f"login failed for {self.spec['username']}: {status}")

    def run(self) -> None:
        try:
            self.login()
        except Exception as exc:  # counted, not raised: a failed client is an error of the run
            self.errors[f"login: {exc.__class__.__name__}"] += 1
            return
        slot = 0
        projects, periods = self.spec["projects"], self.spec["periods"]
        while not self.stop_event.is_set():
            project = projects[slot % len(projects)]
            period = periods[(slot // len(projects)) % len(periods)]
            slot += 1
            try:
                self.one(period, project, with_photo=slot % 10 == 0)
            except Exception as exc:
                self.errors[f"exception: {exc.__class__.__name__}"] += 1

    def one(self, period: int, project: int, with_photo: bool) -> None:
        status, _body, location = self.request("fill", f"/dispatch/fill/{period}/project/{project}/")
        if status != 302 or "/edit/" not in location:
            self.errors[f"fill: HTTP {status}"] += 1
            return
        path = urllib.parse.urlparse(location).path
        status, body, _ = self.request("form", path)
        if status != 200:
            self.errors[f"form: HTTP {status}"] += 1
            return
        token, version = CSRF_RE.search(body).group(1), VERSION_RE.search(body).group(1)
        fields = {
            "csrfmiddlewaretoken": token,
            "_version": version,
            "period_completed": "120.50",
            "progress_text": "主体施工至三层，钢结构吊装完成60%",
            "progress_percent": "45",
            "next_plan": "下周完成屋面板吊装",
            "action": "submit",
        }
        files = {"photos": ("IMG_20211102_1030.jpg", self.photo, "image/jpeg")} if with_photo else {}
        data, content_type = multipart(fields, files)
        status, body, location = self.request("submit", path, data, content_type)
        if status == 302 and re.search(r"/dispatch/reports/\d+/$", location):
            self.submitted += 1
            self.photos += 1 if with_photo else 0
        elif status == 200:
            message = re.search(r"data-form-errors>\s*(?:<div>)?([^<]{0,80})", body)
            self.errors[f"submit: form error {message.group(1).strip() if message else ''}"] += 1
        else:
            self.errors[f"submit: HTTP {status}"] += 1


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


# --- the report -----------------------------------------------------------------------------------
def write_benchmarks(section: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = (
        path.read_text()
        if path.exists()
        else "# Benchmarks\n\nEach section is written by its script in bench/.\n"
    )
    block = f"{MARK_BEGIN}\n{section.strip()}\n{MARK_END}"
    if MARK_BEGIN in text and MARK_END in text:
        before, rest = text.split(MARK_BEGIN, 1)
        _old, after = rest.split(MARK_END, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=f"chainlead_bench_dispatch_{os.getpid()}")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dispatch_bench_"))
    env = prepare_environment(args, tmp)
    print(f"database {args.database}; data in {tmp}")
    create_database(args)
    server = None
    try:
        django_setup(env)
        t0 = time.monotonic()
        specs = load_data(args)
        print(
            f"loaded {len(specs)} reporters × 3 projects, {len(specs[0]['periods'])} open weekly periods "
            f"in {time.monotonic() - t0:.1f} s"
        )
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_server(args, env, port)
        base = f"http://127.0.0.1:{port}"
        stop = threading.Event()
        photo = photo_bytes()
        clients = [Client(base, spec, stop, photo, i) for i, spec in enumerate(specs)]
        print(
            f"gunicorn up on {base} ({args.workers} workers × {args.threads} threads); "
            f"{len(clients)} clients for {args.minutes:g} min"
        )
        started = time.monotonic()
        for c in clients:
            c.start()
        duration = args.minutes * 60
        while time.monotonic() - started < duration:
            time.sleep(min(30, duration - (time.monotonic() - started)))
            done = sum(c.submitted for c in clients)
            errs = sum(sum(c.errors.values()) for c in clients)
            print(
                f"  {time.monotonic() - started:6.0f} s: {done} reports submitted, {errs} errors", flush=True
            )
        stop.set()
        for c in clients:
            c.join(timeout=180)
        elapsed = time.monotonic() - started
        stop_server(server)
        server = None

        from django.db.models import Count

        from chainlead.dispatch.models import ProgressReport, ReportPhoto

        by_status = dict(ProgressReport.objects.values_list("status").annotate(n=Count("pk")))
        rows_submitted = by_status.get("submitted", 0)
        rows_photos = ReportPhoto.objects.count()
        seen = sum(c.submitted for c in clients)
        seen_photos = sum(c.photos for c in clients)
        errors = Counter()
        for c in clients:
            errors.update(c.errors)
        latency = {k: [v for c in clients for v in c.latency[k]] for k in ("fill", "form", "submit")}
        all_lat = [v for values in latency.values() for v in values]
        requests = sum(c.requests for c in clients)
        lost = seen - rows_submitted
        lost_photos = seen_photos - rows_photos
        drafts = by_status.get("draft", 0)
        ms = lambda v: f"{v * 1000:.0f}"  # noqa: E731
        rows = []
        for name, label in (
            ("fill", "一键填报 (GET fill → draft)"),
            ("form", "打开填报表单 (GET form)"),
            ("submit", "提交审核 (POST, 10% with a photo)"),
            ("all", "all requests"),
        ):
            values = all_lat if name == "all" else latency[name]
            rows.append(
                f"| {label} | {len(values)} | {ms(statistics.median(values)) if values else '—'} | "
                f"{ms(percentile(values, 95))} | {ms(percentile(values, 99))} |"
            )
        verdict = "PASS" if not errors and lost == 0 and lost_photos == 0 and drafts == 0 else "FAIL"
        section = f"""
## 定期调度: 100 concurrent reporters (bench/dispatch_load.py)

{len(clients)} reporters (threads, `urllib`, one session each) submit progress reports through the real
pages for {args.minutes:g} min against gunicorn ({args.workers} workers × {args.threads} threads, DEBUG off) on
PostgreSQL, all on loopback. Each iteration: the one-tap 填报 link (creates the draft) → the report
form → POST "提交审核" (every tenth with a 640×480 site photo, re-encoded by the server).
Run on {datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores (clients, server and
database share them), Python {platform.python_version()}.

**{verdict}** — errors: **{sum(errors.values())}**, lost reports: **{lost}**, lost photos: **{lost_photos}**,
drafts left behind: **{drafts}**.

| measure | value |
|---|---|
| reports the clients saw submitted | {seen} |
| submitted reports in the database | {rows_submitted} |
| photos uploaded / stored | {seen_photos} / {rows_photos} |
| throughput (reports submitted) | {seen / elapsed:.1f} /s |
| throughput (HTTP requests) | {requests / elapsed:.1f} /s |
| duration | {elapsed:.0f} s |

| request | count | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|
{chr(10).join(rows)}

Errors by kind: {dict(errors) if errors else "none"}.

The load is closed-loop: every client sends its next request as soon as the last one is
answered, so with 100 clients on 2 shared cores the latencies are mostly queueing (Little's law:
100 clients ÷ the request rate ≈ the mean latency); an idle request takes ~60–180 ms in-process.
"""
        print(section)
        if not args.no_write:
            write_benchmarks(section)
            print("written to BENCHMARKS.md")
        return 0 if verdict == "PASS" else 1
    finally:
        if server is not None:
            stop_server(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not args.keep:
            drop_database(args)


if __name__ == "__main__":
    sys.exit(main())
