"""Jobs in the admin, with a progress bar that refreshes by itself until the job ends.

The bar (templates admin/claims/job/progress.html, static claims/job-progress.js) reads
``GET /api/v1/jobs/{id}/`` with the signed-in person's session; it is shown on the job's
page, on the ingest result page and on the document's page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path

from claims.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "state",
        "percent_done",
        "claims_so_far",
        "attempts",
        "snapshot",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "state", "origin"]
    search_fields = ["last_error"]
    readonly_fields = [f.name for f in Job._meta.fields]
    change_form_template = "admin/claims/job/change_form.html"

    class Media:
        css = {"all": ["claims/job-progress.css"]}
        js = ["claims/job-progress.js"]

    @admin.display(description="done")
    def percent_done(self, job: Job) -> str:
        return f"{job.progress:.0%}"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        ingested = path(
            "<int:job_id>/ingested/",
            self.admin_site.admin_view(self.ingested_view),
            name="claims_job_ingested",
        )
        return [ingested, *super().get_urls()]

    def ingested_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        """The ingest result page: what was captured, and its extraction's progress."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(Job.objects.select_related("snapshot__document"), pk=job_id)
        return TemplateResponse(
            request,
            "admin/claims/job/ingested.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Ingested: {job.snapshot.document if job.snapshot else job}",
                "job": job,
                "opts": self.model._meta,
                "media": self.media,
            },
        )
