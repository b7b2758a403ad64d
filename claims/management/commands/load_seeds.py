"""python manage.py load_seeds : load the documents in seeds/ with their metadata."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.services import document_ingest
from sources.history import tracked_change
from sources.models import Source


class Command(BaseCommand):
    help = "Load the seed documents listed in seeds/seeds.json and extract their claims."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", default=str(settings.BASE_DIR / "seeds"), help="folder with seeds.json"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["dir"])
        manifest = folder / "seeds.json"
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{manifest}: no seed manifest there.") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{manifest} is not valid JSON: {exc}") from None
        for entry in entries:
            path = folder / entry["file"]
            if not path.is_file():
                raise CommandError(f"{path}: listed in {manifest} but missing.")
            self._ensure_source(entry)
            result = document_ingest(
                raw=path.read_bytes(),
                name=path.name,
                source_name=entry["source"],
                title=entry["title"],
                url=entry.get("url", ""),
                published=date.fromisoformat(entry["published"]),
                method="seed",
                origin="seed",
            )
            if result.created:
                assert result.job is not None
                result.job.refresh_from_db()
                self.stdout.write(
                    f"Loaded {path.name}: snapshot {result.snapshot.pk}, "
                    f"extraction job {result.job.pk} {result.job.state}."
                )
            else:
                self.stdout.write(f"{path.name} was loaded before; nothing new was created.")

    def _ensure_source(self, entry: dict[str, str]) -> None:
        if Source.objects.filter(name=entry["source"]).exists():
            return
        with tracked_change(origin="seed", reason=f"source of seed {entry['file']}"):
            Source.objects.create(
                name=entry["source"],
                kind=entry.get("source_kind", "other"),
                homepage=entry.get("source_homepage", ""),
            )
