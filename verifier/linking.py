"""Relations worth reading: a bounded number per claim, the most similar, in bounded groups.

``relate`` (verifier.consistency) says whether two claims are one fact; this module decides
which of those relations are kept:

* a claim keeps at most ``MAX_RELATIONS`` relations, the most similar first (``similarity``:
  shared place and actor words, overlapping periods, close values, then the kind: a rival
  figure or the same figure reads before a loose consistency); a claim that already holds
  ``MAX_RELATIONS`` takes a new one only in place of its least similar;
* within one document only what the text says is kept (see ``relate``); an explicit part is
  linked straight to its whole (the span ``ClaimFacts.whole`` names), with no blocking;
* groups (claims joined by same / consistent / contradicts / revision) never grow past
  ``GROUP_CAP`` members: a relation that would merge two groups past it is kept as a relation
  but does not merge them.

``Linker`` is the in-memory form (the benchmarks); claims.verification stores the same choices.
``claim_facts_fields`` turns a claim's written and inherited fields into ``ClaimFacts``
arguments, for the engine's output and for stored rows alike.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .consistency import (
    CONSISTENT,
    CONTAINS,
    CONTRADICTS,
    PART_OF,
    REVISION,
    SAME,
    ClaimFacts,
    Period,
    Relation,
    relate,
)

MAX_RELATIONS = 20
GROUP_CAP = 50
# Candidates, per blocking key: the newest CANDIDATE_CAP claims of other documents, and of the
# claim's own document only those within WINDOW claims of it in reading order (relations
# within one document are only what the text says: a part, rival speakers side by side).
CANDIDATE_CAP = 50
WINDOW = 40
GROUPING_KINDS = frozenset({SAME, CONSISTENT, CONTRADICTS, REVISION})
_KIND_WEIGHT = {SAME: 0.3, CONTRADICTS: 0.3, REVISION: 0.3, CONSISTENT: 0.2}
_KIND_WEIGHT.update({PART_OF: 0.1, CONTAINS: 0.1})


def claim_facts_fields(
    *,
    places: Sequence[str],
    actors: Sequence[str],
    unit: str | None,
    subject: str | None,
    time_start: date | str | None,
    time_end: date | str | None,
    attributed_to: str | None,
    role: str | None,
    phase: str | None,
    inherited: Mapping[str, Any] | None,
    span: tuple[int, int] | None,
) -> dict[str, Any]:
    """The ``ClaimFacts`` keyword arguments of a claim: what its sentence says, completed by
    what it inherits from its document (``inherited``, see verifier.context)."""
    inherited = inherited or {}
    names = [k for k in inherited if k != "from"]
    start, end = time_start, time_end
    # The document's period where the sentence gives none; an explicit part's whole's period
    # where its own reaches outside it (verifier.context says which in inherited["from"]).
    if ((start is None and end is None) or inherited.get("part_of")) and (
        inherited.get("time_start") or inherited.get("time_end")
    ):
        start, end = inherited.get("time_start"), inherited.get("time_end")
    whole = inherited.get("part_of")
    change = inherited.get("change")
    refers = inherited.get("refers_to")
    return {
        "places": tuple(dict.fromkeys((*places, *inherited.get("places", ())))),
        "actors": tuple(dict.fromkeys((*actors, *inherited.get("actors", ())))),
        "unit": inherited.get("unit") or unit or "",
        "subject": inherited.get("subject") or subject or "",
        "time_start": _date(start),
        "time_end": _date(end),
        "attributed_to": inherited.get("attributed_to") or attributed_to or "",
        "role": role or None,
        "phase": phase or None,
        "span": span,
        "whole": tuple(whole) if whole else None,
        "refers_to": tuple(refers) if refers else None,
        "inherited": tuple(sorted(names)),
        "change": (float(change["from"]), float(change["to"])) if change else None,
    }


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def similarity(a: ClaimFacts, b: ClaimFacts, relation: Relation) -> float:
    """How alike two related claims are, for ranking (higher first); deterministic."""
    union = a.tokens | b.tokens
    tokens = len(a.tokens & b.tokens) / len(union) if union else 0.0
    places = 0.5 if a.place_tokens and a.place_tokens == b.place_tokens else 0.0
    value = 0.0
    if a.interval is not None and b.interval is not None:
        va, vb = (
            _middle(a.interval.lower, a.interval.upper),
            _middle(b.interval.lower, b.interval.upper),
        )
        if va > 0 and vb > 0:
            value = max(0.0, 1 - abs(math.log(va / vb)))
    return round(
        tokens + places + _period_overlap(a.period, b.period) + value
        + _KIND_WEIGHT.get(relation.kind, 0.0),
        4,
    )  # fmt: skip


def _middle(low: float, high: float) -> float:
    return low if math.isinf(high) else (low + high) / 2


def _period_overlap(a: Period, b: Period) -> float:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return 0.5 if a.overlaps(b) else 0.0
    low, high = max(a.start, b.start), min(a.end, b.end)
    if low > high:
        return 0.0
    span = (max(a.end, b.end) - min(a.start, b.start)).days + 1
    return ((high - low).days + 1) / span


@dataclass(frozen=True, slots=True)
class Link:
    """A kept relation from ``a`` to ``b`` with its similarity."""

    a: int
    b: int
    relation: Relation
    similarity: float


class Groups:
    """Union-find over claim ids with set sizes; a union past ``cap`` is refused."""

    def __init__(self, cap: int = GROUP_CAP) -> None:
        self.cap = cap
        self.parent: dict[int, int] = {}
        self.size: dict[int, int] = {}

    def find(self, i: int) -> int:
        if i not in self.parent:
            self.parent[i], self.size[i] = i, 1
            return i
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> bool:
        """Join the sets of ``a`` and ``b``; False when that would exceed the cap."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.size[ra] + self.size[rb] > self.cap:
            return False
        low, high = min(ra, rb), max(ra, rb)
        self.parent[high] = low
        self.size[low] += self.size.pop(high)
        return True

    def sets(self) -> list[list[int]]:
        by_root: dict[int, list[int]] = {}
        for i in sorted(self.parent):
            by_root.setdefault(self.find(i), []).append(i)
        return [by_root[root] for root in sorted(by_root)]


