"""python manage.py serve [ADDR:PORT] : the web server with its job worker and scheduler.

What `make run` starts: Django's development server, a Celery worker for the jobs, and a
second worker slot for the periodic queue (sweeper, integrity check, re-fetch) with beat
embedded. Without REDIS_URL they talk over kombu's filesystem transport in VAR_DIR/broker,
so jobs never run inside a web request and a laptop needs no services. Ctrl-C (or SIGTERM)
stops all three; if one of them exits, the others are stopped too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def worker_commands(*, beat_schedule: str, loglevel: str = "INFO") -> list[list[str]]:
    """The two Celery processes: jobs, and periodic work with beat (its own slot)."""
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    common = ["--loglevel", loglevel, "--without-gossip", "--without-mingle", "--concurrency", "1"]
    return [
        [*celery, "worker", "-n", "jobs@%h", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, *common],
        [
            *celery,
            "worker",
            "-n",
            "periodic@%h",
            "-Q",
            settings.JOB_PERIODIC_QUEUE,
            "--beat",
            "--schedule",
            beat_schedule,
            *common,
        ],
    ]


class Command(BaseCommand):
    help = "Serve the web site with a job worker and the periodic scheduler beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help="do not restart the web server on changes"
        )
        parser.add_argument("--loglevel", default="INFO", help="the workers' log level")

    def handle(self, *args: Any, **options: Any) -> None:
        schedule = str(settings.VAR_DIR / "celerybeat-schedule")
        web = [sys.executable, "manage.py", "runserver", options["addrport"]]
        if options["noreload"]:
            web.append("--noreload")
        commands = [*worker_commands(beat_schedule=schedule, loglevel=options["loglevel"]), web]
        processes = [
            subprocess.Popen(command, cwd=settings.BASE_DIR, env=os.environ.copy())
            for command in commands
        ]
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping and all(p.poll() is None for p in processes):
                time.sleep(0.5)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 20
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p.args[3] if len(p.args) > 3 else p.args for p in processes if p.returncode]
        if failed and not stopping:
            self.stderr.write(f"stopped: a process exited ({failed}); see its output above")
