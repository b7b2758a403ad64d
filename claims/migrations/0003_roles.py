"""The three roles as groups with their permissions (claims/roles.py holds the table)."""

from __future__ import annotations

from django.db import migrations

from claims.migrations._roles import create_roles
from claims.roles import ROLES


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_review_workflow"),
        ("sources", "0002_snapshot_immutable_trigger"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
