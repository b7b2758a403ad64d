"""Editors and fact-checkers see alerts; editors resolve them (claims/roles.py)."""

from __future__ import annotations

from django.db import migrations

from claims.migrations._roles import create_roles


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_alert_constraints")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
