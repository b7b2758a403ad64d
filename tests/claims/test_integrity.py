from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from claims.integrity import snapshots_check
from claims.models import Alert, Evidence, Job
from claims.tasks import periodic_job
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_clean_archive_raises_no_alert_and_a_second_run_changes_nothing():
    ingest_text()
    assert snapshots_check() == {"snapshots": 1, "new_alerts": 0}
    assert snapshots_check() == {"snapshots": 1, "new_alerts": 0}
    assert not Alert.objects.exists()


def test_tampered_bytes_raise_an_alert_once_and_are_not_repaired():
    snapshot = ingest_text().snapshot
    path = default_storage.path(snapshot.raw.name)
    with open(path, "ab") as handle:
        handle.write(b"tampered")

    first = snapshots_check()
    second = snapshots_check()

    assert (first["new_alerts"], second["new_alerts"]) == (1, 0)
    alert = Alert.objects.get()
    assert alert.kind == "bytes_changed" and alert.snapshot == snapshot
    with open(path, "rb") as handle:
        assert handle.read().endswith(b"tampered")  # left as found, for people to look at


def test_a_missing_file_and_a_moved_quote_are_both_reported():
    snapshot = ingest_text().snapshot
    default_storage.delete(snapshot.raw.name)
    evidence = Evidence.objects.first()
    # Forge the evidence position behind the ORM's back, as corruption would.
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE claims_evidence SET "start" = "start" + 1 WHERE id = %s', [evidence.pk]
        )

    snapshots_check()

    kinds = set(Alert.objects.values_list("kind", flat=True))
    assert kinds == {"file_missing", "quote_mismatch"}
    assert Alert.objects.get(kind="quote_mismatch").evidence_id == evidence.pk


def test_the_periodic_task_records_the_check_as_a_job():
    ingest_text()
    job_id = periodic_job(kind="integrity_check")

    job = Job.objects.get(pk=job_id)
    assert (job.kind, job.state, job.origin) == ("integrity_check", "succeeded", "task")
    assert job.result == {"snapshots": 1, "new_alerts": 0}


def test_the_command_reports_what_it_checked():
    ingest_text()
    out = StringIO()
    call_command("check_integrity", stdout=out)
    assert "Checked 1 snapshot(s): 0 new alert(s), 0 open in all." in out.getvalue()
