"""Fixtures shared by the Django tests.

Service-backed tests are marked `services` (PostgreSQL and Redis named by DATABASE_URL and
REDIS_URL). Without those services they are skipped with the reason printed in the summary;
with REQUIRE_SERVICES=1 (set by CI) a missing service fails them instead.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

from config.celery import app as celery_app

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# Ed25519, made by `manage.py signing_key` for the tests only.
TEST_SIGNING_KEY = "64YCPjGlLcneZmF944CUcqRe9+cqIHSeGV1NomckV40="


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), 2):
            return True
    except OSError:
        return False


def services_missing() -> str | None:
    """Why the PostgreSQL + Redis tests cannot run here, or None when they can."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL does not name a PostgreSQL server"
    if not redis_url:
        return "REDIS_URL is not set"
    if not _reachable(database_url, 5432):
        return f"PostgreSQL at {urlparse(database_url).netloc} is not reachable"
    if not _reachable(redis_url, 6379):
        return f"Redis at {urlparse(redis_url).netloc} is not reachable"
    return None


def big_tests_skipped() -> str | None:
    """Why the multi-megabyte (``big``) tests do not run in this run, or None when they do.

    They run once per CI run, not once per database: in the run against PostgreSQL (the one
    CI makes), whatever database each of them uses itself. A run against another database
    skips them, unless RUN_BIG_TESTS=1 asks for them there.
    """
    if os.environ.get("RUN_BIG_TESTS") == "1":
        return None
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return None
    return (
        "a multi-megabyte case: it runs once, in the run against PostgreSQL (CI's); "
        "RUN_BIG_TESTS=1 runs it here"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("big") is not None and (why := big_tests_skipped()):
        pytest.skip(why)
    if item.get_closest_marker("services") is None:
        return
    missing = services_missing()
    if missing is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {missing}")
    pytest.skip(f"needs PostgreSQL and Redis: {missing}")


@pytest.fixture(autouse=True, scope="session")
def _plain_http_test_server(django_test_environment: None) -> object:
    """Settings for the whole session, before the live server builds its middleware."""
    from django.conf import settings
    from django.test import override_settings

    override = override_settings(
        # The test client and the live server speak plain HTTP; production's HTTPS redirect
        # and HSTS would send the browser to https.
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        # A fixed key for the signed bundles (tests of a missing or bad key override it).
        EXPORT_SIGNING_KEY=TEST_SIGNING_KEY,
        # Tests render admin pages without running collectstatic first.
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _test_defaults(request: pytest.FixtureRequest, settings: object, tmp_path: object) -> object:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined,operator]
    # Unit tests run jobs in-process (eager mode) and say so here; tests marked `worker`
    # send them through Redis to a real Celery worker instead.
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


def _member(username: str, role: str) -> object:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from claims.roles import sync_roles

    # Transactional tests flush the tables after each test, the groups of the data migration
    # with them; put them back as the migration made them.
    if not Group.objects.filter(name=role).exists():
        sync_roles(Group, Permission)
    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


# The fixed cast of the permission tests.
@pytest.fixture
def editor(db: None) -> object:
    return _member("edith", "Editor")


@pytest.fixture
def checker(db: None) -> object:
    return _member("fatima", "Fact-checker")


@pytest.fixture
def second_checker(db: None) -> object:
    return _member("oleh", "Fact-checker")


@pytest.fixture
def reader(db: None) -> object:
    return _member("robot", "API reader")


# The local web site of the capture tests, as a fixture for every test module.
from tests.sites import site  # noqa: E402, F401
