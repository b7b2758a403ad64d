"""The roles people and tools act in, as Django groups with their permissions.

Migration 0003_roles creates them with `sync_roles`; a change to the table below ships with a
new migration that calls it again. The README's role table is rendered from CAPABILITIES
(`role_table_markdown`, checked by tests/security/test_authorization.py, which also walks
every admin URL and API operation for every role against it).
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
        "claims.view_webhooksubscription",
        "claims.delete_webhooksubscription",
        "claims.view_webhookdelivery",
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


# What a person or tool may do, and the permissions that allow it (all of them: a role has
# either every permission of a row or none, which the authorization test checks). The admin
# and the API enforce these through the model permissions; DESK is the one that is not a
# plain model permission: the admin is the review desk's tool, API readers use the API.
DESK = "claims.view_review"
CAPABILITIES: list[tuple[str, tuple[str, ...]]] = [
    (
        "read verified claims, their evidence and ClaimReview; sources and documents (API)",
        (
            "claims.view_claim",
            "claims.view_evidence",
            "sources.view_source",
            "sources.view_document",
        ),
    ),
    (
        "use the admin; see claims in every status, their history, provenance and decisions",
        (DESK,),
    ),
    (
        "see snapshots and their metadata, jobs and alerts",
        ("sources.view_snapshot", "claims.view_job", "claims.view_alert"),
    ),
    (
        "ingest reports (upload, paste, URL), capture a page not captured yet as evidence",
        ("sources.add_snapshot",),
    ),
    (
        "edit sources and documents",
        (
            "sources.add_source",
            "sources.change_source",
            "sources.add_document",
            "sources.change_document",
        ),
    ),
    ("edit what a claim says", ("claims.change_claim",)),
    ("add evidence, edit evidence", ("claims.add_evidence", "claims.change_evidence")),
    (
        "add or delete claims, remove evidence",
        ("claims.add_claim", "claims.delete_claim", "claims.delete_evidence"),
    ),
    ("start review, verify, dispute, refute, mark unverifiable", ("claims.review_claim",)),
    ("re-open a decided claim", ("claims.reopen_claim",)),
    ("assign claims to others (anyone in review may take one)", ("claims.assign_claim",)),
    ("resolve alerts", ("claims.change_alert",)),
    (
        "see webhook subscriptions and deliveries (with answers), send one again, end a "
        "subscription",
        (
            "claims.view_webhooksubscription",
            "claims.delete_webhooksubscription",
            "claims.view_webhookdelivery",
        ),
    ),
]


def desk_member(user: Any) -> bool:
    """Whether `user` works the review desk (admin, unpublished claims, decisions)."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(DESK))


def role_table_markdown() -> str:
    """The README's role table, rendered from CAPABILITIES and ROLES."""
    names = list(ROLES)
    lines = [
        "| what | " + " | ".join(names) + " |",
        "|---|" + ":-:|" * len(names),
    ]
    for what, perms in CAPABILITIES:
        marks = ["✓" if set(perms) <= set(ROLES[name]) else "" for name in names]
        lines.append(f"| {what} | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"


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
