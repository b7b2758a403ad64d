"""The job progress bar refreshes by itself while the job runs, then links the claims."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import Job
from tests.brokers import broker
from tests.browser.test_review_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ingest_result_page_follows_the_job_to_its_end_without_a_reload(
    browser, live_server, artifacts, editor
):
    from tests.factories import ingest_text

    # No worker here: the job stays queued, and the test moves it along as a worker would.
    with broker("redis://127.0.0.1:9/0"):
        job = ingest_text().job
    page = sign_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/claims/job/{job.pk}/ingested/")
    assert page.locator(".job-progress-percent").inner_text() == "0 %"
    loads = []
    page.on("load", lambda _: loads.append(1))

    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state="running",
        started_at=now,
        progress=0.4,
        claims_so_far=1200,
        estimated_end_at=now + timezone.timedelta(seconds=30),
    )
    # A locator assertion, not wait_for_function: the admin's CSP forbids evaluating strings.
    expect(page.locator(".job-progress-percent")).to_have_text("40 %", timeout=15_000)
    assert page.locator(".job-progress-claims").inner_text() == "1,200"
    assert page.locator(".job-progress-end").inner_text() != "unknown"
    page.screenshot(path=artifacts / "job-progress-running.png", full_page=True)

    Job.objects.filter(pk=job.pk).update(state="succeeded", progress=1.0, claims_so_far=2)
    page.wait_for_selector(".job-progress-outcome a")
    assert page.locator(".job-progress-outcome a").inner_text() == "See the 2 claims"
    assert loads == [], "the page must refresh the bar without reloading"
    page.screenshot(path=artifacts / "job-progress-done.png", full_page=True)
    page.click(".job-progress-outcome a")
    page.wait_for_url(f"**/admin/claims/claim/?document={job.snapshot.document_id}")


def test_the_job_and_document_pages_show_the_bar(browser, live_server, editor):
    from tests.factories import ingest_text

    job = ingest_text().job
    page = sign_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/claims/job/{job.pk}/change/")
    page.wait_for_selector(".job-progress-outcome a")
    page.goto(f"{live_server.url}/admin/sources/document/{job.snapshot.document_id}/change/")
    page.wait_for_selector(".job-progress-outcome a")
    assert page.locator(".job-progress-percent").first.inner_text() == "100 %"
