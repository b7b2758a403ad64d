"""Sources, documents (with their snapshots; POST to capture one) and jobs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import parsers, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import html

from claims.api.base import ApiView
from claims.api.pagination import PageQuerySerializer, keyset_page
from claims.api.problems import PayloadTooLarge
from claims.capture import url_capture_request
from claims.models import Alert, Job
from claims.services import document_ingest
from sources.models import Document, Snapshot, Source
from sources.readers import CaptureError

PAGE_PARAMETERS = [PageQuerySerializer]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "kind", "homepage", "reliability", "notes", "updated_at"]


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Snapshot
        fields = [
            "id",
            "sha256",
            "text_sha256",
            "size",
            "media_type",
            "encoding",
            "captured_at",
            "capture_method",
            "final_url",
            "http_status",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    # Output only; not read_only so the schema marks it optional: API readers get documents
    # without their snapshots' metadata (claims.roles.CAPABILITIES).
    snapshots = SnapshotSerializer(
        many=True,
        required=False,
        help_text="Present for roles that may see snapshots (not API readers).",
    )

    class Meta:
        model = Document
        fields = ["id", "source", "title", "url", "published_at", "language", "author", "snapshots"]

    def to_representation(self, instance: Document) -> dict[str, Any]:
        if self.context.get("with_snapshots"):
            return super().to_representation(instance)
        self.fields.pop("snapshots", None)
        return super().to_representation(instance)


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "snapshot",
            "state",
            "attempts",
            "last_error",
            "result",
            "progress",
            "claims_so_far",
            "created_at",
            "updated_at",
            "started_at",
            "estimated_end_at",
            "finished_at",
        ]
        extra_kwargs = {
            "progress": {"help_text": "Share of the work done, 0 to 1."},
            "estimated_end_at": {"help_text": "Null until the job has made some progress."},
        }


def _page_of(serializer: type[serializers.Serializer], name: str) -> Any:
    return inline_serializer(
        name=name,
        fields={"next": serializers.URLField(allow_null=True), "results": serializer(many=True)},
    )


class SourceListView(ApiView):
    required_perms = {"GET": ["sources.view_source"]}

    @extend_schema(
        operation_id="sources_list",
        parameters=PAGE_PARAMETERS,
        responses={200: _page_of(SourceSerializer, "SourcePage")},
    )
    def get(self, request: Request) -> Response:
        page = keyset_page(Source.objects.all(), request, "id")
        return Response(
            {"next": page.next_url, "results": SourceSerializer(page.items, many=True).data}
        )


class SourceDetailView(ApiView):
    required_perms = {"GET": ["sources.view_source"]}

    @extend_schema(operation_id="sources_retrieve", responses={200: SourceSerializer})
    def get(self, request: Request, pk: int) -> Response:
        source = Source.objects.filter(pk=pk).first()
        if source is None:
            raise Http404(f"There is no source {pk}.")
        return Response(SourceSerializer(source).data)


def _sees_snapshots(request: Request) -> bool:
    return request.user.has_perm("sources.view_snapshot")


def _documents(request: Request) -> Any:
    if not _sees_snapshots(request):
        return Document.objects.all()
    # Snapshot metadata only: the captured text can be megabytes per snapshot.
    snapshots = Snapshot.objects.defer("text", "http_headers").order_by("captured_at", "id")
    return Document.objects.prefetch_related(Prefetch("snapshots", queryset=snapshots))


class FormDateField(serializers.DateField):
    """A date that a form may leave out but not send empty.

    DRF reads an empty form field as absent; the schema says a given ``published`` is a date,
    so an empty one is a wrong date (400), as it is in JSON.
    """

    def get_value(self, dictionary: Any) -> Any:
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class DocumentInputSerializer(serializers.Serializer):
    """Exactly one of text, file or url, with the document's source and title."""

    text = serializers.CharField(
        required=False, trim_whitespace=False, help_text="Pasted text (application/json)."
    )
    file = serializers.FileField(required=False, help_text="A text file (multipart/form-data).")
    url = serializers.URLField(
        required=False,
        max_length=2000,
        help_text="A page to fetch and capture; the job records any refusal.",
    )
    source = serializers.CharField(max_length=200, help_text="Who published it, by name.")
    # Empty: taken from the text's first line or the file's name.
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    published = FormDateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [k for k in ("text", "file", "url") if attrs.get(k) not in (None, "")]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Send exactly one of text, file or url."]}
            )
        return attrs


class DocumentTextInput(serializers.Serializer):
    text = serializers.CharField(required=False, trim_whitespace=False)
    url = serializers.URLField(required=False)
    source = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    published = serializers.DateField(required=False, allow_null=True)


class DocumentFileInput(serializers.Serializer):
    file = serializers.FileField()
    source = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    # A form field has no null: leave it out instead.
    published = serializers.DateField(required=False)


class CaptureAcceptedSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text="False: these bytes were captured before.")
    job = serializers.URLField(allow_null=True, help_text="Follow it to see the extraction.")
    job_id = serializers.IntegerField(allow_null=True)
    document = serializers.IntegerField()
    snapshot = serializers.IntegerField(
        allow_null=True, help_text="Null for a URL: the job fetches it; follow the job."
    )
    snapshot_sha256 = serializers.CharField(allow_null=True)


