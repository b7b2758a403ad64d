"""Measure verification on annotated short reports: are the right claims related, rightly?

``python -m verifier.relbench SET.json [--verbose]`` runs the engine as the service does
(extraction with document context, fact keys, blocking, bounded relations) over the set's
documents in publication order and compares the relations it keeps with the annotation.

The set is JSON: ``documents`` (``id``, ``source``, ``grade``, ``published``, ``text``),
``relations`` (``a``, ``b``, ``kind``: same / consistent / part_of / contradicts / revision, from
``a``'s side) and ``traps`` (``a``, ``b``: pairs a careful reader does not relate). A claim is
named ``"document:needle"``: the quantitative claim whose span overlaps the first occurrence
of ``needle`` in the document's text (``needle#2``: the second occurrence).

Printed, and returned by ``score``:
* recall: annotated pairs the engine relates, of all annotated pairs;
* precision: related pairs that are annotated, of all pairs the engine relates (the
  annotation lists every pair a careful reader relates, so any other is wrong);
* kind accuracy: annotated pairs related with the annotated kind, of those related;
* trap false-relation rate: trap pairs the engine relates, of all trap pairs;
* relations stored per claim and per related pair (rows, both directions, as stored).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .consistency import ClaimFacts
from .extract import extract_claims
from .grouping import blocking_keys
from .linking import Linker, claim_facts_fields
from .model import ExtractedClaim, VerifierError


@dataclass
class Outcome:
    figures: dict[str, float]
    missed: list[str] = field(default_factory=list)
    wrong_kind: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    traps: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Claim:
    facts: ClaimFacts
    document: str
    extracted: ExtractedClaim


def facts_of(
    claim: ExtractedClaim, *, claim_id: int, document_id: int, source_id: int, source: str,
    grade: str, published: date,
) -> ClaimFacts:  # fmt: skip
    """The engine's view of an extracted claim, as claims.verification builds it from rows."""
    return ClaimFacts(
        id=claim_id,
        kind=claim.kind,
        value=claim.value,
        lower=claim.lower,
        upper=claim.upper,
        qualifier=claim.qualifier,
        published=published,
        statement=claim.text,
        source_id=source_id,
        source_name=source,
        source_grade=grade,
        document_id=document_id,
        hedges=claim.hedges,
        **claim_facts_fields(
            places=claim.places, actors=claim.actors, unit=claim.unit, subject=claim.subject,
            time_start=claim.time_start, time_end=claim.time_end,
            attributed_to=claim.attributed_to, role=claim.role, phase=claim.phase,
            inherited=claim.inherited, span=(claim.start, claim.end),
        ),
    )  # fmt: skip


def run(data: dict[str, Any]) -> tuple[list[_Claim], Linker]:
    """Extract, relate and link the set's documents in publication order."""
    documents = sorted(data["documents"], key=lambda d: (d["published"], d["id"]))
    sources: dict[str, int] = {}
    linker = Linker(blocking_keys)
    claims: list[_Claim] = []
    for number, document in enumerate(documents, start=1):
        published = date.fromisoformat(document["published"])
        source_id = sources.setdefault(document["source"], len(sources) + 1)
        for item in extract_claims(document["text"], published=published):
            if item.kind != "quantitative":
                continue
            facts = facts_of(
                item, claim_id=len(claims) + 1, document_id=number, source_id=source_id,
                source=document["source"], grade=document.get("grade", "F"), published=published,
            )  # fmt: skip
            claims.append(_Claim(facts, document["id"], item))
            linker.add(facts)
    return claims, linker


@dataclass(frozen=True, slots=True)
class Found:
    """What a verifier found on the set: its claims and the relations it stores."""

    claims: list[tuple[int, str, tuple[int, int], str]]  # id, document, span, text
    relations: dict[tuple[int, int], str]  # (a, b) -> kind from a's side, both directions
    largest_group: int


def _resolve(
    ref: str, texts: dict[str, str], claims: Sequence[tuple[int, str, tuple[int, int], str]]
) -> int:
    document, _, needle = ref.partition(":")
    needle, _, nth = needle.partition("#")
    text = texts.get(document)
    if text is None:
        raise VerifierError(f"{ref!r}: no document {document!r} in the set")
    at = -1
    for _ in range(int(nth or 1)):
        at = text.find(needle, at + 1)
        if at < 0:
            raise VerifierError(f"{ref!r}: {needle!r} is not in document {document!r}")
    end = at + len(needle)
    for claim_id, claim_document, span, _ in claims:
        if claim_document == document and span[0] < end and at < span[1]:
            return claim_id
    raise VerifierError(f"{ref!r}: the engine found no quantitative claim there")


