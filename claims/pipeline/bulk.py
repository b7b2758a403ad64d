"""Set-based inserts with their history rows: one statement per table and batch.

The ORM's ``bulk_create`` (and simple-history's ``bulk_create_with_history``) spends its time
in Python: a model instance per row and per history row, and a prepared value per column and
row (on PostgreSQL, one array per column, quoted element by element). At 10,000 claims that
was most of an extraction. Here the rows go to the database as one JSON document, which the
database unpacks itself (``json_array_elements`` on PostgreSQL, ``json_each`` on SQLite), and the
history rows are copied from the stored rows by an ``INSERT ... SELECT`` stamped with who,
from where and why (``sources.history.bulk_history_attrs``), exactly the columns
simple-history's bulk helper would write. Values common to the whole batch (defaults, the
time, the snapshot) are passed once as parameters.

Another database (or SQLite before 3.38, which lacks ``->``) uses the ORM helpers instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sources.history import bulk_history_attrs, post_bulk_create


def set_based() -> bool:
    """True when this database unpacks a JSON batch itself (PostgreSQL, SQLite 3.38+)."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 38)


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _recordset_type(field: models.Field) -> str:
    # Character columns are read as text so that a value too long for its column fails the
    # INSERT (as the ORM's would) instead of being cut short by a cast.
    kind = field.db_type(connection) or "text"
    return "text" if kind.startswith(("varchar", "char")) else kind


