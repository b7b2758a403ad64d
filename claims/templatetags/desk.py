"""Template helpers of the review desk."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def result_count(cl: Any) -> str:
    """The claim list's count as the paginator can vouch for it (see EstimatedCountPaginator)."""
    paginator = cl.paginator
    if hasattr(paginator, "count_text"):
        return paginator.count_text(str(cl.opts.verbose_name), str(cl.opts.verbose_name_plural))
    noun = cl.opts.verbose_name if cl.result_count == 1 else cl.opts.verbose_name_plural
    return f"{cl.result_count:,} {noun}"


@register.simple_tag
def triage_row(claim: Any) -> dict[str, Any]:
    """What a triage row shows of ``claim`` (see claims.desk.triage)."""
    from claims.desk import triage

    snapshot = claim.extracted_from
    return {
        "sentence": triage.sentence_html(claim),
        "quantity": triage.quantity(claim),
        "period": triage.period(claim),
        "places": triage.places(claim),
        "source": snapshot.document.source if snapshot else "",
        "document": triage.document_line(claim),
        "grade": triage.source_grade(claim),
        "status": triage.status_html(claim),
    }
