from __future__ import annotations

import hashlib

import pytest
from django.db import DatabaseError, connection, transaction

from sources.models import Snapshot, SnapshotImmutableError
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db


def test_a_snapshot_refuses_to_be_saved_again():
    snapshot = ingest_text().snapshot
    snapshot.text = "rewritten history"
    with pytest.raises(SnapshotImmutableError):
        snapshot.save()


def test_a_snapshot_refuses_a_queryset_update():
    snapshot = ingest_text().snapshot
    with pytest.raises(SnapshotImmutableError):
        Snapshot.objects.filter(pk=snapshot.pk).update(sha256="0" * 64)


def test_the_database_itself_refuses_to_change_a_snapshot():
    snapshot = ingest_text().snapshot
    with (
        pytest.raises(DatabaseError, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE sources_snapshot SET text = %s WHERE id = %s", ["forged", snapshot.pk]
        )
    snapshot.refresh_from_db()
    assert snapshot.text.startswith("Local authorities")


def test_a_snapshot_keeps_the_raw_bytes_and_both_hashes():
    snapshot = ingest_text().snapshot
    with snapshot.raw.open("rb") as handle:
        raw = handle.read()
    assert hashlib.sha256(raw).hexdigest() == snapshot.sha256
    assert hashlib.sha256(snapshot.text.encode()).hexdigest() == snapshot.text_sha256
    assert snapshot.raw.name == f"snapshots/{snapshot.sha256[:2]}/{snapshot.sha256}"
