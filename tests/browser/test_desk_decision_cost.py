"""What one decision costs a fact-checker, counted in a real browser from "My queue"."""

from __future__ import annotations

import pytest

from claims.models import Claim
from claims.workflow import claims_assign
from tests.browser.desk import Cost, sign_in
from tests.factories import ingest_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_decision_from_the_queue_today(browser, live_server, artifacts, editor, checker):
    ingest_text()
    claim = Claim.objects.filter(kind="quantitative").order_by("span_start").first()
    claims_assign(claims=[claim], assignee=checker, actor=editor, reason="yours", origin="admin")
    page = sign_in(browser, live_server, checker)
    page.goto(f"{live_server.url}/admin/claims/claim/?queue=mine")

    cost = Cost(page)
    cost.click(f"#result_list a[href*='/claims/claim/{claim.pk}/change/']")
    page.wait_for_selector("#id_decision")
    cost.choose("#id_decision", "in_review")
    cost.type_into("#id_rationale", "Checking against the second report.")
    cost.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    cost.choose("#id_decision", "verified")
    cost.choose("#id_decision_confidence", "very_likely")
    cost.type_into("#id_rationale", "Two outlets report 48 evacuated.")
    cost.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=artifacts / "desk-0-decision-before.png", full_page=True)

    claim.refresh_from_db()
    assert claim.status == "verified"
    print(
        f"\nDECISION COST: {cost.loads} page loads, {cost.clicks} clicks, "
        f"{len(cost.typed)} typed texts"
    )
    assert (cost.loads, cost.clicks, len(cost.typed)) == (3, 11, 2)
