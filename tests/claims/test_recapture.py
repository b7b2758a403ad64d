"""A report captured again: claims keep their identity, evidence follows the text."""

from __future__ import annotations

import pytest

from claims.models import Alert, Claim, Evidence
from sources.history import tracked_change
from sources.models import Citation, Document, Snapshot
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = (
    "Officials said 48 residents were evacuated from the village.[1] Rescuers counted "
    "12 damaged homes on Tuesday.[2]\n\nEndnotes\n"
    "[1] https://t.me/regional_admin/4411\n[2] https://www.example.org/report?id=7 ; "
    "https://t.me/regional_admin/4412\n"
)
# A paragraph inserted at the top, the homes figure corrected from 12 to 21.
SECOND = "Update at 18:00.\n\n" + FIRST.replace("12 damaged homes", "21 damaged homes")


def test_claims_are_linked_to_the_citations_of_their_sentence():
    ingest_text(FIRST)

    residents = Claim.objects.get(quote="48")
    homes = Claim.objects.get(quote="12")
    assert [c.url for c in residents.citations.all()] == ["https://t.me/regional_admin/4411"]
    assert sorted(c.url for c in homes.citations.all()) == [
        "https://t.me/regional_admin/4412",
        "https://www.example.org/report?id=7",
    ]
    cited = Document.objects.get(url="https://t.me/regional_admin/4411")
    assert cited.source.name == "t.me" and not cited.snapshots.exists()  # not fetched
    assert Citation.objects.count() == 3
    assert not Claim.objects.filter(span_start__gte=FIRST.index("Endnotes")).exists()


def test_a_recaptured_report_carries_evidence_over_and_flags_a_changed_figure():
    ingest_text(FIRST, title="Evacuations")
    residents = Claim.objects.get(quote="48")

    second = ingest_text(SECOND, title="Evacuations").snapshot

    assert Snapshot.objects.filter(document=second.document).count() == 2
    moved = Evidence.objects.get(claim=residents, snapshot=second)
    assert moved.anchor == "moved"
    # New evidence is a change of the claim: a new version, so tools that sync see it.
    assert Claim.objects.get(pk=residents.pk).version > residents.version
    assert SECOND[moved.start : moved.end] == "48"
    # "12" must not re-anchor to "21": the old claim is flagged, the new figure is a new claim.
    old_homes = Claim.objects.get(quote="12")
    assert not Evidence.objects.filter(claim=old_homes, snapshot=second).exists()
    alert = Alert.objects.get(kind="source_changed", evidence__claim=old_homes)
    assert "“12”" in alert.message
    assert alert.evidence.anchor == "exact"  # the old evidence still holds in its own snapshot
    assert Claim.objects.filter(quote="21", extracted_from=second).exists()
    assert Claim.objects.filter(quote="48").count() == 1
    assert "1 line(s) added" in second.diff_summary or "added" in second.diff_summary


def test_the_claim_page_shows_the_citations_and_the_snapshot_page_the_spans(client, editor):
    ingest_text(FIRST)
    claim = Claim.objects.get(quote="48")
    client.force_login(editor)

    claim_page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    snapshot_page = client.get(
        f"/admin/sources/snapshot/{claim.extracted_from_id}/change/"
    ).content.decode()

    assert "Test Outlet says, citing [1]" in claim_page
    assert "https://t.me/regional_admin/4411" in claim_page and "not captured yet" in claim_page
    assert f'<mark title="claim {claim.pk}">48</mark>' in snapshot_page


def test_the_claim_page_shows_that_its_quote_vanished(client, editor):
    ingest_text(FIRST, title="Evacuations")
    ingest_text(SECOND, title="Evacuations")
    old_homes = Claim.objects.get(quote="12")
    client.force_login(editor)

    page = client.get(f"/admin/claims/claim/{old_homes.pk}/change/").content.decode()

    assert 'class="claim-alert"' in page and "Quote vanished from the live page" in page


def test_a_recapture_keeps_decisions_on_unchanged_quotes_and_reopens_changed_ones():
    first = "Officials said 48 residents left. Rescuers counted 1,200 damaged homes.\n"
    ingest_text(first, title="Homes")
    residents, homes = Claim.objects.get(quote="48"), Claim.objects.get(quote="1,200")
    with tracked_change(origin="admin", reason="checked against the ministry's list"):
        for claim in (residents, homes):
            claim.status = "verified"
            claim.save()

    second = ingest_text("Update.\n\n" + first.replace("1,200", "1.200"), title="Homes").snapshot

    residents.refresh_from_db()
    homes.refresh_from_db()
    assert residents.status == "verified"  # the same quote, moved: the decision stands
    assert Evidence.objects.get(claim=residents, snapshot=second).anchor == "moved"
    bump = residents.history.latest("history_date", "history_id")
    assert (bump.history_type, bump.version, bump.origin) == ("~", residents.version, "task")
    assert "extracted by engine" in bump.history_change_reason
    assert Evidence.objects.get(claim=homes, snapshot=second).exact == "1.200"
    assert homes.status == "in_review"  # what the decision rested on changed
    assert homes.reviews.filter(to_status="in_review", origin="task").exists()
