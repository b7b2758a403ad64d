"""Independence of sources: copies of one origin count once; circular reporting is shown.

Two claims share an origin, and fall into one cluster, when any of these holds:

* the same source (an outlet restating itself is not a second witness);
* the same text fingerprint (one sentence syndicated to several outlets);
* a shared cited URL (both rest on the same primary source);
* the same attributed originator ("according to the Ombudsman" in two outlets), or one claim is
  attributed to the other claim's source by name;
* one claim cites the other's source (a cited document of that source, a URL on its domain,
  or the other document's URL): the citing outlet repeats the cited one.

Circular reporting: the citations between sources form a directed graph (A cites B when a
claim of A cites a URL on B's domain). Sources on a cycle (A cites B, B cites A, or longer)
are reported with the cycle; they already sit in one cluster through the citation rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .consistency import ClaimFacts
from .grouping import UnionFind

GRADE_ORDER = "ABCDEF"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SourceCluster:
    """Claims that count as one independent source; ``reasons`` says why they were joined."""

    claim_ids: tuple[int, ...]
    source_ids: tuple[int, ...]
    source_names: tuple[str, ...]
    best_grade: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CircularReport:
    """Sources that cite each other in a loop."""

    source_names: tuple[str, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class Independence:
    clusters: tuple[SourceCluster, ...]
    circular: tuple[CircularReport, ...]

    def cluster_of(self, claim_id: int) -> SourceCluster | None:
        return next((c for c in self.clusters if claim_id in c.claim_ids), None)


def domain(url: str) -> str:
    """The host of a URL without "www.", lower case; "" for no URL."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


def independent_sources(claims: Sequence[ClaimFacts]) -> Independence:
    """Cluster ``claims`` by shared origin; clusters ordered by their smallest claim id."""
    claims = sorted(claims, key=lambda c: c.id)
    sets = UnionFind(c.id for c in claims)
    reasons: dict[int, list[str]] = {}

    def join(a: ClaimFacts, b: ClaimFacts, why: str) -> None:
        if sets.find(a.id) != sets.find(b.id):
            reasons.setdefault(a.id, []).append(why)
        sets.union(a.id, b.id)

    by_key: dict[tuple[str, str], ClaimFacts] = {}
    for claim in claims:
        for key, why in _origin_keys(claim):
            first = by_key.setdefault(key, claim)
            if first is not claim:
                join(first, claim, why)
    edges = _citation_edges(claims)
    for (citing, cited), (a, b) in edges.items():
        join(a, b, f"{citing} cites {cited}")
    clusters = []
    for ids in sets.sets():
        wanted = set(ids)
        members = [c for c in claims if c.id in wanted]
        why = sorted({r for c in members for r in reasons.get(c.id, [])})
        clusters.append(
            SourceCluster(
                claim_ids=tuple(ids),
                source_ids=tuple(sorted({c.source_id for c in members if c.source_id})),
                source_names=tuple(sorted({c.source_name for c in members if c.source_name})),
                best_grade=min((c.source_grade or "F" for c in members), key=GRADE_ORDER.index),
                reasons=tuple(why),
            )
        )
    return Independence(tuple(clusters), _cycles({pair for pair in edges}))


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.strip().lower())


def _origin_keys(claim: ClaimFacts) -> list[tuple[tuple[str, str], str]]:
    keys: list[tuple[tuple[str, str], str]] = []
    if claim.source_id is not None:
        keys.append((("source", str(claim.source_id)), f"same source {claim.source_name}"))
    text = claim.text_fingerprint()
    if text:
        keys.append((("text", text), "the same text"))
    for url in claim.cited_urls:
        keys.append((("cites", url.rstrip("/").lower()), f"both cite {url}"))
    # An originator named in one claim and a source of another are the same party.
    if claim.attributed_to:
        name = _norm(claim.attributed_to)
        keys.append((("originator", name), f"both attributed to {claim.attributed_to}"))
    if claim.source_name:
        name = _norm(claim.source_name)
        keys.append((("originator", name), f"attributed to {claim.source_name}"))
    return keys


def _citation_edges(
    claims: Sequence[ClaimFacts],
) -> dict[tuple[str, str], tuple[ClaimFacts, ClaimFacts]]:
    """(citing source, cited source) -> a claim of each, for citations between the sources."""
    by_domain: dict[str, ClaimFacts] = {}
    by_url: dict[str, ClaimFacts] = {}
    for claim in claims:
        for d in claim.source_domains:
            if d:
                by_domain.setdefault(d, claim)
        if claim.document_url:
            by_url.setdefault(claim.document_url.rstrip("/").lower(), claim)
    by_source = {c.source_id: c for c in reversed(claims) if c.source_id is not None}
    edges: dict[tuple[str, str], tuple[ClaimFacts, ClaimFacts]] = {}
    for claim in claims:
        for source_id in claim.cited_source_ids:
            cited = by_source.get(source_id)
            if cited is not None and source_id != claim.source_id:
                edges.setdefault((_label(claim), _label(cited)), (claim, cited))
        for url in claim.cited_urls:
            cited = by_url.get(url.rstrip("/").lower()) or by_domain.get(domain(url))
            if cited is None or cited.source_id == claim.source_id:
                continue
            pair = (_label(claim), _label(cited))
            edges.setdefault(pair, (claim, cited))
    return edges


def _label(claim: ClaimFacts) -> str:
    return claim.source_name or f"source {claim.source_id}"


def _cycles(edges: set[tuple[str, str]]) -> tuple[CircularReport, ...]:
    """Strongly connected sets of two or more sources (Tarjan), as reports, sorted."""
    graph: dict[str, list[str]] = {}
    for a, b in sorted(edges):
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        # Recursion depth is bounded by the sources of one group: a handful.
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    reports = []
    for names in sorted(found):
        loop = " -> ".join((*names, names[0]))
        reports.append(
            CircularReport(names, f"circular reporting: {loop} cite each other; counted once")
        )
    return tuple(reports)
