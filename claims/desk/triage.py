"""What a reviewer needs to triage a claim without opening it, as text and as HTML.

One set of functions so the claim list, My queue, the assign page and the e-mail agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from verifier.consistency import Period

# Characters of the sentence kept on each side of the number in a list row.
CONTEXT_CHARS = 70


@dataclass(frozen=True)
class SentenceCut:
    before: str
    quote: str
    after: str


def sentence_cut(statement: str, quote: str, *, context: int = CONTEXT_CHARS) -> SentenceCut:
    """The claim's sentence split around its quote, trimmed to ``context`` characters a side
    at a word boundary, with "…" where it was cut. A quote not found in the sentence (edited
    by hand) leaves the sentence trimmed at its end and nothing highlighted."""
    statement = " ".join(statement.split())
    quote = " ".join(quote.split())
    at = statement.find(quote) if quote else -1
    if at < 0:
        if len(statement) > 2 * context:
            return SentenceCut(_trim_end(statement, 2 * context), "", "")
        return SentenceCut(statement, "", "")
    before, after = statement[:at], statement[at + len(quote) :]
    return SentenceCut(_trim_start(before, context), quote, _trim_end(after, context))


def _trim_start(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    space = cut.find(" ")
    return "…" + (cut[space + 1 :] if 0 <= space < limit // 2 else cut)


def _trim_end(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut) + "…"


def sentence_html(claim: Any) -> SafeString:
    """The trimmed sentence with the number in <mark>; captured text is escaped."""
    cut = sentence_cut(claim.statement, claim.quote)
    return format_html(
        '<span class="desk-sentence">{}<mark>{}</mark>{}</span>', cut.before, cut.quote, cut.after
    )


def sentence_text(claim: Any) -> str:
    """The same for plain text (the e-mail): the number between » «."""
    cut = sentence_cut(claim.statement, claim.quote)
    return f"{cut.before}»{cut.quote}«{cut.after}" if cut.quote else cut.before


def quantity(claim: Any) -> str:
    """The parsed figure: "39 child", "more than 1,200 ukrainian", "10–20 kilometer"."""
    if claim.kind != "quantitative":
        return claim.get_kind_display()

    def number(x: float | None) -> str:
        return "?" if x is None else f"{x:,.10g}"

    q = claim.qualifier
    if q == "range":
        amount = f"{number(claim.lower)}–{number(claim.upper)}"
    elif q in ("more_than", "at_least"):
        amount = f"{claim.get_qualifier_display()} {number(claim.lower)}"
    elif q in ("less_than", "at_most"):
        amount = f"{claim.get_qualifier_display()} {number(claim.upper)}"
    elif q == "approximate":
        amount = f"≈ {number(claim.value)}" if claim.value is not None else "an unstated number"
    else:
        amount = number(claim.value)
    return f"{amount} {claim.unit}".strip()


def period(claim: Any) -> str:
    """When the figure holds, as written, else its resolved dates; "" when unknown."""
    if claim.time_text:
        return claim.time_text
    if claim.time_start is None and claim.time_end is None:
        return ""
    return Period(claim.time_start, claim.time_end).describe()


def places(claim: Any) -> str:
    return ", ".join(str(p) for p in (claim.places or []))


def document_line(claim: Any) -> str:
    """The title (and publication date) of the document the claim was read from."""
    snapshot = claim.extracted_from
    if snapshot is None:
        return ""
    document = snapshot.document
    when = f" ({document.published_at:%Y-%m-%d})" if document.published_at else ""
    return f"{document.title}{when}"


def source_grade(claim: Any) -> str:
    snapshot = claim.extracted_from
    return snapshot.document.source.reliability if snapshot else ""


def triage_lines(claim: Any) -> list[str]:
    """The claim for a plain-text message, one fact per line."""
    snapshot = claim.extracted_from
    source = f"{snapshot.document.source} (grade {source_grade(claim)})" if snapshot else ""
    facts = [
        ("subject", claim.subject),
        ("period", period(claim)),
        ("place", places(claim)),
        ("document", document_line(claim)),
        ("source", source),
    ]
    return [sentence_text(claim)] + [f"{k}: {v}" for k, v in facts if v]


def status_html(claim: Any) -> SafeString:
    """The status as a badge in its colour, with the confidence once decided."""
    confidence = claim.get_confidence_display() if claim.confidence else ""
    return format_html(
        '<span class="desk-status status-{}">{}</span>{}',
        claim.status,
        claim.get_status_display(),
        format_html('<br><span class="desk-confidence">{}</span>', confidence)
        if confidence
        else "",
    )
