"""The machine score of a claim (0-1) and its explanation in words.

The score suggests; it never replaces the confidence a person set (the engine does not write
confidence). It is computed in log-odds so each piece of evidence shifts it by a fixed amount:

    prior   = (R[source grade] + C[credibility]) / 2
              R: A .90, B .75, C .60, D .40, E .20, F .50 (cannot be judged: neutral)
              C: 1 .90, 2 .75, 3 .60, 4 .40, 5 .20, 6 .50
    x       = logit(prior)
            + 0.6 per further independent supporting source graded A-C, 0.3 graded D-F
              (at most +2.4; copies of one origin count once, see verifier.independence)
            - 0.9 per independent contradicting source (at most -2.7)
            - 0.5 when attributed to a party to the conflict
            - 0.3 when the wording is hedged ("reportedly", "allegedly", "may")
            + human decisions on the claims around it: each supporting claim verified by a
              person +0.5 (at most +1.0); each contradicting claim verified by a person a
              further -0.5 (at most -1.0); claims a person refuted are left out altogether
    score   = sigmoid(x), clamped to [0.01, 0.99] and rounded to 3 decimals.

The claim's own review status and confidence are not inputs: the score stays a second opinion
next to the reviewer's instead of echoing it, and a decision does not rewrite its own claim.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .consistency import (
    CONSISTENT,
    CONTAINS,
    CONTRADICTS,
    PART_OF,
    REVISION,
    SAME,
    ClaimFacts,
    Relation,
)
from .independence import Independence, independent_sources

RELIABILITY = {"A": 0.90, "B": 0.75, "C": 0.60, "D": 0.40, "E": 0.20, "F": 0.50}
CREDIBILITY = {1: 0.90, 2: 0.75, 3: 0.60, 4: 0.40, 5: 0.20, 6: 0.50}
SUPPORT_STRONG, SUPPORT_WEAK, SUPPORT_CAP = 0.6, 0.3, 2.4
CONTRADICTION, CONTRADICTION_CAP = 0.9, 2.7
PARTY, HEDGED = 0.5, 0.3
PEER_VERIFIED, PEER_CAP = 0.5, 1.0
SUPPORTING = frozenset({SAME, CONSISTENT})
# Words naming a party to the Russia-Ukraine war (the desks' conflict); callers may pass others.
CONFLICT_PARTIES = (
    "russia",
    "russian",
    "kremlin",
    "moscow",
    "putin",
    "ukraine",
    "ukrainian",
    "kyiv",
    "zelensky",
    "occupation",
    "occupied",
    "dpr",
    "lpr",
    "wagner",
    "ministry of defen",
    "general staff",
    "armed forces",
)
# Reporting verbs the extractor lists among hedges; they attribute rather than soften.
_NOT_HEDGES = frozenset({"reported", "suggesting", "suggested", "suggest", "suggests"})


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    explanation: str


def is_party(attributed_to: str, parties: Sequence[str] = CONFLICT_PARTIES) -> bool:
    """True when the attribution names a party to the conflict."""
    return bool(_party_pattern(tuple(parties)).search(attributed_to.lower()))


@functools.lru_cache(maxsize=16)
def _party_pattern(parties: tuple[str, ...]) -> re.Pattern[str]:
    # One alternation, compiled once: scoring runs for every claim a verification touches.
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in parties) + ")")


def score(
    facts: ClaimFacts,
    relations: Sequence[tuple[ClaimFacts, Relation]],
    independence: Independence | None = None,
    *,
    parties: Sequence[str] = CONFLICT_PARTIES,
) -> Score:
    """Score ``facts`` given its relations (other claim, relation from ``facts``' side).

    ``independence`` clusters the supporting claims including ``facts``; computed here when
    not given. Returns the score and its explanation.
    """
    live = [(o, r) for o, r in relations if o.status != "refuted"]
    supporters = [o for o, r in live if r.kind in SUPPORTING]
    rivals = [(o, r) for o, r in live if r.kind == CONTRADICTS]
    if independence is None:
        independence = independent_sources([facts, *supporters])
    own = independence.cluster_of(facts.id)
    others = [c for c in independence.clusters if c is not own]

    prior = (RELIABILITY.get(facts.source_grade, 0.5) + CREDIBILITY.get(facts.credibility, 0.5)) / 2
    x = math.log(prior / (1 - prior))
    lines = [
        f"source {facts.source_name or 'unknown'} graded {facts.source_grade}, "
        f"information credibility {facts.credibility}"
    ]

    support = sum(SUPPORT_STRONG if c.best_grade in "ABC" else SUPPORT_WEAK for c in others)
    x += min(support, SUPPORT_CAP)
    lines.append(_sources_line(len(others) + 1, [own, *others] if own else others))
    for report in independence.circular:
        lines.append(report.explanation)

    rival_clusters = independent_sources([o for o, _ in rivals]).clusters if rivals else ()
    x -= min(CONTRADICTION * len(rival_clusters), CONTRADICTION_CAP)
    for other, relation in rivals:
        said = f", according to {other.attributed_to}" if other.attributed_to else ""
        lines.append(
            f"contradicted by claim {other.id} from {other.source_name or 'an unknown source'}"
            f" (graded {other.source_grade}{said}): {relation.explanation}"
        )
    parts = [o for o, r in live if r.kind in (PART_OF, CONTAINS)]
    if parts:
        lines.append(f"related as part and whole to {_ids(parts)} (no effect on the score)")
    for other, relation in live:
        if relation.kind == REVISION:
            lines.append(f"revision to review with claim {other.id}: {relation.explanation}")

    if facts.attributed_to and is_party(facts.attributed_to, parties):
        x -= PARTY
        lines.append(f"attributed to {facts.attributed_to}, a party to the conflict")
    hedges = [h for h in facts.hedges if h.lower() not in _NOT_HEDGES]
    if hedges:
        x -= HEDGED
        lines.append(f"hedged wording ({', '.join(repr(h) for h in hedges)})")

    verified_support = [(o, r) for o, r in live if r.kind in SUPPORTING and o.status == "verified"]
    if verified_support:
        x += min(PEER_VERIFIED * len(verified_support), PEER_CAP)
        for other, relation in verified_support:
            lines.append(
                f"claim {other.id} verified by a reviewer supports it "
                f"({relation.kind}: {relation.explanation})"
            )
    verified_rivals = [(o, r) for o, r in rivals if o.status == "verified"]
    if verified_rivals:
        x -= min(PEER_VERIFIED * len(verified_rivals), PEER_CAP)
        for other, relation in verified_rivals:
            lines.append(
                f"claim {other.id} verified by a reviewer contradicts it "
                f"({relation.kind}: {relation.explanation})"
            )

    value = round(min(0.99, max(0.01, 1 / (1 + math.exp(-x)))), 3)
    return Score(value, f"{value:.2f}: " + "; ".join(lines) + ".")


def _sources_line(count: int, clusters: Sequence[object]) -> str:
    graded = []
    for cluster in clusters:
        names = ", ".join(getattr(cluster, "source_names", ())) or "unknown source"
        graded.append(f"{names} graded {getattr(cluster, 'best_grade', 'F')}")
    noun = "independent source" if count == 1 else "independent sources"
    return f"{count} {noun} ({'; '.join(graded)})"


def _ids(claims: Sequence[ClaimFacts]) -> str:
    ids = sorted({c.id for c in claims})
    word = "claim" if len(ids) == 1 else "claims"
    return f"{word} {', '.join(str(i) for i in ids)}"
