"""A document's captures as a signed WACZ, valid by the wacz package's own validator."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient
from wacz.main import main as wacz_main

from claims.custody.signing import public_key_document
from sources.models import Document, Snapshot
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


def wacz_validate(path: Path) -> tuple[int, str]:
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        code = wacz_main(["validate", "-f", str(path)])
    return code, said.getvalue()


def public_key() -> str:
    return public_key_document()["public_key"]


@pytest.fixture
def fetched(site) -> Document:
    """A page captured by URL (response record with its HTTP headers) and an upload."""
    call_command("capture", f"{site}/update", "--source", "Regional news", stdout=StringIO())
    document = Document.objects.get()
    return document


def test_a_documents_captures_make_a_wacz_the_validator_accepts_and_the_key_verifies(
    fetched, tmp_path
):
    out = tmp_path / "update.wacz"
    call_command("export_wacz", str(fetched.pk), str(out), stdout=StringIO())

    code, said = wacz_validate(out)
    assert code == 0, said
    assert "Validation succeeded" in said
    with zipfile.ZipFile(out) as package:
        names = set(package.namelist())
        package_json = json.loads(package.read("datapackage.json"))
        pages = package.read("pages/pages.jsonl").decode().splitlines()
        index = gzip.decompress(package.read("indexes/index.cdx.gz")).decode()
        digest = json.loads(package.read("datapackage-digest.json"))
    snapshot = Snapshot.objects.get()
    assert {f"archive/document-{fetched.pk}.warc.gz", "indexes/index.cdx.gz"} <= names
    assert all(r["hash"].startswith("sha256:") for r in package_json["resources"])
    assert json.loads(pages[1])["url"] == snapshot.final_url
    assert snapshot.final_url.split("//", 1)[1].split("/", 1)[0].split(":")[0] in index
    assert digest["signature"]["algorithm"] == "Ed25519"

    verified = StringIO()
    call_command("export_verify", str(out), "--public-key", public_key(), stdout=verified)
    assert "update.wacz verifies" in verified.getvalue()


def test_a_changed_warc_fails_the_validator_and_the_signature_check(fetched, tmp_path):
    out = tmp_path / "doc.wacz"
    call_command("export_wacz", str(fetched.pk), str(out), stdout=StringIO())
    altered = tmp_path / "altered.wacz"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(altered, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("archive/"):
                body = body + gzip.compress(b"appended later")
            target.writestr(info, body)

    assert wacz_validate(altered)[0] == 1
    said = StringIO()
    with pytest.raises(CommandError, match="does NOT verify"):
        call_command("export_verify", str(altered), "--public-key", public_key(), stdout=said)
    assert "SHA-256 differs" in said.getvalue()


def test_an_uploaded_report_becomes_a_page_too_and_the_api_serves_the_package(checker, tmp_path):
    result = ingest_text()
    api = APIClient()
    api.force_login(checker)

    response = api.get(f"/api/v1/documents/{result.snapshot.document_id}/wacz/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    out = tmp_path / "upload.wacz"
    out.write_bytes(response.content)
    assert wacz_validate(out)[0] == 0
    with zipfile.ZipFile(out) as package:
        page = json.loads(package.read("pages/pages.jsonl").decode().splitlines()[1])
    assert page["url"] == f"urn:sha256:{result.snapshot.sha256}"


def test_without_a_signing_key_no_package_is_written(tmp_path, settings):
    result = ingest_text()
    settings.EXPORT_SIGNING_KEY = ""
    out = tmp_path / "none.wacz"
    with pytest.raises(CommandError, match="EXPORT_SIGNING_KEY is not set"):
        call_command("export_wacz", str(result.snapshot.document_id), str(out))
    assert not out.exists()
