"""The desk's pages without a browser: evidence anchors, the dashboard, saved views, the
document page's text, the address people are given."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.cache import cache

from claims.desk.reading import Span, marked_text
from claims.models import Claim, Evidence, Review
from tests.verification.reports import children_claims, ingest_reports, make_sources

pytestmark = pytest.mark.django_db(transaction=True)
CHANGELIST = "/admin/claims/claim/"


@pytest.fixture
def reports() -> dict[str, Claim]:
    make_sources()
    ingest_reports()
    return children_claims()


def selection(claim: Claim, snapshot, start: int, end: int, exact: str) -> dict[str, object]:
    return {
        "claim": claim.pk,
        "snapshot": snapshot.pk,
        "start": start,
        "end": end,
        "exact": exact,
        "stance": "supports",
        "credibility": 2,
        "note": "",
        "back": f"/admin/claims/claim/{claim.pk}/change/",
    }


def test_a_selection_whose_offsets_do_not_match_the_snapshot_is_refused(client, reports, checker):
    claim = reports["Study Institute"]
    snapshot = reports["Kyiv Daily"].extracted_from
    start = snapshot.text.index("39 children")
    before = Evidence.objects.count()
    client.force_login(checker)

    response = client.post(
        f"{CHANGELIST}evidence-from-selection/",
        selection(claim, snapshot, start + 1, start + 12, "39 children"),
        follow=True,
    )

    page = response.content.decode()
    assert "does not match snapshot" in page and "select the text again" in page
    assert Evidence.objects.count() == before
    ok = client.post(
        f"{CHANGELIST}evidence-from-selection/",
        selection(claim, snapshot, start, start + 11, "39 children"),
    )
    assert ok.status_code == 302
    assert Evidence.objects.filter(claim=claim, snapshot=snapshot, exact="39 children").exists()
    assert claim.history.first().history_change_reason.startswith("evidence added")


def test_an_api_reader_may_not_attach_evidence(client, reports, reader):
    claim = reports["Study Institute"]
    snapshot = claim.extracted_from
    client.force_login(reader)

    client.post(
        f"{CHANGELIST}evidence-from-selection/",
        selection(claim, snapshot, 0, 5, snapshot.text[:5]),
    )

    assert not Evidence.objects.filter(claim=claim, snapshot=snapshot, start=0).exists()


def test_the_evidence_form_refuses_a_quote_that_is_not_at_its_offsets(client, reports, editor):
    claim = reports["Study Institute"]
    snapshot = claim.extracted_from
    client.force_login(editor)

    response = client.post(
        "/admin/claims/evidence/add/",
        {
            "claim": claim.pk,
            "snapshot": snapshot.pk,
            "stance": "supports",
            "exact": "93 children",
            "prefix": "",
            "suffix": "",
            "start": snapshot.text.index("39"),
            "end": snapshot.text.index("39") + 11,
            "credibility": 6,
            "anchor": "exact",
            "note": "",
            "change_reason": "forged",
        },
    )

    assert response.status_code == 200
    assert "The quote does not match snapshot" in response.content.decode()
    assert not Evidence.objects.filter(exact="93 children").exists()


def test_the_root_address_leads_to_the_desk(client, editor):
    assert client.get("/").url == "/admin/"
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert "Review desk" in page and 'id="desk-queues"' in page


def test_the_browsers_favicon_request_finds_the_desks_icon(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")

    assert response.status_code == 302 and response.url.endswith(".svg")
    assert finders.find("claims/favicon.svg")


def test_the_dashboard_counts_queues_decisions_and_ingests(client, reports, editor, checker):
    from claims.desk.services import claim_decide
    from claims.workflow import claims_assign

    mine = reports["Study Institute"]
    claims_assign(claims=[mine], assignee=checker, actor=editor, reason="yours", origin="admin")
    claim_decide(
        claim=reports["Kyiv Daily"],
        actor=checker,
        to_status="verified",
        confidence="likely",
        rationale="ombudsman's notice",
        origin="admin",
    )
    client.force_login(checker)
    cache.clear()  # the counts are kept a minute; this test counts afresh

    response = client.get("/admin/")

    page = response.content.decode()
    assert "My queue: 1 open claim<" in page
    assert "Decisions, last 30 days: 1" in page
    assert page.count("job-succeeded") >= 3  # the three ingests
    queues = {
        row.person: (row.unreviewed, row.in_review) for row in response.context["dash"]["queues"]
    }
    assert queues["fatima"] == (1, 0)
    assert Review.objects.filter(to_status="verified").count() == 1


def test_a_saved_view_is_kept_per_person_and_replaced_by_name(client, editor, checker):
    client.force_login(editor)
    client.post(
        f"{CHANGELIST}saved-filters/", {"name": "my disputed", "query": "status__exact=disputed"}
    )
    client.post(
        f"{CHANGELIST}saved-filters/",
        {"name": "my disputed", "query": "?status__exact=disputed&queue=mine"},
    )

    listing = client.get(CHANGELIST, {"status__exact": "disputed"}).content.decode()
    client.force_login(checker)
    theirs = client.get(CHANGELIST).content.decode()

    assert editor.saved_filters.get().query == "status__exact=disputed&queue=mine"
    assert 'href="?status__exact=disputed&amp;queue=mine">my disputed</a>' in listing
    assert "my disputed" not in theirs


def test_the_document_page_text_is_the_snapshot_text_exactly():
    text = "Line one\r\nhas 39 <b>children</b> & more\n\nLast 7 lines"
    spans = [Span(1, text.index("39"), text.index("39") + 2, "verified", False)]

    html = marked_text(text, spans)

    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(str(html))
    assert "".join(parser.parts) == text
    assert '<mark class="desk-span status-mark-verified" data-claim="1"' in html
    assert "<b>" not in html


def test_a_decision_from_the_document_page_keeps_the_text_when_refused(client, reports, checker):
    from tests.factories import edit_claim

    claim = edit_claim(reports["Kyiv Daily"], checker, reason="unit", unit="children")
    document = claim.extracted_from.document
    back = f"/admin/claims/claim/document/{document.pk}/review/"
    client.force_login(checker)

    response = client.post(
        f"{CHANGELIST}decide/",
        {
            "claim": claim.pk,
            "decision": "verified",
            "decision_confidence": "likely",
            "rationale": "what I typed",
            "back": back,
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Four-eyes rule" in page
    assert ">what I typed</textarea>" in page
    claim.refresh_from_db()
    assert claim.status == "unreviewed"


def test_history_and_compare_show_labels_and_the_rationale_once(client, reports, checker):
    from claims.desk.services import claim_decide

    claim = reports["Kyiv Daily"]
    claim_decide(
        claim=claim,
        actor=checker,
        to_status="verified",
        confidence="very_likely",
        rationale="the ombudsman's own notice",
        origin="admin",
    )
    client.force_login(checker)
    versions = list(claim.history.order_by("history_id"))

    history = client.get(f"{CHANGELIST}{claim.pk}/history/").content.decode()
    compare = client.get(
        f"{CHANGELIST}{claim.pk}/diff/",
        {"a": versions[0].history_id, "b": versions[-1].history_id},
    )

    assert "Very likely (80-95 %)" in history and "very_likely" not in history
    assert history.count("the ombudsman&#x27;s own notice") == 1
    rows = compare.context["rows"]
    assert ("Confidence", "—", "Very likely (80-95 %)") in rows
    assert ("Status", "Unreviewed", "Verified") in rows


def test_places_actors_and_hedges_are_edited_as_tags(client, reports, editor):
    from tests.claims.test_admin_review import form_data

    claim = reports["Study Institute"]
    client.force_login(editor)
    page = client.get(f"{CHANGELIST}{claim.pk}/change/").content.decode()
    data = form_data(claim, change_reason="added a place")
    data["places"] = "Rubizhne\nKreminna\nMoscow Oblast\n"

    client.post(f"{CHANGELIST}{claim.pk}/change/", data)

    assert 'class="desk-tags"' in page and '["' not in page.split('name="places"')[1][:200]
    claim.refresh_from_db()
    assert claim.places == ["Rubizhne", "Kreminna", "Moscow Oblast"]


def test_evidence_from_a_url_is_captured_first_then_selected(client, reports, editor, site):
    claim = reports["Study Institute"]
    client.force_login(editor)

    response = client.post(
        f"{CHANGELIST}{claim.pk}/evidence-from-url/", {"evidence_url": f"{site}/update"}
    )

    assert response.status_code == 302 and f"?for_claim={claim.pk}" in response.url
    page = client.get(response.url).content.decode()
    assert 'id="desk-text"' in page and f'data-claim="{claim.pk}">Select words' in page
    document_id = int(response.url.split("/document/")[1].split("/")[0])
    from sources.models import Snapshot

    snapshot = Snapshot.objects.get(document_id=document_id)
    words = snapshot.text.split()[0]
    start = snapshot.text.index(words)
    client.post(
        f"{CHANGELIST}evidence-from-selection/",
        selection(claim, snapshot, start, start + len(words), words),
    )
    assert Evidence.objects.filter(claim=claim, snapshot=snapshot, exact=words).exists()


def test_a_url_that_cannot_be_captured_says_why(client, reports, editor):
    claim = reports["Study Institute"]
    client.force_login(editor)

    response = client.post(
        f"{CHANGELIST}{claim.pk}/evidence-from-url/",
        {"evidence_url": "http://169.254.169.254/latest/meta-data/"},
        follow=True,
    )

    page = response.content.decode()
    assert "Capture of http://169.254.169.254/latest/meta-data/ failed" in page


def test_a_fact_checker_is_told_that_capturing_a_new_page_is_an_editors_step(
    client, reports, checker, site
):
    # The role table gives ingest (upload, paste, URL) to editors: a capture records a
    # document and its source and extracts its claims, more than attaching evidence.
    claim = reports["Study Institute"]
    client.force_login(checker)
    from claims.models import Job
    from sources.models import Document

    before = (Document.objects.count(), Job.objects.count())
    page = client.get(f"{CHANGELIST}{claim.pk}/change/").content.decode()

    response = client.post(
        f"{CHANGELIST}{claim.pk}/evidence-from-url/", {"evidence_url": f"{site}/update"}
    )

    assert response.status_code == 403
    assert "Ask an editor to capture it" in response.content.decode()
    assert (Document.objects.count(), Job.objects.count()) == before
    assert 'name="evidence_url"' not in page and "Ask an editor to capture it" in page


def test_a_long_capture_is_cut_into_sections_that_cover_it_exactly():
    from claims.desk.reading import sections

    paragraphs = [f"Paragraph {i}: {i * 7} children were moved on day {i}." for i in range(400)]
    text = "\n\n".join(paragraphs)

    bounds = sections(text, 1000)

    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(bounds))  # contiguous: nothing lost or doubled
    assert all(0 < end - start <= 1000 for start, end in bounds)
    # Each cut falls after a paragraph break, so no sentence is split between two sections.
    assert all(text[end - 2 : end] == "\n\n" for _, end in bounds[:-1])
    # A text with no breaks at all is still cut, at the size.
    assert sections("9" * 2500, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]
    assert sections("", 1000) == []


def test_a_section_is_marked_with_the_snapshots_offsets():
    text = "Intro line.\n\nThen 39 children and 12 adults left."
    base = text.index("Then")
    section = text[base:]
    spans = [
        Span(1, text.index("39"), text.index("39") + 2, "unreviewed", False),
        Span(2, 0, 5, "unreviewed", False),  # in the section before: not marked here
    ]

    html = marked_text(section, spans, base=base)

    assert f'data-claim="1" data-start="{text.index("39")}">39</mark>' in html
    assert 'data-claim="2"' not in html
    assert html.startswith("Then ")


@pytest.fixture
def long_report(monkeypatch):
    """A report of a dozen pages of claims, read in sections of 2,000 characters."""
    from datetime import date
    from pathlib import Path

    from claims.desk import views as desk_views
    from tests.factories import ingest_text

    monkeypatch.setattr(desk_views, "SECTION_CHARS", 2000)
    seed = Path("seeds/isw-russian-occupation-update-2025-03-31.txt").read_text()
    result = ingest_text("\n\n".join([seed] * 6), title="Long update", published=date(2025, 3, 31))
    return result.snapshot


def _claims_on_page(page: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r'<li id="desk-claim-(\d+)"', page)}


def test_a_long_document_page_shows_one_section_and_its_claims(client, long_report, checker):
    snapshot = long_report
    url = f"/admin/claims/claim/document/{snapshot.document_id}/review/"
    client.force_login(checker)
    evidence = list(Evidence.objects.filter(snapshot=snapshot).order_by("start"))
    from claims.desk.reading import section_of, sections

    bounds = sections(snapshot.text, 2000)
    assert len(bounds) >= 6

    first = client.get(url).content.decode()
    assert f"Section 1 of {len(bounds)}" in first
    hi = bounds[0][1]
    assert _claims_on_page(first) == {e.claim_id for e in evidence if e.start < hi}
    assert 'rel="next"' in first and 'rel="prev"' not in first

    # A claim far into the report opens the section that holds it, with it selected.
    late = evidence[-1]
    index = section_of(bounds, late.start)
    page = client.get(url, {"claim": late.claim_id}).content.decode()
    assert f"Section {index + 1} of {len(bounds)}" in page
    assert f'data-offset="{bounds[index][0]}"' in page
    assert f'id="desk-claim-{late.claim_id}" data-claim' in page
    assert 'class="desk-selected"' in page.split(f'id="desk-claim-{late.claim_id}"')[1][:200]


def test_the_document_page_opens_where_the_open_claims_are(client, long_report, checker):
    from claims.desk.reading import section_of, sections

    snapshot = long_report
    url = f"/admin/claims/claim/document/{snapshot.document_id}/review/"
    bounds = sections(snapshot.text, 2000)
    evidence = list(Evidence.objects.filter(snapshot=snapshot).order_by("start"))
    # Everything in the first two sections has been decided already.
    done = [e.claim_id for e in evidence if e.start < bounds[1][1]]
    Claim.objects.filter(pk__in=done).update(status="verified")
    client.force_login(checker)

    page = client.get(url).content.decode()
    first_open = next(e for e in evidence if e.claim_id not in done)
    assert f"Section {section_of(bounds, first_open.start) + 1} of" in page

    # On a section with nothing left to decide, the page points to the next one that has.
    page = client.get(url, {"section": 1}).content.decode()
    assert f'section={section_of(bounds, first_open.start) + 1}" class="desk-next-open"' in page
