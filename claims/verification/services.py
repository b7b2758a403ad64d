"""Verification writes: relate a batch of claims, keep bounded relations, group, score.

``claims_verify(claim_ids=...)`` works batch by batch (``BATCH`` claims, one short transaction
each), so a document of any size costs time in proportion to its claims:

1. the batch's facts (written fields completed by what each claim inherited from its document)
   are filed under their blocking keys (claims.verification.index);
2. candidates: per key, the newest claims of other documents under it and the claim's
   neighbours in its own document (bounded index range scans, never a scan of the claim
   table; claims.verification.index), the claim an "of them" points to, and the claims it is
   related to already;
3. the engine relates each claim with its candidates (verifier.consistency) and keeps the most
   similar ``MAX_RELATIONS`` (verifier.linking); a partner that would hold more than that keeps
   its most similar ones;
4. under row locks taken in id order, the stored relations of the batch are made equal to the
   kept ones, each claim joins the group of its most similar same / consistent / contradicting
   partner unless that group holds ``GROUP_CAP`` claims, and the batch and its partners are
   scored from their stored relations. Only what changed is written: a second run writes
   nothing. A new contradiction on a verified claim re-opens it for review.

Claims are read as values (claims.verification.facts) and written with their history rows in
a few statements a batch (claims.verification.writes) under ``tracked_change(origin="task")``,
so each change has its history row with who, from where and why; relation and key rows are the
engine's derived data (their engine version says which engine wrote them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

import verifier
from claims.models import Claim, ClaimGroup, ClaimKind, ClaimRelation
from claims.pipeline.bulk import bulk_insert
from claims.verification.facts import STATE_COLUMNS, StoredClaim, load_rows
from claims.verification.index import (
    Place,
    candidate_ids,
    claim_keys,
    keys_write,
    partner_ids,
    whole_ids,
)
from claims.verification.writes import claims_update_with_history
from claims.workflow import claim_reopen_for_contradiction
from sources.history import tracked_change
from verifier.consistency import CONTRADICTS, ClaimFacts, Relation, relate
from verifier.independence import independent_sources
from verifier.linking import GROUP_CAP, GROUPING_KINDS, MAX_RELATIONS, WINDOW, similarity
from verifier.scoring import SUPPORTING, score

logger = logging.getLogger(__name__)

ENGINE = f"verifier {verifier.__version__}"
BATCH = 500  # the verification job's batch too (JOB_VERIFY_BATCH_CLAIMS)


@dataclass(frozen=True, slots=True)
class Kept:
    a: int
    b: int
    kind: str
    explanation: str
    similarity: float


class Candidates:
    """The candidates read during one verification run (a job's batches): a document's
    batches meet the same claims of other documents under its keys again and again, so
    their facts are read once. Their review state and stored fields are read again under the
    locks whenever they are written or scored (``_refresh``); a seed is always read afresh."""

    LIMIT = 50_000  # claims held; past it the next batch starts empty

    def __init__(self) -> None:
        self.claims: dict[int, StoredClaim] = {}

    def read(self, ids: set[int]) -> dict[int, StoredClaim]:
        if len(self.claims) > self.LIMIT:
            self.claims.clear()
        missing = ids - set(self.claims)
        self.claims.update(load_rows(missing))
        return {pk: self.claims[pk] for pk in ids if pk in self.claims}

    def keep(self, stored: Mapping[int, StoredClaim]) -> None:
        self.claims.update(stored)


def claims_verify(
    *, claim_ids: Iterable[int], reason: str = "", candidates: Candidates | None = None
) -> dict[str, Any]:
    """Verify the claims batch by batch (see the module docstring); returns summed counts.

    ``candidates`` carries what one run read across calls (the job passes one for all its
    batches). Idempotent and deterministic.
    """
    reason = (reason or f"verification by engine {ENGINE}")[:100]
    ids = sorted(set(claim_ids))
    candidates = candidates or Candidates()
    totals: dict[str, Any] = {"claims": 0, "engine": ENGINE}
    for start in range(0, len(ids), BATCH):
        with tracked_change(origin="task", reason=reason), transaction.atomic():
            counts = verify_batch(ids[start : start + BATCH], candidates)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    return totals


def verify_batch(ids: Sequence[int], candidates: Candidates | None = None) -> dict[str, int]:
    """One batch in the caller's transaction; returns counts of what was written."""
    candidates = candidates or Candidates()
    seeds = load_rows(ids)
    if not seeds:
        return {"claims": 0}
    candidates.keep(seeds)
    seed_keys = {pk: claim_keys(s.facts) for pk, s in seeds.items()}
    keys_written = keys_write(seeds, seed_keys)
    current = partner_ids(seeds)
    kept, compared, known = _relate(seeds, seed_keys, current, candidates)
    partners = {k.b for k in kept} | {b for bs in current.values() for b in bs}
    _lock(set(seeds) | partners)
    new_contradictions, relations_written, touched = _write_relations(seeds, kept)
    # Claims a crowded partner let go of are rescored too, so they are locked as well.
    _lock(touched - set(seeds) - partners)
    reopened = _reopen(new_contradictions)
    # Read again under the locks: what is saved below must not undo a concurrent decision.
    _refresh(known, set(seeds) | partners | touched)
    groups, groups_written = _assign_groups(seeds, kept, known)
    scored = _write_scores(set(seeds) | touched | partners, known, groups)
    return {
        "claims": len(seeds),
        "compared": compared,
        "keys_written": keys_written,
        "relations_written": relations_written,
        "groups_written": groups_written,
        "claims_written": scored,
        "reopened": reopened,
    }


def _relate(
    seeds: Mapping[int, StoredClaim],
    seed_keys: Mapping[int, set[str]],
    current: Mapping[int, set[int]],
    candidates: Candidates,
) -> tuple[list[Kept], int, dict[int, StoredClaim]]:
    """The relations each seed keeps (both directions), how many pairs were compared, and
    every claim read (seeds and candidates)."""
    # Per (key, document): the range of its own claims a seed of the batch may meet.
    ranges: dict[Place, tuple[int, int]] = {}
    for pk, keys in seed_keys.items():
        for key in keys:
            place = (key, seeds[pk].document_id)
            low, high = ranges.get(place, (pk, pk))
            ranges[place] = (min(low, pk - WINDOW), max(high, pk + WINDOW))
    by_place = candidate_ids(ranges)
    wholes = whole_ids(seeds)
    wanted: dict[int, set[int]] = {}
    for pk, keys in seed_keys.items():
        document_id = seeds[pk].document_id
        mine: set[int] = set()
        for key in keys:
            place = by_place[(key, document_id)]
            mine.update(place.others)
            # Of its own document only its neighbours in reading order (see index).
            mine.update(other for other in place.own if abs(other - pk) <= WINDOW)
        mine |= current.get(pk, set())
        if pk in wholes:
            mine.add(wholes[pk])
        mine.discard(pk)
        wanted[pk] = mine
    known = dict(seeds)
    known.update(candidates.read({c for cs in wanted.values() for c in cs} - set(seeds)))
    compared = 0
    kept: list[Kept] = []
    done: set[tuple[int, int]] = set()
    for pk in sorted(seeds):
        mine = seeds[pk].facts
        found = []
        for other_id in sorted(wanted[pk]):
            other = known.get(other_id)
            if other is None:
                continue
            compared += 1
            relation = relate(mine, other.facts)
            if relation is not None:
                found.append((similarity(mine, other.facts, relation), other_id, relation))
        found.sort(key=lambda f: (-f[0], f[1]))
        for sim, other_id, relation in found[:MAX_RELATIONS]:
            if (pk, other_id) in done:
                continue
            back = relate(known[other_id].facts, mine)
            assert back is not None  # relate is symmetric up to direction
            kept.append(Kept(pk, other_id, relation.kind, relation.explanation, sim))
            kept.append(Kept(other_id, pk, back.kind, back.explanation, sim))
            done |= {(pk, other_id), (other_id, pk)}
    return kept, compared, known


def _refresh(known: dict[int, StoredClaim], ids: set[int]) -> None:
    """Load the claims of ``ids`` not read yet, and read again the stored fields and review
    state of those read before (a decision may have landed since)."""
    missing = ids - set(known)
    known.update(load_rows(missing))
    again = sorted((ids - missing) & set(known))
    for start in range(0, len(again), 500):
        for row in Claim.objects.filter(id__in=again[start : start + 500]).values_list(
            *STATE_COLUMNS
        ):
            pk, status, confidence, group_id, machine_score, explanation, corroborations = row
            stored = known[pk]
            if (stored.facts.status, stored.facts.confidence) != (status, confidence):
                stored.facts = replace(stored.facts, status=status, confidence=confidence)
            stored.group_id, stored.machine_score = group_id, machine_score
            stored.machine_explanation, stored.corroborations = explanation, corroborations


def _lock(ids: Iterable[int]) -> None:
    # One stable order for every runner, so two of them never wait on each other in a cycle.
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        list(
            Claim.objects.select_for_update()
            .filter(id__in=ordered[start : start + 500])
            .order_by("id")
            .values_list("id", flat=True)
        )


def _write_relations(
    seeds: Mapping[int, StoredClaim], kept: Sequence[Kept]
) -> tuple[list[tuple[int, str]], int, set[int]]:
    """Make the stored relations of the seeds equal the kept ones and hold every partner to
    MAX_RELATIONS. Returns the new contradictions (claim id, explanation), the rows written,
    and the claims whose relations changed."""
    wanted = {(k.a, k.b): k for k in kept}
    seed_ids = list(seeds)
    # Read as values, not instances: a batch meets tens of thousands of relation rows.
    existing = {
        (a, b): (pk, kind, explanation, sim, engine)
        for pk, a, b, kind, explanation, sim, engine in ClaimRelation.objects.filter(
            Q(claim_id__in=seed_ids) | Q(other_id__in=seed_ids)
        ).values_list(
            "id", "claim_id", "other_id", "kind", "explanation", "similarity", "engine_version"
        )
    }
    touched: set[int] = set()
    written = 0
    stale = [pair for pair in existing if pair not in wanted]
    if stale:
        _relations_delete([existing[p][0] for p in stale])
        touched |= {a for a, _ in stale}
        written += len(stale)
    new_contradictions: list[tuple[int, str]] = []
    fresh: list[dict[str, Any]] = []
    changed: list[ClaimRelation] = []
    for (a, b), k in sorted(wanted.items()):
        row = existing.get((a, b))
        if k.kind == CONTRADICTS and (row is None or row[1] != CONTRADICTS):
            new_contradictions.append((a, k.explanation))
        values = (k.kind, k.explanation, k.similarity, ENGINE)
        if row is None:
            fresh.append(
                {"claim_id": a, "other_id": b, "kind": k.kind, "explanation": k.explanation,
                 "similarity": k.similarity}
            )  # fmt: skip
        elif row[1:] != values:
            changed.append(
                ClaimRelation(
                    pk=row[0], claim_id=a, other_id=b, kind=k.kind, explanation=k.explanation,
                    similarity=k.similarity, engine_version=ENGINE,
                )
            )  # fmt: skip
        else:
            continue
        touched.add(a)
        written += 1
    # Relation rows are the engine's derived data, not tracked records: set-based inserts
    # without history rows are right (one statement per 2,000 rows).
    for low in range(0, len(fresh), 2000):
        bulk_insert(
            ClaimRelation, fresh[low : low + 2000], fixed={"engine_version": ENGINE}, tracked=False
        )
    ClaimRelation.objects.bulk_update(
        changed, ["kind", "explanation", "similarity", "engine_version"], batch_size=500
    )
    # Partners past the bound keep their most similar relations (both directions go).
    partners = {k.b for k in kept if k.b not in seeds}
    crowded = (
        ClaimRelation.objects.filter(claim_id__in=list(partners))
        .values("claim_id")
        .annotate(n=Count("id"))
        .filter(n__gt=MAX_RELATIONS)
        .values_list("claim_id", flat=True)
    )
    crowded_ids = sorted(crowded)
    if crowded_ids:
        dropped = _trim(crowded_ids)
        touched |= {a for a, _ in dropped}
        written += len(dropped)
    if new_contradictions:
        # A contradiction trimmed away again is no reason to re-open anything.
        still = set(
            ClaimRelation.objects.filter(
                claim_id__in=[a for a, _ in new_contradictions], kind=CONTRADICTS
            ).values_list("claim_id", "explanation")
        )
        new_contradictions = [c for c in new_contradictions if c in still]
    return new_contradictions, written, touched


def _trim(crowded: Sequence[int]) -> set[tuple[int, int]]:
    """Hold each crowded claim to its MAX_RELATIONS most similar relations, in id order (a
    pair dropped for one is gone for the other too), in two reads and one delete. Returns
    the dropped (claim, other) rows, both directions."""
    rows: dict[int, list[tuple[float, int]]] = {}
    for a, b, sim in ClaimRelation.objects.filter(claim_id__in=list(crowded)).values_list(
        "claim_id", "other_id", "similarity"
    ):
        rows.setdefault(a, []).append((-sim, b))
    dropped: set[tuple[int, int]] = set()
    for claim_id in crowded:
        mine = sorted(r for r in rows.get(claim_id, []) if (claim_id, r[1]) not in dropped)
        for _, other in mine[MAX_RELATIONS:]:
            dropped |= {(claim_id, other), (other, claim_id)}
    pks = [
        pk
        for pk, a, b in ClaimRelation.objects.filter(
            claim_id__in={a for a, _ in dropped}, other_id__in={b for _, b in dropped}
        ).values_list("id", "claim_id", "other_id")
        if (a, b) in dropped
    ]
    _relations_delete(pks)
    return dropped


def _relations_delete(pks: Sequence[int]) -> None:
    """Delete relation rows by id in plain statements. Nothing points at a relation row and
    it has no history, but the global pre_delete guard (sources.history) makes the ORM load
    every row before deleting it: a second a batch at tens of thousands of rows."""
    table = connection.ops.quote_name(ClaimRelation._meta.db_table)
    with connection.cursor() as cursor:
        for low in range(0, len(pks), 1000):
            part = list(pks[low : low + 1000])
            marks = ", ".join("%s" for _ in part)
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", part)


def _reopen(new_contradictions: Sequence[tuple[int, str]]) -> int:
    verified = set(
        Claim.objects.filter(
            id__in=[c for c, _ in new_contradictions], status="verified"
        ).values_list("id", flat=True)
    )
    reopened = 0
    for claim_id, explanation in new_contradictions:
        if claim_id in verified:
            claim = Claim.objects.get(pk=claim_id)
            claim_reopen_for_contradiction(claim=claim, explanation=explanation)
            verified.discard(claim_id)
            reopened += 1
    return reopened


def _assign_groups(
    seeds: Mapping[int, StoredClaim], kept: Sequence[Kept], known: Mapping[int, StoredClaim]
) -> tuple[dict[int, int], int]:
    """Put every seed in one fact's group: its most similar grouping partner's, unless that
    group holds GROUP_CAP claims; else its own. Returns claim id -> group id for the seeds
    and how many groups were created."""
    options: dict[int, list[Kept]] = {}
    for k in kept:
        if k.a in seeds and k.kind in GROUPING_KINDS:
            options.setdefault(k.a, []).append(k)
    group_of = {pk: stored.group_id for pk, stored in known.items()}
    candidate_groups = {g for g in group_of.values() if g is not None}
    sizes = dict(
        Claim.objects.filter(group_id__in=candidate_groups)
        .values_list("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    members: dict[int, set[int]] = {}
    for pk, group_id in group_of.items():
        if group_id is not None:
            members.setdefault(group_id, set()).add(pk)
    assigned: dict[int, int] = {}
    fresh: dict[int, ClaimGroup] = {}  # stand-in id -> the group to create
    for claim_id in sorted(seeds):
        current = group_of.get(claim_id)
        ranked = sorted(options.get(claim_id, []), key=lambda k: (-k.similarity, k.b))
        target = None
        for k in ranked:
            group_id = group_of.get(k.b)
            if group_id is not None and (group_id == current or sizes.get(group_id, 0) < GROUP_CAP):
                target = group_id
                break
        if target is None and current is not None:
            # Keep the group when the claim is alone in it or still relates to a member.
            related = {k.b for k in ranked}
            mates = members.get(current, set()) - {claim_id}
            if sizes.get(current, 1) <= 1 or mates & related:
                target = current
        if target is None:
            # A new group, written below in one INSERT; until then a negative stand-in id,
            # so later claims of this batch can join it.
            target = -claim_id
            key, label = _group_key(seeds[claim_id].facts)
            fresh[target] = ClaimGroup(key=key, label=label)
        if target != current:
            if current is not None:
                sizes[current] = sizes.get(current, 1) - 1
            sizes[target] = sizes.get(target, 0) + 1
            group_of[claim_id] = target
        assigned[claim_id] = target
    ClaimGroup.objects.bulk_create(list(fresh.values()))
    assigned = {c: fresh[g].pk if g < 0 else g for c, g in assigned.items()}
    return assigned, len(fresh)


def _group_key(facts: ClaimFacts) -> tuple[str, str]:
    keys = sorted(claim_keys(facts))
    key = (keys[-1] if keys else f"claim|{facts.id}")[:200]
    if facts.kind != ClaimKind.QUANTITATIVE:
        return key, facts.statement[:300]
    # A place named in the sentence and inherited from the dateline is listed once.
    where = ", ".join(list(dict.fromkeys((*facts.places, *facts.actors)))[:3])
    what = f"{facts.unit} {facts.role}" if facts.role else facts.unit
    return key, f"{what}: {facts.subject} — {where} ({facts.period.describe()})"[:300]


def _write_scores(ids: set[int], known: dict[int, StoredClaim], groups: Mapping[int, int]) -> int:
    """Score the claims from their stored relations and save, once, those whose group, score,
    explanation or corroborations changed. Returns how many were saved."""
    rows: dict[int, list[tuple[int, Relation]]] = {}
    for a, b, kind, text in ClaimRelation.objects.filter(claim_id__in=list(ids)).values_list(
        "claim_id", "other_id", "kind", "explanation"
    ):
        rows.setdefault(a, []).append((b, Relation(kind, text)))
    # Partners' review state counts (a verified partner moves the score): read it now.
    _refresh(known, {b for rs in rows.values() for b, _ in rs} - ids)
    emptied: set[int] = set()
    changed: list[tuple[int, float | None, str, int, int | None]] = []
    for claim_id in sorted(ids):
        stored = known.get(claim_id)
        if stored is None:
            continue
        mine = stored.facts
        relations = [(known[b].facts, r) for b, r in rows.get(claim_id, []) if b in known]
        supporters = [o for o, r in relations if r.kind in SUPPORTING and o.status != "refuted"]
        independence = independent_sources([mine, *supporters])
        result = score(mine, relations, independence)
        group_id = groups.get(claim_id, stored.group_id)
        values = (result.value, result.explanation, len(independence.clusters), group_id)
        was = (
            stored.machine_score, stored.machine_explanation, stored.corroborations,
            stored.group_id,
        )  # fmt: skip
        if values == was:
            continue
        if stored.group_id is not None and stored.group_id != group_id:
            emptied.add(stored.group_id)
        changed.append((claim_id, *values))
    # A few hundred claims an UPDATE, their history rows in one INSERT, stamped with the
    # change context (who, from where, why) like save() would.
    claims_update_with_history(changed, now=timezone.now())
    written = len(changed)
    if emptied:
        in_use = set(Claim.objects.filter(group_id__in=emptied).values_list("group_id", flat=True))
        ClaimGroup.objects.filter(id__in=emptied - in_use).delete()
    return written
