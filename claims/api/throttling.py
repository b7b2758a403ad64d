"""Request rates per API token (per person for sessions, per address when anonymous)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from claims.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """API_THROTTLE_RATE per token; API_ANON_THROTTLE_RATE for the open schema and docs.

    Counts live in Django's cache: per process with the default local-memory cache, shared
    across processes when CACHES names Redis.
    """

    scope = "token"

    def get_rate(self) -> str | None:
        # Read at request time (DRF reads rates at import), so a deployment or a test can
        # change it through settings.
        return getattr(settings, "API_THROTTLE_RATE", None) or None

    def allow_request(self, request: Request, view: Any) -> bool:
        authenticated = bool(request.user and request.user.is_authenticated)
        self.rate = self.get_rate() if authenticated else settings.API_ANON_THROTTLE_RATE or None
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return f"throttle_api_{ident}"