def bulk_insert(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    fixed: Mapping[str, Any] | None = None,
    returning: Sequence[str] = ("id",),
    tracked: bool = True,
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (attname -> value, the same keys in every row) with their history.

    ``fixed`` holds values shared by every row; every other column gets its default (and
    ``auto_now`` fields the current time). Returns the ``returning`` columns of each stored
    row, in no particular order. Must run inside ``tracked_change`` and a transaction.
    ``tracked=False`` is for a model without history (the engine's derived rows): no history
    rows, and no change context needed.
    """
    if not rows:
        return []
    pk = model._meta.pk.attname
    if pk not in returning:
        raise ValueError("bulk_insert returns the primary key of each row: add it to returning")
    if not set_based():
        return _orm_insert(model, rows, fixed or {}, returning, tracked=tracked)
    # Refuses a tracked write without who, from where and why.
    history = bulk_history_attrs() if tracked else {}
    now = timezone.now()
    varying = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields}
    shared: dict[str, Any] = dict(fixed or {})
    for name, field in fields.items():
        if field.primary_key or name in varying or name in shared:
            continue
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        shared[name] = now if auto else field.get_default()
    columns = [fields[name].column for name in (*varying, *shared)]
    shared_params = [fields[name].get_db_prep_save(v, connection) for name, v in shared.items()]
    payload = json.dumps([[row[name] for name in varying] for row in rows], default=_json_default)
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    back = ", ".join(connection.ops.quote_name(fields[name].column) for name in returning)
    # Each row is a JSON array whose element n is column n.
    picks = ", ".join(_pick(fields[name], n) for n, name in enumerate(varying))
    if connection.vendor == "postgresql":
        source = "json_array_elements(%s::json) WITH ORDINALITY AS r(value, key)"
    else:
        source = "json_each(%s) AS r"
    shared_sql = "".join(", %s" for _ in shared)
    sql = (
        f"INSERT INTO {table} ({quoted}) SELECT {picks}{shared_sql} FROM {source} "
        f"ORDER BY r.key RETURNING {back}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*shared_params, payload])
        stored = [tuple(row) for row in cursor.fetchall()]
    if tracked:
        ids = [row[list(returning).index(pk)] for row in stored]
        _history_copy(model, ids, history=history, now=now, history_type="+")
    return stored


def _pick(field: models.Field, n: int) -> str:
    """The SQL reading element ``n`` of the row ``r.value`` as ``field``'s column."""
    postgres = connection.vendor == "postgresql"
    if isinstance(field, models.JSONField):
        value = f"(r.value -> {n})::jsonb" if postgres else f"r.value -> '$[{n}]'"
        # A JSON null is SQL NULL in a nullable JSON column, as the ORM stores None.
        null = "'null'::jsonb" if postgres else "'null'"
        return f"NULLIF({value}, {null})" if field.null else value
    if postgres:
        return f"(r.value ->> {n})::{_recordset_type(field)}"
    return f"r.value ->> '$[{n}]'"


def bulk_update(model: type[models.Model], ids: Sequence[Any], **changes: Any) -> int:
    """``UPDATE`` the rows ``ids`` with ``changes`` (values or expressions), with history.

    Each updated row gets a history row of type "~" stamped with who, from where and why, as
    a ``save()`` would write; ``auto_now`` fields are set to the current time. Must run inside
    ``tracked_change`` and a transaction. Returns how many rows were updated.
    """
    if not ids:
        return 0
    history = bulk_history_attrs()
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) and field.attname not in changes:
            changes[field.attname] = now
    ids = list(ids)
    updated = 0
    for low in range(0, len(ids), 500):  # bounded IN lists on every database
        part = ids[low : low + 500]
        updated += model._default_manager.filter(pk__in=part).update(**changes)
        if set_based():
            _history_copy(model, part, history=history, now=now, history_type="~")
    if not set_based():
        objs = list(model._default_manager.filter(pk__in=ids))
        model.history.bulk_history_create(  # type: ignore[attr-defined]
            objs, update=True, default_date=now, **history
        )
    return updated


def _history_copy(
    model: type[models.Model],
    ids: Sequence[Any],
    *,
    history: dict[str, Any],
    now: datetime,
    history_type: str,
) -> None:
    """Copy the stored rows ``ids`` into their history table, as of now."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not ids:
        return
    historical = model.history.model  # type: ignore[attr-defined]
    own = {f.attname: f for f in historical._meta.concrete_fields}
    copied = [f.attname for f in historical.tracked_fields]
    user = history["default_user"]
    stamped = {
        "history_date": now,
        "history_change_reason": history["default_change_reason"],
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
        **history["custom_historical_attrs"],
    }
    quote = connection.ops.quote_name
    source = {f.attname: f.column for f in model._meta.concrete_fields}
    target = ", ".join(quote(own[name].column) for name in (*copied, *stamped))
    picks = ", ".join(quote(source[name]) for name in copied)
    params = [own[name].get_db_prep_save(value, connection) for name, value in stamped.items()]
    if connection.vendor == "postgresql":
        members = "SELECT (value)::bigint FROM json_array_elements_text(%s::json)"
    else:
        members = "SELECT value FROM json_each(%s)"
    pk = quote(model._meta.pk.column)
    marks = ", ".join("%s" for _ in stamped)
    # The audit ledger enters every history row, bulk ones too (sources.history): hand it the
    # rows as stored. They come back from the INSERT itself (every column, through the ORM's
    # converters), not from a second query by id: that read-back, an IN list of thousands of
    # ids, was a sixth of a small report's extraction.
    listened = post_bulk_create.has_listeners(historical)
    back = (
        ", ".join(quote(f.column) for f in historical._meta.concrete_fields)
        if listened
        else quote(historical._meta.pk.column)
    )
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({target}) "
        f"SELECT {picks}, {marks} FROM {quote(model._meta.db_table)} "
        f"WHERE {pk} IN ({members}) ORDER BY {pk} RETURNING {back}"
    )
    params = [*params, json.dumps(list(ids))]
    if not listened:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    rows = sorted(historical.objects.raw(sql, params), key=lambda row: row.pk)
    post_bulk_create.send(sender=historical, objs=rows, using=connection.alias)


def _orm_insert(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    fixed: Mapping[str, Any],
    returning: Sequence[str],
    *,
    tracked: bool,
) -> list[tuple[Any, ...]]:
    if not tracked:
        objs = model._default_manager.bulk_create([model(**fixed, **row) for row in rows])
        return [tuple(getattr(obj, name) for name in returning) for obj in objs]
    objs = bulk_create_with_history(
        [model(**fixed, **row) for row in rows],
        model,
        batch_size=len(rows),
        **bulk_history_attrs(),
    )
    return [tuple(getattr(obj, name) for name in returning) for obj in objs]
