"""JSON rendering with orjson: the claim pages are mostly serialisation time."""

from __future__ import annotations

from typing import Any

import orjson
from django.utils.encoding import force_str
from django.utils.functional import Promise
from rest_framework.renderers import JSONRenderer


def _fallback(value: Any) -> Any:
    if isinstance(value, Promise):  # lazy translations in DRF's messages
        return force_str(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


class ORJSONRenderer(JSONRenderer):
    """application/json, with datetimes as RFC 3339 (UTC written as Z, like DRF's)."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_fallback, option=orjson.OPT_UTC_Z)


class JSONLDRenderer(ORJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
