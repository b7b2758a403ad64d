"""Keyset ("cursor") pagination with a stable order.

Each page continues strictly after the last row of the one before, by (ordering field, id), so
a page never repeats or skips a row because rows were added meanwhile, and page 10,000 costs
what page 1 costs: the cursor becomes an index range condition, never an OFFSET.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

# ordering parameter -> (field, descending). id is always the tie-breaker.
ORDERINGS: dict[str, tuple[str, bool]] = {
    "-updated_at": ("updated_at", True),
    "updated_at": ("updated_at", False),
    "-created_at": ("created_at", True),
    "created_at": ("created_at", False),
    "-id": ("id", True),
    "id": ("id", False),
}


# What a `next` link's cursor looks like: base64url of a small JSON object. Stated in the
# schema, so a client (or a generator of test requests) knows `cursor=0` is not one.
CURSOR_PATTERN = r"^eyJ[A-Za-z0-9_-]{4,2000}$"


class PageQuerySerializer(serializers.Serializer):
    """The paging parameters of every list, as the schema documents them."""

    cursor = serializers.RegexField(
        CURSOR_PATTERN,
        required=False,
        max_length=2003,
        help_text="From a `next` link, as is; a cursor the API did not give out is a 400.",
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=settings.API_MAX_PAGE_SIZE,
        help_text="Results per page (default API_PAGE_SIZE).",
    )


def page_size(request: Request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return settings.API_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= settings.API_MAX_PAGE_SIZE:
        raise serializers.ValidationError(
            {"page_size": [f"Use a whole number from 1 to {settings.API_MAX_PAGE_SIZE}."]}
        )
    return size


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(request: Request) -> dict[str, Any] | None:
    token = request.query_params.get("cursor")
    if token is None:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error):
        data = None
    if not isinstance(data, dict):
        raise serializers.ValidationError(
            {"cursor": ["This cursor is not one the API gave out; use a `next` link as is."]}
        )
    return data


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_url: str | None


def _position_value(field: str, value: Any) -> Any:
    if field == "id":
        return int(value)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError(value)
    return parsed


def keyset_page(queryset: QuerySet, request: Request, ordering: str) -> Page:
    """One page of `queryset` in `ordering`, continuing after the request's cursor."""
    field, descending = ORDERINGS[ordering]
    size = page_size(request)
    order = [f"-{field}", "-id"] if descending else [field, "id"]
    if field == "id":
        order = order[:1]
    queryset = queryset.order_by(*order)
    cursor = decode_cursor(request)
    if cursor is not None:
        try:
            if cursor.get("o") != ordering:
                raise ValueError("ordering")
            value, last_id = cursor["v"]
            queryset = queryset.filter(_after(field, descending, value, int(last_id)))
        except (KeyError, TypeError, ValueError):
            raise serializers.ValidationError(
                {"cursor": ["This cursor belongs to another ordering or is damaged."]}
            ) from None
    rows = list(queryset[: size + 1])
    items = rows[:size]
    next_url = None
    if len(rows) > size:
        last = items[-1]
        if not isinstance(last, dict):
            last = {"id": last.id, field: getattr(last, field)}
        value = last[field]
        value = value.isoformat() if isinstance(value, datetime) else value
        token = encode_cursor({"o": ordering, "v": [value, last["id"]]})
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", token)
    return Page(items=items, next_url=next_url)


def _after(field: str, descending: bool, value: Any, last_id: int) -> Q:
    """Rows strictly after (value, last_id).

    Written as `field <= value AND (field < value OR id < last_id)` rather than the plain OR:
    the first condition is an index range on `field`, so a deep page starts where it should
    instead of scanning every row before it.
    """
    value = _position_value(field, value)
    if field == "id":
        return Q(id__lt=value) if descending else Q(id__gt=value)
    if descending:
        return Q(**{f"{field}__lte": value}) & (Q(**{f"{field}__lt": value}) | Q(id__lt=last_id))
    return Q(**{f"{field}__gte": value}) & (Q(**{f"{field}__gt": value}) | Q(id__gt=last_id))
