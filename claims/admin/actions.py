"""Bulk actions of the claim list: decisions with one rationale, and assignment."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.admin.forms import AssignForm, DecisionForm
from claims.desk import triage
from claims.desk.services import claims_decide
from claims.models import Claim, Status
from claims.selectors import claims_for_list
from claims.workflow import WorkflowError, claims_assign


def _decide(modeladmin: Any, request: HttpRequest, queryset: Any, to_status: str) -> Any:
    """One rationale (and confidence) for every selected claim, from any open status: an
    unreviewed claim's review start is implied and logged. Claims the workflow refuses are
    listed with the reason, the typed text kept, and only they stay selected to try again."""
    refused: dict[int, str] = {}
    if "apply" in request.POST:
        form = DecisionForm(request.POST)
        if form.is_valid():
            outcome = claims_decide(
                claims=list(queryset),
                actor=request.user,
                to_status=to_status,
                confidence=form.cleaned_data["confidence"],
                rationale=form.cleaned_data["rationale"],
                origin="admin",
            )
            label = Status(to_status).label.lower()
            if outcome.decided:
                modeladmin.message_user(
                    request, f"{len(outcome.decided)} claim(s) moved to {label}.", messages.SUCCESS
                )
            if not outcome.refused:
                return None
            refused = outcome.refused
            queryset = queryset.filter(pk__in=list(refused))
            modeladmin.message_user(
                request,
                f"{len(refused)} claim(s) were not moved to {label}; the reasons are beside "
                "each below. Your rationale is kept: change what is needed and apply again.",
                messages.ERROR,
            )
    else:
        form = DecisionForm(initial={"to_status": to_status})
    return TemplateResponse(
        request,
        "admin/claims/claim/decide.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": f"Move {queryset.count()} claim(s) to “{Status(to_status).label}”",
            "claims": queryset,
            "refused": refused,
            "form": form,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
        },
    )


@admin.action(description="Start review of the selected claims")
def start_review(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    return _decide(modeladmin, request, queryset, Status.IN_REVIEW)


@admin.action(description="Verify the selected claims")
def verify(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    return _decide(modeladmin, request, queryset, Status.VERIFIED)


@admin.action(description="Dispute the selected claims")
def dispute(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    return _decide(modeladmin, request, queryset, Status.DISPUTED)


@admin.action(description="Refute the selected claims")
def refute(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    return _decide(modeladmin, request, queryset, Status.REFUTED)


@admin.action(description="Mark the selected claims unverifiable")
def mark_unverifiable(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    return _decide(modeladmin, request, queryset, Status.UNVERIFIABLE)


@admin.action(description="Re-open the selected claims for review")
def reopen(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
    return _decide(modeladmin, request, queryset, Status.IN_REVIEW)


@admin.action(description="Assign the selected claims to me")
def assign_to_me(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    try:
        claims_assign(
            claims=list(queryset),
            assignee=request.user,
            actor=request.user,
            reason="took for review",
            origin="admin",
        )
    except WorkflowError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return
    modeladmin.message_user(request, f"{queryset.count()} claim(s) are in your queue.")


@admin.action(description="Assign the selected claims to…")
def assign(modeladmin: Any, request: HttpRequest, queryset: Any) -> Any:
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
                modeladmin.message_user(request, str(exc), messages.ERROR)
                return None
            if assignee and form.cleaned_data["notify"] and assignee.email:
                _notify_assignee(request, assignee, claims)
            modeladmin.message_user(request, f"{len(claims)} claim(s) assigned to {assignee}.")
            return None
    else:
        form = AssignForm()
    return TemplateResponse(
        request,
        "admin/claims/claim/assign.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": f"Assign {queryset.count()} claim(s)",
            "claims": queryset,
            "form": form,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
        },
    )


def _notify_assignee(request: HttpRequest, assignee: Any, claims: list[Claim]) -> None:
    link = request.build_absolute_uri(reverse("admin:claims_claim_changelist") + "?queue=mine")
    blocks = []
    # Reloaded with what a triage row needs (and without the documents' text).
    for claim in claims_for_list().filter(pk__in=[c.pk for c in claims]).order_by("pk"):
        url = request.build_absolute_uri(reverse("admin:claims_claim_change", args=[claim.pk]))
        first, *facts = triage.triage_lines(claim)
        blocks.append(
            "\n".join([f"#{claim.pk}: {first}", *(f"    {f}" for f in facts), f"    {url}"])
        )
    body = "\n\n".join(blocks)
    # Sent after commit: a rolled-back assignment must not announce itself.
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{len(claims)} claim(s) assigned to you",
            message=f"{request.user} assigned you:\n\n{body}\n\nYour queue: {link}\n",
            from_email=None,
            recipient_list=[assignee.email],
            fail_silently=True,
        )
    )
