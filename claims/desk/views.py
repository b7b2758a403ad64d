"""Pages of the review desk inside the admin: a document reviewed as a whole, decisions and
evidence sent from it, saved views. They validate, call a service, and render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from claims.admin.forms import DecisionButtons, decisions_for
from claims.capture import url_capture_request
from claims.desk import triage
from claims.desk.models import SavedFilter
from claims.desk.reading import Span, marked_text, section_of, sections
from claims.desk.services import claim_decide, evidence_attach
from claims.models import Claim, Confidence, Credibility, Evidence, Stance, Status
from claims.workflow import DECIDED, WorkflowError
from sources.models import Document, Snapshot
from sources.readers import CaptureError

CAPTURE_IS_INGEST = (
    "Capturing a page that is not captured yet ingests it as a report (its document, its "
    "source and its claims), which editors do. Ask an editor to capture it (Ingest a report, "
    "by URL); once it is captured, select your evidence in it from this claim's page."
)

# The document page shows a capture a section at a time: about 40,000 characters is ten or
# so pages of a report and a few hundred claims, which a browser lays out at once.
SECTION_CHARS = 40_000


def post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """require_POST for views that take the model admin first (partial(view, admin))."""

    @wraps(view)
    def wrapped(model_admin: Any, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(model_admin, request, *args, **kwargs)

    return wrapped


class PageDecisionForm(forms.Form):
    claim = forms.IntegerField(widget=forms.HiddenInput)
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision_confidence = forms.ChoiceField(
        label="Confidence",
        required=False,
        choices=Confidence.choices,
        widget=forms.RadioSelect(attrs={"class": "desk-bands"}),
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "desk-rationale"}), required=False
    )
    decision = forms.ChoiceField(
        label="Decide",
        required=False,
        widget=DecisionButtons,
        choices=[
            (Status.VERIFIED, "Verify"),
            (Status.DISPUTED, "Dispute"),
            (Status.REFUTED, "Refute"),
            (Status.UNVERIFIABLE, "Unverifiable"),
        ],
    )


class SelectionForm(forms.Form):
    """Evidence from a selection: the offsets the browser measured, and the text it saw."""

    claim = forms.IntegerField(widget=forms.HiddenInput)
    snapshot = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    exact = forms.CharField(widget=forms.HiddenInput, strip=False)
    stance = forms.ChoiceField(choices=Stance.choices, initial=Stance.SUPPORTS)
    credibility = forms.TypedChoiceField(
        choices=Credibility.choices, coerce=int, initial=Credibility.CANNOT_BE_JUDGED
    )
    note = forms.CharField(required=False, max_length=2000)


def document_review_view(model_admin: Any, request: HttpRequest, document_id: int) -> HttpResponse:
    """The captured text with every claim marked in its status colour beside the claim list
    and a decision form; selecting text attaches it as evidence.

    A long capture is read a section at a time (SECTION_CHARS characters, cut at paragraph
    breaks), so the page costs the same for a 10 KB report and a 20 MB one: a 2 MB report of
    18,000 claims as one page was 11 MB of HTML and took over a minute to serve. The page
    opens on the section of the first claim still open (or of ``?claim=``), and ``?section=``
    names one.
    """
    document = get_object_or_404(Document.objects.select_related("source"), pk=document_id)
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    snapshots = document.snapshots.order_by("-captured_at", "-id")
    wanted = request.GET.get("snapshot")
    snapshot = (
        snapshots.filter(pk=wanted).first() if wanted and wanted.isdigit() else snapshots.first()
    )
    text = snapshot.text if snapshot else ""
    bounds = sections(text, SECTION_CHARS) or [(0, 0)]
    in_snapshot = (
        Evidence.objects.filter(snapshot=snapshot) if snapshot else Evidence.objects.none()
    )
    selected = _int(request.GET.get("claim"))
    index = _int(request.GET.get("section"))
    if index is not None:
        index = min(max(index, 1), len(bounds)) - 1
    else:
        anchor = None
        if selected is not None:
            anchor = in_snapshot.filter(claim_id=selected).order_by("start").values("start").first()
        if anchor is None:
            anchor = (
                in_snapshot.exclude(claim__status__in=DECIDED)
                .order_by("start")
                .values("start")
                .first()
            )
        index = section_of(bounds, anchor["start"]) if anchor else 0
    lo, hi = bounds[index]
    claims: list[Claim] = []
    spans: list[Span] = []
    seen: set[int] = set()
    for e in (
        in_snapshot.filter(start__lt=hi, end__gt=lo).select_related("claim").order_by("start", "id")
    ):
        spans.append(
            Span(e.claim_id, e.start, e.end, e.claim.status, e.claim.kind != "quantitative")
        )
        if e.claim_id not in seen:
            seen.add(e.claim_id)
            claims.append(e.claim)
    for_claim = _int(request.GET.get("for_claim"))
    target = Claim.objects.filter(pk=for_claim).first() if for_claim else None
    if selected not in seen:
        selected = next((c.pk for c in claims if c.status not in DECIDED), None)
        if selected is None and claims:
            selected = claims[0].pk
    open_here = any(c.status not in DECIDED for c in claims)
    next_open = None
    if not open_here and snapshot is not None:
        later = (
            in_snapshot.filter(start__gte=hi)
            .exclude(claim__status__in=DECIDED)
            .order_by("start")
            .values("start")
            .first()
        )
        next_open = section_of(bounds, later["start"]) + 1 if later else None
    rows = [
        {
            "claim": c,
            "sentence": triage.sentence_html(c),
            "quantity": triage.quantity(c),
            "status": triage.status_html(c),
            "decidable": c.status not in DECIDED,
        }
        for c in claims
    ]
    can_add = request.user.has_perm("claims.add_evidence")
    return TemplateResponse(
        request,
        "admin/claims/claim/document_review.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Review: {document.title}",
            "document": document,
            "snapshot": snapshot,
            "snapshots": list(snapshots.defer("text", "http_headers", "diff_summary")[:20]),
            "marked": marked_text(text[lo:hi], spans, base=lo),
            "section": {
                "number": index + 1,
                "count": len(bounds),
                "start": lo,
                "end": hi,
                "span": f"{lo:,}–{hi:,} of {len(text):,}",
                "previous": index if index > 0 else None,
                "next": index + 2 if index + 1 < len(bounds) else None,
                "next_open": next_open,
            },
            "rows": rows,
            "selected": selected,
            "target": target,
            "decision_form": PageDecisionForm(),
            "selection_form": SelectionForm() if can_add else None,
            "opts": model_admin.model._meta,
            "statuses": Status.choices,
        },
    )


@post_only
def page_decide_view(model_admin: Any, request: HttpRequest) -> HttpResponse:
    """A one-step decision sent from the document page; back to it on the next open claim."""
    form = PageDecisionForm(request.POST)
    back = _back(request)
    if not form.is_valid():
        messages.error(request, "Choose a claim, then a decision.")
        return HttpResponseRedirect(back)
    claim = get_object_or_404(Claim, pk=form.cleaned_data["claim"])
    decision = form.cleaned_data["decision"]
    if decision not in decisions_for(claim):
        messages.error(request, f"Claim {claim.pk} is {claim.get_status_display().lower()}.")
        return HttpResponseRedirect(back)
    try:
        claim_decide(
            claim=claim,
            actor=request.user,
            to_status=decision,
            confidence=form.cleaned_data["decision_confidence"] or "",
            rationale=form.cleaned_data["rationale"],
            seen_version=form.cleaned_data["seen_version"],
            origin="admin",
        )
    except WorkflowError as exc:
        # The typed rationale comes back in the query string, so nothing is lost.
        messages.error(request, str(exc))
        query = urlencode({"claim": claim.pk, "rationale": form.cleaned_data["rationale"]})
        return HttpResponseRedirect(_with_query(back, query))
    messages.success(request, f"Claim {claim.pk} marked {Status(decision).label.lower()}.")
    return HttpResponseRedirect(_with_query(back, ""))


@post_only
def evidence_from_selection_view(model_admin: Any, request: HttpRequest) -> HttpResponse:
    form = SelectionForm(request.POST)
    back = _back(request)
    if not form.is_valid():
        messages.error(request, f"The selection could not be read: {form.errors.as_text()}")
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    claim = get_object_or_404(Claim, pk=data["claim"])
    snapshot = get_object_or_404(Snapshot, pk=data["snapshot"])
    try:
        evidence = evidence_attach(
            claim=claim,
            snapshot=snapshot,
            start=data["start"],
            end=data["end"],
            exact=data["exact"],
            stance=data["stance"],
            credibility=data["credibility"],
            note=data["note"],
            actor=request.user,
            origin="admin",
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(back)
    messages.success(
        request,
        f"Evidence {evidence.pk} ({evidence.get_stance_display().lower()}, characters "
        f"{evidence.start}–{evidence.end}) added to claim {claim.pk}.",
    )
    return HttpResponseRedirect(back)


@post_only
def save_filter_view(model_admin: Any, request: HttpRequest) -> HttpResponse:
    """Keep the claim list's current query string under a name (the same name replaces it)."""
    name = (request.POST.get("name") or "").strip()[:100]
    query = (request.POST.get("query") or "").lstrip("?")[:2000]
    listing = reverse("admin:claims_claim_changelist")
    if not name:
        messages.error(request, "Give the view a name, e.g. “my disputed”.")
        return HttpResponseRedirect(f"{listing}?{query}")
    SavedFilter.objects.update_or_create(owner=request.user, name=name, defaults={"query": query})
    messages.success(request, f"Saved “{name}”; it is on the dashboard and beside the list.")
    return HttpResponseRedirect(f"{listing}?{query}")


