"""The base class of every API view: role permissions and a bounded request body."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from rest_framework.request import Request
from rest_framework.views import APIView

from claims.api.filters import MAX_ID
from claims.api.permissions import RolePermission
from claims.api.problems import PayloadTooLarge


class ApiView(APIView):
    permission_classes = [RolePermission]
    # HTTP method -> model permissions, any one of which allows it (claims.api.permissions).
    required_perms: dict[str, list[str]] = {}

    def max_body_bytes(self) -> int:
        return settings.API_MAX_BODY_BYTES

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticate, permit, throttle first
        pk = kwargs.get("pk")
        if isinstance(pk, int) and pk > MAX_ID:
            # Ids are 64-bit: a larger one names nothing (the database would raise, a 500).
            raise Http404(f"There is nothing with id {pk}.")
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = self.max_body_bytes()
        if length.isdigit() and int(length) > limit:
            raise PayloadTooLarge(
                f"The request body has {int(length)} bytes; this endpoint takes at most {limit}."
            )
