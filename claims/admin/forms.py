"""Forms of the review tool. They validate; the workflow service decides and writes."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from claims.models import Claim, Confidence, Status
from claims.workflow import (
    CONTENT_FIELDS,
    DECIDED,
    NEEDS_CONFIDENCE,
    TRANSITIONS,
    StaleClaim,
    changes_since,
)
from sources.admin_base import ReasonForm


def decisions_for(claim: Claim) -> set[str]:
    """The buttons the claim page offers: the four decisions while the claim is open
    (starting the review is implied), re-opening once it is decided."""
    if claim.status in DECIDED:
        return set(TRANSITIONS[claim.status])
    if claim.status == Status.UNREVIEWED:
        return {*DECIDED, Status.IN_REVIEW}  # "start review" alone stays possible
    return set(DECIDED)


class DecisionButtons(forms.Widget):
    """One submit button per decision the claim allows: pressing one posts its status as
    ``decision``, with the confidence and rationale typed beside it, in one step."""

    template_name = "admin/claims/claim/decision_buttons.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["buttons"] = [
            {
                "value": status,
                "label": label,
                "key": DECISION_KEYS.get(status, ""),
                "needs_band": status in NEEDS_CONFIDENCE,
            }
            for status, label in self.choices
            if status
        ]
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name, "")


# What the buttons say, and the key that opens each (see static/claims/desk.js).
DECISION_VERBS = {
    Status.VERIFIED: "Verify",
    Status.DISPUTED: "Dispute",
    Status.REFUTED: "Refute",
    Status.UNVERIFIABLE: "Unverifiable",
    Status.IN_REVIEW: "Re-open for review",
}
DECISION_KEYS = {
    Status.VERIFIED: "v",
    Status.DISPUTED: "d",
    Status.REFUTED: "r",
    Status.UNVERIFIABLE: "u",
}


class TagsWidget(forms.Textarea):
    """One tag per line; static/claims/desk-tags.js turns it into chips with a text box
    (Enter or comma adds, × or Backspace removes). Without JavaScript it stays a list of
    lines, never raw JSON."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"rows": 2, "class": "desk-tags", **(attrs or {})})

    def format_value(self, value: Any) -> str:
        if isinstance(value, str):
            value = TagsField.parse(value)
        return "\n".join(str(v) for v in (value or []))


class TagsField(forms.Field):
    """A list of names (places, actors, hedges) edited as tags."""

    widget = TagsWidget

    @staticmethod
    def parse(text: str) -> list[str]:
        text = (text or "").strip()
        if text.startswith("["):  # a JSON list, as tools and older pages post it
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                return [str(v).strip() for v in loaded if str(v).strip()]
        seen: list[str] = []
        for line in text.replace("\r", "\n").split("\n"):
            tag = line.strip()
            if tag and tag not in seen:
                seen.append(tag)
        return seen

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return self.parse(value or "")

    def has_changed(self, initial: Any, data: Any) -> bool:
        return list(initial or []) != self.to_python(data)


