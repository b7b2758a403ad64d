"""The database itself refuses to change a snapshot, whatever code path tries.

sources.immutability installs the same guard again after every migrate, because SQLite loses
triggers when a later migration rebuilds the table.
"""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):
    from sources.immutability import install_snapshot_guard

    install_snapshot_guard(schema_editor.connection.alias)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS sources_snapshot_immutable;")
    elif vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS sources_snapshot_immutable ON sources_snapshot;"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS sources_snapshot_refuse_update();")


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
