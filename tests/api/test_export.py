"""Bulk export: every verified claim with its provenance fields, streamed."""

from __future__ import annotations

import csv
import io
import json

import pytest

from claims.api import export
from tests.api.conftest import verify

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_jsonl_export_has_one_verified_claim_per_line_with_its_provenance(
    reader_api, claims, report
):
    response = reader_api.get("/api/v1/export/?format=jsonl")

    lines = [json.loads(line) for line in _body(response).splitlines()]
    assert response["Content-Type"] == "application/jsonl"
    assert [line["quote"] for line in lines] == ["48"]
    assert lines[0]["snapshot_sha256"] == report.snapshot.sha256
    assert lines[0]["snapshot_text_sha256"] == report.snapshot.text_sha256
    assert lines[0]["source"] == "Test Outlet"
    assert lines[0]["evidence"][0]["selectors"][0]["exact"] == "48"


def test_csv_export_has_a_header_and_a_row_per_verified_claim(editor_api, claims):
    response = editor_api.get("/api/v1/export/?format=csv")

    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert response["Content-Type"].startswith("text/csv")
    assert [row["quote"] for row in rows] == ["48"]
    assert rows[0]["status"] == "verified" and rows[0]["evidence_count"] == "1"


def test_export_walks_in_batches_and_keeps_every_claim_once(
    editor_api, claims, checker, monkeypatch
):
    verify(claims["more than 3,000"], checker)
    monkeypatch.setattr(export, "BATCH", 1)

    lines = _body(editor_api.get("/api/v1/export/")).splitlines()

    assert sorted(json.loads(line)["id"] for line in lines) == sorted(c.pk for c in claims.values())


def test_an_unknown_export_format_is_a_400(editor_api, claims):
    response = editor_api.get("/api/v1/export/?format=xml")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "format"


def test_csv_export_defuses_cells_a_spreadsheet_would_run_as_formulas(
    editor_api, claims, editor, second_checker
):
    from tests.factories import edit_claim

    claim = claims["more than 3,000"]
    claim = edit_claim(
        claim,
        editor,
        reason="test",
        attributed_to='=HYPERLINK("http://127.0.0.1/x","click")',
        subject="+people",
        places=["@Kharkiv", "-Kyiv"],
    )
    verify(claim, second_checker)

    rows = list(csv.DictReader(io.StringIO(_body(editor_api.get("/api/v1/export/?format=csv")))))

    row = next(r for r in rows if r["id"] == str(claim.pk))
    assert row["attributed_to"] == '\'=HYPERLINK("http://127.0.0.1/x","click")'
    assert row["subject"] == "'+people"
    assert row["places"] == "'@Kharkiv; -Kyiv"
