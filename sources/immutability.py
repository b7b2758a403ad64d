"""The database-level guard that refuses any UPDATE of a snapshot row.

SQLite drops a table's triggers when a migration rebuilds the table (which Django does for many
column changes), so the guard is (re)installed after every `migrate`, idempotently, rather than
only once by a migration.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

MESSAGE = "snapshots are immutable: capture a new snapshot instead"

_SQL = {
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS sources_snapshot_immutable
        BEFORE UPDATE ON sources_snapshot
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION sources_snapshot_refuse_update() RETURNS trigger
        AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
        "DROP TRIGGER IF EXISTS sources_snapshot_immutable ON sources_snapshot;",
        """CREATE TRIGGER sources_snapshot_immutable BEFORE UPDATE ON sources_snapshot
        FOR EACH ROW EXECUTE FUNCTION sources_snapshot_refuse_update();""",
    ],
}


def install_snapshot_guard(using: str = "default") -> bool:
    """Install the trigger on the `using` database; returns False for other vendors."""
    connection = connections[using]
    statements = _SQL.get(connection.vendor)
    if statements is None or "sources_snapshot" not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return True


def on_post_migrate(sender: Any, using: str = "default", **_: Any) -> None:
    install_snapshot_guard(using)
