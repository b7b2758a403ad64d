"""Capture by URL against a real local web server (loopback only, one allowed port)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.capture import url_capture_request
from claims.models import Claim, Evidence, Job
from claims.tasks import periodic_job
from sources.history import tracked_change
from sources.models import Document, Snapshot
from tests.sites import PAGE, Site

pytestmark = pytest.mark.django_db(transaction=True)


def capture(url: str, *args: str) -> str:
    out = StringIO()
    call_command("capture", url, *args, stdout=out)
    return out.getvalue()


def test_capture_fetches_the_page_keeps_its_headers_and_extracts_its_claims(site):
    output = capture(f"{site}/update", "--source", "Regional news")

    assert "succeeded" in output and "(new)" in output
    snapshot = Snapshot.objects.get()
    assert snapshot.capture_method == "fetch" and snapshot.http_status == 200
    assert snapshot.http_headers["Content-Type"].startswith("text/html")
    assert snapshot.final_url == f"{site}/update"
    assert "var x" not in snapshot.text and "Home | World" not in snapshot.text
    assert snapshot.document.source.name == "Regional news"
    quotes = set(Claim.objects.values_list("quote", flat=True))
    assert {"48", "more than 3,000"} <= quotes
    evidence = Evidence.objects.get(claim__quote="48")
    assert snapshot.text[evidence.start : evidence.end] == "48"


def test_capturing_unchanged_bytes_again_stores_nothing_new(site):
    capture(f"{site}/update")
    output = capture(f"{site}/update")
    assert "unchanged, nothing new stored" in output
    assert Snapshot.objects.count() == 1
    assert Job.objects.filter(kind="capture_url", state="succeeded").count() == 2


def test_a_refused_address_fails_the_job_with_the_reason_and_stores_nothing(settings):
    settings.FETCH_ALLOW_LOOPBACK_PORTS = []
    with pytest.raises(CommandError, match="Capture refused"):
        capture("http://127.0.0.1:9/private")
    job = Job.objects.get(kind="capture_url")
    assert job.state == "failed" and "127.0.0.1" in job.last_error
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/loop", "redirect"),
        ("/binary", "ELF executable"),
        ("/endless", "byte limit"),
    ],
    ids=["redirect-loop", "binary", "endless-response"],
)
def test_bad_pages_fail_their_job_with_a_clear_error_and_store_nothing(
    site, settings, path, message
):
    settings.MAX_DOCUMENT_BYTES = 256 * 1024
    with pytest.raises(CommandError, match="Capture refused"):
        capture(f"{site}{path}")
    job = Job.objects.get(kind="capture_url")
    assert job.state == "failed" and message in job.last_error
    assert not Snapshot.objects.exists() and not Claim.objects.exists()


def test_a_url_that_is_not_http_is_refused_before_anything_is_recorded():
    with pytest.raises(CommandError, match="not an http"):
        capture("file:///etc/passwd")
    assert not Job.objects.exists() and not Document.objects.exists()


def test_a_scheduled_refetch_stores_a_changed_page_and_carries_its_evidence(site):
    capture(f"{site}/update")
    document = Document.objects.get()
    with tracked_change(origin="command", reason="re-fetch daily"):
        document.refetch_every_hours = 24
        document.last_fetched_at = timezone.now() - timedelta(days=2)
        document.save()
    Site.page = PAGE.replace("<article>", "<article><p>Updated at 18:00 with new figures.</p>")

    periodic_job(kind="refetch")

    snapshots = list(Snapshot.objects.order_by("captured_at"))
    assert len(snapshots) == 2
    assert "added" in snapshots[1].diff_summary
    carried = Evidence.objects.get(claim__quote="48", snapshot=snapshots[1])
    assert carried.anchor == "moved"
    assert Claim.objects.filter(quote="48").count() == 1


def test_a_capture_request_reuses_the_document_of_a_known_url(site):
    first = url_capture_request(url=f"{site}/update", origin="api")
    second = url_capture_request(url=f"{site}/update", origin="api")
    assert first.payload["document_id"] == second.payload["document_id"]
    assert Document.objects.count() == 1


def test_one_click_on_the_claim_page_captures_a_cited_page(client, editor, site):
    from tests.factories import ingest_text

    ingest_text(f"Officials said 48 residents were evacuated.[1]\n\nEndnotes\n[1] {site}/update\n")
    claim = Claim.objects.get(quote="48", extracted_from__isnull=False, evidence__isnull=False)
    [citation] = claim.citations.all()
    client.force_login(editor)
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    action = f"/admin/claims/claim/{claim.pk}/capture-citation/{citation.pk}/"
    assert f'formaction="{action}"' in page

    response = client.post(action)

    assert response.status_code == 302
    cited = citation.cited_document
    assert cited.snapshots.get().capture_method == "fetch"
    assert Claim.objects.filter(extracted_from__document=cited, quote="48").exists()
