"""Verification storage: group claims, record how they relate, score them (engine in verifier/).

``claims_verify(claim_ids=...)`` recomputes only the groups the given claims touch:

1. candidates: for each claim, bounded queries per blocking word (``CANDIDATE_CAP`` newest
   claims of the unit family whose sentence holds the word), related by the engine;
2. the affected set: the claims, the candidates they relate to, and everyone already grouped
   or related with them (closed, at most ``MAX_AFFECTED`` claims);
3. under row locks taken in id order (``select_for_update``; SQLite runs IMMEDIATE
   transactions, which serialise writers anyway), the engine relates the set, forms groups
   and scores every member; only what changed is written, so a second run writes nothing.

Claims are saved with ``save()`` under ``tracked_change(origin="task")`` so the history says
the engine did it and why. A new contradiction on a verified claim re-opens it for review.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

import verifier
from claims.jobs import job_create
from claims.models import Claim, ClaimGroup, ClaimKind, ClaimRelation, Job, Stance
from claims.workflow import claim_reopen_for_contradiction
from sources.history import tracked_change
from sources.models import Citation
from verifier.consistency import (
    CONTAINS,
    CONTRADICTS,
    ClaimFacts,
    entity_tokens,
    family_units,
    relate,
    unit_family,
)
from verifier.grouping import (
    MAX_TOKENS,
    Edge,
    blocking_keys,
    group_components,
    relate_within,
)
from verifier.independence import domain, independent_sources
from verifier.scoring import SUPPORTING, score

logger = logging.getLogger(__name__)

ENGINE = f"verifier {verifier.__version__}"
CANDIDATE_CAP = 100  # newest claims fetched per (unit family, word)
MAX_AFFECTED = 5000  # claims recomputed together at most; a bigger group is cut and logged
_CHUNK = 500


def claims_verification_enqueue(*, claim_ids: Iterable[int]) -> Job | None:
    """Queue a verification job for these claims in the current transaction."""
    ids = sorted(set(claim_ids))
    if not ids:
        return None
    return job_create(kind=Job.Kind.VERIFY_CLAIMS, payload={"claim_ids": ids})


def claims_verify(*, claim_ids: Iterable[int], reason: str = "") -> dict[str, Any]:
    """Recompute the groups, relations, corroborations and scores the claims touch.

    Idempotent and deterministic; returns counts of what was written.
    """
    reason = (reason or f"verification by engine {ENGINE}")[:100]
    seeds = _facts(Claim.objects.filter(id__in=sorted(set(claim_ids))))
    if not seeds:
        return {"claims": 0}
    related = _related_candidates(seeds)
    with tracked_change(origin="task", reason=reason), transaction.atomic():
        affected = _closure(set(seeds) | related)
        _lock(affected)
        # Groups may have moved while we waited for the locks: close over them again.
        more = _closure(affected) - affected
        if more:
            _lock(more)
            affected |= more
        return _recompute(sorted(affected))


def _recompute(ids: list[int]) -> dict[str, Any]:
    claims = {c.pk: c for c in _claims(Claim.objects.filter(id__in=ids))}
    facts = _facts_of(claims.values())
    edges = relate_within(list(facts.values()))
    components = group_components(facts, edges)
    grouped_before = {c.pk: c.group_id for c in claims.values()}
    new_contradictions, relations_written = _write_relations(set(facts), edges)
    reopened = 0
    for claim_id, explanation in new_contradictions:
        claim = claims[claim_id]
        if claim.status == "verified":
            claims[claim_id] = claim_reopen_for_contradiction(claim=claim, explanation=explanation)
            facts[claim_id] = replace(facts[claim_id], status=claims[claim_id].status)
            reopened += 1
    groups_written = _write_groups(claims, facts, components)
    scored = _write_scores(claims, facts, edges, grouped_before)
    return {
        "claims": len(ids),
        "groups": len(components),
        "groups_written": groups_written,
        "relations_written": relations_written,
        "claims_written": scored,
        "reopened": reopened,
        "engine": ENGINE,
    }


# Reading claims as engine facts.


def _claims(queryset: Any) -> list[Claim]:
    return list(
        queryset.select_related("extracted_from__document__source")
        .defer("extracted_from__text", "extracted_from__http_headers")
        .prefetch_related(
            "evidence",
            Prefetch("citations", queryset=Citation.objects.select_related("cited_document")),
        )
        .order_by("id")
    )


def _facts(queryset: Any) -> dict[int, ClaimFacts]:
    return _facts_of(_claims(queryset))


def _facts_of(claims: Iterable[Claim]) -> dict[int, ClaimFacts]:
    return {claim.pk: claim_facts(claim) for claim in claims}


def claim_facts(claim: Claim) -> ClaimFacts:
    """The engine's view of a claim (its source through the snapshot it was extracted from)."""
    snapshot = claim.extracted_from
    document = snapshot.document if snapshot else None
    source = document.source if document else None
    citations = list(claim.citations.all())
    supporting = [e.credibility for e in claim.evidence.all() if e.stance == Stance.SUPPORTS]
    published = document.published_at if document else None
    if published is None and snapshot is not None:
        published = snapshot.captured_at.date()
    return ClaimFacts(
        id=claim.pk,
        kind=claim.kind,
        value=claim.value,
        lower=claim.lower,
        upper=claim.upper,
        qualifier=claim.qualifier or None,
        unit=claim.unit,
        subject=claim.subject,
        time_start=claim.time_start,
        time_end=claim.time_end,
        published=published,
        places=tuple(claim.places or ()),
        actors=tuple(claim.actors or ()),
        statement=claim.statement,
        source_id=source.pk if source else None,
        source_name=source.name if source else "",
        source_grade=source.reliability if source else "F",
        source_domains=tuple(
            d
            for d in {
                domain(source.homepage if source else ""),
                domain(document.url if document else ""),
            }
            if d
        ),
        credibility=min(supporting, default=6),
        attributed_to=claim.attributed_to,
        hedges=tuple(claim.hedges or ()),
        document_id=document.pk if document else None,
        document_url=document.url if document else "",
        cited_urls=tuple(sorted({c.url for c in citations})),
        cited_source_ids=tuple(sorted({c.cited_document.source_id for c in citations})),
        status=claim.status,
        confidence=claim.confidence,
    )


