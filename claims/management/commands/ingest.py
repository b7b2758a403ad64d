"""python manage.py ingest PATH... : capture report files and extract their claims.

It follows each extraction job to its end with a progress bar (on a terminal; plain lines
otherwise) and prints its outcome; --no-wait returns as soon as the jobs are queued.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from claims.models import Job
from claims.services import document_ingest
from sources.models import Snapshot
from sources.readers import CaptureError
from sources.services import decode_document


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--published {value!r} is not a date: use YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Capture report files as snapshots and extract their claims in a background job."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="text files to ingest")
        parser.add_argument("--source", default="Unknown source", help="who published it")
        parser.add_argument("--title", help="document title (default: the file name)")
        parser.add_argument("--url", default="", help="where the document was published")
        parser.add_argument("--published", type=str, help="publication date, YYYY-MM-DD")
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="return once the jobs are queued instead of following them to their end",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(p) for p in options["paths"]]
        if len(paths) > 1 and (options["title"] or options["url"]):
            raise CommandError("--title and --url describe one document: give a single PATH.")
        published = parse_date(options["published"]) if options["published"] else None
        # Read and check every file before writing anything, so one bad file among many
        # leaves the database as it was.
        payloads = [(path, self._read(path)) for path in paths]
        for path, raw in payloads:
            result = document_ingest(
                raw=raw,
                name=path.name,
                source_name=options["source"],
                title=options["title"] or path.stem,
                url=options["url"],
                published=published,
                method="upload",
                origin="command",
            )
            self._report(path, result.snapshot, result.job, result.created)
            if result.job is not None and not options["no_wait"]:
                self._follow(result.job)

    def _read(self, path: Path) -> bytes:
        if not path.exists():
            raise CommandError(f"{path}: no such file. Check the path and try again.")
        if not path.is_file():
            raise CommandError(f"{path}: not a regular file. Give the path of a text file.")
        raw = path.read_bytes()
        try:
            decode_document(raw, name=str(path))
        except CaptureError as exc:
            raise CommandError(f"{exc} Nothing was ingested.") from None
        return raw

    def _report(self, path: Path, snapshot: Snapshot, job: Job | None, created: bool) -> None:
        document = snapshot.document
        where = f"snapshot {snapshot.pk} of document {document.pk} “{document.title}”"
        if not created:
            self.stdout.write(
                f"{path}: already captured as {where} (sha256 {snapshot.sha256[:16]}…); "
                "nothing new was created."
            )
            return
        assert job is not None
        self.stdout.write(
            f"{path}: captured as {where} (sha256 {snapshot.sha256[:16]}…, "
            f"encoding {snapshot.encoding}); extraction job {job.pk} queued"
        )

    def _follow(self, job: Job) -> None:
        """Show the job's progress until it ends, then print its outcome."""
        console = Console(file=self.stdout._out, stderr=False)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[claims]:,} claims"),
            TimeRemainingColumn(),
        )
        waited_since = time.monotonic()
        hinted = False
        with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
            task = bar.add_task(f"job {job.pk}", total=1.0, claims=0)
            while True:
                job.refresh_from_db()
                bar.update(task, completed=job.progress, claims=job.claims_so_far)
                if job.finished:
                    break
                if job.state == Job.State.QUEUED and not hinted:
                    hinted = time.monotonic() - waited_since > 10
                    if hinted:
                        bar.console.print(
                            f"job {job.pk} is still queued: is a worker running (`make run`, "
                            "or `celery -A config worker`)? Ctrl-C stops waiting; the job "
                            "stays queued."
                        )
                time.sleep(0.5)
        line = f"extraction job {job.pk} {job.state}"
        if job.state == Job.State.SUCCEEDED:
            line += f": {job.result.get('created', 0)} claims"
            if job.result.get("verify_job"):
                line += f"; verification job {job.result['verify_job']} queued"
            self.stdout.write(self.style.SUCCESS(line))
        else:
            self.stdout.write(f"{line}: {job.last_error}")
