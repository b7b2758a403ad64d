"""Claim identity: which claims state the same fact, found without comparing every pair.

Blocking. ``blocking_keys(facts)`` gives a claim a few keys, ``unit family | role | entity
word | year``: "39 children deported ... Luhansk Oblast ... late March 2025" gets
``person|deported|luhansk|2025``. ``relate`` (verifier.consistency) only ever relates claims of
one unit family and one role that share a significant place or actor word and whose periods
overlap, so two claims it could relate always share a key (an explicit part is linked to its
whole directly, see verifier.linking), except when one period is longer than ``MAX_YEARS``
(bucketed by its last years) or a block overflowed its cap. A new claim is compared only with
the claims under its keys, at most ``CANDIDATE_CAP`` most recent ones of other documents per key
(verifier.linking) and its neighbours in its own, so a claim costs at most
``MAX_TOKENS * MAX_YEARS * (CANDIDATE_CAP + 2 * WINDOW)``
comparisons whatever the corpus size: grouping n claims
is O(n) comparisons and O(n) memory (the index holds each claim under at most
``MAX_TOKENS * MAX_YEARS`` keys), against O(n^2) for all pairs.

Groups are the connected components of the relations ``same``, ``consistent`` and
``contradicts`` (rival figures for one event sit in one group, so reviewers see them side by
side); ``part_of`` links a group to a larger one without merging them.

``python -m verifier.grouping --claims 100000 1000000`` benchmarks linking on synthetic claims
as the service does it (verifier.linking.Linker: per key the newest claims of other documents
and the claim's neighbours in its own, at most ``MAX_RELATIONS`` kept per claim, groups capped)
and prints time, comparisons and relations per claim and peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .consistency import (
    ANY_DEAD_UNITS,
    CONSISTENT,
    CONTRADICTS,
    SAME,
    ClaimFacts,
    Relation,
    claim_family,
    entity_tokens,
    event_days,
    period_for,
    relate,
    subject_key,
)
from .linking import Linker

MAX_TOKENS = 10  # a sentence rarely names more places and actors; beyond, recall drops
MAX_YEARS = 4
GROUPING_KINDS = frozenset({SAME, CONSISTENT, CONTRADICTS})


def blocking_keys(facts: ClaimFacts) -> set[str]:
    """The keys under which ``facts`` is filed and looked up (see the module docstring)."""
    if facts.kind != "quantitative":
        text = facts.text_fingerprint()
        return {f"text|{text}"} if text else set()
    if not facts.unit:
        return set()
    family, _ = claim_family(facts)
    families = [family]
    if facts.unit in ANY_DEAD_UNITS and family in ("person", "soldier"):
        families = ["person", "soldier"]  # bodies meet soldiers' and civilians' counts
    role = facts.role or ""
    return {key for f in families for key in _keys(facts, f"{f}|{role}")}


def _keys(facts: ClaimFacts, family: str) -> set[str]:
    """The keys of ``facts`` under one family|role prefix."""
    # A region shares its keys with its city ("Zhytomyr region", "Zhytomyr"): relate() tells
    # them apart.
    tokens = {t.removesuffix("~region") for t in entity_tokens(facts)}
    # The longest words are the rarest, hence the most selective; ties broken by spelling so
    # the choice is deterministic.
    chosen = sorted(tokens, key=lambda t: (-len(t), t))[:MAX_TOKENS]
    if not facts.own_tokens and subject_key(facts.subject):
        # No name of its own (at most a country or its speaker): relate() may also pair it
        # by its counted phrase.
        chosen.append(f"~{subject_key(facts.subject)}")
    # One day's event figures also meet under the day, whether or not both name the place.
    days = {f"{family}|@{day.isoformat()}" for day in event_days(facts)}
    if not chosen:
        return days
    return days | {f"{family}|{token}|{year}" for token in chosen for year in period_years(facts)}


def period_years(facts: ClaimFacts) -> list[str]:
    """The last ``MAX_YEARS`` calendar years the claim's period touches, or ["undated"]."""
    period = period_for(facts)
    end = period.end or period.start
    if end is None:
        return ["undated"]
    first = period.start.year if period.start else end.year - MAX_YEARS + 1
    first = max(first, end.year - MAX_YEARS + 1)
    return [str(year) for year in range(first, end.year + 1)]


class UnionFind:
    """Disjoint sets of claim ids; the representative of a set is its smallest id."""

    def __init__(self, ids: Iterable[int] = ()) -> None:
        self.parent: dict[int, int] = {i: i for i in ids}

    def find(self, i: int) -> int:
        parent = self.parent.setdefault(i, i)
        while parent != self.parent[parent]:
            self.parent[parent] = self.parent[self.parent[parent]]  # path halving
            parent = self.parent[parent]
        self.parent[i] = parent
        return parent

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = min(ra, rb), max(ra, rb)
            self.parent[high] = low

    def sets(self) -> list[list[int]]:
        """Every set as a sorted list, sets ordered by their smallest id."""
        by_root: dict[int, list[int]] = {}
        for i in sorted(self.parent):
            by_root.setdefault(self.find(i), []).append(i)
        return [by_root[root] for root in sorted(by_root)]


