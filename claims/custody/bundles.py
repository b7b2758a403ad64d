"""Signed bundles: published data with what proves it is what the desk recorded.

A bundle is a ZIP file:

- the data: `export.jsonl` (the export of every verified claim), or `provenance.json` (W3C
  PROV-JSON) and `claimreview.json` (schema.org ClaimReview) of one claim;
- `records.jsonl`: the recorded rows the data rests on (each claim's, evidence's, document's
  and source's latest history row, each decision on the claims), each with its columns and the
  ledger entry (`seq`) that recorded it;
- `snapshots.json`: the captured copies the claims were read from, with their SHA-256 hashes
  and the entries that recorded them;
- `ledger.jsonl`: the contiguous range of ledger entries from the first of those entries to
  the last, so the chain between them can be recomputed;
- `manifest.json`: the SHA-256 and size of each file above, the ledger range and the chain
  head when the bundle was made, the signing key's id;
- `manifest.sig`: the Ed25519 signature of manifest.json's bytes (base64).

`bundle_verify` checks all of it offline with the public key (manage.py export_verify).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from claims.custody import signing
from claims.custody.ledger import (
    canonical_json,
    entry_as_dict,
    entry_digest,
    record_label,
    row_content,
    table_columns,
)
from claims.custody.models import LedgerEntry, LedgerHead

FORMAT = "claim-verifier-bundle/1"
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
# What an exported claim line must agree on with the claim's recorded history row.
COMPARED = ("status", "confidence", "version")


class BundleError(ValueError):
    """The bundle cannot be made (nothing recorded yet); the message says why."""


def _chunks(ids: list[int], size: int = 1000) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _latest_history(model: Any, ids: Iterable[int]) -> list[Any]:
    """The latest history row of each object (by its history_id)."""
    history = model.history.model
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(ids))):
        latest = (
            history.objects.filter(id__in=chunk)
            .values("id")
            .annotate(last=Max("history_id"))
            .values_list("last", flat=True)
        )
        rows += list(history.objects.filter(history_id__in=list(latest)).order_by("history_id"))
    return rows


def _entries_for(rows: list[Any]) -> dict[tuple[str, int], LedgerEntry]:
    """The entry that last recorded each row."""
    found: dict[tuple[str, int], LedgerEntry] = {}
    by_label: dict[str, list[int]] = {}
    for row in rows:
        by_label.setdefault(record_label(type(row)), []).append(int(row.pk))
    for label, ids in by_label.items():
        for chunk in _chunks(ids):
            last = (
                LedgerEntry.objects.filter(record=label, object_id__in=chunk)
                .values("object_id")
                .annotate(last=Max("seq"))
                .values_list("last", flat=True)
            )
            for entry in LedgerEntry.objects.filter(seq__in=list(last)):
                found[(entry.record, entry.object_id)] = entry
    return found


def _record_lines(rows: list[Any], entries: dict[tuple[str, int], LedgerEntry]) -> bytes:
    out = io.BytesIO()
    for row in rows:
        label = record_label(type(row))
        entry = entries.get((label, int(row.pk)))
        if entry is None:
            raise BundleError(f"{label} {row.pk} has no ledger entry: run manage.py audit_verify")
        names, _ = table_columns(type(row))
        line = {
            "record": label,
            "object_id": int(row.pk),
            "seq": entry.seq,
            "columns": names,
            "content": row_content(row, names),
        }
        out.write(canonical_json(line) + b"\n")
    return out.getvalue()


def _gather(claim_ids: list[int]) -> tuple[list[Any], list[Any]]:
    """The recorded rows and the snapshots behind these claims."""
    from claims.models import Claim, Evidence, Review
    from sources.models import Document, Snapshot, Source

    claims = _latest_history(Claim, claim_ids)
    evidence_ids = Evidence.objects.filter(claim_id__in=claim_ids).values_list("id", flat=True)
    evidence = _latest_history(Evidence, evidence_ids)
    snapshot_ids = {c.extracted_from_id for c in claims if c.extracted_from_id}
    snapshot_ids |= {e.snapshot_id for e in evidence}
    snapshots = list(Snapshot.objects.filter(pk__in=snapshot_ids).defer("text").order_by("pk"))
    document_ids = {s.document_id for s in snapshots}
    documents = _latest_history(Document, document_ids)
    source_ids = Document.objects.filter(pk__in=document_ids).values_list("source_id", flat=True)
    sources = _latest_history(Source, source_ids)
    reviews = list(Review.objects.filter(claim_id__in=claim_ids).order_by("pk"))
    return [*sources, *documents, *claims, *evidence, *reviews], snapshots


def build_bundle(*, kind: str, subject: str, data: dict[str, bytes], claim_ids: list[int]) -> bytes:
    """The signed ZIP of `data` (file name -> bytes) and the proof for `claim_ids`.

    Raises signing.SigningKeyMissing / SigningKeyInvalid before doing any work, BundleError
    when a row the data rests on has no ledger entry.
    """
    signing.signing_key()
    rows, snapshots = _gather(claim_ids)
    entries = _entries_for([*rows, *snapshots])
    records = _record_lines(rows, entries)
    snapshot_list = []
    for snapshot in snapshots:
        entry = entries.get((record_label(type(snapshot)), snapshot.pk))
        if entry is None:
            raise BundleError(f"snapshot {snapshot.pk} has no ledger entry")
        snapshot_list.append(
            {
                "id": snapshot.pk,
                "document": snapshot.document_id,
                "sha256": snapshot.sha256,
                "text_sha256": snapshot.text_sha256,
                "captured_at": snapshot.captured_at.isoformat(),
                "seq": entry.seq,
            }
        )
    seqs = [e.seq for e in entries.values()]
    head = LedgerHead.objects.filter(pk=1).first()
    first, last = (min(seqs), max(seqs)) if seqs else (0, 0)
    ledger = io.BytesIO()
    for entry in (
        LedgerEntry.objects.filter(seq__gte=first, seq__lte=last)
        .order_by("seq")
        .iterator(chunk_size=5000)
    ):
        ledger.write(canonical_json(entry_as_dict(entry)) + b"\n")
    files = {
        **data,
        "records.jsonl": records,
        "snapshots.json": json.dumps(snapshot_list, indent=1).encode(),
        "ledger.jsonl": ledger.getvalue(),
    }
    public = signing.signing_key().public_key()
    manifest = {
        "format": FORMAT,
        "kind": kind,
        "subject": subject,
        "created_at": timezone.now().isoformat(),
        "files": {
            name: {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}
            for name, body in files.items()
        },
        "ledger": {
            "first_seq": first,
            "last_seq": last,
            "head_seq": head.seq if head else 0,
            "head_hash": head.entry_hash if head else "",
        },
        "signature": {"algorithm": signing.ALGORITHM, "key_id": signing.key_id(public)},
    }
    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, signing.sign(manifest_bytes))
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


@contextmanager
def one_moment() -> Iterator[None]:
    """A transaction whose reads all see one moment (REPEATABLE READ on PostgreSQL; a SQLite
    transaction reads one snapshot anyway), so the data and its proof agree while the desk
    writes."""
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if fresh and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def export_bundle() -> bytes:
    """Every verified claim (the export/ JSON Lines), signed with its proof."""
    from claims.api.export import jsonl_lines

    signing.signing_key()
    with one_moment():
        body = b"".join(jsonl_lines())
        ids = [orjson.loads(line)["id"] for line in body.splitlines() if line]
        return build_bundle(
            kind="export",
            subject="every verified claim",
            data={"export.jsonl": body},
            claim_ids=ids,
        )


def claim_bundle(claim: Any, request: Any) -> bytes:
    """One claim's PROV document and ClaimReview, signed with their proof."""
    from claims.api.claimreview import claim_review
    from claims.provenance import claim_provenance

    signing.signing_key()
    with one_moment():
        prov = claim_provenance(claim).serialize(format="json").encode()
        review = json.dumps(claim_review(claim, request), indent=1).encode()
        return build_bundle(
            kind="claim",
            subject=f"claim {claim.pk}",
            data={"provenance.json": prov, "claimreview.json": review},
            claim_ids=[claim.pk],
        )


