"""python manage.py export_verify BUNDLE --public-key KEY : check a signed bundle offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from claims.custody.bundles import bundle_verify
from claims.custody.signing import public_key_from_text


class Command(BaseCommand):
    help = (
        "Check a signed bundle (or a signed WACZ) without the server: its Ed25519 signature, "
        "every file's SHA-256, the ledger range's hash chain and each recorded row's digest."
    )
    # Offline: the check needs no database and no checks of this installation.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("bundle", help="the bundle's ZIP file (or a .wacz)")
        parser.add_argument(
            "--public-key",
            required=True,
            help="a file with the public key (the well-known JSON, a PEM, or base64), or the "
            "base64 key itself",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["bundle"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        given = options["public_key"]
        try:
            text = Path(given).read_text() if Path(given).is_file() else given
            public = public_key_from_text(text)
        except (ValueError, OSError) as error:
            raise CommandError(f"--public-key: {error}") from None
        if path.suffix == ".wacz":
            from claims.custody.wacz import wacz_verify

            report = wacz_verify(path, public)
        else:
            report = bundle_verify(path.read_bytes(), public)
        if not report.ok:
            for problem in report.problems:
                self.stdout.write(f"- {problem}")
            raise CommandError(f"{path.name} does NOT verify: {len(report.problems)} problem(s)")
        manifest = report.manifest
        checked = ", ".join(f"{n} {what}" for what, n in report.checked.items())
        self.stdout.write(
            f"{path.name} verifies: signed by key {manifest['signature']['key_id']} on "
            f"{manifest['created_at']}; {checked}."
        )
