"""API keys: issued once by a command, stored hashed, revocable, with their last use."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.models import ApiToken
from claims.tokens import issue_token, revoke_token
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_issue_token_prints_a_key_once_and_stores_only_its_hash(reader):
    out = StringIO()

    call_command("issue_token", "fact-dashboard", "--role", "api-reader", stdout=out)

    key = re.search(r"Bearer (\S+)", out.getvalue()).group(1)
    token = ApiToken.objects.get(name="fact-dashboard")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.prefix, token.key_hash, token.name}
    assert token.user.groups.get().name == "API reader"
    assert bearer(key).get("/api/v1/claims/").status_code == 200


def test_a_token_name_cannot_be_issued_twice(reader):
    issue_token("twice", "api-reader")

    with pytest.raises(CommandError, match="exists already"):
        call_command("issue_token", "twice", "--role", "api-reader", stdout=StringIO())


def test_both_bearer_and_token_schemes_are_accepted(reader):
    _, key = issue_token("schemes", "fact-checker")
    client = bearer(key)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert bearer(key).get("/api/v1/jobs/999/").status_code == 404  # a fact-checker may
    assert client.get("/api/v1/claims/").status_code == 200


def test_an_unknown_key_is_a_401_with_a_bearer_challenge(reader):
    response = bearer("not-a-key").get("/api/v1/claims/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["type"].endswith("authentication-failed")


def test_a_revoked_token_is_refused(reader):
    token, key = issue_token("old-tool", "api-reader")
    revoke_token(token)

    response = bearer(key).get("/api/v1/claims/")

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_last_used_is_recorded_at_most_once_a_minute(reader):
    token, key = issue_token("counter", "api-reader")
    client = bearer(key)

    client.get("/api/v1/claims/")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/claims/")
    same = ApiToken.objects.get(pk=token.pk).last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/claims/")
    later = ApiToken.objects.get(pk=token.pk).last_used_at

    assert first is not None and same == first
    assert later > first - timedelta(minutes=1) and later <= timezone.now()


def test_an_admin_revokes_tokens_from_the_token_list(reader, admin_client):
    token, key = issue_token("to-revoke", "api-reader")

    page = admin_client.get("/admin/claims/apitoken/")
    admin_client.post(
        "/admin/claims/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert page.status_code == 200 and b"to-revoke" in page.content
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert bearer(key).get("/api/v1/claims/").status_code == 401