# -- verifying, offline ----------------------------------------------------------------------


@dataclass
class BundleReport:
    manifest: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _verify_ledger(lines: bytes, manifest: dict[str, Any], report: BundleReport) -> dict[int, Any]:
    entries: dict[int, Any] = {}
    previous: dict[str, Any] | None = None
    for line in lines.splitlines():
        entry = json.loads(line)
        claimed = entry.pop("entry_hash")
        if entry_digest(entry) != claimed:
            report.problems.append(f"ledger entry {entry['seq']}: its hash does not match it")
        if previous is not None:
            if entry["seq"] != previous["seq"] + 1:
                report.problems.append(f"ledger entry {entry['seq']}: entries missing before it")
            if entry["prev_hash"] != previous["entry_hash"]:
                report.problems.append(f"ledger entry {entry['seq']}: the chain breaks here")
        entry["entry_hash"] = claimed
        entries[entry["seq"]] = entry
        previous = entry
    span = manifest["ledger"]
    if entries and (min(entries), max(entries)) != (span["first_seq"], span["last_seq"]):
        report.problems.append("ledger.jsonl does not hold the range the manifest names")
    report.checked["ledger entries"] = len(entries)
    return entries


def _verify_records(lines: bytes, entries: dict[int, Any], report: BundleReport) -> list[Any]:
    records = []
    for line in lines.splitlines():
        record = json.loads(line)
        entry = entries.get(record["seq"])
        where = f"{record['record']} {record['object_id']}"
        if entry is None:
            report.problems.append(f"{where}: its entry {record['seq']} is not in the range")
            continue
        digest = hashlib.sha256(canonical_json(record["content"])).hexdigest()
        columns = hashlib.sha256(canonical_json(record["columns"])).hexdigest()
        if (entry["record"], entry["object_id"]) != (record["record"], record["object_id"]):
            report.problems.append(f"{where}: entry {entry['seq']} records another row")
        elif digest != entry["content_sha256"] or columns != entry["columns"]:
            report.problems.append(
                f"{where}: the row differs from what entry {entry['seq']} recorded"
            )
        records.append(record)
    report.checked["records"] = len(records)
    return records


