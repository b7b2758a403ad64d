"""Integrity alerts are visible to the desk over the API, not to API readers."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from claims.integrity import snapshots_check
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tampered_snapshot_shows_up_as_an_open_alert(checker_api, reader_api):
    snapshot = ingest_text().snapshot
    with open(default_storage.path(snapshot.raw.name), "ab") as handle:
        handle.write(b"tampered")
    snapshots_check()

    response = checker_api.get("/api/v1/alerts/", {"open": "true"})

    assert response.status_code == 200
    [alert] = response.json()["results"]
    assert alert["kind"] == "bytes_changed" and alert["snapshot"] == snapshot.pk
    assert alert["resolved_at"] is None
    assert reader_api.get("/api/v1/alerts/").status_code == 403
