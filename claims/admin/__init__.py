"""The review tool: claims, evidence, decisions and jobs in the Django admin."""

from __future__ import annotations

from claims.admin import (  # noqa: F401  (registers the ModelAdmins)
    claim,
    records,
    tokens,
)
