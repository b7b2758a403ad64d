"""The roles people and tools act in, as Django groups with their permissions.

Migration 0003_roles creates them with `sync_roles`; a change to the table below ships with a
new migration that calls it again. The README's permission table mirrors this one.
"""

from __future__ import annotations

from typing import Any

EDITOR = "Editor"
FACT_CHECKER = "Fact-checker"
API_READER = "API reader"

# Command-line spelling -> group name.
ROLE_NAMES = {"editor": EDITOR, "fact-checker": FACT_CHECKER, "api-reader": API_READER}

_VIEW_ALL = [
    "sources.view_source",
    "sources.view_document",
    "sources.view_snapshot",
    "claims.view_claim",
    "claims.view_evidence",
    "claims.view_review",
    "claims.view_job",
    "claims.view_alert",
]
ROLES: dict[str, list[str]] = {
    EDITOR: [
        *_VIEW_ALL,
        "sources.add_source",
        "sources.change_source",
        "sources.add_document",
        "sources.change_document",
        "sources.add_snapshot",
        "claims.add_claim",
        "claims.change_claim",
        "claims.delete_claim",
        "claims.add_evidence",
        "claims.change_evidence",
        "claims.delete_evidence",
        "claims.review_claim",
        "claims.reopen_claim",
        "claims.assign_claim",
        "claims.change_alert",
    ],
    FACT_CHECKER: [
        *_VIEW_ALL,
        "claims.change_claim",
        "claims.add_evidence",
        "claims.change_evidence",
        "claims.review_claim",
    ],
    API_READER: [
        "sources.view_source",
        "sources.view_document",
        "claims.view_claim",
        "claims.view_evidence",
    ],
}


def sync_roles(group_model: Any, permission_model: Any) -> None:
    """Create or update the role groups so each has exactly its listed permissions.

    Takes the models as arguments so a migration can pass its historical ones. A permission
    whose model a migration has not created yet is left out; the migration that creates the
    model calls this again.
    """
    for name, codes in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.extend(
                permission_model.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(permissions)
