"""What one decision costs a fact-checker, counted in a real browser from "My queue".

Before the desk (3 page loads, 11 clicks, 2 typed rationales; kept in the README): open the
claim, choose "in review", type a rationale, save; choose "verified" and a band, type a
second rationale, save. Now: one page load per decision and at most 4 actions with the mouse,
or a few keys plus the rationale.
"""

from __future__ import annotations

import pytest

from claims.models import Claim, Review
from claims.workflow import claims_assign
from tests.browser.desk import Cost, sign_in
from tests.factories import ingest_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THREE_FIGURES = (
    "Local authorities reported on June 3 that 48 residents were evacuated from the village "
    "in early June 2025. Officials have moved more than 3,000 people since 2023. A strike on "
    "Kharkiv wounded 52 civilians on June 2.\n"
)


def queue_of_three(editor, checker) -> list[Claim]:
    ingest_text(THREE_FIGURES)
    claims = list(Claim.objects.filter(kind="quantitative").order_by("span_start"))
    assert len(claims) == 3
    claims_assign(claims=claims, assignee=checker, actor=editor, reason="yours", origin="admin")
    return claims


def test_a_decision_with_the_mouse_is_one_page_load_and_four_clicks(
    browser, live_server, artifacts, editor, checker
):
    queue_of_three(editor, checker)
    page = sign_in(browser, live_server, checker)
    page.goto(f"{live_server.url}/admin/claims/claim/?queue=mine")
    first_row = page.locator("#result_list tbody tr").first.locator("th a, td a").first
    first_id = int(first_row.get_attribute("href").split("/")[-3])

    cost = Cost(page)
    cost.click(f"#result_list a[href*='/claims/claim/{first_id}/change/']")
    page.wait_for_selector("button.desk-decide")
    page.screenshot(path=artifacts / "desk-2-claim-page-decision.png", full_page=False)
    cost.click("label:has-text('Very likely (80-95 %)')")
    cost.type_into("#id_rationale", "Two outlets report the figure; matches the notice.")
    cost.click("button.desk-decide[value=verified]")
    page.wait_for_selector(".messagelist .success")
    cost.settle()
    first = cost.snapshot()

    # The save opened the next claim of the queue: the next decision needs no list at all.
    cost.click("label:has-text('Likely (55-80 %)')")
    cost.type_into("#id_rationale", "The regional figure is close.")
    cost.click("button.desk-decide[value=disputed]")
    page.wait_for_selector(".messagelist .success")
    cost.settle()
    second = cost.since(first)

    assert Claim.objects.get(pk=first_id).status == "verified"
    assert Claim.objects.filter(status="disputed").count() == 1
    assert Review.objects.filter(to_status="in_review").count() == 2  # start implied, logged
    print(f"\nMOUSE, first from the queue: {first}; next: {second}")
    # Open the claim (1 load), band, rationale, Verify (the load after it is the next claim's).
    assert (first.loads, first.clicks, first.texts) == (2, 4, 1)
    assert (second.loads, second.clicks, second.texts) == (1, 3, 1)


def test_a_decision_with_the_keyboard_and_the_shortcut_list(
    browser, live_server, artifacts, editor, checker
):
    claims = queue_of_three(editor, checker)
    page = sign_in(browser, live_server, checker)
    page.goto(f"{live_server.url}/admin/claims/claim/?queue=mine")
    page.wait_for_load_state("load")

    page.keyboard.press("?")
    page.wait_for_selector("#desk-shortcuts")
    page.screenshot(path=artifacts / "desk-3-shortcuts.png", full_page=False)
    assert "Ctrl+Enter" in page.inner_text("#desk-shortcuts")
    page.keyboard.press("Escape")
    assert page.locator("#desk-shortcuts").count() == 0

    cost = Cost(page)
    cost.press("j")
    cost.press("j")
    cost.press("k")  # back to the first row
    assert page.locator("#result_list tbody tr").first.get_attribute("class").count("desk-current")
    cost.press("Enter")
    page.wait_for_selector("button.desk-decide")
    opened = int(page.url.split("/")[-3])
    cost.press("v")  # Verify: needs a band, so the bands have the focus
    cost.press("6")  # very likely; the rationale has the focus now
    cost.type_here("Confirmed by the regional administration.")
    cost.press("Control+Enter")
    page.wait_for_selector(".messagelist .success")
    cost.settle()
    first = cost.snapshot()

    cost.press("u")  # Unverifiable needs no band
    cost.type_here("No second source exists.")
    cost.press("Control+Enter")
    page.wait_for_selector(".messagelist .success")
    cost.settle()
    second = cost.since(first)
    page.screenshot(path=artifacts / "desk-4-after-keyboard-decisions.png", full_page=False)

    decided = Claim.objects.get(pk=opened)
    assert (decided.status, decided.confidence) == ("verified", "very_likely")
    assert Claim.objects.filter(pk__in=[c.pk for c in claims], status="unverifiable").count() == 1
    print(f"\nKEYBOARD, first from the queue: {first}; next: {second}")
    assert (first.loads, first.keystrokes, first.clicks) == (2, 7, 0)
    assert (second.loads, second.keystrokes, second.clicks) == (1, 2, 0)


def test_j_and_k_walk_the_queue_on_the_claim_page(browser, live_server, editor, checker):
    queue_of_three(editor, checker)
    page = sign_in(browser, live_server, checker)
    page.goto(f"{live_server.url}/admin/claims/claim/?queue=mine")
    ids = [
        int(a.get_attribute("href").split("/")[-3])
        for a in page.locator("#result_list tbody tr th a").all()
    ]
    page.goto(f"{live_server.url}/admin/claims/claim/{ids[0]}/change/")

    page.keyboard.press("j")
    page.wait_for_url(f"**/claims/claim/{ids[1]}/change/")
    assert "Claim 2 of 3 in your queue" in page.inner_text("#desk-queue")
    page.keyboard.press("k")
    page.wait_for_url(f"**/claims/claim/{ids[0]}/change/")
    # In a text field the letters are text, not shortcuts.
    page.click("#id_rationale")
    page.keyboard.type("jk")
    assert page.input_value("#id_rationale") == "jk"
    assert f"/claims/claim/{ids[0]}/change/" in page.url
