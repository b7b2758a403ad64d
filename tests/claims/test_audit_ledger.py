"""The tamper-evident audit ledger: every recorded row enters it by the transaction that
wrote the row, the chain never forks, and audit_verify finds what raw SQL changed."""

from __future__ import annotations

import threading
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from rest_framework.test import APIClient

from claims.custody.audit import audit_verify
from claims.custody.ledger import record_label, recorded_models
from claims.custody.models import LedgerEntry, LedgerHead
from claims.models import Claim, Evidence, Review
from sources.history import tracked_change
from sources.models import Document, Snapshot, Source
from tests.factories import REPORT, edit_claim, ingest_text, make_source

pytestmark = pytest.mark.django_db(transaction=True)


def entries_of(model: Any) -> int:
    return LedgerEntry.objects.filter(record=record_label(model)).count()


def assert_every_row_recorded() -> None:
    report = audit_verify()
    assert report.ok, [str(f) for f in report.findings]
    for model in recorded_models():
        rows = model._base_manager.count()
        created = LedgerEntry.objects.filter(record=record_label(model), action="create")
        assert created.count() == rows + entries_of_deleted(model), model


def entries_of_deleted(model: Any) -> int:
    return LedgerEntry.objects.filter(record=record_label(model), action="delete").count()


def test_every_write_path_enters_each_recorded_row_into_the_ledger(
    client, editor, checker, tmp_path, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A command: ingest (snapshot, source, document; the extraction and verification jobs
    # run in-process and write claims and evidence in bulk).
    report = tmp_path / "report.txt"
    report.write_text(REPORT)
    call_command("ingest", str(report), "--source", "Kyiv Independent", stdout=StringIO())
    assert Claim.objects.exists() and Evidence.objects.exists()

    # The admin: a source edited, a claim decided on its page, a bulk action, a claim deleted.
    client.force_login(editor)
    source = Source.objects.get(name="Kyiv Independent")
    response = client.post(
        f"/admin/sources/source/{source.pk}/change/",
        {
            "name": source.name,
            "kind": "media",
            "homepage": "",
            "reliability": "B",
            "notes": "",
            "change_reason": "graded after a month of reports",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ids = list(Claim.objects.values_list("pk", flat=True))
    doomed = Claim.objects.get(pk=ids.pop())
    deleted = client.post(f"/admin/claims/claim/{doomed.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not Claim.objects.filter(pk=doomed.pk).exists()
    client.post(
        "/admin/claims/claim/",
        {
            "action": "start_review",
            "_selected_action": ids,
            "apply": "1",
            "to_status": "in_review",
            "rationale": "morning batch",
        },
    )
    assert Review.objects.filter(to_status="in_review").count() == len(ids)

    # A service call as the desk makes it, and the API: a decision by PATCH, a document POST.
    claim = Claim.objects.get(pk=ids[0])
    edit_claim(claim, editor, reason="subject from the follow-up", subject="village residents")
    api = APIClient()
    api.force_login(checker)
    etag = api.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    response = api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"status": "verified", "confidence": "likely", "rationale": "the governor confirmed it"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    api.force_login(editor)
    response = api.post(
        "/api/v1/documents/",
        {"text": "Officials said 12 homes were damaged in Kharkiv.", "source": "Ministry"},
        format="json",
    )
    assert response.status_code == 202, response.json()

    # Commands that rewrite many claims: every claim verified again, in bulk.
    call_command("verify_all", stdout=StringIO())

    for model in recorded_models():
        assert model._base_manager.exists(), f"no path wrote {record_label(model)}"
    assert entries_of_deleted(Claim.history.model) == 0  # history rows are never deleted
    assert_every_row_recorded()


def test_entries_commit_with_their_rows_or_not_at_all(editor):
    source = make_source("Regional news")
    before = LedgerEntry.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        with tracked_change(origin="command", reason="a change that fails later"):
            source.notes = "will not stay"
            source.save()
        raise RuntimeError("the job failed after saving")

    with transaction.atomic(), tracked_change(origin="command", reason="kept"):
        source.notes = "stays"
        source.save()
        try:
            with transaction.atomic():
                make_source("Rolled back")
                raise RuntimeError("the inner step failed")
        except RuntimeError:
            pass

    kept = LedgerEntry.objects.filter(seq__gt=before)
    assert list(kept.values_list("record", flat=True)) == ["sources.historicalsource"]
    assert not Source.objects.filter(name="Rolled back").exists()
    assert_every_row_recorded()


def test_one_transaction_takes_the_chain_head_once_and_writes_its_entries_in_bulk():
    make_source("warm-up")
    result = ingest_text()  # snapshot, document, source: entries at commit
    assert result.snapshot.pk
    sources = [Source(name=f"outlet {i}") for i in range(300)]
    from simple_history.utils import bulk_create_with_history

    from sources.history import bulk_history_attrs

    statements: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return execute(sql, *args)

    with (
        tracked_change(origin="command", reason="bulk"),
        connection.execute_wrapper(count),
        transaction.atomic(),
    ):
        bulk_create_with_history(sources, Source, batch_size=500, **bulk_history_attrs())
    head = [s for s in statements if "claims_ledgerhead" in s]
    inserts = [s for s in statements if s.startswith('INSERT INTO "claims_ledgerentry"')]
    # The head read once (FOR UPDATE on PostgreSQL) and moved once; 300 entries in one
    # INSERT (SQLite splits it at its limit of bound variables: 4 here).
    assert len(head) == 2, head
    assert 1 <= len(inserts) <= 4, inserts
    assert entries_of(Source.history.model) == 302  # with warm-up and the report's
    assert_every_row_recorded()


def test_audit_verify_names_a_history_row_and_a_snapshot_hash_changed_by_raw_sql(editor):
    result = ingest_text()
    snapshot = result.snapshot
    claim = Claim.objects.order_by("pk").first()
    edit_claim(claim, editor, reason="a later edit", subject="villagers")
    call_command("audit_verify", stdout=StringIO())  # intact before

    first_version = claim.history.order_by("history_id").first()
    history_entry = LedgerEntry.objects.get(
        record="claims.historicalclaim", object_id=first_version.history_id
    )
    snapshot_entry = LedgerEntry.objects.get(record="sources.snapshot", object_id=snapshot.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_historicalclaim SET value = 4800 WHERE history_id = %s",
            [first_version.history_id],
        )
        guard = "sources_snapshot_immutable"
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE sources_snapshot DISABLE TRIGGER {guard}")
        else:
            cursor.execute(f"DROP TRIGGER {guard}")
        cursor.execute(
            "UPDATE sources_snapshot SET sha256 = %s WHERE id = %s", ["0" * 64, snapshot.pk]
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE sources_snapshot ENABLE TRIGGER {guard}")
    if connection.vendor == "sqlite":
        from sources.immutability import install_snapshot_guard

        install_snapshot_guard()

    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("audit_verify", stdout=out)

    first = min(history_entry.seq, snapshot_entry.seq)
    assert f"the first: entry {first} " in str(refused.value)
    lines = out.getvalue().splitlines()
    assert any(
        line.startswith(f"entry {history_entry.seq} (claims.historicalclaim") and "altered" in line
        for line in lines
    ), lines
    assert any(
        line.startswith(f"entry {snapshot_entry.seq} (sources.snapshot") and "altered" in line
        for line in lines
    ), lines


def test_audit_verify_finds_a_changed_entry_and_a_removed_tail():
    ingest_text()
    last = LedgerHead.objects.get().seq
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_ledgerentry SET action = 'delete' WHERE seq = 2")
        cursor.execute("DELETE FROM claims_ledgerentry WHERE seq = %s", [last])

    problems = [str(f) for f in audit_verify().findings]

    assert problems[0].startswith("entry 2 ") and "the entry was altered" in problems[0]
    assert any("entries were removed from the end" in p for p in problems), problems


def test_a_history_row_written_by_raw_sql_is_named_as_unrecorded():
    source = make_source("Regional news")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sources_historicalsource (id, name, kind, homepage, reliability, notes,"
            " created_at, updated_at, history_date, history_change_reason, history_type, origin)"
            " VALUES (%s, 'Regional news', 'other', '', 'A', '', %s, %s, %s, 'backdated', '~',"
            " 'admin')",
            [source.pk, "2025-01-01 00:00:00", "2025-01-01 00:00:00", "2025-01-02 00:00:00"],
        )

    findings = audit_verify().findings

    assert [f.problem for f in findings] == ["a row no ledger entry records"]
    assert findings[0].record == "sources.historicalsource"


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="threads share no in-memory SQLite database; SQLite writers are serialised by "
    "BEGIN IMMEDIATE (test_sqlite_writers_in_two_processes_never_fork_the_chain)",
)
def test_concurrent_writers_on_postgresql_never_fork_the_chain():
    sources = [make_source(f"outlet {i}") for i in range(4)]
    rounds = 15
    start = threading.Barrier(len(sources))
    errors: list[BaseException] = []

    def writer(source_id: int) -> None:
        from django.db import connection as own

        try:
            start.wait()
            for i in range(rounds):
                with transaction.atomic(), tracked_change(origin="task", reason=f"round {i}"):
                    source = Source.objects.select_for_update().get(pk=source_id)
                    source.notes = f"round {i}"
                    source.save()
        except BaseException as error:
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=writer, args=(s.pk,)) for s in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    seqs = list(LedgerEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) == len(sources) * (rounds + 1)
    prevs = list(LedgerEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(prevs)) == len(prevs)  # no two entries chained onto the same one
    assert_every_row_recorded()


def test_documents_and_snapshots_are_recorded_once_each():
    ingest_text()
    ingest_text()  # the same bytes: nothing new, no new entries
    assert entries_of(Snapshot) == Snapshot.objects.count() == 1
    assert entries_of(Document.history.model) == 1
    assert_every_row_recorded()


WRITER = """
import pathlib, sys, time
from django.db import transaction
from sources.history import tracked_change
from sources.models import Source
name, folder = sys.argv[-1], pathlib.Path(sys.argv[-2])
with tracked_change(origin="command", reason="setup"):
    source = Source.objects.create(name=name)
(folder / name).touch()
while not (folder / "go").exists():  # both writers start together
    time.sleep(0.01)
for i in range(100):
    with transaction.atomic(), tracked_change(origin="task", reason=f"round {i}"):
        source.notes = f"round {i}"
        source.save()
"""


@pytest.mark.django_db(transaction=False)
def test_sqlite_writers_in_two_processes_never_fork_the_chain(tmp_path):
    import os
    import sqlite3
    import subprocess
    import sys
    import time

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import django,os,runpy,sys;"
                "os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');"
                f"django.setup();sys.argv=['w',{str(tmp_path)!r},'{name}'];"
                f"runpy.run_path({str(script)!r})",
            ],
            env=env,
        )
        for name in ("first writer", "second writer")
    ]
    deadline = time.monotonic() + 120
    while not all((tmp_path / n).exists() for n in ("first writer", "second writer")):
        assert time.monotonic() < deadline and all(w.poll() is None for w in writers)
        time.sleep(0.05)
    (tmp_path / "go").touch()
    assert [w.wait(timeout=300) for w in writers] == [0, 0]

    verified = subprocess.run(
        [*manage, "audit_verify"], env=env, capture_output=True, text=True, timeout=300
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    with sqlite3.connect(tmp_path / "ledger.sqlite3") as db:
        seqs = [r[0] for r in db.execute("SELECT seq FROM claims_ledgerentry ORDER BY seq")]
        prevs = [r[0] for r in db.execute("SELECT prev_hash FROM claims_ledgerentry")]
    assert seqs == list(range(1, 203))
    assert len(set(prevs)) == 202
