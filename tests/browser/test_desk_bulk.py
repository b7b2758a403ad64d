"""Bulk decisions from the list in a real browser: one rationale for all, refusals named."""

from __future__ import annotations

import pytest

from claims.models import Claim
from tests.browser.desk import sign_in
from tests.factories import edit_claim, ingest_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bulk_decision_names_the_refused_claims_and_keeps_the_text(
    browser, live_server, artifacts, checker
):
    ingest_text()
    claims = list(Claim.objects.filter(kind="quantitative").order_by("span_start"))
    edited = edit_claim(claims[0], checker, reason="fixed the unit", unit="person")
    page = sign_in(browser, live_server, checker)
    page.goto(f"{live_server.url}/admin/claims/claim/?status__exact=unreviewed")

    for claim in claims:
        page.check(f"#result_list input.action-select[value='{claim.pk}']")
    page.select_option("select[name=action]", "verify")
    page.click("button[name=index]")
    page.wait_for_selector("#decide-form")
    page.check("#decide-form input[value=likely]")
    page.fill("#id_rationale", "Both figures match the governor's notice.")
    page.click("#decide-form input[type=submit]")
    page.wait_for_selector(".messagelist .error")

    assert "1 claim(s) moved to verified" in page.inner_text(".messagelist")
    refused = page.locator(f"#triage-{edited.pk}")
    assert "Four-eyes rule" in refused.inner_text()
    assert page.input_value("#id_rationale") == "Both figures match the governor's notice."
    page.screenshot(path=artifacts / "desk-11-bulk-refused.png", full_page=False)
    statuses = dict(Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("pk", "status"))
    assert statuses[edited.pk] == "unreviewed"
    assert list(statuses.values()).count("verified") == len(claims) - 1
