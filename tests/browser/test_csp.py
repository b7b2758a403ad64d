"""The admin works under its Content-Security-Policy, and hidden characters show as markers
(issue 14, points 6 and 9), in a real browser."""

from __future__ import annotations

import pytest

from claims.models import Claim
from tests.browser.test_review_flow import sign_in
from tests.factories import ingest_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = (
    "Officials said \u202e93\u202c children were deported to Moscow Oblast.\n"
    "Rescuers counted 12\u200b00 damaged homes on Tuesday.\n"
)


def test_admin_pages_load_with_no_policy_violation_and_show_hidden_characters(
    browser, live_server, artifacts, editor
):
    report = ingest_text(REPORT)
    claim = Claim.objects.get(value=93)
    evidence = claim.evidence.get()
    page = sign_in(browser, live_server, editor)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    for path in (
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        f"/admin/claims/claim/{claim.pk}/diff/",
        "/admin/claims/claim/ingest/",
        f"/admin/claims/evidence/{evidence.pk}/change/",
        f"/admin/sources/snapshot/{report.snapshot.pk}/change/",
        f"/admin/sources/document/{report.snapshot.document_id}/change/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]

    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    passage = page.locator(".claim-passage blockquote").first.inner_text()
    page.screenshot(path=artifacts / "csp-claim-page-hidden-characters.png", full_page=True)
    assert "⟨RLO⟩93⟨PDF⟩" in passage
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
