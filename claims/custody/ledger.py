"""The tamper-evident audit ledger: which rows are recorded, how a row and an entry are
digested, and how a transaction's entries are chained onto the ledger when it commits.

Every write of a recorded row (a history row of Source, Document, Claim or Evidence, a Review,
a Snapshot) is noted on the database connection as it happens: post_save and post_delete for
single rows, sources.history.post_bulk_create for bulk writes (simple-history's
bulk_create_with_history / bulk_update_with_history, which the pipeline and verification use).
The notes become ledger entries at commit (claims.custody.transactions): the writer locks the
chain head, chains the whole transaction's entries in one bulk insert and commits. So the
entries commit with the rows or not at all, writers append in commit order, and the head is
locked for the length of one insert, not of the transaction.

These are receivers, not domain flow: like simple-history's own, they only record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

import orjson
from django.db import connections, models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from claims.custody.models import GENESIS, LedgerColumns, LedgerEntry, LedgerHead

HEAD_ID = 1


class Note(NamedTuple):
    """A recorded row written in the current transaction, waiting for the commit."""

    record: str
    object_id: int
    action: str
    content_sha256: str
    columns: str
    column_names: list[str]


def recorded_models() -> list[type[models.Model]]:
    """The tables whose every row enters the ledger."""
    from claims.models import Claim, Evidence, Review
    from sources.models import Document, Snapshot, Source

    historical = [m.history.model for m in (Source, Document, Claim, Evidence)]  # type: ignore[attr-defined]
    return [*historical, Review, Snapshot]


def record_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _converter(field: models.Field) -> Any:
    """A function giving a column's value as the database holds it, from what is on the
    instance: what to_python would give, without its cost where the value is plain."""
    if isinstance(field, models.ForeignKey):
        return _converter(field.target_field)
    if isinstance(field, models.FloatField):
        return lambda v: v if v is None or type(v) is float else float(v)
    if isinstance(field, models.BooleanField):
        return lambda v: v if v is None or type(v) is bool else field.to_python(v)
    if isinstance(field, models.IntegerField | models.AutoField):
        return lambda v: v if v is None or type(v) is int else int(v)
    if isinstance(field, models.FileField):
        return lambda v: (v.name or "") if isinstance(v, FieldFile) else (v or "")
    if isinstance(
        field,
        models.DateField | models.TimeField | models.DecimalField | models.UUIDField,
    ):
        return lambda v: _plain(field.to_python(v))
    if isinstance(field, models.CharField | models.TextField):
        return lambda v: v if v is None or type(v) is str else field.to_python(v)
    if isinstance(field, models.JSONField):
        return _same  # JSON values, stored as given
    return _plain


def _same(value: Any) -> Any:
    return value


_converters: dict[tuple[type[models.Model], tuple[str, ...] | None], list[tuple[str, Any]]] = {}


def row_content(instance: models.Model, columns: Iterable[str] | None = None) -> dict[str, Any]:
    """The row's columns (all, or those named), as the database holds them: each value as
    its field's to_python gives it, so 39 and 39.0, or '2025-03-01' and a date, digest alike.
    Raises KeyError for a column the table no longer has."""
    key = (type(instance), None if columns is None else tuple(columns))
    plan = _converters.get(key)
    if plan is None:
        fields = {f.attname: f for f in instance._meta.concrete_fields}
        names = list(fields) if columns is None else list(columns)
        plan = [(name, _converter(fields[name])) for name in names]
        _converters[key] = plan
    values = instance.__dict__  # attribute access costs more than the digest itself
    return {
        name: convert(values[name] if name in values else getattr(instance, name))
        for name, convert in plan
    }


_columns_cache: dict[type[models.Model], tuple[list[str], str]] = {}


def table_columns(model: type[models.Model]) -> tuple[list[str], str]:
    """The column names a new entry's digest covers, and their digest."""
    found = _columns_cache.get(model)
    if found is None:
        names = sorted(f.attname for f in model._meta.concrete_fields)
        found = (names, hashlib.sha256(canonical_json(names)).hexdigest())
        _columns_cache[model] = found
    return found


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the bytes every digest here is taken over."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


def row_digest(instance: models.Model, columns: Iterable[str] | None = None) -> str:
    return hashlib.sha256(canonical_json(row_content(instance, columns))).hexdigest()


def entry_fields(
    *,
    seq: int,
    recorded_at: dt.datetime,
    record: str,
    object_id: int,
    action: str,
    content_sha256: str,
    columns: str,
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "recorded_at": _plain(recorded_at),
        "record": record,
        "object_id": object_id,
        "action": action,
        "content_sha256": content_sha256,
        "columns": columns,
        "prev_hash": prev_hash,
    }


def entry_digest(fields: dict[str, Any]) -> str:
    """An entry's hash: SHA-256 of the canonical JSON of its fields (entry_fields)."""
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def entry_as_dict(entry: LedgerEntry) -> dict[str, Any]:
    fields = entry_fields(
        seq=entry.seq,
        recorded_at=entry.recorded_at,
        record=entry.record,
        object_id=entry.object_id,
        action=entry.action,
        content_sha256=entry.content_sha256,
        columns=entry.columns,
        prev_hash=entry.prev_hash,
    )
    return {**fields, "entry_hash": entry.entry_hash}


# -- noting writes as they happen ------------------------------------------------------------


