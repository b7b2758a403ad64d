"""Start-up checks: a signing key that is set must be an Ed25519 private key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from claims.custody.signing import SigningKeyInvalid, private_key_from_text


def check_signing_key(app_configs: Any = None, **_: Any) -> list[checks.CheckMessage]:
    if not settings.EXPORT_SIGNING_KEY:
        return []
    try:
        private_key_from_text(settings.EXPORT_SIGNING_KEY)
    except SigningKeyInvalid as error:
        return [checks.Error(str(error), id="custody.E001")]
    return []
