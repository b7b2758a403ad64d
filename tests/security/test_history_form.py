"""simple-history's "view this version" page must never write (issue 14, point 1)."""

from __future__ import annotations

import pytest

from claims.models import Claim, Evidence
from sources.models import Document, Source
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report():
    return ingest_text()


def _version_url(obj) -> str:
    opts = obj._meta
    history_id = obj.history.order_by("history_id").first().history_id
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/history/{history_id}/"


def test_a_fact_checker_cannot_regrade_a_source_through_its_history_form(client, report, checker):
    source = Source.objects.get()
    client.force_login(checker)

    response = client.post(
        _version_url(source),
        {"name": source.name, "kind": source.kind, "reliability": "A", "change_reason": "x"},
    )

    assert response.status_code == 403
    source.refresh_from_db()
    assert source.reliability != "A"
    assert source.history.count() == 1


def test_an_editor_cannot_rewrite_a_document_through_its_history_form(client, report, editor):
    # Reverts are disabled (SIMPLE_HISTORY_REVERT_DISABLED): restoring goes through the
    # workflow's own page, so even someone allowed to change the record is refused here.
    document = Document.objects.get()
    client.force_login(editor)

    response = client.post(
        _version_url(document),
        {
            "source": document.source_id,
            "title": document.title,
            "url": "http://169.254.169.254/latest/meta-data/",
            "refetch_every_hours": 1,
            "change_reason": "x",
        },
    )

    assert response.status_code == 403
    document.refresh_from_db()
    assert document.url == ""


def test_moving_evidence_through_its_history_form_is_refused(client, report, checker):
    evidence = Evidence.objects.order_by("id").first()
    other = Claim.objects.exclude(pk=evidence.claim_id).first()
    client.force_login(checker)

    response = client.post(
        _version_url(evidence),
        {
            "claim": other.pk,
            "snapshot": evidence.snapshot_id,
            "exact": "forged",
            "change_reason": "x",
        },
    )

    assert response.status_code == 403
    evidence.refresh_from_db()
    assert (evidence.claim_id, evidence.exact) != (other.pk, "forged")


def test_the_claim_history_form_refuses_a_post_instead_of_failing(client, report, editor):
    claim = Claim.objects.order_by("id").first()
    client.force_login(editor)

    response = client.post(_version_url(claim), {"value": 999999, "change_reason": "x"})

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.value != 999999


def test_the_history_form_still_shows_an_old_version_read_only(client, report, checker):
    source = Source.objects.get()
    client.force_login(checker)

    response = client.get(_version_url(source))

    assert response.status_code == 200
    assert b'name="_save"' not in response.content


def test_a_version_id_that_is_not_a_number_is_not_found(client, report, editor):
    client.force_login(editor)
    source = Source.objects.get()

    assert client.get(f"/admin/sources/source/{source.pk}/history/x/").status_code == 404
