"""Reads that the admin and the API share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from claims.models import Claim, ClaimGroup, ClaimRelation, Evidence
from sources.models import Snapshot
from verifier.consistency import Period

# Characters of the snapshot shown on each side of the claim's sentence.
PASSAGE_CONTEXT = 300


@dataclass(frozen=True)
class Passage:
    """The text around a claim, split so the quote can be highlighted."""

    evidence: Evidence
    before: str
    quote: str
    after: str
    clipped_start: bool
    clipped_end: bool


def claim_passages(claim: Claim) -> list[Passage]:
    """The source passage of each piece of evidence, with the quoted span cut out."""
    passages = []
    for evidence in claim.evidence.select_related("snapshot__document__source"):
        text = evidence.snapshot.text
        start = max(0, evidence.start - PASSAGE_CONTEXT)
        end = min(len(text), evidence.end + PASSAGE_CONTEXT)
        passages.append(
            Passage(
                evidence=evidence,
                before=text[start : evidence.start],
                quote=text[evidence.start : evidence.end],
                after=text[evidence.end : end],
                clipped_start=start > 0,
                clipped_end=end < len(text),
            )
        )
    return passages


# Large columns a list row never shows. A snapshot's text is the whole captured document:
# after one 1 MB report, loading it with each row pulled 50 MB for a page of 50.
LIST_DEFERRED = (
    "machine_explanation",
    "extracted_from__text",
    "extracted_from__http_headers",
    "extracted_from__diff_summary",
)


def claims_for_list():
    """The claim list's queryset: everything a row shows, in one query, without the
    documents' text."""
    return Claim.objects.select_related("assignee", "extracted_from__document__source").defer(
        *LIST_DEFERRED
    )


# --- Verification: what the admin and the API show of it ------------------------------


@dataclass(frozen=True)
class LineagePoint:
    """One figure of a group's series, as reported on ``reported``."""

    claim_id: int
    reported: date | None
    value: float | None
    lower: float | None
    upper: float | None
    qualifier: str
    unit: str
    period: str
    source: str
    status: str


def claim_contradictions(claim: Claim) -> list[dict[str, Any]]:
    """The claims that contradict ``claim``: [{"id": ..., "explanation": ...}], by id."""
    rows = ClaimRelation.objects.filter(claim=claim, kind=ClaimRelation.Kind.CONTRADICTS)
    return [
        {"id": other, "explanation": text}
        for other, text in rows.order_by("other_id").values_list("other_id", "explanation")
    ]


def claim_relations(claim: Claim) -> list[dict[str, Any]]:
    """Every stored relation of ``claim``: [{"id", "kind", "explanation"}], by kind and id."""
    rows = ClaimRelation.objects.filter(claim=claim).order_by("kind", "other_id")
    return [
        {"id": other, "kind": kind, "explanation": text}
        for other, kind, text in rows.values_list("other_id", "kind", "explanation")
    ]


# Kinds in the order a desk reads them: rival figures first, then the same fact, then the rest.
RELATION_ORDER = ("contradicts", "revision", "same", "consistent", "part_of", "contains")
RELATED_SHOWN = 10


@dataclass(frozen=True)
class RelatedClaims:
    """The relations a claim page shows (ranked) and how many of each kind are not shown."""

    shown: list[dict[str, Any]]
    rest: dict[str, int]
    total: int


def claim_related(claim: Claim, *, limit: int = RELATED_SHOWN) -> RelatedClaims:
    """The claim's relations ranked for reading (kind in RELATION_ORDER, then the most similar
    first, then id), the first ``limit`` of them, and counts by kind of the rest."""
    rows = sorted(
        ClaimRelation.objects.filter(claim=claim).values_list(
            "other_id", "kind", "explanation", "similarity"
        ),
        key=lambda r: (_rank(r[1]), -r[3], r[0]),
    )
    rest: dict[str, int] = {}
    for _, kind, _, _ in rows[limit:]:
        rest[kind] = rest.get(kind, 0) + 1
    shown = [
        {"id": other, "kind": kind, "explanation": text, "similarity": sim}
        for other, kind, text, sim in rows[:limit]
    ]
    return RelatedClaims(shown=shown, rest=rest, total=len(rows))


def _rank(kind: str) -> int:
    return RELATION_ORDER.index(kind) if kind in RELATION_ORDER else len(RELATION_ORDER)


def claim_lineage(group: ClaimGroup, *, as_of: date | None = None) -> list[LineagePoint]:
    """The group's figures in the order they were reported (oldest first).

    With ``as_of``: only what we held on that date (see claims_held_as_of).
    """
    if as_of is not None:
        return claims_held_as_of(group=group, as_of=as_of)
    return _points(list(group.claims.all()), as_of=None)


def claims_held_as_of(*, group: ClaimGroup, as_of: date) -> list[LineagePoint]:
    """What we held on ``as_of``: the group's claims as recorded by the end of that day (from
    their history), reported by then and not refuted then. The last point is the figure held."""
    cutoff = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    history = Claim.history.filter(history_date__lt=cutoff)
    ids = history.filter(group_id=group.pk).values_list("id", flat=True).distinct()
    latest: dict[int, Any] = {}
    for row in history.filter(id__in=list(ids)).order_by("id", "-history_date", "-history_id"):
        latest.setdefault(row.id, row)
    held = [r for r in latest.values() if r.history_type != "-" and r.group_id == group.pk]
    return _points(held, as_of=as_of)


def _points(rows: list[Any], *, as_of: date | None) -> list[LineagePoint]:
    snapshots = {
        s.pk: s
        for s in Snapshot.objects.filter(id__in={r.extracted_from_id for r in rows})
        .select_related("document__source")
        .defer("text", "http_headers")
    }
    points = []
    for row in rows:
        snapshot = snapshots.get(row.extracted_from_id)
        reported = None
        if snapshot is not None:
            reported = snapshot.document.published_at or snapshot.captured_at.date()
        if as_of is not None and (row.status == "refuted" or (reported and reported > as_of)):
            continue
        points.append(
            LineagePoint(
                claim_id=row.id,
                reported=reported,
                value=row.value,
                lower=row.lower,
                upper=row.upper,
                qualifier=row.qualifier,
                unit=row.unit,
                period=row.time_text or Period(row.time_start, row.time_end).describe(),
                source=snapshot.document.source.name if snapshot else "",
                status=row.status,
            )
        )
    return sorted(points, key=lambda p: (p.reported or date.min, p.claim_id))
