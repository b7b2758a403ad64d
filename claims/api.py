"""REST API, version 1: read access to claims, their evidence, sources, documents and jobs."""

from __future__ import annotations

from rest_framework import pagination, routers, serializers, viewsets

from claims.models import Claim, Evidence, Job
from sources.models import Document, Source


class StableCursorPagination(pagination.CursorPagination):
    # id breaks ties, so a page boundary never falls between two equal timestamps.
    ordering = ("-updated_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 500


class EvidenceSerializer(serializers.ModelSerializer):
    selectors = serializers.ListField(read_only=True)
    document = serializers.IntegerField(source="snapshot.document_id", read_only=True)
    snapshot_sha256 = serializers.CharField(source="snapshot.sha256", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "claim",
            "snapshot",
            "snapshot_sha256",
            "document",
            "stance",
            "selectors",
            "credibility",
            "added_by_engine",
            "note",
            "created_at",
            "updated_at",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "kind",
            "statement",
            "quote",
            "value",
            "lower",
            "upper",
            "qualifier",
            "unit",
            "subject",
            "time_text",
            "time_start",
            "time_end",
            "places",
            "actors",
            "attributed_to",
            "hedges",
            "status",
            "confidence",
            "machine_score",
            "machine_explanation",
            "version",
            "engine_version",
            "created_at",
            "updated_at",
            "evidence",
        ]


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClaimSerializer
    pagination_class = StableCursorPagination
    queryset = Claim.objects.prefetch_related("evidence__snapshot")


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "kind", "homepage", "reliability", "notes", "updated_at"]


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SourceSerializer
    queryset = Source.objects.order_by("name")


class DocumentSerializer(serializers.ModelSerializer):
    snapshots = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "source", "title", "url", "published_at", "language", "snapshots"]

    def get_snapshots(self, document: Document) -> list[dict[str, object]]:
        return [
            {
                "id": s.pk,
                "sha256": s.sha256,
                "text_sha256": s.text_sha256,
                "captured_at": s.captured_at,
                "capture_method": s.capture_method,
                "media_type": s.media_type,
                "encoding": s.encoding,
            }
            for s in document.snapshots.all()
        ]


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    queryset = Document.objects.prefetch_related("snapshots").order_by("-id")


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
            "created_at",
            "started_at",
            "finished_at",
        ]


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JobSerializer
    queryset = Job.objects.order_by("-id")


router = routers.DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("sources", SourceViewSet, basename="source")
router.register("documents", DocumentViewSet, basename="document")
router.register("jobs", JobViewSet, basename="job")
