"""Capturing a document over the API: pasted text or an uploaded file, 202 with the job."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Claim, Job
from sources.models import Snapshot

pytestmark = pytest.mark.django_db

TEXT = "Officials said 120 families were relocated in May 2025."


def test_pasted_text_is_captured_and_answered_with_202_and_the_job(
    editor_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.post(
            "/api/v1/documents/",
            {"text": TEXT, "source": "Ministry", "title": "Relocations", "published": "2025-06-01"},
            format="json",
        )

    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["job"]
    job = editor_api.get(body["job"]).json()
    assert job["state"] == "succeeded"
    snapshot = Snapshot.objects.get(pk=body["snapshot"])
    assert snapshot.capture_method == "paste" and snapshot.text == TEXT
    assert Claim.objects.filter(extracted_from=snapshot, quote="120").exists()
    assert snapshot.document.history.latest("history_id").origin == "api"


def test_an_uploaded_file_is_captured(editor_api):
    upload = SimpleUploadedFile("report.txt", TEXT.encode(), content_type="text/plain")

    response = editor_api.post(
        "/api/v1/documents/", {"file": upload, "source": "Ministry"}, format="multipart"
    )

    assert response.status_code == 202
    assert Snapshot.objects.get(pk=response.json()["snapshot"]).capture_method == "upload"
    assert Job.objects.get(pk=response.json()["job_id"]).origin == "api"


def test_an_upload_with_an_empty_date_is_refused_not_dated_by_default(editor_api):
    upload = SimpleUploadedFile("report.txt", TEXT.encode(), content_type="text/plain")

    response = editor_api.post(
        "/api/v1/documents/",
        {"file": upload, "source": "Ministry", "published": ""},
        format="multipart",
    )

    # The schema says a given date is a date; a form's empty field is not one.
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["published"]
    assert not Snapshot.objects.exists()


def test_the_same_text_twice_creates_nothing_new(editor_api):
    body = {"text": TEXT, "source": "Ministry", "title": "Relocations"}
    editor_api.post("/api/v1/documents/", body, format="json")

    again = editor_api.post("/api/v1/documents/", body, format="json")

    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["job"] is None
    assert Snapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_url_is_fetched_by_a_capture_job_answered_with_202(editor_api, site):
    response = editor_api.post(
        "/api/v1/documents/", {"url": f"{site}/update", "source": "Regional news"}, format="json"
    )

    assert response.status_code == 202
    body = response.json()
    assert body["snapshot"] is None and response["Location"] == body["job"]
    job = editor_api.get(body["job"]).json()
    assert job["state"] == "succeeded", job
    snapshot = Snapshot.objects.get(document_id=body["document"])
    assert snapshot.capture_method == "fetch" and snapshot.http_status == 200
    assert Claim.objects.filter(extracted_from=snapshot, quote="48").exists()


@pytest.mark.django_db(transaction=True)
def test_a_private_url_is_accepted_then_refused_by_its_job_with_the_reason(editor_api):
    response = editor_api.post(
        "/api/v1/documents/",
        {"url": "http://169.254.169.254/latest/meta-data/", "source": "X"},
        format="json",
    )

    assert response.status_code == 202
    job = editor_api.get(response.json()["job"]).json()
    assert job["state"] == "failed" and "169.254.169.254" in job["last_error"]
    assert not Snapshot.objects.exists()


def test_a_url_that_is_not_http_is_a_400(editor_api):
    response = editor_api.post(
        "/api/v1/documents/", {"url": "ftp://example.org/r", "source": "X"}, format="json"
    )
    assert response.status_code == 400


def test_a_file_over_the_document_limit_is_a_413(editor_api, settings):
    settings.MAX_DOCUMENT_BYTES = 100
    upload = SimpleUploadedFile("big.txt", b"x" * 500, content_type="text/plain")

    response = editor_api.post(
        "/api/v1/documents/", {"file": upload, "source": "Ministry"}, format="multipart"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert Snapshot.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"source": "Ministry"},
        {"text": TEXT, "url": "https://example.org/", "source": "Ministry"},
        {"text": TEXT},
    ],
)
def test_a_capture_request_without_exactly_one_input_and_a_source_is_a_400(editor_api, body):
    response = editor_api.post("/api/v1/documents/", body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]


def test_binary_bytes_are_refused_with_the_reason(editor_api):
    upload = SimpleUploadedFile("x.bin", bytes(range(256)) * 4)

    response = editor_api.post(
        "/api/v1/documents/", {"file": upload, "source": "Ministry"}, format="multipart"
    )

    assert response.status_code == 400
    assert "binary" in response.json()["errors"][0]["detail"]


def test_a_form_encoded_body_is_a_415(editor_api):
    response = editor_api.post(
        "/api/v1/documents/",
        "text=hello&source=x",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 415
