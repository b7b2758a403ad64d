"""python manage.py bench_pipeline : the ingest pipeline end to end, against the engine alone.

(a) many distinct 2-10 KB reports (documents per second), (b) one 1 MB dense report (claims
stored per second) and a 3 MB one (extraction and verification), each through one real
Celery worker (two processes, as Compose runs it; --concurrency 1 for one), in a throwaway
database made for the run and dropped after: on PostgreSQL (DATABASE_URL) over Redis
(REDIS_URL), or with --sqlite on the embedded default (a SQLite file and the filesystem
broker in a temporary folder).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Benchmark ingest, extraction and verification through a real worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--documents", type=int, default=500, help="case (a) size")
        parser.add_argument("--dense-mb", type=float, default=1.0, help="case (b) size")
        parser.add_argument("--large-mb", type=float, default=3.0, help="0 skips the 3 MB case")
        parser.add_argument("--cases", default="a,b,large", help="which cases, comma-separated")
        parser.add_argument("--sqlite", action="store_true", help="the embedded default")
        parser.add_argument(
            "--concurrency",
            type=int,
            help="the worker's processes; by default as deployed: 2 as Compose runs its document "
            "worker, 1 with --sqlite as `make run` does",
        )
        parser.add_argument("--case", help=argparse_hidden())
        parser.add_argument("--seed", type=int, default=int(time.time()))
        parser.add_argument(
            "--extraction-only",
            action="store_true",
            help="send verification to a queue the bench worker does not serve (extraction alone)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["case"]:
            self._run_case(options)
            return
        if not options["sqlite"] and connection.vendor != "postgresql":
            raise CommandError("set DATABASE_URL to PostgreSQL (and REDIS_URL), or use --sqlite")
        if not options["sqlite"] and not settings.REDIS_URL:
            raise CommandError("the PostgreSQL benchmark runs its worker over Redis: set REDIS_URL")
        database = "SQLite" if options["sqlite"] else "PostgreSQL"
        self.stdout.write(
            f"machine: {os.cpu_count()} cores, {platform.python_implementation()} "
            f"{platform.python_version()}; database: {database}"
        )
        for case in options["cases"].split(","):
            if case == "large" and not options["large_mb"]:
                continue
            figures = self._isolated(case, options)
            self.stdout.write(json.dumps(figures))

    def _isolated(self, case: str, options: dict[str, Any]) -> dict[str, Any]:
        """Run one case in a fresh database with a fresh worker; returns its figures."""
        work = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
        env = {**os.environ, "VAR_DIR": str(work), "JOB_QUEUE": f"bench-{uuid.uuid4().hex[:8]}"}
        if options["extraction_only"]:
            env["JOB_VERIFY_QUEUE"] = env["JOB_QUEUE"] + "-verify"
            env["BENCH_VERIFY_TIMEOUT"] = "0"
        database = ""
        if options["sqlite"]:
            env.pop("DATABASE_URL", None)
            env.pop("REDIS_URL", None)
        else:
            database = f"bench_pipeline_{uuid.uuid4().hex[:8]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{database}"')
            db = settings.DATABASES["default"]
            user, port = db["USER"] or "postgres", db["PORT"] or 5432
            env["DATABASE_URL"] = f"postgres://{user}@{db['HOST']}:{port}/{database}"
        manage = [sys.executable, "manage.py"]
        concurrency = options["concurrency"] or (1 if options["sqlite"] else 2)
        worker = None
        try:
            subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker",
                 "--concurrency", str(concurrency), "--loglevel", "WARNING",
                 "--without-gossip", "--without-mingle", "-Q", env["JOB_QUEUE"]],
                env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            args = [*manage, "bench_pipeline", "--case", case, "--seed", str(options["seed"])]
            args += ["--documents", str(options["documents"])]
            args += ["--dense-mb", str(options["dense_mb"]), "--large-mb", str(options["large_mb"])]
            out = subprocess.run(
                args, env=env, check=True, cwd=settings.BASE_DIR, capture_output=True, text=True
            )
            return json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            if worker is not None:
                # A throwaway database: the work still running (verification) is not needed.
                os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool child
                worker.wait()
            if database:
                connection.close()
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            shutil.rmtree(work, ignore_errors=True)

    def _run_case(self, options: dict[str, Any]) -> None:
        from claims.pipeline import bench

        seed, case = options["seed"], options["case"]
        if case == "a":
            figures = bench.case_many(options["documents"], seed=seed)
        elif case == "b":
            figures = bench.case_dense(int(options["dense_mb"] * 1e6), seed=seed, label="b")
        elif case == "large":
            figures = bench.case_dense(int(options["large_mb"] * 1e6), seed=seed, label="large")
        else:
            raise CommandError(f"unknown case {case!r}: use a, b or large")
        self.stdout.write(json.dumps(figures))


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
