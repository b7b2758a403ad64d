from __future__ import annotations

import json

import pytest
from django.utils.html import escape

from claims.models import Claim, Review
from claims.workflow import claims_assign
from tests.factories import edit_claim, ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "/admin/claims/claim/"


@pytest.fixture
def claim() -> Claim:
    ingest_text()
    return Claim.objects.filter(kind="quantitative").order_by("span_start").first()


def change_url(claim: Claim) -> str:
    return f"{CHANGELIST}{claim.pk}/change/"


def form_data(claim: Claim, **overrides: object) -> dict[str, object]:
    """What the claim page posts when the person changes nothing."""
    data: dict[str, object] = {
        "kind": claim.kind,
        "value": "" if claim.value is None else claim.value,
        "lower": "" if claim.lower is None else claim.lower,
        "upper": "" if claim.upper is None else claim.upper,
        "qualifier": claim.qualifier,
        "unit": claim.unit,
        "subject": claim.subject,
        "time_text": claim.time_text,
        "time_start": claim.time_start or "",
        "time_end": claim.time_end or "",
        "attributed_to": claim.attributed_to,
        "assignee": claim.assignee_id or "",
        "seen_version": claim.version,
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
        "evidence-MIN_NUM_FORMS": 0,
        "evidence-MAX_NUM_FORMS": 1000,
    }
    for field in ("places", "actors", "hedges"):
        # List fields carry their initial value in a hidden input, as the browser posts it.
        data[field] = data[f"initial-{field}"] = json.dumps(getattr(claim, field))
    data.update(overrides)
    return data


def test_my_queue_lists_only_my_open_claims(client, claim, checker):
    claims_assign(claims=[claim], assignee=checker, actor=checker, reason="mine", origin="admin")
    client.force_login(checker)

    mine = client.get(CHANGELIST, {"queue": "mine"})
    unassigned = client.get(CHANGELIST, {"queue": "unassigned"})

    assert mine.status_code == 200
    assert list(mine.context["cl"].result_list) == [claim]
    assert claim not in list(unassigned.context["cl"].result_list)


def test_the_claim_page_highlights_the_quote_in_its_passage(client, claim, checker):
    client.force_login(checker)
    page = client.get(change_url(claim)).content.decode()
    assert f"<mark>{claim.quote}</mark>" in page
    assert "Test Outlet" in page


def test_captured_text_is_escaped_on_the_claim_page(client, checker):
    ingest_text('<script>alert("x")</script> Officials counted 12 wounded soldiers.\n')
    claim = Claim.objects.get(quote="12")
    client.force_login(checker)
    page = client.get(change_url(claim)).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_a_fact_checker_verifies_on_the_claim_page(client, claim, checker):
    client.force_login(checker)
    client.post(change_url(claim), form_data(claim, decision="in_review", rationale="start"))
    claim.refresh_from_db()
    response = client.post(
        change_url(claim),
        form_data(
            claim,
            decision="verified",
            decision_confidence="very_likely",
            rationale="matches the regional administration's figure",
        ),
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.confidence) == ("verified", "very_likely")
    review = Review.objects.filter(claim=claim).first()
    assert review.rationale == "matches the regional administration's figure"


def test_a_decision_without_rationale_is_refused_on_the_page(client, claim, checker):
    client.force_login(checker)
    response = client.post(change_url(claim), form_data(claim, decision="in_review"))
    assert response.status_code == 200
    assert "A decision needs a rationale" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "unreviewed"


def test_a_stale_save_is_refused_and_shows_what_changed(client, claim, checker, second_checker):
    stale = form_data(claim, unit="evacuee", change_reason="better unit")
    edit_claim(
        claim, second_checker, reason="subject from the follow-up", subject="elderly residents"
    )
    client.force_login(checker)

    response = client.post(change_url(claim), stale)

    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by someone else" in page and "oleh set subject" in page
    claim.refresh_from_db()
    assert (claim.subject, claim.unit) == ("elderly residents", "resident")