class _Block:
    """The claims under one key: per document its newest ``cap``, for the newest ``cap + 1``
    documents (enough for ``cap`` claims of other documents whichever document asks)."""

    __slots__ = ("cap", "documents")

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.documents: dict[int | None, deque[ClaimFacts]] = {}

    def add(self, facts: ClaimFacts) -> None:
        claims = self.documents.pop(facts.document_id, None)  # re-inserted as the newest
        if claims is None:
            claims = deque(maxlen=max(self.cap, WINDOW))
            if len(self.documents) > self.cap:
                del self.documents[next(iter(self.documents))]
        claims.append(facts)
        self.documents[facts.document_id] = claims

    def candidates(self, facts: ClaimFacts) -> Iterable[ClaimFacts]:
        """The newest ``cap`` claims of other documents (newest document first), then the
        claim's own document's within WINDOW of it."""
        taken = 0
        for document_id in reversed(self.documents):
            if document_id is not None and document_id == facts.document_id:
                continue
            for other in reversed(self.documents[document_id]):
                if taken == self.cap:
                    break
                taken += 1
                yield other
        if facts.document_id is not None:
            for other in self.documents.get(facts.document_id, ()):
                if abs(other.id - facts.id) <= WINDOW:
                    yield other


class Linker:
    """Relate a stream of claims through a blocking index, keeping bounded relations and
    bounded groups, with the candidates claims.verification reads from its blocking-key
    table. ``keys`` gives a claim's blocking keys (verifier.grouping)."""

    def __init__(
        self,
        keys: Any,
        *,
        block_cap: int = CANDIDATE_CAP,
        max_relations: int = MAX_RELATIONS,
        group_cap: int = GROUP_CAP,
    ) -> None:
        self.keys = keys
        self.block_cap = block_cap
        self.max_relations = max_relations
        self.blocks: dict[str, _Block] = {}
        self.by_span: dict[tuple[int | None, tuple[int, int]], ClaimFacts] = {}
        self.links: dict[int, dict[int, Link]] = {}
        self.groups = Groups(group_cap)
        self.comparisons = 0

    def add(self, facts: ClaimFacts) -> list[Link]:
        """File ``facts``, relate it to its candidates and return the relations kept for it."""
        keys = self.keys(facts)
        candidates: dict[int, ClaimFacts] = {}
        for key in keys:
            block = self.blocks.get(key)
            if block is not None:
                for other in block.candidates(facts):
                    candidates[other.id] = other
        if facts.whole is not None:
            whole = self.by_span.get((facts.document_id, facts.whole))
            if whole is not None:
                candidates[whole.id] = whole
        candidates.pop(facts.id, None)
        found = []
        for other in candidates.values():
            self.comparisons += 1
            relation = relate(facts, other)
            if relation is not None:
                found.append((similarity(facts, other, relation), other, relation))
        found.sort(key=lambda f: (-f[0], f[1].id))
        self.groups.find(facts.id)
        kept = []
        for sim, other, relation in found[: self.max_relations]:
            if not self._room(other.id, sim):
                continue
            back = relate(other, facts)
            assert back is not None  # relate is symmetric up to direction
            self._store(Link(facts.id, other.id, relation, sim))
            self._store(Link(other.id, facts.id, back, sim))
            kept.append(Link(facts.id, other.id, relation, sim))
            if relation.kind in GROUPING_KINDS:
                self.groups.union(facts.id, other.id)
        for key in keys:
            block = self.blocks.get(key)
            if block is None:
                block = self.blocks[key] = _Block(self.block_cap)
            block.add(facts)
        if facts.span is not None:
            self.by_span[(facts.document_id, facts.span)] = facts
        return kept

    def _room(self, claim_id: int, sim: float) -> bool:
        """Make room on ``claim_id`` for a relation of similarity ``sim``; False if none."""
        mine = self.links.get(claim_id, {})
        if len(mine) < self.max_relations:
            return True
        weakest = min(mine.values(), key=lambda link: (link.similarity, -link.b))
        if weakest.similarity >= sim:
            return False
        del mine[weakest.b]
        self.links.get(weakest.b, {}).pop(claim_id, None)
        return True

    def _store(self, link: Link) -> None:
        self.links.setdefault(link.a, {})[link.b] = link

    def relations(self) -> Iterable[Link]:
        """Every kept relation, both directions, by (a, b)."""
        for a in sorted(self.links):
            for b in sorted(self.links[a]):
                yield self.links[a][b]
