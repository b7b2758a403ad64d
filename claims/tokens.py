"""API keys for tools: issue one, authenticate requests with it, revoke it.

A key is shown once, when it is issued; the database keeps only its sha256, so a stolen
database dump holds no usable key. Each token acts as a service user in one role group, so
the API's permissions are the same group permissions people have.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from claims.models import ApiToken
from claims.roles import ROLE_NAMES

# Token roles: people have the Editor role; tools read, or review as fact-checkers.
TOKEN_ROLES = ("api-reader", "fact-checker", "editor")
KEYWORDS = ("bearer", "token")
# Writing last_used_at on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
PERMISSIONS_CACHE_SECONDS = 60


class TokenError(ValueError):
    """The token cannot be issued; the message says why."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(name: str, role: str) -> tuple[ApiToken, str]:
    """Create a service user in `role` and a token for it. Returns the token and its key.

    The key is not stored anywhere: the caller must show it now. Raises TokenError for an
    unknown role or a name already in use.
    """
    name = name.strip()
    if role not in TOKEN_ROLES:
        raise TokenError(f"{role!r} is not a role; use one of {', '.join(TOKEN_ROLES)}")
    if not name:
        raise TokenError("A token needs a name: the tool it is for.")
    if ApiToken.objects.filter(name=name).exists():
        raise TokenError(f"A token named {name!r} exists already; choose another name.")
    username = f"tool-{slugify(name)}"[:150]
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise TokenError(f"A user named {username!r} exists already; choose another name.")
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=None)
        user.groups.add(Group.objects.get(name=ROLE_NAMES[role]))
        token = ApiToken.objects.create(
            name=name, user=user, prefix=key[:8], key_hash=hash_key(key)
        )
    return token, key


def revoke_token(token: ApiToken) -> ApiToken:
    """Refuse the token from now on. Revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def _load_permissions(user: Any, token: ApiToken) -> None:
    """Fill ModelBackend's permission caches from Django's cache, or with one query.

    Every API request checks permissions; the list endpoint's query budget (token, claims,
    evidence) has no room for ModelBackend's two queries. A role's permissions change only
    with a migration or an admin edit; PERMISSIONS_CACHE_SECONDS bounds how long that takes
    to reach the API. Revocation is not cached: the token row is read on every request.
    """
    cache_key = f"api-perms-{token.key_hash}"
    perms = cache.get(cache_key)
    if perms is None:
        rows = (
            Permission.objects.filter(Q(group__user=user) | Q(user=user))
            .values_list("content_type__app_label", "codename")
            .distinct()
        )
        perms = {f"{app}.{codename}" for app, codename in rows}
        cache.set(cache_key, perms, PERMISSIONS_CACHE_SECONDS)
    user._user_perm_cache = set()
    user._group_perm_cache = perms
    user._perm_cache = perms


def failures_exceeded(kind: str, idents: list[str], allowed: int) -> bool:
    """Whether any of `idents` has `allowed` failures of `kind` counted in its window."""
    return any((cache.get(f"{kind}:{ident}") or 0) >= allowed for ident in idents)


def failure_count(kind: str, idents: list[str], window: int) -> None:
    """Count one failure of `kind` for each of `idents`, kept for `window` seconds."""
    for ident in idents:
        key = f"{kind}:{ident}"
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` (or `Token <key>`), checked against the stored hash."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header: send 'Bearer <key>' with the key you were given."
            )
        # Guessing keys: after UNKNOWN_KEYS_ALLOWED unknown keys from one address in a
        # minute, that address gets 429 (authentication runs before DRF's throttles).
        address = [request.META.get("REMOTE_ADDR", "") or "unknown"]
        if failures_exceeded("unknown-keys", address, settings.UNKNOWN_KEYS_ALLOWED):
            raise exceptions.Throttled(
                wait=60, detail="Too many unknown API keys from this address; wait a minute."
            )
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(header[1])).first()
        if token is None:
            failure_count("unknown-keys", address, 60)
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                f"The API key {token.prefix}… was revoked on {token.revoked_at:%Y-%m-%d}."
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The API key's account is disabled.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            # ApiToken has no history, so a plain update is allowed; filter on the old value
            # so concurrent requests write it once.
            ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(
                last_used_at=now
            )
            token.last_used_at = now
        _load_permissions(token.user, token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 to anonymous requests.
        return 'Bearer realm="api"'