def test_bulk_verification_asks_once_for_rationale_and_confidence(client, checker, editor):
    ingest_text()
    claims = list(Claim.objects.filter(kind="quantitative"))
    ids = [c.pk for c in claims]
    client.force_login(checker)
    client.post(
        CHANGELIST,
        {
            "action": "start_review",
            "_selected_action": ids,
            "apply": "1",
            "to_status": "in_review",
            "rationale": "batch from the morning report",
        },
    )
    page = client.post(CHANGELIST, {"action": "verify", "_selected_action": ids})
    assert "rationale" in page.content.decode().lower()

    client.post(
        CHANGELIST,
        {
            "action": "verify",
            "_selected_action": ids,
            "apply": "1",
            "to_status": "verified",
            "confidence": "likely",
            "rationale": "both figures confirmed by the governor",
        },
    )

    assert set(Claim.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"verified"}
    assert Review.objects.filter(to_status="verified").count() == len(ids)


def test_the_diff_view_compares_two_versions_and_revert_is_a_new_change(
    client, claim, checker, editor
):
    original_unit = claim.unit
    edit_claim(claim, checker, reason="misread", unit="household")
    client.force_login(editor)
    first = claim.history.get(history_type="+")
    second = claim.history.get(history_change_reason="misread")

    diff = client.get(
        f"{CHANGELIST}{claim.pk}/diff/", {"a": first.history_id, "b": second.history_id}
    )
    assert diff.status_code == 200
    assert ("Unit", original_unit, "household") in diff.context["rows"]

    claim.refresh_from_db()
    client.post(
        f"{CHANGELIST}{claim.pk}/revert/{first.history_id}/",
        {"reason": "the first reading was right", "seen_version": claim.version},
    )
    claim.refresh_from_db()
    assert claim.unit == original_unit
    latest = claim.history.first()
    assert latest.history_change_reason.startswith(f"reverted to version {first.version}")
    assert (latest.history_user, latest.origin) == (editor, "admin")


def test_the_claim_page_shows_contradictions_and_the_list_filters_on_them(client, editor):
    from tests.verification.reports import ingest_reports, make_sources

    make_sources()
    ingest_reports()
    rival = Claim.objects.get(quote="45")
    client.force_login(editor)

    page = client.get(change_url(rival)).content.decode()
    contradicted = client.get(CHANGELIST, {"contradicted": "yes"})

    assert '<td class="relation-contradicts">Contradicts</td>' in page
    assert escape(rival.machine_explanation) in page
    assert rival in list(contradicted.context["cl"].result_list)
    assert Claim.objects.get(quote="45").corroborations >= 1


def test_a_long_rationale_is_kept_whole_in_the_history(claim, checker):
    from claims.workflow import claim_transition

    rationale = "Checked against three regional reports and the governor's notice. " * 6
    claim_transition(
        claim=claim, actor=checker, to_status="in_review", rationale=rationale, origin="admin"
    )
    assert claim.history.first().history_change_reason == rationale.strip()


def test_a_filtered_list_counts_only_up_to_the_cap(client, editor, monkeypatch):
    from claims.admin import paginator

    ingest_text()
    assert Claim.objects.filter(status="unreviewed").count() > 1
    monkeypatch.setattr(paginator, "FILTERED_COUNT_CAP", 1)
    client.force_login(editor)

    response = client.get(CHANGELIST, {"status__exact": "unreviewed"})

    # One row past the cap is counted, to know there are more; the list says so.
    assert response.context["cl"].result_count == 2
    assert response.context["cl"].paginator.capped
    assert "more than 1 claims" in response.content.decode()


def test_an_editor_assigns_a_claim_from_its_page(client, claim, editor, checker):
    client.force_login(editor)

    page = client.get(change_url(claim)).content.decode()
    # A list of the desk's people, not an autocomplete that asks the user admin (which no
    # desk role may read, so the widget stayed empty).
    assert '<select name="assignee"' in page
    assert f'<option value="{checker.pk}">{checker.username}</option>' in page

    response = client.post(
        change_url(claim), form_data(claim, assignee=checker.pk, _save="Save", reason="yours")
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.assignee == checker
    assert claim.history.first().history_user == editor
