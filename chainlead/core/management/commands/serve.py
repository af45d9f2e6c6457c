"""``chainlead serve``: the web server (gunicorn + whitenoise) and the job worker side by side.

Ctrl-C (SIGINT) or SIGTERM stops both cleanly; if either dies, the other is stopped too."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "启动网站和后台任务进程（Ctrl-C 同时停止）。Serve the site and run the job worker."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("CHAINLEAD_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("CHAINLEAD_WEB_WORKERS", "2"))
        )
        parser.add_argument("--no-worker", action="store_true", help="只启动网站 / web only")

    def handle(self, *args, bind, web_workers, no_worker, **options):
        try:
            connection.ensure_connection()
        except Exception as exc:
            raise CommandError(f"无法连接数据库 / cannot reach the database: {exc}".splitlines()[0])
        python = sys.executable
        gunicorn = [
            python,
            "-m",
            "gunicorn",
            "chainlead.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(web_workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
            "--timeout",
            "120",
        ]
        worker = [python, "-m", "chainlead.cli", "chainlead", "worker"]
        procs = [subprocess.Popen(gunicorn)]
        if not no_worker:
            procs.append(subprocess.Popen(worker))
        self.stdout.write(self.style.SUCCESS(f"chainlead 已启动：http://{bind}/  （按 Ctrl-C 停止）"))

        stopping = False

        def stop(signum=None, frame=None):
            nonlocal stopping
            if stopping:
                return
            stopping = True
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for p in procs:
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                if any(p.poll() is not None for p in procs):
                    self.stderr.write(
                        "chainlead: 一个进程已退出，正在停止其余进程。A process exited; stopping the rest."
                    )
                    stop()
                    break
                time.sleep(0.5)
        finally:
            stop()
        self.stdout.write("chainlead 已停止。Stopped.")
