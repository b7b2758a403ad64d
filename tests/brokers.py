"""Point the Celery app at another broker for one test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from config.celery import app as celery_app


def _drop_cached_producers() -> None:
    # Celery caches its producer pool per broker connection; dropping the cache (what Celery
    # itself does after a fork) makes the next publish connect to the new broker URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # A new broker has not failed yet (claims.jobs leaves a failed one alone for a while).
    from claims import jobs

    jobs._broker_down_until.clear()


@contextmanager
def broker(url: str, *, queue: str | None = None) -> Iterator[None]:
    conf = celery_app.conf
    previous = (conf.broker_url, conf.task_always_eager, conf.task_default_queue)
    conf.broker_url = url
    conf.task_always_eager = False
    if queue:
        conf.task_default_queue = queue
    _drop_cached_producers()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager, conf.task_default_queue = previous
        _drop_cached_producers()
