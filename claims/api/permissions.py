"""Who may do what over the API: the role groups' model permissions, per operation.

Each view lists its permissions (`required_perms`); claims.roles.CAPABILITIES is the table
they follow (the README renders it; tests/security/test_authorization.py checks every
operation for every role against it). In short: API readers read verified claims, their
evidence and ClaimReview, the export, sources and documents (without snapshot metadata);
history, provenance, jobs and alerts are the desk's.
"""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from claims.roles import desk_member


def sees_unpublished(user: Any) -> bool:
    """Whether `user` sees claims that are not verified: the desk, not API readers."""
    return desk_member(user)


class RolePermission(permissions.BasePermission):
    """Requires one of the view's `required_perms[method]`.

    A view lists the permissions per HTTP method; a method it does not list is refused, so a
    new endpoint is closed until someone decides who may use it.
    """

    message = "Your role may not do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        if not hasattr(view, method.lower()):
            return True  # no such operation: the view answers 405, not "your role may not"
        needed = getattr(view, "required_perms", {}).get(method)
        if needed is None:
            return False
        return any(user.has_perm(p) for p in needed)
