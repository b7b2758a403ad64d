"""Values as a person reads them: labels, not codes (history, compare, restore)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from simple_history.template_utils import HistoricalRecordContextHelper

from claims.models import Claim

EMPTY = "—"


def field_label(field: str) -> str:
    try:
        return str(capfirst(Claim._meta.get_field(field).verbose_name))
    except Exception:  # a name that is not a claim field (history extras)
        return field


def readable(field: str, value: Any) -> str:
    """``value`` of the claim's ``field`` for a person: the choice's label ("Very likely
    (80-95 %)", not "very_likely"), names for people, lists joined, "—" for nothing."""
    if value is None or value == "" or value == []:
        return EMPTY
    try:
        model_field = Claim._meta.get_field(field)
    except Exception:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        if hasattr(value, "_meta"):
            return str(value)
        if hasattr(value, "pk"):  # simple-history's DeletedObject: gone, or never set
            return EMPTY if value.pk is None else f"{field_label(field)} {value.pk} (deleted)"
        if field == "assignee" or model_field.related_model is get_user_model():
            user = get_user_model().objects.filter(pk=value).first()
            return user.get_username() if user else f"person {value}"
        return f"#{value}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or EMPTY
    if isinstance(value, float):
        return f"{value:,.10g}"
    return str(value)


class ReadableHistory(HistoricalRecordContextHelper):
    """simple-history's "Changes" column with labels instead of codes."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        return readable(change.field, value)
