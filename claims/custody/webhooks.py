"""Signed webhooks: events to subscribed endpoints, through the job outbox.

An event (claim.verified, claim.changed, claim.tombstoned, alert.opened) is recorded by the
transaction that makes it happen: one WebhookDelivery per subscription that may see it, and a
Job that delivers it after commit (claims.jobs: never lost, a killed worker's job is taken
over). A delivery is one POST signed per Standard Webhooks (the `standardwebhooks` package:
webhook-id, webhook-timestamp, webhook-signature), through sources.fetching's guarded client,
so a target must pass the same address rules as a capture. A failed attempt is retried with
capped exponential backoff (the job sweeper makes the next job when it is due) and the
delivery is dead-lettered after WEBHOOK_MAX_ATTEMPTS; every attempt's answer is kept.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from claims.custody.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from claims.jobs import job_create, job_handler
from claims.models import Job, Status
from claims.roles import DESK
from sources.fetching import FetchRefused, check_target, post_url


class SubscriptionRefused(ValueError):
    """A subscription that cannot be made; the message says what to change."""


class SubscriptionForbidden(SubscriptionRefused):
    """An event the subscriber's role may not read: a matter of permission, not of input."""


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _loopback_ports() -> frozenset[int]:
    return frozenset(settings.FETCH_ALLOW_LOOPBACK_PORTS)


def webhook_subscribe(
    *, owner: Any, url: str, events: list[str], token: Any = None
) -> WebhookSubscription:
    """Subscribe `url` to `events` for `owner` (and the token that asked). Returns it with
    its secret. Raises SubscriptionRefused for an unknown event or a target no capture may
    reach (checked again, on the address connected to, at every delivery)."""
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if not events or unknown:
        raise SubscriptionRefused(
            f"unknown events {unknown}; subscribe to some of {', '.join(WebhookEvent.values)}"
            if unknown
            else f"name the events to subscribe to: {', '.join(WebhookEvent.values)}"
        )
    if WebhookEvent.ALERT_OPENED in events and not owner.has_perm("claims.view_alert"):
        raise SubscriptionForbidden(
            "alert.opened needs a role that sees alerts (claims.view_alert)"
        )
    try:
        check_target(url, _loopback_ports())
    except FetchRefused as refused:
        raise SubscriptionRefused(f"the webhook URL is refused: {refused}") from None
    return WebhookSubscription.objects.create(
        owner=owner, token=token, url=url, events=sorted(set(events)), secret=new_secret()
    )


def _may_see(subscription: WebhookSubscription, event: str, data: dict[str, Any]) -> bool:
    """Whether the subscriber's role may read what the event says (an API reader sees
    verified claims only; alerts need the alert permission)."""
    owner = subscription.owner
    if not owner.is_active or (subscription.token and subscription.token.revoked_at):
        return False
    if event == WebhookEvent.ALERT_OPENED:
        return owner.has_perm("claims.view_alert")
    if event == WebhookEvent.CLAIM_TOMBSTONED:
        return owner.has_perm("claims.view_claim")
    published = data.get("status") == Status.VERIFIED
    return owner.has_perm("claims.view_claim") and (published or owner.has_perm(DESK))


def webhook_event(event: str, data: dict[str, Any]) -> int:
    """Record `event` for every subscriber that may see it, in the caller's transaction;
    returns how many deliveries were queued."""
    subscriptions = WebhookSubscription.objects.filter(active=True).select_related("owner", "token")
    queued = 0
    now = timezone.now()
    with transaction.atomic():
        for subscription in subscriptions:
            if event not in subscription.events or not _may_see(subscription, event, data):
                continue
            delivery = WebhookDelivery.objects.create(
                subscription=subscription,
                event=event,
                message_id=f"msg_{uuid.uuid4().hex}",
                payload={"type": event, "timestamp": now.isoformat(), "data": data},
                next_attempt_at=now,
            )
            delivery.job = job_create(
                kind=Job.Kind.DELIVER_WEBHOOK, payload={"delivery_id": delivery.pk}
            )
            delivery.save(update_fields=["job"])
            queued += 1
    return queued