class ClaimForm(forms.ModelForm):
    """The claim page: content edits with a reason, and a one-step review decision."""

    places = TagsField(required=False, help_text="Places named in the claim, one per tag.")
    actors = TagsField(required=False, help_text="Who acts in the claim, one per tag.")
    hedges = TagsField(
        required=False, help_text="Hedging words the engine found (“reportedly”, “about”)."
    )

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label="Reason for the edit",
        max_length=200,
        required=False,
        help_text="Needed when you change what the claim says; recorded in the history.",
    )
    decision = forms.ChoiceField(label="Decide", required=False, choices=[], widget=DecisionButtons)
    decision_confidence = forms.ChoiceField(
        label="Confidence",
        required=False,
        choices=Confidence.choices,
        widget=forms.RadioSelect(attrs={"class": "desk-bands"}),
        help_text="ICD 203 band; needed to verify, dispute or refute. Keys 1–7.",
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "desk-rationale"}),
        help_text="Why you decide so; required with a decision. Ctrl+Enter saves.",
    )
    then_next = forms.BooleanField(
        label="Then open the next claim in my queue", required=False, initial=True
    )

    class Meta:
        model = Claim
        # The admin's fieldsets choose what is shown; status and confidence are read-only
        # there and only change through a decision.
        fields = [*sorted(CONTENT_FIELDS), "statement", "quote", "assignee"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        claim = self.instance
        if claim.pk:
            self.fields["seen_version"].initial = claim.version
            self.fields["decision"].choices = [("", "— no decision —")] + [
                (status, label)
                for status, label in Status.choices
                if status in decisions_for(claim)
            ]
            self.fields["decision"].widget.choices = self.fields["decision"].choices
            self.fields["decision_confidence"].initial = claim.confidence or None

    def add_workflow_error(self, message: str) -> None:
        """Show a refusal of the workflow on the form, keeping what the person typed."""
        self._workflow_error = message

    def content_changes(self) -> dict[str, Any]:
        # A field that failed validation is not in cleaned_data: its error is on the form.
        data = self.cleaned_data
        return {f: data[f] for f in self.changed_data if f in CONTENT_FIELDS and f in data}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        claim = self.instance
        if getattr(self, "_workflow_error", None):
            raise forms.ValidationError(self._workflow_error)
        if not claim.pk:
            return data
        seen = data.get("seen_version")
        current = Claim.objects.filter(pk=claim.pk).values_list("version", flat=True).first()
        if seen is not None and current is not None and current != seen:
            fresh = Claim.objects.get(pk=claim.pk)
            raise forms.ValidationError(str(StaleClaim(fresh, seen, changes_since(fresh, seen))))
        if self.content_changes() and not (data.get("change_reason") or "").strip():
            self.add_error("change_reason", "Say why you change what the claim says.")
        if data.get("decision") and not (data.get("rationale") or "").strip():
            self.add_error("rationale", "A decision needs a rationale.")
        return data


class DecisionForm(forms.Form):
    """One rationale (and confidence) for a decision on several claims at once."""

    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    confidence = forms.ChoiceField(
        required=False,
        choices=Confidence.choices,
        widget=forms.RadioSelect(attrs={"class": "desk-bands"}),
        help_text="ICD 203 band; needed to verify, dispute or refute.",
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "desk-rationale"}),
        help_text="Recorded on each claim's decision.",
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True),
        required=False,
        help_text="Leave empty to unassign.",
    )
    reason = forms.CharField(max_length=200, initial="assigned for review")
    notify = forms.BooleanField(required=False, initial=True, label="Email the assignee")


class RevertForm(forms.Form):
    reason = forms.CharField(max_length=200)


class IngestForm(forms.Form):
    """Upload a report file, paste its text, or give only a URL to fetch it."""

    file = forms.FileField(
        required=False, help_text="Text (any encoding), HTML, PDF, DOCX or Markdown."
    )
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="…or paste it."
    )
    source = forms.CharField(
        max_length=200, required=False, help_text="Who published it, e.g. ISW (default: the host)."
    )
    title = forms.CharField(max_length=500, required=False)
    url = forms.URLField(
        max_length=2000,
        required=False,
        assume_scheme="https",
        help_text="Where it was published. Given alone, the page is fetched and captured.",
    )
    published = forms.DateField(required=False, help_text="YYYY-MM-DD")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [bool(data.get("file")), bool((data.get("text") or "").strip())]
        if all(given):
            raise forms.ValidationError("Upload a file or paste the text, not both.")
        if not any(given) and not data.get("url"):
            raise forms.ValidationError("Upload a file, paste the text, or give a URL to fetch.")
        return data


class EvidenceForm(ReasonForm):
    """The evidence admin: the quote must be what the snapshot holds at its offsets."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        snapshot, start, end = data.get("snapshot"), data.get("start"), data.get("end")
        exact = data.get("exact")
        if snapshot is None or start is None or end is None or exact is None:
            return data
        text = snapshot.text
        if not (0 <= start < end <= len(text)):
            raise forms.ValidationError(
                f"Characters {start}–{end} are outside snapshot {snapshot.pk}, which holds "
                f"{len(text):,} characters."
            )
        if text[start:end] != exact:
            raise forms.ValidationError(
                f"The quote does not match snapshot {snapshot.pk} at characters {start}–{end}: "
                f"the snapshot holds “{text[start:end][:80]}” there. Correct the offsets or the "
                "quote (or select the text on the document's review page)."
            )
        return data
