"""Hand hostile files to the service the way a person or a tool would, in a process of its own,
and say what each got back and how much memory the whole process took for it.

Run by tests/security/test_hostile_files.py:

    python -m tests.security.hostile_child PATH CASES_DIR RESULTS_JSON

PATH is `command` (manage.py ingest), `api` (a multipart upload), `api-paste` (JSON text),
`admin` (the ingest page's upload) or `admin-paste` (its text box). CASES_DIR holds one file
per case. The environment names the test database, MEDIA_ROOT, MAX_DOCUMENT_BYTES, and the
editor (HOSTILE_EDITOR) and API key (HOSTILE_KEY) to act as.

Django starts once and is warmed up through the same path (an empty file, refused); then
each case runs in a fork of that process, so it starts with what a running server holds and
its peak resident memory (VmHWM, reset through /proc/self/clear_refs) is its own.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any


def _memory() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in bytes."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values


def _reset_peak() -> int:
    """Make the current resident size the peak (Linux: clear_refs 5); returns it."""
    Path("/proc/self/clear_refs").write_text("5")
    return _memory()["VmRSS"]


def _rows() -> dict[str, int]:
    from django.apps import apps

    counted = ("sources.Source", "sources.Document", "sources.Snapshot")
    counted += ("claims.Claim", "claims.Evidence", "claims.Job")
    rows = {label: apps.get_model(label).objects.count() for label in counted}
    for label in ("sources.Source", "sources.Document", "claims.Claim", "claims.Evidence"):
        rows[label + " history"] = apps.get_model(label).history.count()
    return rows


def _stored_files() -> int:
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "snapshots"
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def _text_of(page: str) -> str:
    # The page's text as a person reads it, less what they typed into the text box.
    page = re.sub(r"<textarea[^>]*>.*?</textarea>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _command(path: Path) -> tuple[int, str]:
    from django.core.management import ManagementUtility

    err, out = io.StringIO(), io.StringIO()
    argv = ["manage.py", "ingest", "--no-wait", "--source", "Hostile", str(path)]
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            ManagementUtility(argv).execute()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, err.getvalue() + out.getvalue()


def _api(path: Path, *, paste: bool) -> tuple[int, str]:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {os.environ['HOSTILE_KEY']}")
    raw = path.read_bytes()
    if paste:
        body = {"text": raw.decode("utf-8"), "source": "Hostile", "title": path.name}
        response = client.post("/api/v1/documents/", body, format="json")
    else:
        with path.open("rb") as upload:
            body = {"file": upload, "source": "Hostile", "title": path.name}
            response = client.post("/api/v1/documents/", body, format="multipart")
    return response.status_code, response.content.decode("utf-8", "replace")


def _admin(path: Path, *, paste: bool) -> tuple[int, str]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=os.environ["HOSTILE_EDITOR"]))
    url = "/admin/claims/claim/ingest/"
    if paste:
        text = path.read_bytes().decode("utf-8")
        response = client.post(url, {"text": text, "source": "Hostile"})
    else:
        with path.open("rb") as upload:
            response = client.post(url, {"file": upload, "source": "Hostile"})
    return response.status_code, _text_of(response.content.decode("utf-8", "replace"))


def _submit(kind: str, path: Path) -> tuple[int, str]:
    if kind == "command":
        return _command(path)
    if kind in ("api", "api-paste"):
        return _api(path, paste=kind == "api-paste")
    return _admin(path, paste=kind == "admin-paste")


def _run_case(kind: str, path: Path) -> dict[str, Any]:
    from django.db import connection

    rows, files = _rows(), _stored_files()
    connection.close()  # the request opens its own, as a server's would
    start = _reset_peak()
    began = time.monotonic()
    status, answer = _submit(kind, path)
    peak = _memory()["VmHWM"]
    return {
        "seconds": round(time.monotonic() - began, 2),
        "status": status,
        "answer": answer[-4000:],
        "peak_growth": peak - start,
        "rss_at_start": start,
        "rows_before": rows,
        "rows_after": _rows(),
        "files_before": files,
        "files_after": _stored_files(),
    }


def main(kind: str, cases: Path, results: Path) -> None:
    import django
    from django.test.utils import override_settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings

    # What tests/conftest.py sets for the test client: plain HTTP, no collected static files.
    override_settings(
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    # Warm up: the readers' libraries loaded, the path's views, templates and serializers
    # used once, as in a server that has been answering for a while.
    import pypdf  # noqa: F401
    import trafilatura  # noqa: F401

    empty = cases.parent / "warm-up.txt"
    empty.write_bytes(b"")
    _submit(kind, empty)

    from django.db import connection

    out: dict[str, Any] = {}
    for path in sorted(cases.iterdir()):
        connection.close()  # never share a database connection with a fork
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            try:
                result = _run_case(kind, path)
            except BaseException as exc:  # a crash is a result the test reports
                result = {"crash": f"{type(exc).__name__}: {exc}"}
            with os.fdopen(writer, "w") as pipe:
                json.dump(result, pipe)
            os._exit(0)
        os.close(writer)
        with os.fdopen(reader) as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        out[path.name] = json.loads(data) if data else {"crash": f"exit status {status}"}
    results.write_text(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
