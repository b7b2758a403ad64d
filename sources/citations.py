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
    wanted = [
        (number, url) for number, endnote in sorted(parsed.endnotes.items()) for url in endnote.urls
    ]
    if not wanted:
        return parsed, {}
    # Read what exists in three queries, not three per URL: a report cites a handful.
    urls = {url for _, url in wanted}
    sources = {
        s.name: s for s in Source.objects.filter(name__in={cited_source_name(u) for u in urls})
    }
    documents: dict[str, Document] = {}
    for document in Document.objects.filter(url__in=urls):  # the model's order, as .first()
        documents.setdefault(document.url, document)
    stored = {(c.number, c.url): c for c in Citation.objects.filter(snapshot=snapshot)}
    new: list[Citation] = []
    for number, url in wanted:
        if (number, url) in stored:
            continue
        document = documents.get(url)
        if document is None:
            name = cited_source_name(url)
            if name not in sources:
                sources[name], _ = Source.objects.get_or_create(
                    name=name, defaults={"homepage": f"https://{urlsplit(url).netloc}/"}
                )
            document = Document.objects.create(source=sources[name], title=url[:500], url=url)
            documents[url] = document
        citation = Citation(snapshot=snapshot, number=number, url=url, cited_document=document)
        stored[(number, url)] = citation
        new.append(citation)
    # One insert; the run holding the job's lease is the only one that can commit them.
    Citation.objects.bulk_create(new)
    by_number: dict[int, list[Citation]] = {}
    for number, url in wanted:
        by_number.setdefault(number, []).append(stored[(number, url)])
    return parsed, by_number
