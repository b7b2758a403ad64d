"""python manage.py signing_key : a new Ed25519 key for EXPORT_SIGNING_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from claims.custody.signing import new_private_key_text


class Command(BaseCommand):
    help = "Print a new Ed25519 private key for EXPORT_SIGNING_KEY, and its public key."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        private, public = new_private_key_text()
        self.stdout.write(f"EXPORT_SIGNING_KEY={private}")
        self.stdout.write(f"# public key (served at /.well-known/...): {public}")
