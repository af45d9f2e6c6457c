"""The production shape on this machine: 2 gunicorn web processes and 2 huey workers against
PostgreSQL and Redis. It proves that a session works across processes, that every job runs exactly
once, and that a periodic job fires in both schedulers but runs once per slot.

It takes a little over a minute (it waits for a minute boundary of the cron schedule).
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import psycopg
import pytest
import redis
from django.conf import settings

ROOT = settings.BASE_DIR
PG = os.environ.get("CI_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS = "redis://127.0.0.1:6379/15"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(env, *args, check=True):
    result = subprocess.run([sys.executable, "-m", "chainlead.cli", "chainlead", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if check and result.returncode:
        raise AssertionError(result.stdout + result.stderr)
    return result.stdout


class Browser:
    """A cookie-keeping client; each request may go to a different web process."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        with self.opener.open(url, timeout=30) as r:
            return r.status, r.geturl(), r.read().decode()

    def post(self, url, data, referer):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        req = urllib.request.Request(url, data=body, headers={"Referer": referer})
        with self.opener.open(req, timeout=30) as r:
            return r.status, r.geturl(), r.read().decode()


def wait_http(url, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def cluster(tmp_path):
    dbname = f"chainlead_cluster_{uuid.uuid4().hex[:8]}"
    admin = PG.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    queue = f"chainlead-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("CHAINLEAD_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DATABASE_URL=PG.rsplit("/", 1)[0] + "/" + dbname,
        REDIS_URL=REDIS,
        CHAINLEAD_QUEUE_NAME=queue,
        CHAINLEAD_DATA_DIR=str(tmp_path),
        CHAINLEAD_DEBUG="1",  # plain static files: nothing to collect for this test
    )
    cli(env, "migrate", "-v0")
    cli(env, "demo", "--if-empty")
    ports = [free_port(), free_port()]
    procs = []
    try:
        for port in ports:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "chainlead.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--threads", "4"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True))
        for _ in range(2):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "chainlead.cli", "chainlead", "worker", "--workers", "2"], cwd=ROOT, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        for port in ports:
            wait_http(f"http://127.0.0.1:{port}/login/")
        yield env, [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        r = redis.Redis.from_url(REDIS)
        for key in r.scan_iter(f"*{queue}*"):
            r.delete(key)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def query(env, sql):
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return conn.execute(sql).fetchall()


def test_two_web_processes_two_workers(cluster):
    env, (web_a, web_b) = cluster
    browser = Browser()

    # A session made on one process works on the other.
    browser.get(f"{web_a}/login/")
    status, url, _ = browser.post(f"{web_a}/login/", {"username": "office", "password": "Chainlead@2026"}, f"{web_a}/login/")
    assert url.rstrip("/") == web_a
    status, url, body = browser.get(f"{web_b}/")
    assert status == 200 and "/login/" not in url and "王晓梅" in body

    # Jobs enqueued through both processes each run exactly once, spread over the workers.
    browser.get(f"{web_a}/core/changelog/")
    for i in range(12):
        web = web_a if i % 2 else web_b
        browser.post(f"{web}/core/changelog/export/", {"query": ""}, f"{web}/core/changelog/")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        rows = query(env, "SELECT status, deliveries, worker FROM core_job WHERE name = 'core.export_changelog'")
        if len(rows) == 12 and all(r[0] == "succeeded" for r in rows):
            break
        time.sleep(0.5)
    assert len(rows) == 12
    assert {r[0] for r in rows} == {"succeeded"}, rows
    assert {r[1] for r in rows} == {1}, "every job delivered to exactly one worker, once"
    assert all(r[2] for r in rows), "each job records the worker that ran it"

    # The every-minute heartbeat: both schedulers fire each slot, exactly one runs it.
    # (the first slot after start-up may have been seen by one scheduler only, so wait for a full one)
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        runs = query(env, "SELECT slot, attempts FROM core_periodicrun WHERE name = 'core.heartbeat' ORDER BY slot")
        if any(attempts >= 2 for _, attempts in runs):
            break
        time.sleep(2)
    assert runs, "the heartbeat never ran: are the workers' schedulers up?"
    assert len({slot for slot, _ in runs}) == len(runs), "one row per slot: no slot ran twice"
    assert any(attempts == 2 for _, attempts in runs), f"both schedulers fired a slot and one ran it: {runs}"

    # The jobs page shows the workers as alive.
    _, _, body = browser.get(f"{web_b}/core/jobs/")
    assert re.search(r"后台任务进程运行正常", body)
