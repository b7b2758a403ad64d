"""The API's cast: an anonymous caller, a tool with an API-reader token, and two people (a
fact-checker and an editor) signed in with their sessions; plus a report with its claims."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from claims.models import Claim, Status
from claims.tokens import issue_token
from claims.workflow import claim_transition
from tests.factories import ingest_text


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def signed_in(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The cast's accounts are made per test; the production hasher costs ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def reader_api(reader: Any) -> APIClient:
    # `reader` makes the role groups exist (transactional tests flush them).
    _, key = issue_token("newsroom-dashboard", "api-reader")
    return bearer(key)


@pytest.fixture
def checker_api(checker: Any) -> APIClient:
    return signed_in(checker)


@pytest.fixture
def editor_api(editor: Any) -> APIClient:
    return signed_in(editor)


def decide(claim: Claim, actor: Any, to_status: str, confidence: str = "") -> Claim:
    return claim_transition(
        claim=claim,
        actor=actor,
        to_status=to_status,
        confidence=confidence,
        rationale=f"test: {to_status}",
        origin="command",
    ).claim


def verify(claim: Claim, actor: Any, confidence: str = "very_likely") -> Claim:
    if claim.status == Status.UNREVIEWED:
        claim = decide(claim, actor, Status.IN_REVIEW)
    return decide(claim, actor, Status.VERIFIED, confidence)


@pytest.fixture
def report(db: None, django_capture_on_commit_callbacks: Any) -> Any:
    """The test report ingested; its claims extracted (jobs run eagerly, after "commit")."""
    with django_capture_on_commit_callbacks(execute=True):
        return ingest_text()


@pytest.fixture
def claims(report: Any, checker: Any) -> dict[str, Claim]:
    """The report's quantities by quote: "48" verified, "more than 3,000" left unreviewed."""
    by_quote = {c.quote: c for c in Claim.objects.filter(kind="quantitative")}
    by_quote["48"] = verify(by_quote["48"], checker)
    return by_quote
