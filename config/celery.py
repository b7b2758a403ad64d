"""The Celery application. Settings come from Django's, under the CELERY_ prefix."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import task_prerun, worker_process_init

from config import broker

broker.register()  # the embedded transport, before any connection is made
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def keep_connections(**_: Any) -> None:
    """A pool process keeps its database connections for WORKER_DB_CONN_MAX_AGE seconds."""
    from django.conf import settings
    from django.db import connections

    for connection in connections.all():
        connection.settings_dict["CONN_MAX_AGE"] = settings.WORKER_DB_CONN_MAX_AGE


@task_prerun.connect
def drop_old_connections(task: Any = None, **_: Any) -> None:
    """Before each task, as before each web request: close a connection that broke (the
    server restarted) or outlived its age; the task then opens a fresh one. A kept one is
    health-checked on its first query (conn_health_checks)."""
    if task is not None and getattr(task.request, "is_eager", False):
        return  # in-process (unit tests): the test's own connection and transaction
    from django.db import close_old_connections

    close_old_connections()
