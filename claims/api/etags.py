"""Entity tags: a claim's ETag names its version, so If-Match can carry it into the workflow.

A claim's ETag is `"<id>-<version>-<evidence count>.<latest evidence change>"`. The version is
bumped by every workflow change; the evidence part covers what changes without bumping the
version (evidence added, edited or removed), so a cached copy is not served after that. It is
built from integers, not a hash: a page computes a hundred of them. A list page's ETag hashes
its claims' tags.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from rest_framework.request import Request

_CLAIM_TAG = re.compile(r'^"(\d+)-(\d+)-(\d+)\.([0-9a-f]+)"$')


def _digest(parts: Iterable[str], length: int = 12) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:length]


def claim_etag(claim: Any, evidence: Iterable[Any]) -> str:
    """The strong ETag of one claim as the API shows it."""
    stamps = [e.updated_at for e in evidence]
    latest = int(max(stamps).timestamp() * 1_000_000) if stamps else 0
    return f'"{claim.pk}-{claim.version}-{len(stamps)}.{latest:x}"'


def list_etag(tags: Iterable[str], *extra: str) -> str:
    """A weak ETag for a list page: the same claims at the same versions give the same tag."""
    return f'W/"{_digest([*tags, *extra], 32)}"'


def version_in(etag: str) -> int | None:
    """The claim version an ETag names, or None when it is not a claim ETag."""
    match = _CLAIM_TAG.match(etag.strip())
    return int(match.group(2)) if match else None


def _tags(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def none_match(request: Request, etag: str) -> bool:
    """Whether If-None-Match names `etag` (weak comparison, RFC 9110 13.1.2)."""
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == bare for tag in _tags(header))


def if_match_tags(request: Request) -> list[str]:
    return _tags(request.headers.get("If-Match", ""))
