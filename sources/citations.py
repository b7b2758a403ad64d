"""A report's footnotes: each cited URL becomes a Document of its own source."""

from __future__ import annotations

from urllib.parse import urlsplit

from sources.models import Citation, Document, Snapshot, Source
from verifier.citations import Citations, parse_citations


def cited_source_name(url: str) -> str:
    """The source a cited URL belongs to, named by its host ("t.me", "kyivindependent.com")."""
    host = (urlsplit(url).hostname or "unknown").lower()
    return host.removeprefix("www.")


def snapshot_citations_store(snapshot: Snapshot) -> tuple[Citations, dict[int, list[Citation]]]:
    """Parse the snapshot's footnotes and endnotes; store each cited URL (once).

    Returns the parse and the stored citations by footnote number. Must run inside
    tracked_change (documents and sources are tracked) and a transaction. Cited documents are
    not fetched: someone asks for that with the capture action.
    """
    parsed = parse_citations(snapshot.text)
    by_number: dict[int, list[Citation]] = {}
    for number, endnote in sorted(parsed.endnotes.items()):
        for url in endnote.urls:
            source, _ = Source.objects.get_or_create(
                name=cited_source_name(url),
                defaults={"homepage": f"https://{urlsplit(url).netloc}/"},
            )
            document = Document.objects.filter(url=url).first() or Document.objects.create(
                source=source, title=url[:500], url=url
            )
            citation, _ = Citation.objects.get_or_create(
                snapshot=snapshot, number=number, url=url, defaults={"cited_document": document}
            )
            by_number.setdefault(number, []).append(citation)
    return parsed, by_number
