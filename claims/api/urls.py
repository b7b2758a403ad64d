"""/api/v1/ routes. Included by config.urls under the "api" namespace."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api import bundles, records, sync, views, webhooks
from claims.api.base import ApiView
from claims.api.export import ExportView
from claims.api.lineage import ClaimLineageView
from claims.api.schema_view import SchemaView

app_name = "api"

ROOT_LINKS = {
    "claims": "api:claim-list",
    "claim_changes": "api:claim-changes",
    "sources": "api:source-list",
    "documents": "api:document-list",
    "export": "api:export",
    "export_bundle": "api:export-bundle",
    "webhooks": "api:webhook-list",
    "schema": "api:schema",
    "docs": "api:docs",
}


class ApiRootView(ApiView):
    required_perms = {"GET": ["claims.view_claim"]}

    @extend_schema(operation_id="root", responses={200: OpenApiResponse(dict, "Links.")})
    def get(self, request: Request) -> Response:
        return Response(
            {name: request.build_absolute_uri(reverse(route)) for name, route in ROOT_LINKS.items()}
        )


urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/changes/", sync.ClaimChangesView.as_view(), name="claim-changes"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/history/", views.ClaimHistoryView.as_view(), name="claim-history"),
    path("claims/<int:pk>/evidence/", views.ClaimEvidenceView.as_view(), name="claim-evidence"),
    path(
        "claims/<int:pk>/provenance/",
        views.ClaimProvenanceView.as_view(),
        name="claim-provenance",
    ),
    path("claims/<int:pk>/claimreview/", views.ClaimReviewView.as_view(), name="claim-claimreview"),
    path("claims/<int:pk>/lineage/", ClaimLineageView.as_view(), name="claim-lineage"),
    path("claims/<int:pk>/bundle/", bundles.ClaimBundleView.as_view(), name="claim-bundle"),
    path("sources/", records.SourceListView.as_view(), name="source-list"),
    path("sources/<int:pk>/", records.SourceDetailView.as_view(), name="source-detail"),
    path("documents/", records.DocumentListView.as_view(), name="document-list"),
    path("documents/<int:pk>/", records.DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/wacz/", bundles.DocumentWaczView.as_view(), name="document-wacz"),
    path("jobs/<int:pk>/", records.JobDetailView.as_view(), name="job-detail"),
    path("alerts/", records.AlertListView.as_view(), name="alert-list"),
    path("webhooks/", webhooks.WebhookListView.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", webhooks.WebhookDetailView.as_view(), name="webhook-detail"),
    path("export/", ExportView.as_view(), name="export"),
    path("export/bundle/", bundles.ExportBundleView.as_view(), name="export-bundle"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
