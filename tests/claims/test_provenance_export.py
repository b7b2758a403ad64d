from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from prov.model import ProvDocument

from claims.models import Claim
from claims.workflow import claim_transition
from tests.factories import ingest_text

pytestmark = pytest.mark.django_db(transaction=True)

REPORT = (
    "Officials said 48 residents were evacuated from the village.[1]\n\nEndnotes\n"
    "[1] https://t.me/regional_admin/4411\n"
)


def export(claim_id: int, *args: str) -> str:
    out = StringIO()
    call_command("export_provenance", str(claim_id), *args, stdout=out)
    return out.getvalue()


def records(document: ProvDocument, kind: str) -> list:
    return [r for r in document.get_records() if r.get_type().localpart == kind]


def test_the_provenance_reads_back_with_the_chain_from_source_to_decision(checker):
    snapshot = ingest_text(REPORT).snapshot
    claim = Claim.objects.get(quote="48")
    claim_transition(
        claim=claim, actor=checker, to_status="in_review", rationale="look", origin="admin"
    )

    document = ProvDocument.deserialize(content=export(claim.pk), format="json")

    entities = {str(r.identifier): r for r in records(document, "Entity")}
    snapshot_entity = entities[f"cv:snapshot/{snapshot.pk}"]
    assert snapshot.sha256 in {str(v) for _, v in snapshot_entity.attributes}
    assert f"cv:claim/{claim.pk}" in entities
    activities = [str(r.identifier) for r in records(document, "Activity")]
    assert any("extraction" in a for a in activities) and any("review" in a for a in activities)
    agents = {str(r.identifier) for r in records(document, "Agent")}
    assert f"cv:person/{checker.pk}" in agents or any("fatima" in a for a in agents)
    quoted = records(document, "Derivation")
    cited = [r for r in quoted if "t.me" in str(r.formal_attributes) or "cited" in str(r)]
    assert cited, "the citation chain (wasQuotedFrom / hadPrimarySource) is missing"


def test_turtle_output_is_written_to_a_file(tmp_path):
    ingest_text(REPORT)
    claim = Claim.objects.get(quote="48")
    out = tmp_path / "claim.ttl"

    message = export(claim.pk, "--format", "ttl", "--out", str(out))

    assert "Wrote the provenance" in message
    text = out.read_text()
    assert "@prefix prov:" in text and "prov:qualifiedGeneration" in text


def test_an_unknown_claim_is_a_clear_error():
    with pytest.raises(CommandError, match="No claim 999"):
        export(999)
