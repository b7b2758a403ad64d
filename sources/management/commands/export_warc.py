"""python manage.py export_warc DOCUMENT_ID OUT.warc.gz : a document's snapshots as WARC."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.models import Document
from sources.preservation import document_warc_write


class Command(BaseCommand):
    help = "Write a WARC file of a document's snapshots, with their original HTTP headers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("document_id", type=int)
        parser.add_argument("out", help="where to write, e.g. report.warc.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        document = Document.objects.filter(pk=options["document_id"]).first()
        if document is None:
            raise CommandError(f"No document {options['document_id']}: check the id.")
        if not document.snapshots.exists():
            raise CommandError(f"Document {document.pk} has no snapshot yet: capture it first.")
        out = Path(options["out"])
        partial = out.with_name(out.name + ".partial")
        # Written beside the target and renamed, so a failure never leaves half a WARC.
        with partial.open("wb") as handle:
            records = document_warc_write(document, handle)
        partial.replace(out)
        self.stdout.write(f"Wrote {records} WARC record(s) to {out}.")
