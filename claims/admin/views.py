"""Pages of the claim admin that are not a list or a form: ingest, compare, restore."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.admin.forms import IngestForm, RevertForm
from claims.capture import url_capture_request
from claims.desk.labels import field_label, readable
from claims.models import CLAIM_CONTENT_FIELDS, Claim
from claims.services import document_ingest
from claims.workflow import HISTORY_FIELDS, WorkflowError, claim_revert
from sources.models import Citation
from sources.readers import CaptureError


def ingest_view(model_admin: Any, request: HttpRequest) -> HttpResponse:
    """Upload or paste a report; its claims are extracted by a background job."""
    if not request.user.has_perm("sources.add_snapshot"):
        raise PermissionDenied
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        if not upload and not data["text"].strip():
            return _capture_url(model_admin, request, form)
        if upload and upload.size > settings.MAX_DOCUMENT_BYTES:
            form.add_error(
                "file",
                f"{upload.name} is {upload.size:,} bytes, over the "
                f"{settings.MAX_DOCUMENT_BYTES:,}-byte limit (MAX_DOCUMENT_BYTES).",
            )
            return _ingest_page(model_admin, request, form)
        raw = upload.read() if upload else data["text"].encode("utf-8")
        name = upload.name if upload else "pasted text"
        try:
            result = document_ingest(
                raw=raw,
                name=name,
                source_name=data["source"] or "Unknown source",
                title=data["title"] or (upload.name.rsplit(".", 1)[0] if upload else "Pasted"),
                url=data["url"],
                published=data["published"],
                method="upload" if upload else "paste",
                origin="admin",
                user=request.user,
            )
        except CaptureError as exc:
            form.add_error(None, str(exc))
        else:
            document = result.snapshot.document
            if result.created:
                model_admin.message_user(
                    request,
                    f"Captured “{document}” as snapshot {result.snapshot.pk}; "
                    f"its claims are being extracted (job {result.job.pk}).",
                )
                return HttpResponseRedirect(
                    reverse("admin:claims_job_ingested", args=[result.job.pk])
                )
            else:
                model_admin.message_user(
                    request,
                    f"These bytes were captured before (snapshot {result.snapshot.pk}); "
                    "nothing new was created.",
                    messages.WARNING,
                )
            url = reverse("admin:claims_claim_changelist") + f"?document={document.pk}"
            return HttpResponseRedirect(url)
    return _ingest_page(model_admin, request, form)


def _ingest_page(model_admin: Any, request: HttpRequest, form: IngestForm) -> HttpResponse:
    return TemplateResponse(
        request,
        "admin/claims/claim/ingest.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Ingest a report",
            "form": form,
            "opts": model_admin.model._meta,
        },
    )


def _capture_url(model_admin: Any, request: HttpRequest, form: IngestForm) -> HttpResponse:
    data = form.cleaned_data
    try:
        job = url_capture_request(
            url=data["url"],
            origin="admin",
            user=request.user,
            source_name=data["source"],
            title=data["title"],
            published=data["published"],
        )
    except CaptureError as exc:
        model_admin.message_user(request, str(exc), messages.ERROR)
        return HttpResponseRedirect(request.path)
    job.refresh_from_db()
    level = messages.ERROR if job.state == job.State.FAILED else messages.SUCCESS
    detail = f": {job.last_error}" if job.last_error else "."
    model_admin.message_user(request, f"Capture job {job.pk} is {job.state}{detail}", level)
    return HttpResponseRedirect(reverse("admin:claims_job_change", args=[job.pk]))


def capture_citation_view(
    model_admin: Any, request: HttpRequest, claim_id: int, citation_id: int
) -> HttpResponse:
    """One click on the claim page: capture the page a citation of the claim points to."""
    if request.method != "POST" or not request.user.has_perm("sources.add_snapshot"):
        raise PermissionDenied
    citation = get_object_or_404(Citation, pk=citation_id, claims__pk=claim_id)
    job = url_capture_request(url=citation.url, origin="admin", user=request.user)
    job.refresh_from_db()
    level = messages.ERROR if job.state == job.State.FAILED else messages.SUCCESS
    detail = f": {job.last_error}" if job.last_error else "."
    model_admin.message_user(
        request, f"Capture of {citation.url}: job {job.pk} is {job.state}{detail}", level
    )
    return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim_id]))


def diff_view(model_admin: Any, request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    if not model_admin.has_view_permission(request, claim):
        raise PermissionDenied
    versions = list(claim.history.select_related("history_user").order_by("history_id"))
    by_id = {v.history_id: v for v in versions}
    a = by_id.get(_int(request.GET.get("a")), versions[0] if versions else None)
    b = by_id.get(_int(request.GET.get("b")), versions[-1] if versions else None)
    rows = []
    if a is not None and b is not None:
        delta = b.diff_against(a, included_fields=list(HISTORY_FIELDS))
        rows = [
            (field_label(c.field), readable(c.field, c.old), readable(c.field, c.new))
            for c in delta.changes
        ]
    return TemplateResponse(
        request,
        "admin/claims/claim/diff.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Claim {claim.pk}: compare versions",
            "claim": claim,
            "versions": versions,
            "a": a,
            "b": b,
            "rows": rows,
            "opts": model_admin.model._meta,
        },
    )


def revert_view(
    model_admin: Any, request: HttpRequest, claim_id: int, history_id: int
) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    if not model_admin.has_change_permission(request, claim):
        raise PermissionDenied
    old = get_object_or_404(claim.history, history_id=history_id)
    form = RevertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim_revert(
                claim=claim,
                actor=request.user,
                history_id=history_id,
                reason=form.cleaned_data["reason"],
                seen_version=_int(request.POST.get("seen_version")),
                origin="admin",
            )
        except WorkflowError as exc:
            model_admin.message_user(request, str(exc), messages.ERROR)
        else:
            model_admin.message_user(
                request, f"Claim {claim.pk} restored to version {old.version}."
            )
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
    changes = [
        (
            field_label(field),
            readable(field, getattr(claim, field)),
            readable(field, getattr(old, field)),
        )
        for field in CLAIM_CONTENT_FIELDS
        if getattr(claim, field) != getattr(old, field)
    ]
    return TemplateResponse(
        request,
        "admin/claims/claim/revert.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Restore claim {claim.pk} to version {old.version}",
            "claim": claim,
            "old": old,
            "changes": changes,
            "form": form,
            "opts": model_admin.model._meta,
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