def claim_event(claim: Any, *, was: str) -> int:
    """The event of a claim that was in status `was` and now is as saved."""
    if claim.status == Status.VERIFIED and was != Status.VERIFIED:
        event = WebhookEvent.CLAIM_VERIFIED
    elif was == Status.VERIFIED and claim.status != Status.VERIFIED:
        event = WebhookEvent.CLAIM_TOMBSTONED  # what the change feed calls no longer verified
    else:
        event = WebhookEvent.CLAIM_CHANGED
    return webhook_event(event, claim_data(claim))


def claim_data(claim: Any, *, deleted: bool = False) -> dict[str, Any]:
    data = {
        "claim": claim.pk,
        "status": claim.status,
        "confidence": claim.confidence,
        "version": claim.version,
        "statement": claim.statement,
    }
    if deleted:
        data["deleted"] = True
    return data


def claim_deleted_event(claim: Any) -> int:
    return webhook_event(WebhookEvent.CLAIM_TOMBSTONED, claim_data(claim, deleted=True))


def alert_event(alert: Any) -> int:
    return webhook_event(
        WebhookEvent.ALERT_OPENED,
        {
            "alert": alert.pk,
            "kind": alert.kind,
            "message": alert.message,
            "snapshot": alert.snapshot_id,
            "evidence": alert.evidence_id,
        },
    )


# -- delivery ----------------------------------------------------------------------------------


def signed_request(delivery: WebhookDelivery, at: datetime) -> tuple[bytes, dict[str, str]]:
    """The body and the Standard Webhooks headers of one attempt."""
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    signature = Webhook(delivery.subscription.secret).sign(delivery.message_id, at, body)
    headers = {
        "Content-Type": "application/json",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }
    return body.encode(), headers


def backoff(attempts: int) -> timedelta:
    """How long after its `attempts`-th failure a delivery is tried again."""
    seconds = settings.WEBHOOK_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_BACKOFF_MAX_SECONDS))


@job_handler(Job.Kind.DELIVER_WEBHOOK, atomic=False)
def deliver(job: Job) -> dict[str, Any]:
    """One attempt (the POST outside any transaction); its outcome recorded on the delivery."""
    delivery = (
        WebhookDelivery.objects.select_related("subscription")
        .filter(pk=job.payload["delivery_id"])
        .first()
    )
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return {"outcome": "nothing to do: delivered, dead-lettered or gone"}
    now = timezone.now()
    body, headers = signed_request(delivery, now)
    status, answer, error = None, "", ""
    try:
        result = post_url(
            delivery.subscription.url,
            body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_loopback_ports=_loopback_ports(),
        )
        status, answer = result.status, result.body
    except FetchRefused as refused:
        error = str(refused)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.state != WebhookDelivery.State.PENDING:
            return {"outcome": "delivered meanwhile by another run"}
        delivery.attempts += 1
        delivery.last_status, delivery.last_response, delivery.last_error = status, answer, error
        if status is not None and 200 <= status < 300:
            delivery.state = WebhookDelivery.State.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.state = WebhookDelivery.State.DEAD
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save()
    return {
        "delivery": delivery.pk,
        "attempt": delivery.attempts,
        "status": status,
        "error": error,
        "state": delivery.state,
    }


def webhooks_due(limit: int = 500) -> int:
    """A new delivery job for each pending delivery whose retry is due and whose last job
    ended (the job sweeper calls this); returns how many."""
    now = timezone.now()
    due = (
        WebhookDelivery.objects.filter(
            state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
        )
        .exclude(job__state__in=[Job.State.QUEUED, Job.State.RUNNING])
        .order_by("next_attempt_at")[:limit]
    )
    made = 0
    for delivery in due:
        with transaction.atomic():
            locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
            if (
                locked.job_id
                and Job.objects.filter(
                    pk=locked.job_id, state__in=[Job.State.QUEUED, Job.State.RUNNING]
                ).exists()
            ):
                continue
            locked.job = job_create(
                kind=Job.Kind.DELIVER_WEBHOOK, payload={"delivery_id": locked.pk}
            )
            locked.save(update_fields=["job"])
            made += 1
    return made


def delivery_retry(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a dead-lettered (or pending) delivery again now, with its attempts reset."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.state == WebhookDelivery.State.DELIVERED:
            return delivery
        delivery.state = WebhookDelivery.State.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.job = job_create(
            kind=Job.Kind.DELIVER_WEBHOOK, payload={"delivery_id": delivery.pk}
        )
        delivery.save()
    return delivery
