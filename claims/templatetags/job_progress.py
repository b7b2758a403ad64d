"""``{% job_progress job %}`` and ``{% document_jobs document %}``: the self-refreshing bar."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from claims.models import Job

register = template.Library()


@register.inclusion_tag("admin/claims/job/progress.html")
def job_progress(job: Job) -> dict[str, Any]:
    claims_url = ""
    if job.kind == Job.Kind.EXTRACT_CLAIMS and job.snapshot_id:
        document_id = job.snapshot.document_id
        claims_url = reverse("admin:claims_claim_changelist") + f"?document={document_id}"
    return {
        "job": job,
        "api_url": reverse("api:job-detail", args=[job.pk]),
        "job_url": reverse("admin:claims_job_change", args=[job.pk]),
        "claims_url": claims_url,
    }


@register.inclusion_tag("admin/claims/job/document_jobs.html")
def document_jobs(document: Any) -> dict[str, Any]:
    """The extraction jobs of a document's snapshots, newest first (at most five)."""
    jobs = Job.objects.filter(
        kind=Job.Kind.EXTRACT_CLAIMS, snapshot__document_id=getattr(document, "pk", None)
    ).order_by("-created_at", "-id")[:5]
    return {"jobs": list(jobs)}
