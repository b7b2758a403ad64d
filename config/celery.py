"""The Celery application. Settings come from Django's, under the CELERY_ prefix."""

from __future__ import annotations

import os

from celery import Celery

from config import broker

broker.register()  # the embedded transport, before any connection is made
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