class DocumentListView(ApiView):
    required_perms = {"GET": ["sources.view_document"], "POST": ["sources.add_snapshot"]}
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser]

    def max_body_bytes(self) -> int:
        # A document of the largest size capture accepts, plus room for the other fields.
        return settings.MAX_DOCUMENT_BYTES + settings.API_MAX_BODY_BYTES

    @extend_schema(
        operation_id="documents_list",
        parameters=PAGE_PARAMETERS,
        responses={200: _page_of(DocumentSerializer, "DocumentPage")},
    )
    def get(self, request: Request) -> Response:
        page = keyset_page(_documents(request), request, "-id")
        context = {"with_snapshots": _sees_snapshots(request)}
        results = DocumentSerializer(page.items, many=True, context=context).data
        return Response({"next": page.next_url, "results": results})

    @extend_schema(
        operation_id="documents_create",
        summary="Capture a document: pasted text, an uploaded file or a URL",
        description="202 with the job's URL: the extraction job for text and files, the "
        "capture job for a URL (its fetch is refused for private addresses, oversize or "
        "disallowed content, with the reason on the job). 200 when these bytes were captured "
        "before (nothing new is created).",
        request={"application/json": DocumentTextInput, "multipart/form-data": DocumentFileInput},
        responses={202: CaptureAcceptedSerializer, 200: CaptureAcceptedSerializer},
    )
    def post(self, request: Request) -> Response:
        body = DocumentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data.get("url"):
            return self._capture_url(request, data)
        if data.get("file") is not None:
            upload = data["file"]
            self._check_size(upload.size, "file")
            raw, name, method = upload.read(), upload.name or "upload", "upload"
        else:
            raw = data["text"].encode()
            self._check_size(len(raw), "text")
            name, method = "pasted text", "paste"
        try:
            result = document_ingest(
                raw=raw,
                name=name,
                source_name=data["source"],
                title=data.get("title") or _title_from(data, name),
                published=data.get("published"),
                method=method,
                origin="api",
                user=request.user,
            )
        except CaptureError as exc:
            field = "file" if "file" in data else "text"
            raise serializers.ValidationError({field: [str(exc)]}) from None
        job_url = None
        if result.job is not None:
            job_url = request.build_absolute_uri(reverse("api:job-detail", args=[result.job.pk]))
        response = CaptureAcceptedSerializer(
            {
                "created": result.created,
                "job": job_url,
                "job_id": result.job.pk if result.job else None,
                "document": result.snapshot.document_id,
                "snapshot": result.snapshot.pk,
                "snapshot_sha256": result.snapshot.sha256,
            }
        ).data
        headers = {"Location": job_url} if job_url else {}
        return Response(response, status=202 if result.created else 200, headers=headers)

    @staticmethod
    def _capture_url(request: Request, data: dict[str, Any]) -> Response:
        try:
            job = url_capture_request(
                url=data["url"],
                origin="api",
                user=request.user,
                source_name=data["source"],
                title=data.get("title") or "",
                published=data.get("published"),
            )
        except CaptureError as exc:
            raise serializers.ValidationError({"url": [str(exc)]}) from None
        job_url = request.build_absolute_uri(reverse("api:job-detail", args=[job.pk]))
        response = CaptureAcceptedSerializer(
            {
                "created": True,
                "job": job_url,
                "job_id": job.pk,
                "document": job.payload["document_id"],
                "snapshot": None,
                "snapshot_sha256": None,
            }
        ).data
        return Response(response, status=202, headers={"Location": job_url})

    @staticmethod
    def _check_size(size: int, what: str) -> None:
        if size > settings.MAX_DOCUMENT_BYTES:
            raise PayloadTooLarge(
                f"The {what} has {size:,} bytes, over the {settings.MAX_DOCUMENT_BYTES:,}-byte "
                "limit (MAX_DOCUMENT_BYTES)."
            )


def _title_from(data: dict[str, Any], name: str) -> str:
    if "text" in data:
        first_line = data["text"].strip().splitlines()[0] if data["text"].strip() else ""
        return first_line[:80] or "Pasted text"
    return name


class DocumentDetailView(ApiView):
    required_perms = {"GET": ["sources.view_document"]}

    @extend_schema(operation_id="documents_retrieve", responses={200: DocumentSerializer})
    def get(self, request: Request, pk: int) -> Response:
        document = _documents(request).filter(pk=pk).first()
        if document is None:
            raise Http404(f"There is no document {pk}.")
        context = {"with_snapshots": _sees_snapshots(request)}
        return Response(DocumentSerializer(document, context=context).data)


class JobDetailView(ApiView):
    required_perms = {"GET": ["claims.view_job"]}

    @extend_schema(operation_id="jobs_retrieve", responses={200: JobSerializer})
    def get(self, request: Request, pk: int) -> Response:
        job = Job.objects.filter(pk=pk).first()
        if job is None:
            raise Http404(f"There is no job {pk}.")
        return Response(JobSerializer(job).data)


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["id", "kind", "message", "snapshot", "evidence", "created_at", "resolved_at"]


class AlertQuerySerializer(serializers.Serializer):
    open = serializers.BooleanField(required=False, help_text="Only alerts nobody resolved yet.")


class AlertListView(ApiView):
    """What the integrity and re-fetch jobs found wrong, newest first."""

    required_perms = {"GET": ["claims.view_alert"]}

    @extend_schema(
        operation_id="alerts_list",
        parameters=[
            *PAGE_PARAMETERS,
            AlertQuerySerializer,
        ],
        responses={200: _page_of(AlertSerializer, "AlertPage")},
    )
    def get(self, request: Request) -> Response:
        query = AlertQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        alerts = Alert.objects.all()
        if query.validated_data.get("open"):
            alerts = alerts.filter(resolved_at__isnull=True)
        page = keyset_page(alerts, request, "-id")
        return Response(
            {"next": page.next_url, "results": AlertSerializer(page.items, many=True).data}
        )
