"""Editors and fact-checkers in a real browser, from ingest to a verified claim."""

from __future__ import annotations

import re

import pytest

from claims.models import Claim, Review
from claims.workflow import claims_assign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SEED = "seeds/isw-russian-occupation-update-2025-03-31.txt"


def sign_in(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


def test_editor_ingests_checker_verifies_stale_session_refused_history_shows_both(
    browser, live_server, artifacts, editor, checker, second_checker, settings
):
    # 1. The editor ingests the seed report from the admin.
    desk = sign_in(browser, live_server, editor)
    desk.goto(f"{live_server.url}/admin/claims/claim/")
    desk.click("text=Ingest a report")
    desk.set_input_files("#id_file", SEED)
    desk.fill("#id_source", "Institute for the Study of War (ISW)")
    desk.fill("#id_title", "Russian Occupation Update, March 31, 2025")
    desk.fill("#id_published", "2025-03-31")
    desk.click("#ingest-form input[type=submit]")
    # The ingest result page follows the extraction, then links the new claims.
    desk.wait_for_selector(".job-progress-outcome a")
    desk.screenshot(path=artifacts / "1-editor-ingested-seed.png", full_page=True)
    desk.click(".job-progress-outcome a")
    desk.wait_for_selector("#result_list")
    claim = Claim.objects.filter(value=39, unit="child").order_by("span_start").first()
    assert claim is not None
    claims_assign(claims=[claim], assignee=checker, actor=editor, reason="yours", origin="admin")

    # 2. A second fact-checker opens the same claim now; their page will go stale.
    stale = sign_in(browser, live_server, second_checker)
    stale.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")

    # 3. The fact-checker opens it from "My queue", starts review, then verifies it.
    page = sign_in(browser, live_server, checker)
    page.goto(f"{live_server.url}/admin/claims/claim/")
    page.click("text=My queue")
    page.click(
        f"#result_list a[href$='/claims/claim/{claim.pk}/change/?_changelist_filters=queue%3Dmine']"
    )
    assert page.locator("mark").first.inner_text() == "39"
    page.click("button.desk-decide[value=in_review]")  # start review alone, then decide
    page.wait_for_selector(".messagelist .error, .errornote")  # a start needs a rationale too
    page.fill("#id_rationale", "Checking against the Donbas media report.")
    page.click("#id_then_next")  # stay on this claim
    page.click("button.desk-decide[value=in_review]")
    page.wait_for_selector(".messagelist .success")
    page.check("#id_decision_confidence_5")  # very likely
    page.fill("#id_rationale", "Two outlets report 39 children; matches the FMBA notice.")
    page.uncheck("#id_then_next")
    page.click("button.desk-decide[value=verified]")
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=artifacts / "2-checker-verified.png", full_page=True)
    claim.refresh_from_db()
    assert (claim.status, claim.confidence) == ("verified", "very_likely")

    # 4. The stale session saves an edit: refused, with what changed meanwhile.
    stale.fill("#id_subject", "children from Luhansk Oblast")
    stale.fill("#id_change_reason", "fuller subject")
    stale.click(".submit-row input[name=_continue]")
    stale.wait_for_selector(".errornote, .errorlist")
    assert re.search(r"changed by someone else", stale.content())
    stale.screenshot(path=artifacts / "3-stale-session-refused.png", full_page=True)
    claim.refresh_from_db()
    assert claim.subject == "Ukrainian children" and claim.status == "verified"

    # 5. The history shows both decisions, with who, from where and why.
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/diff/")
    versions = page.locator("#claim-versions").inner_text()
    assert "Checking against the Donbas media report." in versions
    assert "Two outlets report 39 children" in versions
    assert versions.count("fatima") >= 2 and "admin" in versions
    page.screenshot(path=artifacts / "4-history.png", full_page=True)
    assert Review.objects.filter(claim=claim).count() == 2
