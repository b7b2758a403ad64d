"""What a reviewer sees highlighted is what was stored (issue 14, point 6)."""

from __future__ import annotations

import re

import pytest

from claims.models import Claim
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

REPORT = (
    "Officials said \u202e93\u202c children were deported to Moscow Oblast.\n"
    "Rescuers counted 12\u200b00 damaged homes on Tuesday.\n"
)


def _shown_text(page: str) -> str:
    """The page's text as a browser draws it: no tags, no title, no form field content."""
    page = re.sub(r"<(title|textarea|script|style)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"<[^>]*>", "", page)


def test_the_engine_stores_the_numbers_the_text_holds():
    ingest_text(REPORT)
    values = sorted(Claim.objects.filter(kind="quantitative").values_list("value", flat=True))
    assert values == [93, 1200]


@pytest.mark.parametrize("page", ["claim", "snapshot", "claim list"])
def test_admin_pages_spell_out_hidden_characters(client, editor, page):
    report = ingest_text(REPORT)
    claim = Claim.objects.get(value=93)
    client.force_login(editor)
    url = {
        "claim": f"/admin/claims/claim/{claim.pk}/change/",
        "snapshot": f"/admin/sources/snapshot/{report.snapshot.pk}/change/",
        "claim list": "/admin/claims/claim/",
    }[page]

    shown = _shown_text(client.get(url).content.decode())

    assert "\u202e" not in shown and "\u200b" not in shown
    assert "⟨RLO⟩93⟨PDF⟩" in shown or page == "claim list"
    if page != "claim":
        assert "12⟨ZWSP⟩00" in shown