@dataclass(frozen=True, slots=True)
class Edge:
    """``relation`` holds from claim ``a`` to claim ``b``."""

    a: int
    b: int
    relation: Relation


def relate_within(facts: Sequence[ClaimFacts]) -> list[Edge]:
    """The relations between the claims that share a blocking key, both directions, sorted."""
    by_key: dict[str, list[ClaimFacts]] = {}
    for item in sorted(facts, key=lambda f: f.id):
        for key in blocking_keys(item):
            by_key.setdefault(key, []).append(item)
    seen: set[tuple[int, int]] = set()
    edges: list[Edge] = []
    for members in by_key.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a.id, b.id) in seen:
                    continue
                seen.add((a.id, b.id))
                forward = relate(a, b)
                if forward is None:
                    continue
                backward = relate(b, a)
                assert backward is not None  # relate is symmetric up to direction
                edges += [Edge(a.id, b.id, forward), Edge(b.id, a.id, backward)]
    return sorted(edges, key=lambda e: (e.a, e.b))


def group_components(ids: Iterable[int], edges: Iterable[Edge]) -> list[list[int]]:
    """Claims joined by same / consistent / contradicts, as sorted lists ordered by first id."""
    sets = UnionFind(ids)
    for edge in edges:
        if edge.relation.kind in GROUPING_KINDS:
            sets.union(edge.a, edge.b)
    return sets.sets()


_UNITS = ("child", "person", "civilian", "kilometer", "drone", "missile", "tank", "usd")


def _name(n: int, prefix: str) -> str:
    # Letters only: entity words are alphabetic, digits would be dropped.
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if n == 0:
            return prefix + letters


_PLACES = [_name(n, "Novo") for n in range(20000)]
_ACTORS = [_name(n, "Brigada") for n in range(2000)]


def synthetic_claims(n: int, seed: int = 7) -> Iterable[ClaimFacts]:
    """A stream of claims over ten years in publication order. About five claims restate each
    event (same figure, a rounded one, a rival figure, or a lower bound), and place names
    follow a skewed distribution, so a few blocks fill up to their cap as in real reporting."""
    rng = random.Random(seed)
    day0 = date(2016, 1, 1)
    events = max(1, n // 5)
    document = 0
    for i in range(1, n + 1):
        if rng.random() < 0.1:
            document += 1  # reports of ten claims on average, in publication order
        # Claims restate recent events: pick one within a small window of the current one.
        event = min(events - 1, max(0, i * events // n - rng.randrange(20)))
        er = random.Random(event)  # the event's own facts, the same for every restatement
        day = day0 + timedelta(days=event * 3650 // events)
        unit = er.choice(_UNITS)
        start = day - timedelta(days=er.choice((0, 0, 6, 30, 365)))
        value = float(er.choice((10, 39, 45, 120, 1200, 1250)) * er.randrange(1, 5))
        places = tuple(_PLACES[int(len(_PLACES) * er.random() ** 3)] for _ in range(2))
        variant = rng.random()
        qualifier = "exact"
        if variant < 0.1:
            value += 7  # a rival figure
        elif variant < 0.3:
            qualifier = "approximate"
        elif variant < 0.4:
            qualifier, value = "more_than", value * 0.9
        yield ClaimFacts(
            id=i,
            value=value,
            lower=value,
            upper=value,
            qualifier=qualifier,
            unit=unit,
            subject=unit,
            time_start=start,
            time_end=day,
            published=day + timedelta(days=rng.randrange(3)),
            places=places,
            actors=(er.choice(_ACTORS),),
            source_id=document % 200,
            document_id=document,
        )


def bench(n: int, out: object = sys.stdout) -> dict[str, float]:
    """Link ``n`` synthetic claims as the service does (verifier.linking.Linker); returns the
    figures."""
    index = Linker(blocking_keys)
    started = time.perf_counter()
    for facts in synthetic_claims(n):
        index.add(facts)
    elapsed = time.perf_counter() - started
    relations = sum(len(links) for links in index.links.values())
    # ru_maxrss is in KiB on Linux: the process's peak resident memory so far.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "claims": n,
        "seconds": round(elapsed, 1),
        "us_per_claim": round(elapsed / n * 1e6, 1),
        "comparisons_per_claim": round(index.comparisons / n, 1),
        "relations_per_claim": round(relations / n, 2),
        "largest_group": max(index.groups.size.values(), default=0),
        "groups": len(index.groups.sets()),
        "blocks": len(index.blocks),
        "peak_rss_mb": round(peak_mb, 1),
    }
    print(
        f"{n:>9,} claims: {figures['us_per_claim']:>7} µs/claim, "
        f"{figures['comparisons_per_claim']:>6} comparisons/claim, "
        f"{figures['relations_per_claim']} relations/claim, {figures['groups']:,} groups "
        f"(largest {figures['largest_group']}), {figures['blocks']:,} blocks, "
        f"peak RSS {figures['peak_rss_mb']:,} MB, total {figures['seconds']} s",
        file=out,  # type: ignore[arg-type]
    )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m verifier.grouping", description="benchmark claim grouping"
    )
    parser.add_argument("command", nargs="?", default="bench", choices=["bench"])
    parser.add_argument("--claims", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args(argv)
    for n in args.claims:
        bench(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
