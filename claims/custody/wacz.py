"""A document's captures as a WACZ package, signed with the export key.

The WARC comes from sources.preservation (every snapshot with its capture time, SHA-256 and,
for fetches, the original HTTP status and headers); the `wacz` package (Webrecorder's) builds
the CDX index, the page list and datapackage.json with the SHA-256 of every file. The
signature: datapackage-digest.json (the WACZ spec's file with the hash of datapackage.json)
gains a `signature` member, the Ed25519 signature of datapackage.json's bytes with
EXPORT_SIGNING_KEY and the key's id; since datapackage.json lists every file's hash, it
covers the whole package. `manage.py export_verify PACKAGE.wacz` checks it offline.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from claims.custody import signing
from claims.custody.bundles import BundleReport

DATAPACKAGE, DIGEST = "datapackage.json", "datapackage-digest.json"


class WaczError(RuntimeError):
    """The wacz package could not build the package; the message has its output."""


def _offline_public_suffixes() -> None:
    """The CDX index's SURT keys go through tldextract, which would fetch the public suffix
    list from the internet (a worker with no way out waits for its timeouts): use the copy
    tldextract ships."""
    import tldextract.tldextract as tld

    if tld.TLD_EXTRACTOR.suffix_list_urls:
        tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _pages(document: Any, snapshots: list[Any]) -> str:
    from sources.preservation import _target_uri

    lines = [{"format": "json-pages-1.0", "id": "pages", "title": document.title}]
    for snapshot in snapshots:
        lines.append(
            {
                "url": _target_uri(snapshot),
                "ts": snapshot.captured_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "title": f"{document.title} (snapshot {snapshot.pk}, sha256 {snapshot.sha256})",
            }
        )
    return "\n".join(json.dumps(line) for line in lines) + "\n"


def _sign_package(built: Path, out: Path) -> None:
    """Copy the package, adding the signature to datapackage-digest.json."""
    with zipfile.ZipFile(built) as source:
        datapackage = source.read(DATAPACKAGE)
        digest = json.loads(source.read(DIGEST))
        public = signing.signing_key().public_key()
        digest["signature"] = {
            "algorithm": signing.ALGORITHM,
            "key_id": signing.key_id(public),
            "value": signing.sign(datapackage),
        }
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                body = json.dumps(digest, indent=2).encode() if info.filename == DIGEST else None
                target.writestr(info, body if body is not None else source.read(info))


def document_wacz(document: Any, out: Path) -> int:
    """Write the document's snapshots to `out` as a signed WACZ; returns how many.

    Raises signing.SigningKeyMissing / SigningKeyInvalid, or WaczError.
    """
    from wacz.main import main as wacz_main

    from sources.preservation import document_warc_write

    signing.signing_key()
    _offline_public_suffixes()
    snapshots = list(document.snapshots.order_by("captured_at", "id"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        warc = work / f"document-{document.pk}.warc.gz"
        with warc.open("wb") as handle:
            document_warc_write(document, handle)
        pages = work / "pages.jsonl"
        pages.write_text(_pages(document, snapshots))
        built = work / "built.wacz"
        said = io.StringIO()
        # --copy-pages: the page list as written here. wacz would otherwise keep only pages
        # at http(s) URLs, and an uploaded report's record is at urn:sha256:<its hash>.
        arguments = ["create", str(warc), "-o", str(built), "-p", str(pages), "--copy-pages"]
        arguments += ["--title", document.title[:200]]
        with contextlib.redirect_stdout(said):
            failed = wacz_main(arguments)
        if failed or not built.exists():
            raise WaczError(f"wacz could not build the package: {said.getvalue()[-2000:]}")
        _sign_package(built, out)
    return len(snapshots)


def _file_hash(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def wacz_verify(path: Path, public: Any) -> BundleReport:
    """Check a signed WACZ: the signature over datapackage.json, its digest, every file."""
    report = BundleReport()
    try:
        archive = zipfile.ZipFile(path)
        datapackage = archive.read(DATAPACKAGE)
        digest = json.loads(archive.read(DIGEST))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        report.problems.append(f"not a WACZ package: {error}")
        return report
    signature = digest.get("signature") or {}
    if not signing.signature_valid(public, datapackage, str(signature.get("value", ""))):
        report.problems.append(
            "the signature does not match datapackage.json with this public key: the package "
            "was altered, or signed with another key"
        )
        return report
    if digest.get("hash") != _file_hash(datapackage):
        report.problems.append("datapackage-digest.json does not hold datapackage.json's hash")
    package = json.loads(datapackage)
    listed = {resource["path"]: resource for resource in package["resources"]}
    present = set(archive.namelist()) - {DATAPACKAGE, DIGEST}
    if present != set(listed):
        report.problems.append(
            f"files differ from datapackage.json: {sorted(present ^ set(listed))}"
        )
    for name in sorted(present & set(listed)):
        if _file_hash(archive.read(name)) != listed[name]["hash"]:
            report.problems.append(f"{name}: its SHA-256 differs from datapackage.json's")
    report.manifest = {
        "signature": {"key_id": signature.get("key_id", "")},
        "created_at": package.get("created", ""),
    }
    report.checked["files"] = len(present)
    return report
