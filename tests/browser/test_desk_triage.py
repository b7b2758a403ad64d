"""Triage from the list in a real browser at 1366 px: the rows carry what a reviewer needs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from claims.models import Claim
from claims.workflow import claims_assign
from tests.browser.desk import WIDTH, sign_in
from tests.factories import ingest_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEED = Path("seeds/isw-russian-occupation-update-2025-03-31.txt")


def test_the_queue_reads_as_triage_rows_at_1366_px(
    browser, live_server, artifacts, editor, checker
):
    ingest_text(
        SEED.read_text(),
        source="Institute for the Study of War (ISW)",
        title="Russian Occupation Update, March 31, 2025",
        published=date(2025, 3, 31),
    )
    mine = list(Claim.objects.filter(kind="quantitative").order_by("span_start"))
    claims_assign(claims=mine, assignee=checker, actor=editor, reason="yours", origin="admin")
    page = sign_in(browser, live_server, checker)

    page.goto(f"{live_server.url}/admin/claims/claim/?queue=mine")

    first = page.locator("#result_list tbody tr").first
    assert first.locator("mark").count() == 1
    assert first.locator(".desk-status").inner_text() == "Unreviewed"
    assert "Ukrainian children" in first.locator("td.field-figure_column").inner_text()
    assert "ISW" in first.locator("td.field-document_column").inner_text()
    # Nothing runs off the right edge of a laptop screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"the list is {width} px wide"
    assert page.locator(".desk-count").inner_text() == f"{len(mine)} claims"
    page.screenshot(path=artifacts / "desk-1-my-queue-1366.png", full_page=False)