def _verify_export(lines: bytes, records: list[Any], report: BundleReport) -> None:
    from claims.models import CLAIM_CONTENT_FIELDS

    claims = {
        r["content"]["id"]: r["content"] for r in records if r["record"] == "claims.historicalclaim"
    }
    count = 0
    for line in lines.splitlines():
        exported = json.loads(line)
        recorded = claims.get(exported["id"])
        if recorded is None:
            report.problems.append(f"export: claim {exported['id']} has no recorded row")
            continue
        for name in (*CLAIM_CONTENT_FIELDS, *COMPARED):
            if exported.get(name) != recorded.get(name):
                report.problems.append(
                    f"export: claim {exported['id']} {name} is {exported.get(name)!r}, the "
                    f"desk recorded {recorded.get(name)!r}"
                )
        count += 1
    report.checked["exported claims"] = count


def bundle_verify(archive_bytes: bytes, public: Any) -> BundleReport:
    """Check a bundle against an Ed25519 public key; the report lists every problem."""
    report = BundleReport()
    try:
        archive = zipfile.ZipFile(io.BytesIO(archive_bytes))
        manifest_bytes = archive.read(MANIFEST)
        signature = archive.read(SIGNATURE).decode().strip()
    except (zipfile.BadZipFile, KeyError) as error:
        report.problems.append(f"not a bundle: {error}")
        return report
    if not signing.signature_valid(public, manifest_bytes, signature):
        report.problems.append(
            "the signature does not match manifest.json with this public key: the bundle was "
            "altered, or signed with another key"
        )
        return report
    manifest = report.manifest = json.loads(manifest_bytes)
    if manifest.get("format") != FORMAT:
        report.problems.append(f"unknown format {manifest.get('format')!r}")
        return report
    names = set(archive.namelist()) - {MANIFEST, SIGNATURE}
    if names != set(manifest["files"]):
        report.problems.append(
            f"files differ from the manifest: {sorted(names ^ set(manifest['files']))}"
        )
    bodies: dict[str, bytes] = {}
    for name, expected in manifest["files"].items():
        if name not in names:
            continue
        body = bodies[name] = archive.read(name)
        if hashlib.sha256(body).hexdigest() != expected["sha256"] or len(body) != expected["bytes"]:
            report.problems.append(f"{name}: its SHA-256 differs from the manifest's")
    if not report.ok:
        return report
    entries = _verify_ledger(bodies["ledger.jsonl"], manifest, report)
    records = _verify_records(bodies["records.jsonl"], entries, report)
    for snapshot in json.loads(bodies["snapshots.json"]):
        entry = entries.get(snapshot["seq"])
        if entry is None or (entry["record"], entry["object_id"]) != (
            "sources.snapshot",
            snapshot["id"],
        ):
            report.problems.append(f"snapshot {snapshot['id']}: no entry records it in the range")
    if "export.jsonl" in bodies:
        _verify_export(bodies["export.jsonl"], records, report)
    return report