def note_rows(using: str, action: str, rows: Iterable[models.Model]) -> None:
    """Note recorded rows on the connection; they are chained when its transaction commits."""
    items = []
    for row in rows:
        if row.pk is None:
            raise ValueError(
                f"{type(row).__name__} written without an id (ignore_conflicts?): the ledger "
                "needs the id of every recorded row"
            )
        model = type(row)
        names, columns = table_columns(model)
        digest = row_digest(row, names)
        items.append(Note(record_label(model), int(row.pk), action, digest, columns, names))
    if items:
        connections[using].ledger_note(items)


def _on_save(sender: Any, instance: Any, created: bool, using: str, **_: Any) -> None:
    action = LedgerEntry.Action.CREATE if created else LedgerEntry.Action.UPDATE
    note_rows(using, action, [instance])


def _on_delete(sender: Any, instance: Any, using: str, **_: Any) -> None:
    note_rows(using, LedgerEntry.Action.DELETE, [instance])


def _on_bulk_create(sender: Any, objs: list[Any], using: str, **_: Any) -> None:
    note_rows(using, LedgerEntry.Action.CREATE, objs)


def connect_receivers() -> None:
    from sources.history import post_bulk_create

    for model in recorded_models():
        uid = f"ledger:{record_label(model)}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid + ":delete")
        post_bulk_create.connect(_on_bulk_create, sender=model, dispatch_uid=uid + ":bulk")


# -- chaining at commit ----------------------------------------------------------------------


def _lock_head(using: str) -> LedgerHead:
    heads = LedgerHead.objects.using(using).select_for_update()
    head = heads.filter(pk=HEAD_ID).first()
    if head is None:
        # The first entry ever (or a test database flushed since migrate). ignore_conflicts
        # makes two first writers agree on one head row instead of one failing.
        LedgerHead.objects.using(using).bulk_create(
            [LedgerHead(pk=HEAD_ID, seq=0, entry_hash=GENESIS)], ignore_conflicts=True
        )
        head = heads.get(pk=HEAD_ID)
    return head


_ENTRY_COLUMNS = (
    "seq",
    "recorded_at",
    "record",
    "object_id",
    "action",
    "content_sha256",
    "columns",
    "prev_hash",
    "entry_hash",
)


def _insert_entries(using: str, when: dt.datetime, rows: list[tuple[Any, ...]]) -> None:
    """Insert (seq, record, object_id, action, content_sha256, columns, prev_hash,
    entry_hash) rows: model instances and the ORM's bulk_create cost more than the rest of
    the ledger together at pipeline batch sizes. On PostgreSQL one statement over arrays
    (one column each): an executemany, even pipelined, has the server plan and run one
    INSERT per row, which was a third of a small report's extraction. Elsewhere an
    executemany."""
    if not rows:
        return
    connection = connections[using]
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in _ENTRY_COLUMNS)
    at = connection.ops.adapt_datetimefield_value(when)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            seqs, records, ids, actions, contents, columns, prevs, digests = zip(*rows, strict=True)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT e.seq, %s, e.record, e.object_id, "
                "e.action, e.content_sha256, e.columns, e.prev_hash, e.entry_hash FROM unnest("
                "%s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::text[], %s::text[], "
                "%s::text[], %s::text[]) AS e(seq, record, object_id, action, content_sha256, "
                "columns, prev_hash, entry_hash)",
                [at, *map(list, (seqs, records, ids, actions, contents, columns, prevs, digests))],
            )
            return
        marks = ", ".join("%s" for _ in _ENTRY_COLUMNS)
        params = [(r[0], at, *r[1:]) for r in rows]
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", params)


def chain_entries(using: str, notes: list[Note]) -> int:
    """Append the notes to the chain in the current transaction, under the head lock;
    returns the last seq."""
    column_sets = {n.columns: LedgerColumns(n.columns, n.record, n.column_names) for n in notes}
    with transaction.atomic(using=using, savepoint=False):
        LedgerColumns.objects.using(using).bulk_create(
            list(column_sets.values()), ignore_conflicts=True
        )
        head = _lock_head(using)
        seq, prev = head.seq, head.entry_hash
        now = timezone.now()
        recorded_at = _plain(now)
        rows = []
        for record, object_id, action, content, columns, _ in notes:
            seq += 1
            # entry_fields' dict, built inline: this loop runs for every recorded row.
            fields = {
                "seq": seq,
                "recorded_at": recorded_at,
                "record": record,
                "object_id": object_id,
                "action": action,
                "content_sha256": content,
                "columns": columns,
                "prev_hash": prev,
            }
            digest = entry_digest(fields)
            rows.append((seq, record, object_id, action, content, columns, prev, digest))
            prev = digest
        _insert_entries(using, now, rows)
        LedgerHead.objects.using(using).filter(pk=HEAD_ID).update(
            seq=seq, entry_hash=prev, updated_at=now
        )
    return seq


def backfill(using: str, models_to_record: Iterable[type[models.Model]], batch: int = 2000) -> int:
    """Enter rows written before the ledger existed (in table order, then id order); returns
    how many. Rows already in the ledger are left alone, so running it again adds nothing."""
    total = 0
    for model in models_to_record:
        label = record_label(model)
        known = LedgerEntry.objects.using(using).filter(record=label).values("object_id")
        rows = model._base_manager.using(using).exclude(pk__in=known).order_by("pk")
        names, columns = table_columns(model)
        last = 0
        while True:
            chunk = list(rows.filter(pk__gt=last)[:batch])
            if not chunk:
                break
            create = LedgerEntry.Action.CREATE
            notes = [
                Note(label, int(r.pk), create, row_digest(r, names), columns, names) for r in chunk
            ]
            chain_entries(using, notes)
            total += len(chunk)
            last = chunk[-1].pk
    return total