@post_only
def delete_filter_view(model_admin: Any, request: HttpRequest, filter_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedFilter, pk=filter_id, owner=request.user)
    saved.delete()
    messages.success(request, f"Removed “{saved.name}”.")
    return HttpResponseRedirect(reverse("admin:claims_claim_changelist"))


def _back(request: HttpRequest) -> str:
    """Where the form came from (a page of this site only, never another host)."""
    back = request.POST.get("back") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("admin:index")


def _with_query(url: str, query: str) -> str:
    base = url.split("?", 1)[0]
    params = url.split("?", 1)[1] if "?" in url else ""
    kept = "&".join(
        p for p in params.split("&") if p and not p.startswith(("rationale=", "claim="))
    )
    joined = "&".join(part for part in (kept, query) if part)
    return f"{base}?{joined}" if joined else base


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@post_only
def evidence_url_view(model_admin: Any, request: HttpRequest, claim_id: int) -> HttpResponse:
    """Evidence from a page not captured yet: capture the URL first (the safe fetcher, as a
    job), then open its captured text to select the words for this claim."""
    claim = get_object_or_404(Claim, pk=claim_id)
    back = reverse("admin:claims_claim_change", args=[claim.pk])
    if not request.user.has_perm("claims.add_evidence"):
        raise PermissionDenied
    # Capturing a new page ingests a report: a document and its source are recorded and its
    # claims extracted. That is an editor's step in the role table (claims/roles.py), so a
    # fact-checker selects evidence in pages already captured and asks an editor for others.
    if not request.user.has_perm("sources.add_snapshot"):
        return TemplateResponse(
            request,
            "admin/claims/claim/refused.html",
            {
                **model_admin.admin_site.each_context(request),
                "title": "Capturing a page is an editor's step",
                "reason": CAPTURE_IS_INGEST,
                "claim": claim,
                "back": back,
                "opts": model_admin.model._meta,
            },
            status=403,
        )
    field = forms.URLField(max_length=2000, assume_scheme="https")
    try:
        url = field.clean((request.POST.get("evidence_url") or "").strip())
    except forms.ValidationError:
        messages.error(
            request, "Give the full address of the page, e.g. https://example.org/report."
        )
        return HttpResponseRedirect(back)
    try:
        job = url_capture_request(url=url, origin="admin", user=request.user)
    except CaptureError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(back)
    job.refresh_from_db()
    if job.state == job.State.FAILED:
        messages.error(request, f"Capture of {url} failed: {job.last_error}")
        return HttpResponseRedirect(back)
    if job.state != job.State.SUCCEEDED:
        messages.info(
            request,
            f"Capture job {job.pk} is {job.state}; the page below lists the text once it is in.",
        )
    review = reverse("admin:claims_document_review", args=[job.payload["document_id"]])
    return HttpResponseRedirect(f"{review}?for_claim={claim.pk}")
