"""Reviewing a report as a whole, evidence by selection, a figure's story, the dashboard and
saved views: in a real browser at 1366 px, with screenshots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache

from claims.models import Claim, Evidence, Review
from tests.browser.desk import WIDTH, expect_success, select_text, sign_in
from tests.factories import ingest_text
from tests.verification.reports import children_claims, ingest_reports, make_sources

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEED = Path("seeds/isw-russian-occupation-update-2025-03-31.txt")


def ingest_seed():
    return ingest_text(
        SEED.read_text(),
        source="Institute for the Study of War (ISW)",
        title="Russian Occupation Update, March 31, 2025",
        published=date(2025, 3, 31),
    )


def test_a_report_reviewed_as_a_whole(browser, live_server, artifacts, checker):
    document = ingest_seed().snapshot.document
    claims = list(Claim.objects.filter(extracted_from__document=document).order_by("span_start"))
    page = sign_in(browser, live_server, checker)

    page.goto(f"{live_server.url}/admin/claims/claim/document/{document.pk}/review/")

    marks = page.locator("#desk-text mark.desk-span")
    assert marks.count() >= len([c for c in claims if c.kind == "quantitative"])
    assert page.locator("#desk-claims li").count() == len(claims)
    # The text on the page is the captured text, character for character.
    assert page.inner_text("#desk-text").strip() == document.snapshots.get().text.strip()
    target = Claim.objects.filter(extracted_from__document=document, quote="39").first()
    page.click(f'#desk-text mark.desk-span[data-claim="{target.pk}"]')
    assert page.get_attribute(f"#desk-claim-{target.pk}", "class") == "desk-selected"
    assert page.input_value("#desk-decide-claim") == str(target.pk)
    page.screenshot(path=artifacts / "desk-5-document-review.png", full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"the page is {width} px wide"

    # Decide the selected claim from this page: its mark turns green on the way back.
    page.check("#desk-decide-form input[value=very_likely]")
    page.fill("#desk-rationale", "The FMBA notice gives the same number.")
    page.click("#desk-decide-form button.desk-decide[value=verified]")
    expect_success(page)
    target.refresh_from_db()
    assert target.status == "verified"
    assert page.locator(
        f'#desk-text mark.desk-span.status-mark-verified[data-claim="{target.pk}"]'
    ).count()
    assert Review.objects.filter(claim=target).count() == 2


def test_a_fact_checker_attaches_evidence_by_selecting_text(
    browser, live_server, artifacts, editor, checker
):
    make_sources()
    ingest_reports()
    claim = children_claims()["Study Institute"]
    other = children_claims()["Kyiv Daily"].extracted_from.document
    page = sign_in(browser, live_server, checker)
    page.goto(
        f"{live_server.url}/admin/claims/claim/document/{other.pk}/review/?for_claim={claim.pk}"
    )
    text = other.snapshots.get().text
    wanted = "39 children from Rubizhne and Kreminna were sent"
    start = text.index(wanted)

    select_text(page, start, len(wanted))
    page.wait_for_selector("#desk-evidence-form:not([hidden])")
    assert page.inner_text("#desk-evidence-quote") == wanted
    page.select_option("select[name=credibility]", "2")
    page.screenshot(path=artifacts / "desk-6-evidence-by-selection.png", full_page=False)
    page.click("#desk-evidence-save")
    expect_success(page)

    evidence = Evidence.objects.get(claim=claim, snapshot__document=other)
    assert (evidence.start, evidence.end, evidence.exact) == (start, start + len(wanted), wanted)
    assert evidence.added_by == checker and evidence.credibility == 2
    assert text[evidence.start - len(evidence.prefix) : evidence.start] == evidence.prefix


def test_a_figures_story_is_a_chart_with_a_table(browser, live_server, artifacts, checker):
    make_sources()
    ingest_reports()
    claim = children_claims()["Study Institute"]
    page = sign_in(browser, live_server, checker)

    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")

    page.wait_for_selector(".desk-story .desk-chart[data-drawn='1'] canvas")
    rows = page.locator("#desk-story tbody tr")
    assert rows.count() == 3
    table = page.inner_text("#desk-story")
    assert "2025-04-01" in table and "2025-04-03" in table
    assert "45 child" in table and "contradicts this claim" in table
    assert "(this claim)" in table
    page.locator(".desk-story").scroll_into_view_if_needed()
    page.locator(".desk-story").screenshot(path=artifacts / "desk-7-figure-story.png")


def test_the_dashboard_and_saved_views(browser, live_server, artifacts, editor, checker):
    ingest_seed()
    cache.clear()  # the dashboard keeps its counts a minute; count this test's claims
    page = sign_in(browser, live_server, editor)

    page.goto(f"{live_server.url}/")
    assert page.url.endswith("/admin/")
    assert "My queue: 0 open claims" in page.inner_text("#desk-dashboard")
    assert "unassigned" in page.inner_text("#desk-queues")
    assert "Succeeded" in page.inner_text("#desk-ingests")
    assert page.locator("#desk-days tbody tr").count() == 30

    page.goto(f"{live_server.url}/admin/claims/claim/?status__exact=unreviewed&unit=child")
    page.fill("#desk-view-name", "unreviewed children")
    page.click("#desk-save-view button")
    expect_success(page)
    page.goto(f"{live_server.url}/admin/")
    page.click("#desk-saved a:has-text('unreviewed children')")
    assert "unit=child" in page.url and "status__exact=unreviewed" in page.url
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_selector(".desk-chart[data-drawn='1'] canvas")
    page.screenshot(path=artifacts / "desk-8-dashboard.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"the dashboard is {width} px wide"


def test_tag_inputs_and_readable_history(browser, live_server, artifacts, editor, checker):
    make_sources()
    ingest_reports()
    claim = children_claims()["Study Institute"]
    page = sign_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")

    box = page.locator(".field-places .desk-tagbox")
    before = box.locator(".desk-tag").all_inner_texts()
    box.locator("input.desk-tag-input").fill("Luhansk Oblast")
    box.locator("input.desk-tag-input").press("Enter")  # adds the tag, does not submit
    assert box.locator(".desk-tag").count() == len(before) + 1
    box.locator(".desk-tag-remove").first.click()
    page.fill("#id_change_reason", "the place as the report names it")
    page.locator(".field-places").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "desk-9-tag-inputs.png", full_page=False)
    page.click(".submit-row input[name=_continue]")
    expect_success(page)
    claim.refresh_from_db()
    assert claim.places == [*[t.rstrip("×").strip() for t in before][1:], "Luhansk Oblast"]

    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/history/")
    history = page.inner_text("#change-history")
    assert "Luhansk Oblast" in history and '["' not in history
    assert history.count("the place as the report names it") == 1
    page.screenshot(path=artifacts / "desk-10-history-labels.png", full_page=False)


def test_a_long_report_is_reviewed_a_section_at_a_time(
    browser, live_server, artifacts, monkeypatch, checker
):
    from claims.desk import views as desk_views
    from claims.desk.reading import sections

    # The live server runs in this process: sections of 2,000 characters make a short
    # fixture a many-section report.
    monkeypatch.setattr(desk_views, "SECTION_CHARS", 2000)
    seed = SEED.read_text()
    snapshot = ingest_text(
        "\n\n".join([seed] * 6), title="Long update", published=date(2025, 3, 31)
    ).snapshot
    text = snapshot.text
    bounds = sections(text, 2000)
    page = sign_in(browser, live_server, checker)

    page.goto(f"{live_server.url}/admin/claims/claim/document/{snapshot.document_id}/review/")
    assert f"Section 1 of {len(bounds)}" in page.inner_text(".desk-sections")
    assert page.inner_text("#desk-text").strip() == text[: bounds[0][1]].strip()
    page.click(".desk-sections a[rel=next]")
    page.wait_for_url("**section=2")
    lo, hi = bounds[1]
    assert page.inner_text("#desk-text").strip() == text[lo:hi].strip()
    page.screenshot(path=artifacts / "desk-9-long-report-section.png", full_page=False)

    # A selection in section 2 is anchored in the snapshot's characters, not the section's.
    claim = Claim.objects.filter(extracted_from=snapshot).order_by("span_start").first()
    wanted = "39 children"
    start = text.index(wanted, lo)
    assert start < hi
    select_text(page, start - lo, len(wanted))
    page.wait_for_selector("#desk-evidence-form:not([hidden])")
    page.evaluate(
        "id => { document.getElementById('desk-evidence-claim').value = id; }", str(claim.pk)
    )
    page.click("#desk-evidence-save")
    expect_success(page)
    evidence = Evidence.objects.get(claim=claim, start=start)
    assert (evidence.end, evidence.exact) == (start + len(wanted), wanted)
