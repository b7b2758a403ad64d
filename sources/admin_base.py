"""Admin pieces shared by the apps: every edit of a tracked record asks for its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from simple_history.admin import SimpleHistoryAdmin


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=200,
        help_text="Recorded in the history with your name.",
    )


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history form view ("view this version") never writes.

    simple-history's view saves a POSTed form after checking only the *view* permission,
    and ignores SIMPLE_HISTORY_REVERT_DISABLED: a view-only user could rewrite a record
    through it, bypassing the workflow and the reason. Here a POST needs the change
    permission, and with reverts disabled (our setting: restoring goes through the workflow's
    own page) it is refused outright. GET still shows the old version read-only.
    """

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404("No such version.")  # simple-history's lookup would be a 500
        if request.method not in ("GET", "HEAD"):
            history = self.model._meta.simple_history_manager_attribute
            historical = getattr(self.model, history).model
            pk = self.model._meta.pk.attname
            obj = get_object_or_404(
                historical, **{pk: object_id, "history_id": version_id}
            ).instance
            if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
                raise PermissionDenied("Reverting from the history page is disabled.")
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        # Hides the save buttons on the history form for anyone who could not save it.
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)


class TrackedAdmin(GuardedHistoryAdmin):
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
