"""Degraded, not down: with Redis stopped or hung every request still answers in time with
its normal result (issue 14, point 7). The test runs its own redis-server on a free port."""

from __future__ import annotations

import base64
import json
import logging
import time

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from claims.jobs import job_dispatch, job_run
from claims.models import Job
from claims.tokens import issue_token
from config.celery import app as celery_app
from tests.brokers import broker
from tests.factories import ingest_text
from tests.redis_copy import redis_copy

pytestmark = pytest.mark.django_db(transaction=True)

BOUND_SECONDS = 2.0


@pytest.fixture
def redis_world(settings, editor):
    with redis_copy() as copy:
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.FailOpenRedisCache",
                "LOCATION": copy.url,
                "OPTIONS": {
                    "socket_connect_timeout": 0.5,
                    "socket_timeout": 0.5,
                    "RETRY_SECONDS": 30,
                },
            }
        }
        settings.CELERY_BROKER_URL = copy.url
        settings.API_THROTTLE_RATE = "5/minute"
        ingest_text()
        _, key = issue_token("dashboard", "editor")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        conf = celery_app.conf
        previous = conf.broker_transport_options
        # What production sets for a Redis broker (this run may use another broker).
        conf.broker_transport_options = django_settings.REDIS_BROKER_TRANSPORT_OPTIONS
        try:
            with broker(copy.url):
                yield copy, client
        finally:
            conf.broker_transport_options = previous


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _submit(client):
    return client.post(
        "/api/v1/documents/",
        {"text": "On Monday 12 shelters opened.", "source": "Wire", "title": "Shelters"},
        format="json",
    )


@pytest.mark.parametrize("failure", ["stopped", "hung"])
def test_the_token_api_answers_normally_while_redis_fails(redis_world, failure, caplog):
    copy, client = redis_world
    before = client.get("/api/v1/claims/")
    assert before.status_code == 200

    copy.stop() if failure == "stopped" else copy.hang()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        answers = [_timed(lambda: client.get("/api/v1/claims/")) for _ in range(3)]

    for response, seconds in answers:
        assert response.status_code == 200
        assert response.json()["results"] == before.json()["results"]
        assert seconds < BOUND_SECONDS
    # Throttling carries on per process: 5 a minute counted from the outage, so the sixth
    # request of this process is refused.
    codes = [client.get("/api/v1/claims/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert len([r for r in caplog.records if "Redis unavailable" in r.getMessage()]) == 1


@pytest.mark.parametrize("failure", ["stopped", "hung"])
def test_readyz_names_what_is_degraded(redis_world, failure, client):
    copy, _ = redis_world
    assert client.get("/readyz").json()["status"] == "ok"

    copy.stop() if failure == "stopped" else copy.hang()
    response, seconds = _timed(lambda: client.get("/readyz"))

    assert response.status_code == 200 and seconds < BOUND_SECONDS
    body = response.json()
    assert body["status"] == "degraded"
    assert {k: body[k]["state"] for k in ("database", "broker", "cache")} == {
        "database": "ok",
        "broker": "degraded",
        "cache": "degraded",
    }


@pytest.mark.parametrize("failure", ["stopped", "hung"])
def test_a_submission_is_accepted_and_delivered_once_redis_returns(redis_world, failure):
    copy, client = redis_world
    import redis

    copy.stop() if failure == "stopped" else copy.hang()
    response, seconds = _timed(lambda: _submit(client))

    assert response.status_code == 202 and seconds < BOUND_SECONDS
    job = Job.objects.get(pk=response.json()["job_id"])
    assert (job.state, job.dispatched_at) == ("queued", None)

    if failure == "stopped":
        copy.start()
    else:
        copy.resume()
    assert job_dispatch(job_id=job.pk)  # what the sweeper does for a job left queued
    queued = [json.loads(m) for m in redis.Redis.from_url(copy.url).lrange("celery", 0, -1)]
    kwargs = [json.loads(base64.b64decode(m["body"]))[1] for m in queued]
    assert kwargs == [{"job_id": job.pk}]
    assert job_run(job_id=job.pk) == "succeeded"
    assert job_run(job_id=job.pk).startswith("nothing to do")  # a second delivery is a no-op
