"""The claim list and claim page: where editors and fact-checkers spend their day."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import mark_safe

from claims.admin import actions as bulk
from claims.admin import views
from claims.admin.filters import (
    AssigneeFilter,
    ContradictionFilter,
    DocumentFilter,
    GradeFilter,
    MachineScoreFilter,
    QueueFilter,
    SourceFilter,
    UnitFilter,
)
from claims.admin.forms import ClaimForm
from claims.admin.paginator import EstimatedCountPaginator
from claims.custody.webhooks import claim_deleted_event
from claims.desk import triage
from claims.desk import views as desk_views
from claims.desk.labels import ReadableHistory, readable
from claims.desk.passage import claim_paragraphs
from claims.desk.queue import my_queue_ids, next_in_my_queue
from claims.desk.search import SEARCH_FIELDS, search_claims
from claims.desk.services import claim_decide
from claims.desk.story import claim_story
from claims.models import Alert, Claim, ClaimRelation, Evidence
from claims.selectors import claim_related, claims_for_list
from claims.workflow import (
    WorkflowError,
    claim_edit,
    claim_evidence_changed,
    claims_assign,
)
from sources.admin_base import GuardedHistoryAdmin
from sources.history import Origin, tracked_change
from sources.models import Document


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["snapshot", "stance", "exact", "start", "end", "credibility", "note"]
    readonly_fields = ["snapshot", "exact", "start", "end"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(GuardedHistoryAdmin):
    form = ClaimForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False  # no COUNT(*) over every claim on each page view
    # "Show counts" would count a million claims once per filter choice; the dashboard
    # shows the counts a desk needs, kept for a minute.
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    # Enough to triage without opening the claim, readable on a 1366 px screen.
    list_display = [
        "id",
        "sentence_column",
        "figure_column",
        "when_where_column",
        "document_column",
        "status_column",
    ]
    list_display_links = ["id", "sentence_column"]
    list_filter = [
        QueueFilter,
        "status",
        "kind",
        "confidence",
        MachineScoreFilter,
        ContradictionFilter,
        SourceFilter,
        GradeFilter,
        DocumentFilter,
        AssigneeFilter,
        UnitFilter,
        ("time_start", admin.DateFieldListFilter),
    ]
    search_fields = SEARCH_FIELDS
    # The change reason (the rationale of a decision) is simple-history's own column: once.
    # The columns are named after the fields they show (simple-history heads each column with
    # its name); the methods below put the label in place of the code for display.
    history_list_display = ["status", "version", "origin"]
    inlines = [EvidenceInline]
    actions = [
        bulk.start_review,
        bulk.verify,
        bulk.dispute,
        bulk.refute,
        bulk.mark_unverifiable,
        bulk.reopen,
        bulk.assign_to_me,
        bulk.assign,
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
        "alerts_view",
        "citations_view",
        "group",
        "corroborations",
        "relations_view",
        "story_view",
        "evidence_tools",
        "evidence_capture",
        "evidence_capture_by_editor",
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The assignee is one of the desk's people, picked from a list (as on the assign
        # page). An autocomplete would ask the user admin, which needs auth.view_user: a
        # permission no desk role has, so editors saw an empty, refusing widget.
        if db_field.name == "assignee":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        capture = (
            "evidence_capture"
            if request.user.has_perm("sources.add_snapshot")
            else "evidence_capture_by_editor"
        )
        return [
            (
                "Source passage",
                {
                    "fields": [
                        "passage",
                        "evidence_tools",
                        capture,
                        "alerts_view",
                        "citations_view",
                    ]
                },
            ),
            (
                "Decision",
                {
                    "classes": ["desk-decision"],
                    "fields": [
                        ("status", "confidence"),
                        "decision_confidence",
                        "rationale",
                        "then_next",
                        "decision",
                        "assignee",
                    ],
                },
            ),
            (
                "Verification (suggested by the engine; never overrides a person's confidence)",
                {
                    "fields": [
                        "story_view",
                        ("group", "corroborations", "machine_score"),
                        "machine_explanation",
                        "relations_view",
                    ]
                },
            ),
            (
                "What the claim says",
                {
                    "fields": [
                        "statement",
                        "quote",
                        "quantity",
                        *content,
                        "change_reason",
                        "seen_version",
                    ]
                },
            ),
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

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        if search_term and connection.vendor == "postgresql":
            return search_claims(queryset, search_term), False
        return super().get_search_results(request, queryset, search_term)

    # --- history with labels --------------------------------------------------------------

    @admin.display(description="status")
    def status(self, record: Any) -> str:
        return readable("status", record.status)

    @admin.display(description="from where")
    def origin(self, record: Any) -> str:
        return str(dict(Origin.choices).get(record.origin, record.origin))

    def get_historical_record_context_helper(self, request: HttpRequest, record: Any) -> Any:
        return ReadableHistory(self.model, record)

    # --- columns and read-only panels ---------------------------------------------------

    @admin.display(description="claim")
    def sentence_column(self, claim: Claim) -> str:
        return triage.sentence_html(claim)

    @admin.display(description="number")
    def quantity(self, claim: Claim) -> str:
        return triage.quantity(claim)

    @admin.display(description="figure · subject", ordering="value")
    def figure_column(self, claim: Claim) -> str:
        return format_html(
            '<span class="desk-figure">{}</span><br><span class="desk-quiet">{}</span>',
            triage.quantity(claim),
            claim.subject or "—",
        )

    @admin.display(description="period · place", ordering="time_start")
    def when_where_column(self, claim: Claim) -> str:
        return format_html(
            '{}<br><span class="desk-quiet">{}</span>',
            triage.period(claim) or "—",
            triage.places(claim) or "—",
        )

    @admin.display(
        description="document · grade", ordering="extracted_from__document__published_at"
    )
    def document_column(self, claim: Claim) -> str:
        snapshot = claim.extracted_from
        if snapshot is None:
            return "—"
        source = snapshot.document.source
        return format_html(
            '<span class="desk-source">{}</span> '
            '<abbr class="desk-grade" title="{}">grade {}</abbr>'
            '<br><span class="desk-quiet">{}</span>',
            source,
            source.get_reliability_display(),
            source.reliability,
            triage.document_line(claim),
        )

    @admin.display(description="status · assignee", ordering="status")
    def status_column(self, claim: Claim) -> str:
        return format_html(
            '{}<br><span class="desk-quiet">{}</span>',
            triage.status_html(claim),
            claim.assignee or "unassigned",
        )

    @admin.display(description="Source passage")
    def passage(self, claim: Claim) -> str:
        # Every piece of captured text goes through format_html: it is untrusted input.
        blocks = []
        for p in claim_paragraphs(claim):
            document = p.evidence.snapshot.document
            blocks.append(
                format_html(
                    '<div class="claim-passage"><p class="desk-passage-meta"><strong>{}</strong>, '
                    "{} (snapshot {}, sha256 {}…, characters {}–{})</p>"
                    "<blockquote>{}{}<mark>{}</mark>{}{}</blockquote>"
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

    @admin.display(description="The figure's story")
    def story_view(self, claim: Claim) -> str:
        story = claim_story(claim)
        rows = format_html_join(
            "",
            '<tr class="{}"><td>{}</td><td><a href="{}">#{}</a>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td></tr>",
            (
                (
                    "desk-story-current" if p["current"] else "",
                    p["reported"],
                    reverse("admin:claims_claim_change", args=[p["claim_id"]]),
                    p["claim_id"],
                    " (this claim)" if p["current"] else "",
                    p["figure"],
                    p["source"],
                    format_html(
                        '<span class="desk-status status-{}">{}</span>{}',
                        p["status"],
                        p["status"].replace("_", " "),
                        mark_safe(' <strong class="desk-refused">contradicts this claim</strong>')
                        if p["contradicts"]
                        else "",
                    ),
                )
                for p in story["points"]
            ),
        )
        undated = (
            format_html(
                "<p>{} report(s) without a date or a number are not drawn.</p>", story["undated"]
            )
            if story["undated"]
            else ""
        )
        return format_html(
            '<div class="desk-story"><div class="desk-chart" data-desk-chart="story" '
            'data-source="desk-story-data" aria-hidden="true"></div>{}'
            '<table id="desk-story" class="desk-table"><caption>Every report of this figure, '
            'by date (the chart shows the same)</caption><thead><tr><th scope="col">reported</th>'
            '<th scope="col">claim</th><th scope="col">figure</th><th scope="col">source</th>'
            '<th scope="col">status</th></tr></thead><tbody>{}</tbody></table>{}</div>',
            json_script(story, "desk-story-data"),
            rows,
            undated,
        )

    @admin.display(description="Add evidence")
    def evidence_tools(self, claim: Claim) -> str:
        links = []
        if claim.extracted_from_id:
            document_id = claim.extracted_from.document_id
            links.append(
                format_html(
                    '<a class="button" href="{}?claim={}">Review the whole document</a>',
                    reverse("admin:claims_document_review", args=[document_id]),
                    claim.pk,
                )
            )
        captured = (
            Document.objects.filter(cited_by__claims=claim, snapshots__isnull=False)
            .distinct()
            .order_by("title")[:10]
        )
        for document in captured:
            links.append(
                format_html(
                    '<a href="{}?for_claim={}">Select evidence in “{}”</a>',
                    reverse("admin:claims_document_review", args=[document.pk]),
                    claim.pk,
                    document.title[:60],
                )
            )
        return format_html(
            '{}<p class="desk-quiet">Select words on a captured page to attach them '
            "(cited pages are captured with “Capture the cited page” below).</p>",
            format_html_join(" · ", "{}", ((link,) for link in links)),
        )

    @admin.display(description="Evidence from a page not captured yet")
    def evidence_capture(self, claim: Claim) -> str:
        # Shown to those who may capture pages (get_fieldsets); others see the note below.
        return format_html(
            '<p class="desk-evidence-url"><input type="url" name="evidence_url" '
            'id="id_evidence_url" aria-label="Address of the page" placeholder="https://…" '
            'size="50"> <button type="submit" class="button" formmethod="post" '
            'formaction="{}" formnovalidate>Capture it and select the text</button></p>',
            reverse("admin:claims_evidence_from_url", args=[claim.pk]),
        )

    @admin.display(description="Evidence from a page not captured yet")
    def evidence_capture_by_editor(self, claim: Claim) -> str:
        return format_html('<p class="desk-quiet">{}</p>', desk_views.CAPTURE_IS_INGEST)

    @admin.display(description="Related claims")
    def relations_view(self, claim: Claim) -> str:
        labels = dict(ClaimRelation.Kind.choices)
        related = claim_related(claim)
        rows = format_html_join(
            "",
            '<tr><td class="relation-{}">{}</td><td><a href="{}">claim {}</a></td><td>{}</td></tr>',
            (
                (
                    r["kind"],
                    labels.get(r["kind"], r["kind"]),
                    reverse("admin:claims_claim_change", args=[r["id"]]),
                    r["id"],
                    r["explanation"],
                )
                for r in related.shown
            ),
        )
        if not rows:
            return "No related claim found yet."
        more = ""
        if related.rest:
            counts = ", ".join(
                f"{n} {labels.get(kind, kind).lower()}" for kind, n in sorted(related.rest.items())
            )
            more = format_html(
                '<p class="relations-rest">and {} more not shown: {}</p>',
                related.total - len(related.shown),
                counts,
            )
        return format_html("<table>{}</table>{}", rows, more)

    @admin.display(description="Alerts")
    def alerts_view(self, claim: Claim) -> str:
        alerts = Alert.objects.filter(evidence__claim=claim, resolved_at__isnull=True)
        rows = format_html_join(
            "",
            '<li class="claim-alert"><strong>{}</strong>: {} (<a href="{}">alert {}</a>)</li>',
            (
                (
                    a.get_kind_display(),
                    a.message,
                    reverse("admin:claims_alert_change", args=[a.pk]),
                    a.pk,
                )
                for a in alerts.order_by("-id")
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "None open."

    @admin.display(description="Cited sources")
    def citations_view(self, claim: Claim) -> str:
        citations = claim.citations.select_related("cited_document", "snapshot__document__source")
        rows = [
            format_html(
                '<li>{} says, citing [{}] <a href="{}" rel="noreferrer noopener">{}</a> · '
                '<a href="{}">{}</a> <button type="submit" formmethod="post" formaction="{}" '
                'class="button">Capture the cited page</button></li>',
                c.snapshot.document.source,
                c.number,
                c.url,
                c.url,
                reverse("admin:sources_document_change", args=[c.cited_document_id]),
                "captured" if c.cited_document.snapshots.exists() else "not captured yet",
                reverse("admin:claims_capture_citation", args=[claim.pk, c.pk]),
            )
            for c in citations
        ]
        attributed = (
            format_html("<p>The text attributes it to: {}</p>", claim.attributed_to)
            if claim.attributed_to
            else ""
        )
        if not rows:
            return attributed or "No citation on this sentence."
        return format_html(
            "{}<ul>{}</ul>", attributed, format_html_join("", "{}", ((r,) for r in rows))
        )

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

    # A deleted claim is tombstoned for the webhook subscribers, in the delete's transaction.
    def delete_model(self, request: HttpRequest, obj: Claim) -> None:
        with transaction.atomic():
            claim_deleted_event(obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for claim in queryset:
                claim_deleted_event(claim)
            super().delete_queryset(request, queryset)

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
            claim_decide(
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
            if change and any(formset.has_changed() for formset in formsets):
                # Evidence edited in the same step as a decision is part of that decision.
                decided = bool(form.cleaned_data.get("decision"))
                claim_evidence_changed(claim_id=form.instance.pk, reopen=not decided)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), **self._queue_neighbours(request, object_id)}
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as exc:
            # The admin's transaction rolled back: nothing was written. Show the page again
            # with what the person typed and the refusal on the form, so nothing is lost.
            request._desk_workflow_error = str(exc)  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_desk_workflow_error", None)
        if refusal is None:
            return form_class

        class Refused(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                self.add_workflow_error(refusal)

        return Refused

    def _queue_neighbours(self, request: HttpRequest, object_id: str | None) -> dict[str, Any]:
        """The previous and next claim in the person's queue, for j/k and "save and next"."""
        if object_id is None or not str(object_id).isdigit():
            return {}
        ids = my_queue_ids(request.user)
        here = int(object_id)
        if here not in ids:
            return {"queue_next": ids[0] if ids else None, "queue_previous": None}
        at = ids.index(here)
        return {
            "queue_next": ids[at + 1] if at + 1 < len(ids) else None,
            "queue_previous": ids[at - 1] if at > 0 else None,
            "queue_position": at + 1,
            "queue_size": len(ids),
        }

    def response_change(self, request: HttpRequest, obj: Claim) -> HttpResponse:
        decided = bool(request.POST.get("decision"))
        wants_next = "_savenext" in request.POST or (decided and request.POST.get("then_next"))
        if not wants_next:
            if decided:  # stay on the claim: the decision and its log entry are shown
                self.message_user(request, f"Claim {obj.pk} saved.", messages.SUCCESS)
                return HttpResponseRedirect(request.get_full_path())
            return super().response_change(request, obj)
        self.message_user(request, f"Claim {obj.pk} saved.", messages.SUCCESS)
        following = next_in_my_queue(request.user, after=obj.pk)
        if following is None:
            self.message_user(request, "Your queue is empty.", messages.INFO)
            return HttpResponseRedirect(reverse("admin:claims_claim_changelist") + "?queue=mine")
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[following]))

    # --- pages of their own: ingest, compare versions, restore ---------------------

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "document/<int:document_id>/review/",
                self.admin_site.admin_view(partial(desk_views.document_review_view, self)),
                name="claims_document_review",
            ),
            path(
                "decide/",
                self.admin_site.admin_view(partial(desk_views.page_decide_view, self)),
                name="claims_page_decide",
            ),
            path(
                "evidence-from-selection/",
                self.admin_site.admin_view(partial(desk_views.evidence_from_selection_view, self)),
                name="claims_evidence_from_selection",
            ),
            path(
                "<int:claim_id>/evidence-from-url/",
                self.admin_site.admin_view(partial(desk_views.evidence_url_view, self)),
                name="claims_evidence_from_url",
            ),
            path(
                "saved-filters/",
                self.admin_site.admin_view(partial(desk_views.save_filter_view, self)),
                name="claims_save_filter",
            ),
            path(
                "saved-filters/<int:filter_id>/delete/",
                self.admin_site.admin_view(partial(desk_views.delete_filter_view, self)),
                name="claims_delete_filter",
            ),
            path(
                "ingest/",
                self.admin_site.admin_view(partial(views.ingest_view, self)),
                name="claims_ingest",
            ),
            path(
                "<int:claim_id>/capture-citation/<int:citation_id>/",
                self.admin_site.admin_view(partial(views.capture_citation_view, self)),
                name="claims_capture_citation",
            ),
            path(
                "<int:claim_id>/diff/",
                self.admin_site.admin_view(partial(views.diff_view, self)),
                name="claims_claim_diff",
            ),
            path(
                "<int:claim_id>/revert/<int:history_id>/",
                self.admin_site.admin_view(partial(views.revert_view, self)),
                name="claims_claim_revert",
            ),
        ]
        return own + super().get_urls()
