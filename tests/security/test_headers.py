"""Production headers, cookies and sign-in throttling (issue 14, point 9), tested with the
production security settings (the suite runs over plain HTTP with them off)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from claims.tokens import issue_token
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@pytest.fixture
def production(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(**PRODUCTION):
        yield


def test_admin_pages_carry_the_security_headers(production, editor):
    client = Client()
    client.force_login(editor)

    response = client.get("/admin/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "http" not in response["Content-Security-Policy"]  # no outside host at all


def test_plain_http_is_sent_to_https_but_health_probes_are_not(production):
    assert Client().get("/admin/login/").status_code == 301
    assert Client().get("/readyz").status_code == 200


def test_sign_in_cookies_are_secure_and_http_only(production, editor):
    editor.set_password("a-long-test-password")
    editor.save()
    client = Client(enforce_csrf_checks=False)
    client.get("/admin/login/", secure=True)

    response = client.post(
        "/admin/login/",
        {"username": editor.username, "password": "a-long-test-password"},
        secure=True,
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert client.cookies["csrftoken"]["secure"]


def test_a_token_request_gets_no_session_cookie(production, reader):
    ingest_text()
    _, key = issue_token("dashboard", "api-reader")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    response = api.get("/api/v1/claims/", secure=True)

    assert response.status_code == 200
    assert not response.cookies
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_sign_in_is_throttled_after_repeated_failures(production, editor, settings):
    settings.LOGIN_FAILURES_ALLOWED = 3
    editor.set_password("a-long-test-password")
    editor.save()
    client = Client()

    codes = [
        client.post(
            "/admin/login/", {"username": editor.username, "password": "guess"}, secure=True
        ).status_code
        for _ in range(3)
    ]
    right = client.post(
        "/admin/login/",
        {"username": editor.username, "password": "a-long-test-password"},
        secure=True,
    )

    assert codes == [200, 200, 200]
    assert right.status_code == 429 and int(right["Retry-After"]) > 0
    assert b"Too many failed sign-ins" in right.content


def test_unknown_api_keys_are_throttled_per_address(settings, reader):
    settings.UNKNOWN_KEYS_ALLOWED = 3
    api = APIClient()

    codes = []
    for i in range(5):
        api.credentials(HTTP_AUTHORIZATION=f"Bearer guessed-key-{i}")
        codes.append(api.get("/api/v1/claims/").status_code)

    assert codes == [401, 401, 401, 429, 429]
