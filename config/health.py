"""/healthz (the process answers, the database is reachable) and /readyz (each dependency,
named: database, broker, cache, each ok / degraded / down)."""

from __future__ import annotations

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse

from config.cache import CACHE_ERRORS, FailOpenRedisCache

# A readiness probe must answer fast even when a dependency hangs.
PROBE_TIMEOUT_SECONDS = 0.5


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _database() -> dict[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means the same: no database
        return {"state": "down", "detail": f"{type(exc).__name__}: {exc}"}
    return {"state": "ok", "detail": connection.vendor}


def _ping(url: str) -> str | None:
    """None when the Redis at `url` answers, else why not."""
    client = redis.Redis.from_url(
        url,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except CACHE_ERRORS as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        client.close()
    return None


def _broker() -> dict[str, str]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return {"state": "ok", "detail": "jobs run without a broker (no REDIS_URL)"}
    error = _ping(url)
    if error is None:
        return {"state": "ok", "detail": "redis"}
    # The Job table is the outbox: submissions are accepted and wait there, queued.
    return {"state": "degraded", "detail": f"jobs wait queued until it returns ({error})"}


def _cache() -> dict[str, str]:
    backend = caches["default"]
    if not isinstance(backend, FailOpenRedisCache):
        return {"state": "ok", "detail": "per-process memory"}
    error = _ping(backend._servers[0])
    if error is None:
        return {"state": "ok", "detail": "redis"}
    return {"state": "degraded", "detail": f"per-process cache in use ({error})"}


def readyz(request: HttpRequest) -> JsonResponse:
    """200 while the web can serve (ok or degraded), 503 when it cannot (no database)."""
    checks = {"database": _database(), "broker": _broker(), "cache": _cache()}
    states = {check["state"] for check in checks.values()}
    status = "down" if "down" in states else "degraded" if "degraded" in states else "ok"
    return JsonResponse({"status": status, **checks}, status=503 if status == "down" else 200)
