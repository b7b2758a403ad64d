"""Signed webhooks to a local receiver: Standard Webhooks signatures, the outbox, retries with
backoff, dead letters, the capture's address rules, and a worker killed mid-delivery."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook

from claims.custody.models import WebhookDelivery, WebhookSubscription
from claims.custody.webhooks import webhooks_due
from claims.jobs import job_run
from claims.models import Claim, Job
from claims.tokens import issue_token
from tests.api.conftest import bearer, verify
from tests.factories import edit_claim, ingest_text
from tests.workers import own_queues, start_worker, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A webhook endpoint on 127.0.0.1 that keeps what it was sent and answers `status`."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 204
        self.hold_first = 0.0  # seconds the first request is held before the answer
        received, owner = self.received, self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append({"headers": dict(self.headers), "body": body})
                if owner.hold_first and len(received) == 1:
                    time.sleep(owner.hold_first)
                self.send_response(owner.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def ids(self) -> list[str]:
        return [r["headers"]["webhook-id"] for r in self.received]


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    found = Receiver()
    settings.FETCH_ALLOW_LOOPBACK_PORTS = [found.port]
    yield found
    found.server.shutdown()


def subscribe(client: APIClient, url: str, events: list[str]) -> dict[str, Any]:
    response = client.post("/api/v1/webhooks/", {"url": url, "events": events}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_tool_subscribes_and_receives_verified_claims_signed_per_standard_webhooks(
    receiver, reader, checker, second_checker, django_capture_on_commit_callbacks
):
    _, key = issue_token("newsroom-bot", "api-reader")
    tool = bearer(key)
    subscription = subscribe(tool, receiver.url, ["claim.verified", "claim.changed"])
    assert subscription["secret"].startswith("whsec_")
    assert "secret" not in tool.get("/api/v1/webhooks/").json()[0]
    ingest_text()
    claim = Claim.objects.filter(kind="quantitative").order_by("span_start").first()

    edit_claim(claim, checker, reason="subject from the follow-up", subject="village residents")
    verify(Claim.objects.get(pk=claim.pk), second_checker)

    # The reader's role sees verified claims only: the edit of an unverified claim is not
    # sent to it, the verification is.
    assert len(receiver.received) == 1
    sent = receiver.received[0]
    payload = Webhook(subscription["secret"]).verify(sent["body"], sent["headers"])
    assert payload["type"] == "claim.verified"
    assert payload["data"]["claim"] == claim.pk and payload["data"]["status"] == "verified"
    delivery = WebhookDelivery.objects.get()
    assert sent["headers"]["webhook-id"] == delivery.message_id
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 204)
    with pytest.raises(Exception):  # noqa: B017 (the package's own error type)
        Webhook("whsec_" + "B" * 32).verify(sent["body"], sent["headers"])


def test_a_failing_endpoint_is_retried_with_backoff_then_dead_lettered_and_shown(
    receiver, editor, checker, second_checker, settings, client
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 503
    subscribe(bearer(issue_token("desk-bot", "editor")[1]), receiver.url, ["claim.verified"])
    ingest_text()
    verify(Claim.objects.filter(kind="quantitative").first(), second_checker)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 503)
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=5) < first_wait <= timedelta(seconds=10)
    assert webhooks_due() == 0  # not due yet

    for attempt in (2, 3):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert webhooks_due() == 1  # the job runs at once here (eager)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
    assert delivery.state == "dead" and delivery.next_attempt_at is None
    ids = receiver.ids()
    assert len(ids) == 3 and len(set(ids)) == 1  # the same webhook-id on every attempt

    client.force_login(editor)
    page = client.get(f"/admin/claims/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert "503" in page.content.decode() and "Dead-lettered" in page.content.decode()

    receiver.status = 200
    client.post(
        "/admin/claims/webhookdelivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert delivery.state == "delivered"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hook",
        "http://127.0.0.1:9/hook",
        "file:///etc/passwd",
        "http://user:pw@example.org/hook",
        "http://2130706433/hook",
    ],
)
def test_targets_a_capture_may_not_reach_are_refused(reader, url):
    _, key = issue_token("newsroom-bot", "api-reader")
    response = bearer(key).post(
        "/api/v1/webhooks/", {"url": url, "events": ["claim.verified"]}, format="json"
    )
    assert response.status_code in (400, 422), response.json()
    assert not WebhookDelivery.objects.exists()


def test_a_name_that_resolves_to_a_private_address_is_refused_at_delivery(
    receiver, editor, second_checker, settings
):
    from claims.custody.webhooks import webhook_subscribe

    settings.FETCH_ALLOW_LOOPBACK_PORTS = []  # the receiver is loopback, now refused
    url = f"http://localhost:{receiver.port}/"
    webhook_subscribe(owner=editor, url=url, events=["claim.verified"])
    ingest_text()
    verify(Claim.objects.filter(kind="quantitative").first(), second_checker)

    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.last_status is None
    assert "localhost" in delivery.last_error, delivery.last_error
    assert receiver.received == []


def test_an_api_reader_cannot_subscribe_to_alerts(reader):
    _, key = issue_token("newsroom-bot", "api-reader")
    response = bearer(key).post(
        "/api/v1/webhooks/",
        {"url": "https://example.org/hook", "events": ["alert.opened"]},
        format="json",
    )
    assert response.status_code == 403
    assert "claims.view_alert" in response.json()["detail"]
    assert not WebhookSubscription.objects.exists()


def test_a_second_job_for_a_delivered_event_posts_nothing(receiver, editor, second_checker):
    subscribe(bearer(issue_token("desk-bot", "editor")[1]), receiver.url, ["claim.verified"])
    ingest_text()
    verify(Claim.objects.filter(kind="quantitative").first(), second_checker)
    delivery = WebhookDelivery.objects.get()
    again = Job.objects.create(
        kind=Job.Kind.DELIVER_WEBHOOK, payload={"delivery_id": delivery.pk}, origin="task"
    )

    assert job_run(job_id=again.pk) == "succeeded"
    again.refresh_from_db()
    assert again.result["outcome"].startswith("nothing to do")
    assert len(receiver.received) == 1


@pytest.mark.services
@pytest.mark.worker
def test_a_worker_killed_mid_delivery_still_delivers_every_event_with_its_id(
    receiver, editor, second_checker, settings
):
    subscription = subscribe(
        bearer(issue_token("desk-bot", "editor")[1]), receiver.url, ["claim.verified"]
    )
    receiver.hold_first = 30  # the first POST hangs: the worker is killed while it waits
    env = {
        "FETCH_ALLOW_LOOPBACK_PORTS": str(receiver.port),
        "JOB_LEASE_SECONDS": "4",
        "JOB_HEARTBEAT_SECONDS": "1",
        "JOB_SWEEP_SECONDS": "2",
        "JOB_REQUEUE_AFTER_SECONDS": "3",
    }
    with own_queues() as queues:
        periodic = start_worker(settings, queues, periodic=True, **env)
        first = start_worker(settings, queues, **env)
        replacement = None
        try:
            ingest_text()  # the worker extracts its claims
            extracted = wait_for(
                lambda: Job.objects.filter(kind="extract_claims", state="succeeded").exists(),
                seconds=120,
            )
            assert extracted, "the report's claims were never extracted"
            claims = list(Claim.objects.filter(kind="quantitative"))
            for claim in claims:
                verify(claim, second_checker)
            assert wait_for(lambda: receiver.received, seconds=60), "nothing was sent"
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
            replacement = start_worker(settings, queues, **env)
            delivered = wait_for(
                lambda: not WebhookDelivery.objects.exclude(state="delivered").exists(),
                seconds=120,
                every=0.5,
            )
        finally:
            for process in (first, replacement, periodic):
                if process is not None:
                    stop(process, force=True)

    assert delivered, list(WebhookDelivery.objects.values("state", "attempts", "last_error"))
    expected = set(WebhookDelivery.objects.values_list("message_id", flat=True))
    assert len(expected) == len(claims)
    assert set(receiver.ids()) == expected  # each event arrived, at least once
    # The event the killed worker was sending arrived twice, under one id.
    assert len(receiver.ids()) > len(expected)
    for sent in receiver.received:  # every copy is signed, and a receiver can dedupe by id
        body = Webhook(subscription["secret"]).verify(sent["body"], sent["headers"])
        assert json.loads(sent["body"])["type"] == body["type"] == "claim.verified"
