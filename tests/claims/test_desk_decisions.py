"""One-step decisions on the claim page and in bulk; save and next in my queue."""

from __future__ import annotations

import pytest

from claims.models import Claim, Review
from claims.workflow import claims_assign
from tests.claims.test_admin_review import change_url, form_data
from tests.factories import edit_claim, ingest_text

pytestmark = pytest.mark.django_db(transaction=True)
CHANGELIST = "/admin/claims/claim/"


@pytest.fixture
def claims() -> list[Claim]:
    ingest_text()
    return list(Claim.objects.filter(kind="quantitative").order_by("span_start"))


def test_one_press_verifies_an_unreviewed_claim_and_logs_the_start(client, claims, checker):
    claim = claims[0]
    client.force_login(checker)

    response = client.post(
        change_url(claim),
        form_data(
            claim,
            decision="verified",
            decision_confidence="very_likely",
            rationale="matches the governor's figure",
        ),
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.confidence) == ("verified", "very_likely")
    moves = list(
        Review.objects.filter(claim=claim)
        .order_by("id")
        .values_list("from_status", "to_status", "reviewer__username")
    )
    assert moves == [
        ("unreviewed", "in_review", "fatima"),
        ("in_review", "verified", "fatima"),
    ]
    start = Review.objects.filter(claim=claim).order_by("id").first()
    assert start.rationale == "review started to mark it verified"  # the rationale once


def test_a_refused_decision_keeps_the_typed_rationale_and_writes_nothing(client, claims, checker):
    claim = claims[0]
    # Fatima changed what the claim says: four-eyes forbids her verifying it.
    claim = edit_claim(claim, checker, reason="fuller subject", subject="evacuated residents")
    client.force_login(checker)

    response = client.post(
        change_url(claim),
        form_data(
            claim,
            decision="verified",
            decision_confidence="likely",
            rationale="my own careful rationale",
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Four-eyes rule" in page
    assert "my own careful rationale" in page  # still in the text box
    claim.refresh_from_db()
    assert claim.status == "unreviewed"
    assert not Review.objects.filter(claim=claim).exists()


def test_a_decision_opens_the_next_claim_of_my_queue(client, claims, checker, editor):
    claims = claims_assign(
        claims=claims, assignee=checker, actor=editor, reason="yours", origin="admin"
    )
    client.force_login(checker)
    first, second = claims[0], claims[1]

    response = client.post(
        change_url(first),
        form_data(
            first,
            decision="unverifiable",
            rationale="no second source exists",
            then_next="on",
        ),
    )
    after_last = client.post(
        change_url(second),
        form_data(second, decision="unverifiable", rationale="same", then_next="on"),
    )

    assert response.status_code == 302 and response.url == change_url(second)
    assert after_last.url == f"{CHANGELIST}?queue=mine"  # the queue is empty now


def test_save_and_next_in_my_queue_after_an_edit(client, claims, checker, editor):
    claims = claims_assign(
        claims=claims, assignee=checker, actor=editor, reason="yours", origin="admin"
    )
    client.force_login(checker)
    first, second = claims[0], claims[1]

    response = client.post(
        change_url(first),
        form_data(first, subject="village residents", change_reason="fuller", _savenext="1"),
    )

    assert response.status_code == 302 and response.url == change_url(second)
    first.refresh_from_db()
    assert first.subject == "village residents"


def test_bulk_dispute_works_from_unreviewed_with_one_rationale(client, claims, checker):
    client.force_login(checker)
    ids = [c.pk for c in claims]

    client.post(
        CHANGELIST,
        {
            "action": "dispute",
            "_selected_action": ids,
            "apply": "1",
            "to_status": "disputed",
            "confidence": "unlikely",
            "rationale": "the regional figure differs",
        },
    )

    assert set(Claim.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"disputed"}
    assert Review.objects.filter(to_status="in_review").count() == len(ids)


def test_a_refused_bulk_decision_keeps_the_text_and_names_each_refused_claim(
    client, claims, checker, editor
):
    mine, other = claims[0], claims[1]
    edit_claim(mine, checker, reason="fixed the unit", unit="person")  # four-eyes applies
    client.force_login(checker)

    response = client.post(
        CHANGELIST,
        {
            "action": "verify",
            "_selected_action": [mine.pk, other.pk],
            "apply": "1",
            "to_status": "verified",
            "confidence": "likely",
            "rationale": "two outlets agree on the figure",
        },
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 claim(s) moved to verified" in page
    assert "1 claim(s) were not moved to verified" in page
    assert f'id="triage-{mine.pk}" class="desk-refused"' in page
    assert "Four-eyes rule" in page
    assert "two outlets agree on the figure" in page  # the textarea keeps it
    assert f'id="triage-{other.pk}"' not in page  # only the refused stay selected
    assert Claim.objects.get(pk=other.pk).status == "verified"
    assert Claim.objects.get(pk=mine.pk).status == "unreviewed"


def test_the_claim_page_shows_the_whole_paragraph_around_the_claim(client, checker):
    before = "An earlier paragraph about something else entirely.\n"
    paragraph = (
        "Officials in the region said the evacuation went on for days. "
        + "Buses left every hour from the central square. " * 8
        + "In all, 48 residents were evacuated from the village in early June 2025. "
        + "Volunteers brought water and food to the collection point. " * 6
    )
    ingest_text(before + paragraph + "\nA later paragraph with 7 other figures.\n")
    claim = Claim.objects.get(quote="48")
    client.force_login(checker)

    page = client.get(change_url(claim)).content.decode()

    assert "Officials in the region said the evacuation went on for days." in page
    assert page.count("Volunteers brought water and food") >= 6
    assert "<mark>48</mark>" in page
    assert "An earlier paragraph" not in page and "A later paragraph" not in page
