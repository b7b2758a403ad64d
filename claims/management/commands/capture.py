"""python manage.py capture URL [--source NAME] : fetch a page safely and extract its claims."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.capture import url_capture_request
from sources.readers import CaptureError


class Command(BaseCommand):
    help = "Capture a URL: fetch it with the safe client, snapshot it, extract its claims."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url")
        parser.add_argument("--source", default="", help="who published it (default: the host)")
        parser.add_argument("--title", default="")
        parser.add_argument("--published", help="publication date, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        published = None
        if options["published"]:
            try:
                published = date.fromisoformat(options["published"])
            except ValueError:
                raise CommandError("--published must be a date: YYYY-MM-DD") from None
        try:
            job = url_capture_request(
                url=options["url"],
                origin="command",
                source_name=options["source"],
                title=options["title"],
                published=published,
            )
        except CaptureError as exc:
            raise CommandError(str(exc)) from None
        job.refresh_from_db()
        if job.state == job.State.FAILED:
            raise CommandError(f"Capture refused: {job.last_error}")
        detail = ""
        if job.state == job.State.SUCCEEDED:
            result = job.result
            detail = (
                f": snapshot {result['snapshot']} of {result['final_url']} "
                f"({'new' if result['created'] else 'unchanged, nothing new stored'})"
            )
        self.stdout.write(f"Capture job {job.pk} {job.state}{detail}.")