def score(data: dict[str, Any]) -> Outcome:
    """Run the engine on the set and compare with its annotation (see the module docstring)."""
    claims, linker = run(data)
    found = Found(
        claims=[(c.facts.id, c.document, c.facts.span or (0, 0), c.extracted.text) for c in claims],
        relations={(link.a, link.b): link.relation.kind for link in linker.relations()},
        largest_group=max((len(g) for g in linker.groups.sets()), default=0),
    )
    return evaluate(data, found)


def evaluate(data: dict[str, Any], found: Found) -> Outcome:
    """Compare what a verifier stored with the set's annotation."""
    texts = {d["id"]: d["text"] for d in data["documents"]}
    claims = found.claims
    by_id = {c[0]: c for c in claims}

    def name(claim_id: int) -> str:
        _, document, _, text = by_id[claim_id]
        return f"{document}:{text!r}"

    kept = found.relations
    predicted = {frozenset(pair) for pair in kept}
    expected: dict[frozenset[int], tuple[int, int, str]] = {}
    unresolved = []
    for row in data["relations"]:
        try:
            a, b = _resolve(row["a"], texts, claims), _resolve(row["b"], texts, claims)
        except VerifierError as error:
            unresolved.append(str(error))
            continue
        expected[frozenset((a, b))] = (a, b, row["kind"])
    outcome = Outcome(figures={})
    outcome.missed.extend(f"unresolved {u}" for u in unresolved)
    hits = right = 0
    for pair, (a, b, kind) in expected.items():
        if pair not in predicted:
            outcome.missed.append(f"{name(a)} {kind} {name(b)}")
            continue
        hits += 1
        got = kept[(a, b)]
        if got == kind:
            right += 1
        else:
            outcome.wrong_kind.append(f"{name(a)} {kind} {name(b)}: engine says {got}")
    true_positive = predicted & set(expected)
    for pair in sorted(predicted - set(expected), key=sorted):
        a, b = sorted(pair)
        outcome.false.append(f"{name(a)} {kept[(a, b)]} {name(b)}")
    trap_hits = 0
    for row in data["traps"]:
        try:
            a, b = _resolve(row["a"], texts, claims), _resolve(row["b"], texts, claims)
        except VerifierError as error:
            outcome.traps.append(f"unresolved {error}")
            continue
        if frozenset((a, b)) in predicted:
            trap_hits += 1
            outcome.traps.append(f"{name(a)} ~ {name(b)} ({row.get('why', '')})")
    rows = len(kept)
    outcome.figures = {
        "documents": len(data["documents"]),
        "claims": len(claims),
        "annotated_pairs": len(data["relations"]),
        "trap_pairs": len(data["traps"]),
        "recall": _ratio(hits, len(data["relations"])),
        "precision": _ratio(len(true_positive), len(predicted)),
        "kind_accuracy": _ratio(right, hits),
        "trap_false_rate": _ratio(trap_hits, len(data["traps"])),
        "relations_stored": rows,
        "relations_per_claim": _ratio(rows, len(claims)),
        "relations_per_related_pair": _ratio(rows, len(data["relations"])),
        "largest_group": found.largest_group,
    }
    return outcome


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m verifier.relbench", description="measure verification on a set"
    )
    parser.add_argument("set", type=Path, help="the annotated set (JSON)")
    parser.add_argument("--verbose", action="store_true", help="list every mistake")
    args = parser.parse_args(argv)
    data = json.loads(args.set.read_text(encoding="utf-8"))
    outcome = score(data)
    report(outcome, args.set.name, verbose=args.verbose)
    return 0


def report(outcome: Outcome, name: str, *, verbose: bool = False, out: Any = None) -> None:
    """Print the figures (and with ``verbose`` every mistake)."""
    out = out or sys.stdout
    f = outcome.figures
    print(
        f"verification on {name}: {f['documents']} documents, {f['claims']} claims, "
        f"{f['annotated_pairs']} annotated pairs, {f['trap_pairs']} trap pairs\n"
        f"  relation recall {f['recall']:.3f}  precision {f['precision']:.3f}  "
        f"kind accuracy {f['kind_accuracy']:.3f}  trap false relations {f['trap_false_rate']:.1%}\n"
        f"  relations stored {f['relations_stored']} ({f['relations_per_claim']} per claim, "
        f"{f['relations_per_related_pair']} per related pair), largest group "
        f"{f['largest_group']}",
        file=out,
    )
    if verbose:
        for title, rows in (
            ("missed", outcome.missed),
            ("wrong kind", outcome.wrong_kind),
            ("not annotated", outcome.false),
            ("trap pairs related", outcome.traps),
        ):
            for row in rows:
                print(f"  {title}: {row}", file=out)


if __name__ == "__main__":
    sys.exit(main())