# Finding the affected claims with bounded queries.


def _related_candidates(seeds: dict[int, ClaimFacts]) -> set[int]:
    """Ids of stored claims the engine relates to a seed; one capped query per blocking word."""
    queries: dict[tuple[str, str], Any] = {}
    for facts in seeds.values():
        for key, query in _candidate_queries(facts):
            queries.setdefault(key, query)
    candidate_ids: set[int] = set()
    for query in queries.values():
        candidate_ids.update(query.order_by("-id").values_list("id", flat=True)[:CANDIDATE_CAP])
    candidate_ids -= set(seeds)
    related: set[int] = set()
    ordered = sorted(candidate_ids)
    for start in range(0, len(ordered), _CHUNK):
        chunk = _facts(Claim.objects.filter(id__in=ordered[start : start + _CHUNK]))
        for other in chunk.values():
            other_keys = blocking_keys(other)
            for facts in seeds.values():
                if blocking_keys(facts) & other_keys and relate(facts, other) is not None:
                    related.add(other.id)
                    break
    return related


def _candidate_queries(facts: ClaimFacts) -> list[tuple[tuple[str, str], Any]]:
    if facts.kind != ClaimKind.QUANTITATIVE:
        if not facts.statement:
            return []
        query = Claim.objects.filter(kind=facts.kind, statement=facts.statement)
        return [((facts.kind, facts.statement[:200]), query)]
    if not facts.unit:
        return []
    family, _ = unit_family(facts.unit)
    units = sorted(family_units(facts.unit))
    base = Claim.objects.filter(kind=ClaimKind.QUANTITATIVE, unit__in=units)
    tokens = sorted(entity_tokens(facts), key=lambda t: (-len(t), t))[:MAX_TOKENS]
    if not tokens:
        if facts.places or facts.actors:
            return []
        return [((family, f"~{facts.subject}"), base.filter(subject__iexact=facts.subject))]
    return [((family, token), base.filter(statement__icontains=token)) for token in tokens]


def _closure(ids: set[int]) -> set[int]:
    """``ids`` plus everyone grouped or related with them, transitively, up to MAX_AFFECTED."""
    members = set(ids)
    frontier = set(ids)
    while frontier and len(members) < MAX_AFFECTED:
        found: set[int] = set()
        ordered = sorted(frontier)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            groups = Claim.objects.filter(id__in=chunk, group__isnull=False).values("group_id")
            found.update(Claim.objects.filter(group_id__in=groups).values_list("id", flat=True))
            found.update(
                ClaimRelation.objects.filter(claim_id__in=chunk).values_list("other_id", flat=True)
            )
        frontier = found - members
        members |= frontier
    if len(members) >= MAX_AFFECTED:
        logger.warning("verification cut at %s claims; some group is unusually large", len(members))
        members = set(sorted(members)[:MAX_AFFECTED])
    return members


def _lock(ids: Iterable[int]) -> None:
    # One stable order for every runner, so two of them never wait on each other in a cycle.
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        list(
            Claim.objects.select_for_update()
            .filter(id__in=ordered[start : start + _CHUNK])
            .order_by("id")
            .values_list("id", flat=True)
        )


