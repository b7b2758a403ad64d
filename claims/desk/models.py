"""The desk's own record: the named views people keep (saved filters)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedFilter(models.Model):
    """A named claim-list view a person keeps ("my disputed", "Kharkiv casualties"): the
    list's query string, replayed as is. A preference, not evidence: no history."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000, help_text="The claim list's query string.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "claims"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
