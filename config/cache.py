"""A Redis cache that fails open: when Redis is down or hung, each process carries on with
a local in-memory cache instead of answering 500.

What the cache holds here is only ever a shortcut or a soft limit: the API token's role
permissions (the database has them; a miss costs two queries) and the request throttle's
counts (per process while Redis is away, shared again when it is back). So an error from
Redis is never worth failing a request for. After an error the process stops asking Redis
for CACHE_RETRY_SECONDS, so a hung Redis costs one request one socket timeout per window,
not every request; each outage is logged once, and its end once.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis.exceptions
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

CACHE_ERRORS = (redis.exceptions.RedisError, OSError)
_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class FailOpenRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 10))
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache(f"fail-open-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 10000}})
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def state(self) -> str:
        """ "ok" while this process uses Redis, "degraded" while it uses its local cache."""
        return "degraded" if self._down else "ok"

    def _failed(self, exc: BaseException) -> None:
        with self._lock:
            self._down_until = time.monotonic() + self.retry_seconds
            if not self._down:
                self._down = True
                logger.warning(
                    "cache: Redis unavailable (%s: %s); using a per-process cache, "
                    "trying Redis again every %.0f s",
                    type(exc).__name__,
                    exc,
                    self.retry_seconds,
                )

    def _recovered(self) -> None:
        with self._lock:
            if self._down:
                self._down = False
                logger.warning("cache: Redis is back; the shared cache is in use again")

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._down and time.monotonic() < self._down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except CACHE_ERRORS as exc:
            self._failed(exc)
            return getattr(self._fallback, name)(*args, **kwargs)
        if self._down:
            self._recovered()
        return result


def _operation(name: str) -> Any:
    def method(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _OPERATIONS:
    setattr(FailOpenRedisCache, _name, _operation(_name))
