"""Real Celery worker processes for a test, against the test database and Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tests.brokers import broker


@dataclass
class Queues:
    jobs: str
    periodic: str


def worker_env(settings: Any, queues: Queues, **extra: str) -> dict[str, str]:
    db = settings.DATABASES["default"]
    user = db["USER"] or "postgres"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "JOB_QUEUE": queues.jobs,
        "JOB_PERIODIC_QUEUE": queues.periodic,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }


def start_worker(
    settings: Any, queues: Queues, *, periodic: bool = False, **extra: str
) -> subprocess.Popen[bytes]:
    """One worker process (its own process group): the jobs queue, or periodic with beat."""
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1"]
    command += ["--loglevel", "WARNING", "--without-gossip", "--without-mingle"]
    if periodic:
        schedule = str(settings.MEDIA_ROOT) + f"-beat-{uuid.uuid4().hex[:6]}"
        command += ["-Q", queues.periodic, "--beat", "--schedule", schedule]
    else:
        command += ["-Q", queues.jobs]
    return subprocess.Popen(
        command,
        env=worker_env(settings, queues, **extra),
        cwd=settings.BASE_DIR,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes], *, force: bool = False) -> None:
    """Stop a worker: a warm shutdown (it finishes its task), or at once with ``force``."""
    if process.poll() is not None:
        return
    if force:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def own_queues() -> Iterator[Queues]:
    """Queues of this test's own on the Redis of REDIS_URL, used for every publish."""
    tag = uuid.uuid4().hex[:8]
    queues = Queues(jobs=f"test-{tag}", periodic=f"test-{tag}-periodic")
    from django.conf import settings

    previous = settings.JOB_PERIODIC_QUEUE
    settings.JOB_PERIODIC_QUEUE = queues.periodic
    try:
        with broker(os.environ["REDIS_URL"], queue=queues.jobs):
            yield queues
    finally:
        settings.JOB_PERIODIC_QUEUE = previous


def wait_for(predicate: Any, *, seconds: float, every: float = 0.1) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return None
