"""The claim list and claim page: where editors and fact-checkers spend their day."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.filters import (
    AssigneeFilter,
    DocumentFilter,
    MachineScoreFilter,
    QueueFilter,
    UnitFilter,
)
from claims.admin.forms import AssignForm, ClaimForm, DecisionForm, IngestForm, RevertForm
from claims.admin.paginator import EstimatedCountPaginator
from claims.models import Claim, Evidence, Status
from claims.selectors import claim_passages, claims_for_list
from claims.services import document_ingest
from claims.workflow import (
    CONTENT_FIELDS,
    HISTORY_FIELDS,
    WorkflowError,
    claim_edit,
    claim_revert,
    claim_transition,
    claims_assign,
)
from sources.history import tracked_change
from sources.services import CaptureError


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["snapshot", "stance", "exact", "start", "end", "credibility", "note"]
    readonly_fields = ["snapshot", "exact", "start", "end"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


def _quantity(claim: Claim) -> str:
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


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    form = ClaimForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False  # no COUNT(*) over every claim on each page view
    list_per_page = 50
    list_display = [
        "id",
        "quote_column",
        "quantity",
        "source_column",
        "status",
        "confidence",
        "machine_score",
        "assignee",
    ]
    list_display_links = ["id", "quote_column"]
    list_filter = [
        QueueFilter,
        "status",
        "kind",
        "confidence",
        MachineScoreFilter,
        ("extracted_from__document__source", admin.RelatedOnlyFieldListFilter),
        "extracted_from__document__source__reliability",
        DocumentFilter,
        AssigneeFilter,
        UnitFilter,
        ("time_start", admin.DateFieldListFilter),
    ]
    search_fields = ["statement", "quote", "subject", "places", "actors", "attributed_to"]
    autocomplete_fields = ["assignee"]
    history_list_display = ["status", "version", "origin", "history_change_reason"]
    inlines = [EvidenceInline]
    actions = [
        "start_review",
        "verify",
        "dispute",
        "refute",
        "mark_unverifiable",
        "reopen",
        "assign_to_me",
        "assign",
    ]
    readonly_fields = [
        "passage",
        "statement",
        "quote",
        "quantity",
        "status",
        "confidence",
        "machine_score",
        "machine_explanation",
        "review_log",
        "extracted_from",
        "engine_version",
        "version",
        "history_links",
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Claim | None = None) -> list[Any]:
        content = [
            "kind",
            ("value", "lower", "upper"),
            ("qualifier", "unit"),
            "subject",
            "time_text",
            ("time_start", "time_end"),
            "places",
            "actors",
            "attributed_to",
            "hedges",
        ]
        if obj is None:  # an editor adding a claim by hand
            return [(None, {"fields": ["statement", "quote", *content, "assignee"]})]
        return [
            ("Source passage", {"fields": ["passage", "statement", "quote", "quantity"]}),
            (
                "Decision",
                {
                    "fields": [
                        ("status", "confidence"),
                        "decision",
                        "decision_confidence",
                        "rationale",
                        "assignee",
                        ("machine_score", "machine_explanation"),
                    ]
                },
            ),
            ("What the claim says", {"fields": [*content, "change_reason", "seen_version"]}),
            ("Review log", {"fields": ["review_log"]}),
            (
                "Record",
                {"fields": ["history_links", "extracted_from", "engine_version", "version"]},
            ),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Claim | None = None) -> list[str]:
        if obj is None:
            return ["passage", "quantity", "review_log"]
        return self.readonly_fields

    def get_queryset(self, request: HttpRequest) -> Any:
        return claims_for_list()

    # --- columns and read-only panels ---------------------------------------------------

    @admin.display(description="quote")
    def quote_column(self, claim: Claim) -> str:
        return claim.quote if len(claim.quote) <= 80 else claim.quote[:77] + "…"

    @admin.display(description="number")
    def quantity(self, claim: Claim) -> str:
        return _quantity(claim)

    @admin.display(description="source", ordering="extracted_from__document__source__name")
    def source_column(self, claim: Claim) -> str:
        snapshot = claim.extracted_from
        return str(snapshot.document.source) if snapshot else "—"

    @admin.display(description="Source passage")
    def passage(self, claim: Claim) -> str:
        # Every piece of captured text goes through format_html: it is untrusted input.
        blocks = []
        for p in claim_passages(claim):
            document = p.evidence.snapshot.document
            blocks.append(
                format_html(
                    '<div class="claim-passage"><p><strong>{}</strong>, {} '
                    "(snapshot {}, sha256 {}…, characters {}–{})</p>"
                    '<blockquote style="white-space: pre-wrap">{}{}<mark>{}</mark>{}{}</blockquote>'
                    "</div>",
                    document.source,
                    document.title,
                    p.evidence.snapshot_id,
                    p.evidence.snapshot.sha256[:12],
                    p.evidence.start,
                    p.evidence.end,
                    "…" if p.clipped_start else "",
                    p.before,
                    p.quote,
                    p.after,
                    "…" if p.clipped_end else "",
                )
            )
        return format_html_join("", "{}", ((b,) for b in blocks)) or "No evidence yet."

    @admin.display(description="Versions")
    def history_links(self, claim: Claim) -> str:
        return format_html(
            '<a href="{}">Compare versions and restore one</a> · <a href="{}">Full history</a>',
            reverse("admin:claims_claim_diff", args=[claim.pk]),
            reverse("admin:claims_claim_history", args=[claim.pk]),
        )

    @admin.display(description="Decisions")
    def review_log(self, claim: Claim) -> str:
        reviews = claim.reviews.select_related("reviewer")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    r.created_at.strftime("%Y-%m-%d %H:%M"),
                    r.reviewer or "—",
                    r.get_from_status_display(),
                    r.get_to_status_display(),
                    r.get_confidence_display() if r.confidence else "—",
                    r.rationale,
                )
                for r in reviews
            ),
        )
        if not rows:
            return "No decisions yet."
        return format_html(
            "<table><tr><th>when</th><th>who</th><th>move</th><th>confidence</th>"
            "<th>rationale</th></tr>{}</table>",
            rows,
        )

    # --- saving through the workflow service -------------------------------------------

    def save_model(self, request: HttpRequest, obj: Claim, form: ClaimForm, change: bool) -> None:
        if not change:
            with tracked_change(origin="admin", reason="added by hand", user=request.user):
                obj.content_changed_by = request.user
                obj.save()
            return
        data = form.cleaned_data
        seen = data.get("seen_version")
        claim = Claim.objects.get(pk=obj.pk)
        if form.content_changes():
            claim = claim_edit(
                claim=claim,
                actor=request.user,
                changes=form.content_changes(),
                reason=data["change_reason"],
                seen_version=seen,
                origin="admin",
            )
            seen = claim.version
        if "assignee" in form.changed_data:
            [claim] = claims_assign(
                claims=[claim],
                assignee=data["assignee"],
                actor=request.user,
                reason=data.get("change_reason") or "assigned on the claim page",
                origin="admin",
            )
            seen = claim.version
        if data.get("decision"):
            claim_transition(
                claim=claim,
                actor=request.user,
                to_status=data["decision"],
                confidence=data.get("decision_confidence") or "",
                rationale=data["rationale"],
                seen_version=seen,
                origin="admin",
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        reason = form.cleaned_data.get("change_reason") or "evidence edited on the claim page"
        with tracked_change(origin="admin", reason=reason, user=request.user):
            super().save_related(request, form, formsets, change)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as exc:
            # The admin's transaction rolled back: nothing was written. Say why, show the
            # claim as it is now.
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)

    # --- bulk actions ------------------------------------------------------------------

    def _decide(self, request: HttpRequest, queryset: Any, to_status: str) -> Any:
        if "apply" in request.POST:
            form = DecisionForm(request.POST)
            if form.is_valid():
                done, refused = 0, []
                for claim in queryset:
                    try:
                        with transaction.atomic():
                            claim_transition(
                                claim=claim,
                                actor=request.user,
                                to_status=to_status,
                                confidence=form.cleaned_data["confidence"],
                                rationale=form.cleaned_data["rationale"],
                                origin="admin",
                            )
                        done += 1
                    except WorkflowError as exc:
                        refused.append(f"claim {claim.pk}: {exc}")
                if done:
                    self.message_user(request, f"{done} claim(s) moved to {to_status}.")
                for line in refused:
                    self.message_user(request, line, messages.ERROR)
                return None
        else:
            form = DecisionForm(initial={"to_status": to_status})
        return TemplateResponse(
            request,
            "admin/claims/claim/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Move {queryset.count()} claim(s) to “{Status(to_status).label}”",
                "claims": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description="Start review of the selected claims")
    def start_review(self, request: HttpRequest, queryset: Any) -> Any:
        return self._decide(request, queryset, Status.IN_REVIEW)

    @admin.action(description="Verify the selected claims")
    def verify(self, request: HttpRequest, queryset: Any) -> Any:
        return self._decide(request, queryset, Status.VERIFIED)

    @admin.action(description="Dispute the selected claims")
    def dispute(self, request: HttpRequest, queryset: Any) -> Any:
        return self._decide(request, queryset, Status.DISPUTED)

    @admin.action(description="Refute the selected claims")
    def refute(self, request: HttpRequest, queryset: Any) -> Any:
        return self._decide(request, queryset, Status.REFUTED)

    @admin.action(description="Mark the selected claims unverifiable")
    def mark_unverifiable(self, request: HttpRequest, queryset: Any) -> Any:
        return self._decide(request, queryset, Status.UNVERIFIABLE)

    @admin.action(description="Re-open the selected claims for review")
    def reopen(self, request: HttpRequest, queryset: Any) -> Any:
        return self._decide(request, queryset, Status.IN_REVIEW)

    @admin.action(description="Assign the selected claims to me")
    def assign_to_me(self, request: HttpRequest, queryset: Any) -> None:
        try:
            claims_assign(
                claims=list(queryset),
                assignee=request.user,
                actor=request.user,
                reason="took for review",
                origin="admin",
            )
        except WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"{queryset.count()} claim(s) are in your queue.")

    @admin.action(description="Assign the selected claims to…")
    def assign(self, request: HttpRequest, queryset: Any) -> Any:
        if "apply" in request.POST:
            form = AssignForm(request.POST)
            if form.is_valid():
                assignee = form.cleaned_data["assignee"]
                try:
                    claims = claims_assign(
                        claims=list(queryset),
                        assignee=assignee,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        origin="admin",
                    )
                except WorkflowError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    return None
                if assignee and form.cleaned_data["notify"] and assignee.email:
                    _notify_assignee(request, assignee, claims)
                self.message_user(request, f"{len(claims)} claim(s) assigned to {assignee}.")
                return None
        else:
            form = AssignForm()
        return TemplateResponse(
            request,
            "admin/claims/claim/assign.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Assign {queryset.count()} claim(s)",
                "claims": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    # --- history: diff and revert ------------------------------------------------------

    def get_urls(self) -> list[Any]:
        own = [
            path("ingest/", self.admin_site.admin_view(self.ingest_view), name="claims_ingest"),
            path(
                "<int:claim_id>/diff/",
                self.admin_site.admin_view(self.diff_view),
                name="claims_claim_diff",
            ),
            path(
                "<int:claim_id>/revert/<int:history_id>/",
                self.admin_site.admin_view(self.revert_view),
                name="claims_claim_revert",
            ),
        ]
        return own + super().get_urls()

    def ingest_view(self, request: HttpRequest) -> HttpResponse:
        """Upload or paste a report; its claims are extracted by a background job."""
        if not request.user.has_perm("sources.add_snapshot"):
            raise PermissionDenied
        form = IngestForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            raw = upload.read() if upload else data["text"].encode("utf-8")
            name = upload.name if upload else "pasted text"
            try:
                result = document_ingest(
                    raw=raw,
                    name=name,
                    source_name=data["source"],
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
                    result.job.refresh_from_db()
                    self.message_user(
                        request,
                        f"Captured “{document}” as snapshot {result.snapshot.pk}; "
                        f"extraction job {result.job.pk} is {result.job.state}.",
                    )
                else:
                    self.message_user(
                        request,
                        f"These bytes were captured before (snapshot {result.snapshot.pk}); "
                        "nothing new was created.",
                        messages.WARNING,
                    )
                url = reverse("admin:claims_claim_changelist") + f"?document={document.pk}"
                return HttpResponseRedirect(url)
        return TemplateResponse(
            request,
            "admin/claims/claim/ingest.html",
            {
                **self.admin_site.each_context(request),
                "title": "Ingest a report",
                "form": form,
                "opts": self.model._meta,
            },
        )

    def diff_view(self, request: HttpRequest, claim_id: int) -> HttpResponse:
        claim = get_object_or_404(Claim, pk=claim_id)
        if not self.has_view_permission(request, claim):
            raise PermissionDenied
        versions = list(claim.history.select_related("history_user").order_by("history_id"))
        by_id = {v.history_id: v for v in versions}
        a = by_id.get(_int(request.GET.get("a")), versions[0] if versions else None)
        b = by_id.get(_int(request.GET.get("b")), versions[-1] if versions else None)
        rows = []
        if a is not None and b is not None:
            delta = b.diff_against(a, included_fields=list(HISTORY_FIELDS))
            rows = [(c.field, c.old, c.new) for c in delta.changes]
        return TemplateResponse(
            request,
            "admin/claims/claim/diff.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Claim {claim.pk}: compare versions",
                "claim": claim,
                "versions": versions,
                "a": a,
                "b": b,
                "rows": rows,
                "opts": self.model._meta,
            },
        )

    def revert_view(self, request: HttpRequest, claim_id: int, history_id: int) -> HttpResponse:
        claim = get_object_or_404(Claim, pk=claim_id)
        if not self.has_change_permission(request, claim):
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
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, f"Claim {claim.pk} restored to version {old.version}.")
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
        changes = [
            (field, getattr(claim, field), getattr(old, field))
            for field in sorted(CONTENT_FIELDS)
            if getattr(claim, field) != getattr(old, field)
        ]
        return TemplateResponse(
            request,
            "admin/claims/claim/revert.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Restore claim {claim.pk} to version {old.version}",
                "claim": claim,
                "old": old,
                "changes": changes,
                "form": form,
                "opts": self.model._meta,
            },
        )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _notify_assignee(request: HttpRequest, assignee: Any, claims: list[Claim]) -> None:
    link = request.build_absolute_uri(reverse("admin:claims_claim_changelist") + "?queue=mine")
    lines = "\n".join(f"- #{c.pk}: {c.quote[:80]}" for c in claims)
    # Sent after commit: a rolled-back assignment must not announce itself.
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{len(claims)} claim(s) assigned to you",
            message=f"{request.user} assigned you:\n{lines}\n\nYour queue: {link}\n",
            from_email=None,
            recipient_list=[assignee.email],
            fail_silently=True,
        )
    )
