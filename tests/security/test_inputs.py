"""Normal refusals and large legitimate inputs (issue 14, point 9)."""

from __future__ import annotations

import logging

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from claims.models import Claim, Job
from tests.brokers import broker
from tests.claims.test_admin_review import change_url, form_data
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

# Words without a single figure: the size is the point, not the claims.
FILLER = "The desk reads every paragraph of the report with care before it decides. "


def _text_of(size: int) -> str:
    return (FILLER * (size // len(FILLER) + 1))[:size].strip()


def test_the_upload_limit_covers_the_documented_paste_size(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= settings.MAX_DOCUMENT_BYTES


def test_a_paste_larger_than_django_s_default_limit_is_accepted(client, editor):
    text = _text_of(3 * 1024 * 1024)  # over Django's 2.5 MB default, under 20 MB
    client.force_login(editor)
    with broker("memory://"):  # queue the extraction; this test is about the request
        response = client.post(
            "/admin/claims/claim/ingest/", {"text": text, "source": "Wire", "title": "Long"}
        )

    assert response.status_code == 302
    job = Job.objects.get(kind="extract_claims")
    assert job.snapshot.size == len(text.encode())


def test_an_api_text_document_over_the_default_limit_is_accepted(editor):
    api = APIClient()
    api.force_authenticate(editor)
    with broker("memory://"):
        response = api.post(
            "/api/v1/documents/",
            {"text": _text_of(3 * 1024 * 1024), "source": "Wire", "title": "Long"},
            format="json",
        )
    assert response.status_code == 202


def test_a_paste_over_the_document_limit_is_refused_with_the_limit(client, editor, settings):
    settings.MAX_DOCUMENT_BYTES = 1000
    client.force_login(editor)

    response = client.post(
        "/admin/claims/claim/ingest/", {"text": _text_of(5000), "source": "Wire", "title": "x"}
    )

    assert response.status_code == 200
    assert "1,000-byte limit" in response.content.decode()
    assert not Job.objects.exists()


def test_an_invalid_field_on_the_claim_page_is_a_form_error(client, editor):
    ingest_text()
    claim = Claim.objects.filter(kind="quantitative").first()
    client.force_login(editor)

    response = client.post(
        change_url(claim), form_data(claim, value="not a number", change_reason="typo")
    )

    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()
    claim.refresh_from_db()
    assert claim.version == 1


def test_capture_refuses_a_private_address_with_a_message_and_no_traceback(caplog):
    with caplog.at_level(logging.INFO), pytest.raises(CommandError) as refused:
        call_command("capture", "http://127.0.0.1:9/report")

    assert "loopback address" in str(refused.value)
    assert not [r for r in caplog.records if r.exc_info]
