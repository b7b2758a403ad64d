"""Who, from where and why: the context every tracked change is written under.

django-simple-history records *what* changed. This module makes every historical row also
say *who* (history_user), *from where* (origin: admin, api, task, seed, command) and *why*
(history_change_reason). Services run inside `tracked_change(...)`; the admin and the API get
their origin and user from `ChangeOriginMiddleware`. A tracked save outside any context is a
bug, so it raises instead of writing an anonymous history row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.db import models
from django.dispatch import Signal
from simple_history.manager import HistoricalQuerySet


class Origin(models.TextChoices):
    ADMIN = "admin", "Admin"
    API = "api", "API"
    TASK = "task", "Background job"
    SEED = "seed", "Seed loader"
    COMMAND = "command", "Management command"


class MissingChangeContext(RuntimeError):
    """A tracked record was saved without saying who, from where and why."""


@dataclass(frozen=True)
class ChangeContext:
    origin: str
    reason: str
    user: Any = None  # a User or None (a job or command acting on its own)


_current: ContextVar[ChangeContext | None] = ContextVar("change_context", default=None)


def current_change() -> ChangeContext | None:
    return _current.get()


@contextmanager
def tracked_change(*, origin: str, reason: str, user: Any = None) -> Iterator[ChangeContext]:
    """Run the block with every history row attributed to `user`, `origin` and `reason`.

    Nested calls refine the outer context: an empty reason or user keeps the outer one.
    """
    if origin not in Origin.values:
        raise ValueError(f"unknown origin {origin!r}; use one of {', '.join(Origin.values)}")
    outer = _current.get()
    context = ChangeContext(origin=origin, reason=reason, user=user)
    if outer is not None:
        context = replace(context, reason=reason or outer.reason, user=user or outer.user)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


# Sent after `bulk_create` of a recorded model (the history rows, snapshots, decisions) with
# the rows written, their ids set. Django's post_save is not sent by bulk_create, and the
# audit ledger (claims.custody.ledger) must see bulk writes like single ones; it connects
# here, so this layer never imports it.
post_bulk_create = Signal()


class RecordedQuerySet(models.QuerySet):
    """A queryset whose bulk_create announces the rows it wrote (post_bulk_create)."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        post_bulk_create.send(sender=self.model, objs=created, using=self.db)
        return created


class TrackedHistoricalQuerySet(RecordedQuerySet, HistoricalQuerySet):
    """The `Model.history` queryset, announcing bulk writes too."""


def tracked_history() -> Any:
    """The HistoricalRecords of every tracked model: who/where/why, and bulk writes seen."""
    from simple_history.models import HistoricalRecords

    return HistoricalRecords(bases=[TrackedHistory], historical_queryset=TrackedHistoricalQuerySet)


class TrackedHistory(models.Model):
    """Abstract base added to every historical model: the origin of the change."""

    origin = models.CharField(max_length=16, choices=Origin.choices)

    # simple-history's bulk helpers write history rows through `objects.bulk_create`.
    objects = RecordedQuerySet.as_manager()

    class Meta:
        abstract = True


def refuse_untracked_write(sender: Any, instance: Any, **_: Any) -> None:
    """pre_save / pre_delete receiver: refuse a tracked write before it touches the table.

    Checking only when the history row is written would be too late outside a transaction:
    the record itself would already be saved, without its history.
    """
    if getattr(sender._meta, "simple_history_manager_attribute", None) is None:
        return
    if _current.get() is None:
        raise MissingChangeContext(
            f"{sender.__name__} was saved without a change context; wrap the write in "
            "sources.history.tracked_change(origin=..., reason=..., user=...)"
        )


def stamp_historical_record(sender: Any, history_instance: Any, instance: Any, **_: Any) -> None:
    """pre_create_historical_record receiver: fill in origin, user and reason."""
    context = _current.get()
    reason = getattr(instance, "_change_reason", None) or (context.reason if context else "")
    if context is None or not reason:
        raise MissingChangeContext(
            f"{type(instance).__name__} was saved without a change context; wrap the write in "
            "sources.history.tracked_change(origin=..., reason=..., user=...)"
        )
    history_instance.origin = context.origin
    history_instance.history_change_reason = reason
    user = context.user
    if history_instance.history_user_id is None and getattr(user, "is_authenticated", False):
        history_instance.history_user = user


def bulk_history_attrs() -> dict[str, Any]:
    """Keyword arguments for simple-history's bulk helpers under the current context."""
    context = _current.get()
    if context is None:
        raise MissingChangeContext("bulk write without a change context")
    user = context.user if getattr(context.user, "is_authenticated", False) else None
    return {
        "default_user": user,
        "default_change_reason": context.reason,
        "custom_historical_attrs": {"origin": context.origin},
    }


class ChangeOriginMiddleware:
    """Attributes changes made through the admin or the API to the signed-in person.

    The reason comes from the form (the admin asks for one) or the request body; this only
    supplies the origin, the user and a fallback naming the request when none was given.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        path = request.path_info
        if path.startswith("/admin/"):
            origin = Origin.ADMIN
        elif path.startswith("/api/"):
            origin = Origin.API
        else:
            return self.get_response(request)
        user = getattr(request, "user", None)
        fallback = f"{request.method} {path}"
        with tracked_change(origin=origin, reason=fallback, user=user):
            return self.get_response(request)
