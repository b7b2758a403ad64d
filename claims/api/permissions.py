"""Who may do what over the API: the role groups' model permissions, per operation.

operation                         API reader   Fact-checker   Editor
read claims, evidence, history,   verified     all            all
  provenance, ClaimReview, export
PATCH a claim (edit or decide)    -            yes            yes
read sources and documents        yes          yes            yes
POST a document                   -            -              yes
read a job                        -            yes            yes
"""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request


def sees_unpublished(user: Any) -> bool:
    """Whether `user` sees claims that are not verified: people who review, not API readers."""
    return user.has_perm("claims.review_claim") or user.has_perm("claims.change_claim")


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
        needed = getattr(view, "required_perms", {}).get(method)
        if needed is None:
            return False
        return any(user.has_perm(p) for p in needed)
