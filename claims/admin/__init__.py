"""The review tool: claims, evidence, decisions and jobs in the Django admin."""

from __future__ import annotations

from django.contrib import admin as _admin

from claims.admin import (  # noqa: F401  (registers the ModelAdmins)
    claim,
    jobs,
    records,
    tokens,
    webhooks,
)

# The admin index is the review desk's dashboard (claims/desk/dashboard.py); the list of
# records stays below it.
_admin.site.index_template = "admin/desk/index.html"
