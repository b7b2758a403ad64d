"""python manage.py export_provenance CLAIM_ID [--format json|ttl] : a claim's W3C PROV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Claim
from claims.provenance import claim_provenance


class Command(BaseCommand):
    help = "Write a claim's provenance as W3C PROV-JSON or PROV-O Turtle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("claim_id", type=int)
        parser.add_argument("--format", choices=["json", "ttl"], default="json")
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        claim = Claim.objects.filter(pk=options["claim_id"]).first()
        if claim is None:
            raise CommandError(f"No claim {options['claim_id']}: check the id.")
        document = claim_provenance(claim)
        if options["format"] == "ttl":
            text = document.serialize(format="rdf", rdf_format="turtle")
        else:
            text = document.serialize(format="json", indent=2)
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote the provenance of claim {claim.pk} to {options['out']}.")
        else:
            self.stdout.write(text)
