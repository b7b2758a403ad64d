"""Signed bundles: a recipient checks, offline, that the export and a claim's PROV and
ClaimReview are what the desk recorded."""

from __future__ import annotations

import json
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from claims.custody.signing import new_private_key_text
from tests.api.conftest import signed_in, verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(report: Any, checker: Any, second_checker: Any) -> Any:
    """The report's claims, two of them verified."""
    from claims.models import Claim

    claims = list(Claim.objects.filter(kind="quantitative").order_by("span_start"))
    for claim in claims:
        verify(claim, second_checker)
    return claims


def download(client: Any, url: str, folder: Path, name: str) -> Path:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    path = folder / name
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return path


def well_known_key(client: Any, folder: Path) -> Path:
    response = client.get("/.well-known/claim-verifier/signing-key.json")
    assert response.status_code == 200
    path = folder / "key.json"
    path.write_text(json.dumps(response.json()))
    return path


def export_verify(bundle: Path, key: Any) -> str:
    out = StringIO()
    call_command("export_verify", str(bundle), "--public-key", str(key), stdout=out)
    return out.getvalue()


def rewrite(bundle: Path, name: str, change: Any) -> None:
    """Change one file of the ZIP, leave the others (manifest and signature included)."""
    with zipfile.ZipFile(bundle) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files[name] = change(files[name])
    with zipfile.ZipFile(bundle, "w") as archive:
        for n, body in files.items():
            archive.writestr(n, body)


def test_a_tool_downloads_the_export_bundle_and_verifies_it_offline(
    published, reader_api, anonymous, tmp_path
):
    bundle = download(reader_api, "/api/v1/export/bundle/", tmp_path, "export.zip")
    key = well_known_key(anonymous, tmp_path)

    said = export_verify(bundle, key)

    assert "export.zip verifies" in said and f"{len(published)} exported claims" in said
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        lines = archive.read("export.jsonl").splitlines()
    assert len(lines) == len(published)
    assert set(manifest["files"]) == {
        "export.jsonl",
        "records.jsonl",
        "snapshots.json",
        "ledger.jsonl",
    }
    assert manifest["ledger"]["first_seq"] >= 1


def test_a_changed_figure_a_changed_manifest_or_another_key_fail_verification(
    published, reader_api, anonymous, tmp_path
):
    key = well_known_key(anonymous, tmp_path)
    altered = download(reader_api, "/api/v1/export/bundle/", tmp_path, "altered.zip")

    def inflate(body: bytes) -> bytes:
        first, *rest = body.splitlines()
        line = json.loads(first)
        line["value"] = 4800.0
        return b"\n".join([json.dumps(line).encode(), *rest]) + b"\n"

    rewrite(altered, "export.jsonl", inflate)
    with pytest.raises(CommandError, match="does NOT verify"):
        export_verify(altered, key)

    resigned = download(reader_api, "/api/v1/export/bundle/", tmp_path, "manifest.zip")
    rewrite(resigned, "manifest.json", lambda b: b.replace(b'"kind": "export"', b'"kind": "claim"'))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("export_verify", str(resigned), "--public-key", str(key), stdout=out)
    assert "signature does not match" in out.getvalue()

    genuine = download(reader_api, "/api/v1/export/bundle/", tmp_path, "genuine.zip")
    _, other_public = new_private_key_text()
    with pytest.raises(CommandError):
        export_verify(genuine, other_public)


def test_a_claim_changed_behind_the_ledger_makes_a_bundle_that_does_not_verify(
    published, reader_api, anonymous, tmp_path
):
    claim = published[0]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET value = 4800 WHERE id = %s", [claim.pk])
    bundle = download(reader_api, "/api/v1/export/bundle/", tmp_path, "export.zip")
    out = StringIO()

    with pytest.raises(CommandError):
        call_command(
            "export_verify",
            str(bundle),
            "--public-key",
            str(well_known_key(anonymous, tmp_path)),
            stdout=out,
        )

    assert f"claim {claim.pk} value is 4800.0, the desk recorded" in out.getvalue()


def test_a_claims_prov_and_claimreview_bundle_verifies(published, checker, anonymous, tmp_path):
    claim = published[0]
    bundle = download(signed_in(checker), f"/api/v1/claims/{claim.pk}/bundle/", tmp_path, "c.zip")

    said = export_verify(bundle, well_known_key(anonymous, tmp_path))

    assert "c.zip verifies" in said
    with zipfile.ZipFile(bundle) as archive:
        review = json.loads(archive.read("claimreview.json"))
        prov = json.loads(archive.read("provenance.json"))
        records = [json.loads(line) for line in archive.read("records.jsonl").splitlines()]
        snapshots = json.loads(archive.read("snapshots.json"))
    assert review["@type"] == "ClaimReview"
    assert "entity" in prov
    kinds = {r["record"] for r in records}
    assert {"claims.historicalclaim", "claims.review", "claims.historicalevidence"} <= kinds
    assert snapshots and all(len(s["sha256"]) == 64 for s in snapshots)


def test_without_a_signing_key_bundles_are_refused_with_how_to_make_one(
    published, reader_api, anonymous, settings
):
    settings.EXPORT_SIGNING_KEY = ""

    response = reader_api.get("/api/v1/export/bundle/")

    assert response.status_code == 503
    assert "manage.py signing_key" in response.json()["detail"]
    assert anonymous.get("/.well-known/claim-verifier/signing-key.json").status_code == 503


def test_a_signing_key_that_is_no_ed25519_key_is_named_at_start_up(settings):
    from claims.custody.checks import check_signing_key

    settings.EXPORT_SIGNING_KEY = "c2hvcnQ="
    errors = check_signing_key()
    assert [e.id for e in errors] == ["custody.E001"]
    assert "5 bytes once decoded, an Ed25519 key has 32" in errors[0].msg


def test_export_verify_says_what_is_wrong_with_its_arguments(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("export_verify", str(tmp_path / "none.zip"), "--public-key", "x")
    bundle = tmp_path / "b.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("x", b"y")
    with pytest.raises(CommandError, match="--public-key: "):
        call_command("export_verify", str(bundle), "--public-key", "not a key")
    _, public = new_private_key_text()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("export_verify", str(bundle), "--public-key", public, stdout=out)
    assert "not a bundle" in out.getvalue()
