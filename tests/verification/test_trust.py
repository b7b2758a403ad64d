"""Verification a desk can trust, through the service: the right relations, few of them, and
scores that move only through them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from claims.models import Claim, ClaimBlockingKey, ClaimRelation
from claims.selectors import claim_lineage, claim_related
from claims.verification import claims_verify
from claims.verification import services as verification
from claims.verification.bench import ingest_set, stored_found
from claims.verification.index import candidate_sql
from claims.workflow import claim_transition
from tests.factories import ingest_text
from verifier.linking import CANDIDATE_CAP, MAX_RELATIONS
from verifier.relbench import evaluate

pytestmark = pytest.mark.django_db(transaction=True)
BENCH = Path(__file__).resolve().parent / "bench"


def _outlet(i: int) -> str:
    # Letters, not digits: "outlet 7 said" would be a figure of its own.
    return "Outlet " + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 26] * (1 + i // 26)


def _bench(name: str) -> dict:
    return json.loads((BENCH / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["reports.json", "heldout.json"])
def test_the_stored_relations_of_the_bench_set_meet_the_targets(name):
    data = _bench(name)
    ingest_set(data)

    outcome = evaluate(data, stored_found(data))

    figures = outcome.figures
    assert figures["recall"] >= 0.9, outcome.missed
    assert figures["precision"] >= 0.9, outcome.false
    assert figures["kind_accuracy"] >= 0.9, outcome.wrong_kind
    assert figures["trap_false_rate"] <= 0.05, outcome.traps
    assert figures["relations_per_related_pair"] <= 3


def _kharkiv() -> dict[str, Claim]:
    data = _bench("reports.json")
    data["documents"] = [d for d in data["documents"] if d["id"].startswith("kharkiv")]
    ingest_set(data)
    claims = Claim.objects.filter(kind="quantitative").select_related("extracted_from__document")
    return {f"{c.extracted_from.document.title[11:]}:{c.quote}": c for c in claims}


def test_killed_and_wounded_of_one_attack_never_relate_and_context_is_stored_as_inherited():
    claims = _kharkiv()
    killed, wounded = claims["kharkiv-kd:14"], claims["kharkiv-kd:52"]
    other_wounded = claims["kharkiv-lp:52"]

    assert (killed.role, wounded.role) == ("killed", "wounded")
    assert not ClaimRelation.objects.filter(claim=killed, other=other_wounded).exists()
    assert not ClaimRelation.objects.filter(claim=killed, other=wounded).exists()
    assert ClaimRelation.objects.get(claim=wounded, other=other_wounded).kind == "same"
    # Lviv Post names Kharkiv only in its first sentence: the claim inherits it, as inherited.
    assert other_wounded.places == []
    assert other_wounded.inherited["places"] == ["Kharkiv"]
    assert other_wounded.inherited["from"]["places"] == "an earlier sentence of the paragraph"


def test_a_decision_moves_another_score_only_through_a_relation_and_names_it(checker, editor):
    claims = _kharkiv()
    killed, wounded, same_wounded = (
        claims["kharkiv-kd:14"],
        claims["kharkiv-kd:52"],
        claims["kharkiv-lp:52"],
    )
    before = {c.pk: Claim.objects.get(pk=c.pk).machine_score for c in (wounded, same_wounded)}

    for status in ("in_review", "verified"):
        claim_transition(
            claim=Claim.objects.get(pk=killed.pk), actor=checker, to_status=status,
            rationale="checked", confidence="likely" if status == "verified" else "",
            origin="admin",
        )  # fmt: skip
    assert Claim.objects.get(pk=wounded.pk).machine_score == before[wounded.pk]

    for status in ("in_review", "verified"):
        claim_transition(
            claim=Claim.objects.get(pk=wounded.pk), actor=checker, to_status=status,
            rationale="checked", confidence="likely" if status == "verified" else "",
            origin="admin",
        )  # fmt: skip
    after = Claim.objects.get(pk=same_wounded.pk)
    assert after.machine_score > before[same_wounded.pk]
    assert f"claim {wounded.pk} verified by a reviewer supports it (same:" in (
        after.machine_explanation
    )


def test_within_one_report_only_an_explicit_part_is_related():
    claims = _kharkiv()
    kd = {k: c for k, c in claims.items() if k.startswith("kharkiv-kd")}
    inside = ClaimRelation.objects.filter(claim__in=kd.values(), other__in=kd.values()).values_list(
        "claim_id", "other_id", "kind"
    )
    assert set(inside) == {
        (kd["kharkiv-kd:9"].pk, kd["kharkiv-kd:52"].pk, "part_of"),
        (kd["kharkiv-kd:52"].pk, kd["kharkiv-kd:9"].pk, "contains"),
    }


def test_a_claim_keeps_at_most_the_bounded_number_of_relations_and_the_page_counts_the_rest():
    for i in range(MAX_RELATIONS + 8):
        ingest_text(
            f"Russian shelling killed 14 civilians in Kharkiv on March 3, {_outlet(i)} said.\n",
            name=f"r{i}.txt", source=f"Outlet {i}", title=f"report {i}",
            published=date(2025, 3, 4),
        )  # fmt: skip
    counts = [
        Claim.objects.get(pk=pk).relations.count()
        for pk in Claim.objects.values_list("id", flat=True)
    ]
    assert max(counts) == MAX_RELATIONS
    first = Claim.objects.order_by("id").first()
    related = claim_related(first, limit=5)
    assert [r["kind"] for r in related.shown] == ["same"] * 5
    assert related.rest == {"same": related.total - 5}
    assert related.total == MAX_RELATIONS


def test_groups_stop_growing_at_the_cap(monkeypatch):
    monkeypatch.setattr(verification, "GROUP_CAP", 4)
    for i in range(9):
        ingest_text(
            f"Russian shelling killed 14 civilians in Kharkiv on March 3, {_outlet(i)} said.\n",
            name=f"r{i}.txt", source=f"Outlet {i}", title=f"report {i}",
            published=date(2025, 3, 4),
        )  # fmt: skip
    sizes = {}
    for group_id in Claim.objects.values_list("group_id", flat=True):
        sizes[group_id] = sizes.get(group_id, 0) + 1
    assert max(sizes.values()) == 4
    assert None not in sizes


def test_a_running_total_lowered_by_its_own_source_is_a_revision_to_review():
    data = _bench("reports.json")
    data["documents"] = [d for d in data["documents"] if d["id"].startswith("luhansk")]
    ingest_set(data)
    by_quote = {c.quote: c for c in Claim.objects.filter(kind="quantitative")}
    lowered, earlier = by_quote["1,250"], by_quote["more than 1,400"]

    relation = ClaimRelation.objects.get(claim=lowered, other=earlier)
    assert relation.kind == "revision"
    assert "a revision to review" in relation.explanation
    assert "revision to review with claim" in Claim.objects.get(pk=lowered.pk).machine_explanation
    grew = ClaimRelation.objects.get(claim=earlier, other=by_quote["over 1,200"])
    assert grew.kind == "consistent" and "running total" in grew.explanation
    # One fact, one group: the lineage shows the series as it was reported.
    series = claim_lineage(Claim.objects.get(pk=earlier.pk).group)
    assert [(p.reported.isoformat(), p.lower) for p in series] == [
        ("2025-03-01", 1200),
        ("2025-04-01", 1400),
        ("2025-04-05", 1400),
        ("2025-05-01", 1250),
    ]


def test_rival_figures_of_opposing_parties_contradict_with_the_attribution_in_the_score():
    data = _bench("reports.json")
    data["documents"] = [d for d in data["documents"] if d["id"].startswith("pokrovsk")]
    ingest_set(data)
    kyiv = Claim.objects.get(quote="4", extracted_from__document__title="bench set: pokrovsk-kd")
    moscow = Claim.objects.get(extracted_from__document__title="bench set: pokrovsk-mw")

    relation = ClaimRelation.objects.get(claim=kyiv, other=moscow)
    assert relation.kind == "contradicts"
    assert "according to The Russian Defense Ministry" in relation.explanation
    explanation = Claim.objects.get(pk=kyiv.pk).machine_explanation
    assert f"contradicted by claim {moscow.pk} from Moscow Wire (graded E, according to" in (
        explanation
    )


def test_verifying_again_writes_nothing():
    data = _bench("reports.json")
    data["documents"] = data["documents"][:12]
    ingest_set(data)
    ids = list(Claim.objects.values_list("id", flat=True))
    relations = set(ClaimRelation.objects.values_list("claim_id", "other_id", "kind"))
    history = Claim.history.count()

    result = claims_verify(claim_ids=ids)

    assert result["relations_written"] == 0 and result["claims_written"] == 0
    assert set(ClaimRelation.objects.values_list("claim_id", "other_id", "kind")) == relations
    assert Claim.history.count() == history


@pytest.mark.services
def test_candidates_are_read_through_the_blocking_key_index_not_a_scan_of_claims():
    if connection.vendor != "postgresql":
        pytest.skip("the query plan is PostgreSQL's")
    ingest_text("Russian shelling killed 14 civilians in Kharkiv on March 3.\n")
    row = ClaimBlockingKey.objects.values("key", "document_id", "claim_id").first()
    params = [[row["key"]], [row["document_id"]], [row["claim_id"] - 40], [row["claim_id"] + 40]]
    with connection.cursor() as cursor:
        # Plans for a big table on a small one: a range that cannot be read in index order
        # would show a Sort even so.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        cursor.execute("SET enable_sort = off")
        cursor.execute(
            f"EXPLAIN {candidate_sql(ClaimBlockingKey._meta.db_table)}",
            [*params, CANDIDATE_CAP, CANDIDATE_CAP, CANDIDATE_CAP],
        )
        plan = "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute("RESET ALL")
    # Other documents' newest claims: bounded backward range scans of (key, document, claim).
    assert plan.count("Index Only Scan Backward using blocking_key_document_claim") >= 3, plan
    assert "Sort" not in plan, "the newest come in index order, nothing is sorted"
    assert "claims_claim " not in plan, "the claim table itself is not read"


def test_a_long_reports_own_claims_leave_the_candidate_slots_to_other_documents():
    ingest_text(
        "Russian shelling killed 14 civilians in Kharkiv on March 3, Outlet A said.\n",
        name="first.txt", source="Outlet A", title="first", published=date(2025, 3, 4),
    )  # fmt: skip
    # A later report names the same deaths once, among far more figures than the cap under
    # the same key (killed in Kharkiv in 2025) on other days.
    days = [
        f"On February {d}, shelling killed {d + 20} civilians in Kharkiv." for d in range(1, 28)
    ]
    days += [
        f"On January {d}, shelling killed {d + 50} civilians in Kharkiv." for d in range(1, 31)
    ]
    text = "Russian shelling killed 14 civilians in Kharkiv on March 3.\n\n" + "\n\n".join(days)
    ingest_text(text, name="long.txt", source="Outlet B", title="long", published=date(2025, 3, 10))
    assert Claim.objects.filter(extracted_from__document__title="long").count() > CANDIDATE_CAP
    first = Claim.objects.get(extracted_from__document__title="first")
    again = Claim.objects.get(extracted_from__document__title="long", quote="14")

    assert ClaimRelation.objects.get(claim=again, other=first).kind == "same"


def test_the_claim_page_lists_the_most_similar_relations_and_counts_the_rest(client, editor):
    for i in range(14):
        ingest_text(
            f"Russian shelling killed 14 civilians in Kharkiv on March 3, {_outlet(i)} said.\n",
            name=f"r{i}.txt", source=f"Outlet {i}", title=f"report {i}",
            published=date(2025, 3, 4),
        )  # fmt: skip
    claim = Claim.objects.order_by("id").first()
    client.force_login(editor)

    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()

    assert page.count('<td class="relation-same">Same claim</td>') == 10
    assert "and 3 more not shown: 3 same claim" in page


def test_each_score_written_in_bulk_has_its_history_row_saying_who_where_and_why():
    ingest_text(
        "Russian shelling killed 14 civilians in Kharkiv on March 3, Outlet A said.\n",
        name="a.txt", source="Outlet A", title="a", published=date(2025, 3, 4),
    )  # fmt: skip
    ingest_text(
        "Russian shelling killed 14 civilians in Kharkiv on March 3, Outlet B said.\n",
        name="b.txt", source="Outlet B", title="b", published=date(2025, 3, 5),
    )  # fmt: skip
    first = Claim.objects.get(extracted_from__document__title="a")

    row = first.history.first()  # the newest: the second report's verification rescored it
    assert (row.history_type, row.origin, row.history_user_id) == ("~", "task", None)
    assert row.history_change_reason.startswith("verification by engine")
    # The row is the claim as stored after the change, every field of it.
    fields = ["machine_score", "machine_explanation", "corroborations", "group_id"]
    fields += ["statement", "quote", "places", "inherited", "updated_at", "version"]
    for field in fields:
        assert getattr(row, field) == getattr(first, field), field
    assert first.corroborations == 2 and "Outlet B" in first.machine_explanation
