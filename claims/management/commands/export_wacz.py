"""python manage.py export_wacz DOCUMENT_ID OUT.wacz : a document's captures, signed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from claims.custody import signing
from claims.custody.wacz import WaczError, document_wacz
from sources.models import Document


class Command(BaseCommand):
    help = "Write a document's snapshots as a WACZ package signed with EXPORT_SIGNING_KEY."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("document_id", type=int)
        parser.add_argument("out", help="where to write the .wacz file")

    def handle(self, *args: Any, **options: Any) -> None:
        document = Document.objects.filter(pk=options["document_id"]).first()
        if document is None:
            raise CommandError(f"there is no document {options['document_id']}")
        out = Path(options["out"])
        if out.suffix != ".wacz":
            raise CommandError(f"{out} should end in .wacz")
        try:
            count = document_wacz(document, out)
        except (signing.SigningKeyMissing, signing.SigningKeyInvalid, WaczError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Wrote {count} snapshot(s) of document {document.pk} to {out}.")