# Writing.


def _write_groups(
    claims: dict[int, Claim], facts: dict[int, ClaimFacts], components: list[list[int]]
) -> int:
    """Give every component a group, reusing existing ones; returns groups created or changed.

    Sets claim.group_id in memory; the claims are saved with their scores.
    """
    previous = {c.group_id for c in claims.values() if c.group_id}
    used: set[int] = set()
    written = 0
    for component in components:
        # The group held by the component's oldest claim survives a merge: deterministic.
        group_id = next(
            (
                claims[c].group_id
                for c in component
                if claims[c].group_id and claims[c].group_id not in used
            ),
            None,
        )
        key, label = _group_key(facts[component[0]])
        if group_id is None:
            group = ClaimGroup.objects.create(key=key, label=label)
            group_id = group.pk
            written += 1
        else:
            group = ClaimGroup.objects.get(pk=group_id)
            if (group.key, group.label) != (key, label):
                group.key, group.label = key, label
                group.save()
                written += 1
        used.add(group_id)
        for claim_id in component:
            claims[claim_id].group_id = group_id
    emptied = previous - used
    if emptied:
        still_used = Claim.objects.filter(group_id__in=emptied).exclude(id__in=list(claims))
        ClaimGroup.objects.filter(
            id__in=emptied - set(still_used.values_list("group_id", flat=True))
        ).delete()
    return written


def _group_key(facts: ClaimFacts) -> tuple[str, str]:
    keys = sorted(blocking_keys(facts))
    key = (keys[-1] if keys else f"claim|{facts.id}")[:200]
    if facts.kind != ClaimKind.QUANTITATIVE:
        return key, facts.statement[:300]
    where = ", ".join((*facts.places, *facts.actors)[:3])
    when = facts.period.describe()
    return key, f"{facts.unit}: {facts.subject} — {where} ({when})"[:300]


def _write_relations(ids: set[int], edges: Sequence[Edge]) -> tuple[list[tuple[int, str]], int]:
    """Make the stored relations among ``ids`` equal the engine's; returns the new
    contradictions (claim id, explanation) and how many rows were written."""
    wanted: dict[tuple[int, int], tuple[str, str]] = {}
    for edge in edges:
        kind, text = edge.relation.kind, edge.relation.explanation
        if kind == CONTAINS:
            # The whole is consistent with its part; the part's row says part_of.
            kind, text = ClaimRelation.Kind.CONSISTENT, f"contains claim {edge.b}: {text}"
        wanted[(edge.a, edge.b)] = (kind, text)
    existing = {
        (r.claim_id, r.other_id): r
        for r in ClaimRelation.objects.filter(claim_id__in=ids, other_id__in=ids)
    }
    stale = [r.pk for pair, r in existing.items() if pair not in wanted]
    ClaimRelation.objects.filter(pk__in=stale).delete()
    new_contradictions = []
    written = len(stale)
    for (a, b), (kind, text) in sorted(wanted.items()):
        row = existing.get((a, b))
        if kind == CONTRADICTS and (row is None or row.kind != CONTRADICTS):
            new_contradictions.append((a, text))
        if row is None:
            ClaimRelation.objects.create(
                claim_id=a, other_id=b, kind=kind, explanation=text, engine_version=ENGINE
            )
        elif (row.kind, row.explanation, row.engine_version) != (kind, text, ENGINE):
            row.kind, row.explanation, row.engine_version = kind, text, ENGINE
            row.save()
        else:
            continue
        written += 1
    return new_contradictions, written


def _write_scores(
    claims: dict[int, Claim],
    facts: dict[int, ClaimFacts],
    edges: Sequence[Edge],
    grouped_before: dict[int, int | None],
) -> int:
    """Score every claim and save those whose verification fields changed; returns how many."""
    by_claim: dict[int, list[Edge]] = {}
    for edge in edges:
        by_claim.setdefault(edge.a, []).append(edge)
    written = 0
    for claim_id, claim in sorted(claims.items()):
        mine = facts[claim_id]
        relations = [(facts[e.b], e.relation) for e in by_claim.get(claim_id, [])]
        supporters = [o for o, r in relations if r.kind in SUPPORTING and o.status != "refuted"]
        independence = independent_sources([mine, *supporters])
        result = score(mine, relations, independence)
        fields = {
            "machine_score": result.value,
            "machine_explanation": result.explanation,
            "corroborations": len(independence.clusters),
        }
        changed = claim.group_id != grouped_before[claim_id] or any(
            getattr(claim, f) != v for f, v in fields.items()
        )
        if not changed:
            continue
        for field, value in fields.items():
            setattr(claim, field, value)
        claim.save()
        written += 1
    return written
