"""Signed bundles over the API: the export, or one claim's PROV and ClaimReview, as a ZIP
with the ledger range and snapshot hashes that prove them (claims.custody.bundles); a
document's captures as a signed WACZ (claims.custody.wacz)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request

from claims.api.base import ApiView
from claims.api.export import FirstRenderer
from claims.api.problems import Problem
from claims.api.renderers import ORJSONRenderer
from claims.api.views import DESK_READ, READ, _visible_claim
from claims.custody import signing
from claims.custody.bundles import BundleError, claim_bundle, export_bundle
from claims.custody.wacz import WaczError, document_wacz

ZIP = "application/zip"


class SigningUnavailable(Problem):
    status_code = 503
    slug = "signing-unavailable"
    title = "Bundles cannot be signed here"


class ZipRenderer(ORJSONRenderer):
    """Names the ZIP answer for content negotiation; errors still render as problem JSON."""

    media_type = ZIP
    format = "zip"


def _zip(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ZIP)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _signed(build: Any) -> bytes:
    try:
        return build()
    except (signing.SigningKeyMissing, signing.SigningKeyInvalid, BundleError) as error:
        raise SigningUnavailable(str(error)) from None


BUNDLE_RESPONSES = {
    (200, ZIP): OpenApiResponse(
        OpenApiTypes.BINARY,
        description="A ZIP: the data, records.jsonl, snapshots.json, ledger.jsonl, "
        "manifest.json and its Ed25519 signature manifest.sig.",
    ),
    503: OpenApiResponse(
        OpenApiTypes.OBJECT, description="No usable EXPORT_SIGNING_KEY on this server."
    ),
}


class ExportBundleView(ApiView):
    required_perms = READ
    content_negotiation_class = FirstRenderer
    renderer_classes = [ZipRenderer]

    @extend_schema(
        operation_id="export_bundle",
        summary="The export of every verified claim, signed, with its ledger range",
        responses=BUNDLE_RESPONSES,
    )
    def get(self, request: Request) -> HttpResponse:
        return _zip(_signed(export_bundle), "verified-claims.bundle.zip")


class ClaimBundleView(ApiView):
    required_perms = DESK_READ
    content_negotiation_class = FirstRenderer
    renderer_classes = [ZipRenderer]

    @extend_schema(
        operation_id="claims_bundle",
        summary="The claim's PROV document and ClaimReview, signed, with its ledger range",
        responses=BUNDLE_RESPONSES,
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        claim = _visible_claim(request, pk)
        body = _signed(lambda: claim_bundle(claim, request))
        return _zip(body, f"claim-{claim.pk}.bundle.zip")


class DocumentWaczView(ApiView):
    required_perms = {"GET": ["sources.view_snapshot"]}
    content_negotiation_class = FirstRenderer
    renderer_classes = [ZipRenderer]

    @extend_schema(
        operation_id="documents_wacz",
        summary="The document's captures as a signed WACZ package",
        responses={
            (200, ZIP): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="WARC, CDX index, pages and datapackage.json with digests; "
                "datapackage-digest.json carries the Ed25519 signature.",
            ),
            503: BUNDLE_RESPONSES[503],
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        from sources.models import Document

        document = Document.objects.filter(pk=pk).first()
        if document is None:
            raise Http404(f"There is no document {pk}.")
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "package.wacz"
            try:
                document_wacz(document, out)
            except (signing.SigningKeyMissing, signing.SigningKeyInvalid, WaczError) as error:
                raise SigningUnavailable(str(error)) from None
            return _zip(out.read_bytes(), f"document-{document.pk}.wacz")
