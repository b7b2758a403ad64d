"""Admin pieces shared by the apps: every edit of a tracked record asks for its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=200,
        help_text="Recorded in the history with your name.",
    )


class TrackedAdmin(SimpleHistoryAdmin):
    """History-aware admin whose change form requires a reason, stored on the history row."""

    form = ReasonForm
    history_list_display = ["origin", "history_change_reason"]

    def get_fields(self, request: Any, obj: Any = None) -> list[str]:
        fields = [f for f in super().get_fields(request, obj) if f != "change_reason"]
        return [*fields, "change_reason"]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        obj._change_reason = form.cleaned_data["change_reason"]
        super().save_model(request, obj, form, change)

    def delete_model(self, request: Any, obj: Any) -> None:
        obj._change_reason = f"deleted in the admin by {request.user}"
        super().delete_model(request, obj)


admin.site.site_header = "Claim verification"
admin.site.site_title = "Claim verification"
admin.site.index_title = "Claims, sources and review"
