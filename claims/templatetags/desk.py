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


@register.simple_tag(takes_context=True)
def desk_dashboard(context: Any) -> dict[str, Any]:
    """Everything the dashboard at the admin index shows, for the signed-in person."""
    from claims.desk import dashboard

    request = context["request"]
    counts = dashboard.desk_counts()
    alerts_count, alerts = dashboard.open_alerts()
    days = dashboard.decisions_per_day()
    return {
        **counts,
        # From the same minute-old counts as the table, so the two always agree.
        "mine": next((r.total for r in counts["queues"] if r.assignee_id == request.user.pk), 0),
        "alerts_count": alerts_count,
        "alerts": alerts,
        "ingests": dashboard.recent_ingests(),
        "days": days,
        "days_chart": {
            "x": [d.day.isoformat() for d in days],
            "y": [d.decisions for d in days],
            "label": "decisions",
        },
        "decisions_30": sum(d.decisions for d in days),
        "saved": list(request.user.saved_filters.all()) if request.user.pk else [],
    }
