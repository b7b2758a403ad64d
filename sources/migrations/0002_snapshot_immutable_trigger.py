"""The database itself refuses to change a snapshot, whatever code path tries."""

from __future__ import annotations

from django.db import migrations

MESSAGE = "snapshots are immutable: capture a new snapshot instead"

SQL = {
    "sqlite": (
        [
            f"""CREATE TRIGGER sources_snapshot_immutable BEFORE UPDATE ON sources_snapshot
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
        ],
        ["DROP TRIGGER IF EXISTS sources_snapshot_immutable;"],
    ),
    "postgresql": (
        [
            f"""CREATE OR REPLACE FUNCTION sources_snapshot_refuse_update() RETURNS trigger
            AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
            """CREATE TRIGGER sources_snapshot_immutable BEFORE UPDATE ON sources_snapshot
            FOR EACH ROW EXECUTE FUNCTION sources_snapshot_refuse_update();""",
        ],
        [
            "DROP TRIGGER IF EXISTS sources_snapshot_immutable ON sources_snapshot;",
            "DROP FUNCTION IF EXISTS sources_snapshot_refuse_update();",
        ],
    ),
}


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    forward, _ = SQL.get(schema_editor.connection.vendor, ([], []))
    _run(schema_editor, forward)


def backwards(apps, schema_editor):
    _, backward = SQL.get(schema_editor.connection.vendor, ([], []))
    _run(schema_editor, backward)


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
