"""Recompute the audit ledger: the chain of entry hashes, and each recorded row's digest
against the entry that last recorded it (manage.py audit_verify)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Max

from claims.custody.ledger import (
    entry_as_dict,
    entry_digest,
    record_label,
    recorded_models,
    row_digest,
)
from claims.custody.models import GENESIS, LedgerColumns, LedgerEntry, LedgerHead


@dataclass(frozen=True)
class Finding:
    seq: int | None  # None: a row no entry records
    record: str
    object_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry {self.seq}" if self.seq is not None else "no entry"
        return f"{where} ({self.record} {self.object_id}): {self.problem}"


@dataclass
class AuditReport:
    entries: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _chunks(chunk: int) -> Iterator[list[LedgerEntry]]:
    last = 0
    while True:
        entries = list(LedgerEntry.objects.filter(seq__gt=last).order_by("seq")[:chunk])
        if not entries:
            return
        yield entries
        last = entries[-1].seq


def _check_chain(entry: LedgerEntry, expected_seq: int, prev_hash: str) -> list[str]:
    problems = []
    if entry.seq != expected_seq:
        problems.append(f"expected entry {expected_seq} next: entries are missing before it")
    if entry.prev_hash != prev_hash:
        problems.append("prev_hash is not the previous entry's hash: the chain is broken here")
    fields = entry_as_dict(entry)
    del fields["entry_hash"]
    if entry_digest(fields) != entry.entry_hash:
        problems.append("entry_hash does not match the entry: the entry was altered")
    return problems


def _check_rows(entries: list[LedgerEntry], columns: dict[str, list[str]]) -> list[Finding]:
    """Each entry that is the last to record its row, against the row as it is now."""
    by_record: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_record[entry.record].append(entry)
    findings = []
    for record, group in by_record.items():
        ids = {e.object_id for e in group}
        last_seq = dict(
            LedgerEntry.objects.filter(record=record, object_id__in=ids)
            .values("object_id")
            .annotate(last=Max("seq"))
            .values_list("object_id", "last")
        )
        try:
            model = apps.get_model(record)
        except LookupError:
            findings += [Finding(e.seq, record, e.object_id, "unknown table") for e in group]
            continue
        rows = model._base_manager.in_bulk(ids)
        for entry in group:
            if last_seq.get(entry.object_id) != entry.seq:
                continue  # a later entry records this row's later state
            row = rows.get(entry.object_id)
            problem = None
            if entry.action == LedgerEntry.Action.DELETE:
                if row is not None:
                    problem = "the ledger recorded its deletion, but the row is there"
            elif row is None:
                problem = "the row is gone, deleted without a ledger entry"
            else:
                names = columns.get(entry.columns)
                if names is None:
                    problem = f"unknown column set {entry.columns[:12]}"
                else:
                    try:
                        if row_digest(row, names) != entry.content_sha256:
                            problem = "the row does not match its recorded digest: altered"
                    except KeyError as missing:
                        problem = f"column {missing} was dropped since the row was recorded"
            if problem:
                findings.append(Finding(entry.seq, record, entry.object_id, problem))
    return findings


def _unrecorded_rows(limit: int) -> list[Finding]:
    findings = []
    for model in recorded_models():
        label = record_label(model)
        known = LedgerEntry.objects.filter(record=label).values("object_id")
        for pk in (
            model._base_manager.exclude(pk__in=known)
            .order_by("pk")[:limit]
            .values_list("pk", flat=True)
        ):
            findings.append(Finding(None, label, pk, "a row no ledger entry records"))
    return findings


def audit_verify(*, chunk: int = 5000, limit: int = 100) -> AuditReport:
    """Walk the whole ledger; the report lists at most `limit` findings, first one first."""
    report = AuditReport()
    columns = dict(LedgerColumns.objects.values_list("digest", "names"))
    expected, prev = 1, GENESIS
    for entries in _chunks(chunk):
        for entry in entries:
            for problem in _check_chain(entry, expected, prev):
                report.findings.append(Finding(entry.seq, entry.record, entry.object_id, problem))
            expected, prev = entry.seq + 1, entry.entry_hash
        report.findings += _check_rows(entries, columns)
        report.entries += len(entries)
        if len(report.findings) >= limit:
            break
    report.last_seq, report.last_hash = expected - 1, prev
    head = LedgerHead.objects.filter(pk=1).first()
    if len(report.findings) < limit:
        if head is not None and (head.seq, head.entry_hash) != (report.last_seq, prev):
            report.findings.append(
                Finding(
                    head.seq,
                    "claims.ledgerhead",
                    1,
                    f"the chain head says entry {head.seq}, the chain ends at {report.last_seq}: "
                    "entries were removed from the end",
                )
            )
        report.findings += _unrecorded_rows(limit - len(report.findings))
    report.findings.sort(key=lambda f: (f.seq is None, f.seq or 0))
    del report.findings[limit:]
    return report
