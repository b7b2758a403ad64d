"""There is no Docker engine here: check the Compose file and Dockerfile by reading them."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "periodic", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_stack_has_every_service_with_a_healthcheck(compose):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", *APP_SERVICES}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_web_worker_and_beat_share_one_definition_built_from_the_dockerfile(compose):
    definitions = [compose["services"][name] for name in APP_SERVICES]
    assert all(d["build"] == "." and d["image"] == definitions[0]["image"] for d in definitions)
    assert all(d["environment"] is definitions[0]["environment"] for d in definitions)
    for service in definitions:
        assert service["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["DEBUG"] == "0"


def test_redis_keeps_its_data_and_never_evicts(compose):
    command = compose["services"]["redis"]["command"]
    joined = " ".join(command)
    assert "--appendonly yes" in joined
    assert "--maxmemory-policy noeviction" in joined
    assert any(v.endswith(":/data") for v in compose["services"]["redis"]["volumes"])


def test_each_command_names_a_real_entry_point_of_the_project(compose):
    web = " ".join(compose["services"]["web"]["command"])
    assert "manage.py migrate" in web and "migrate" in get_commands()
    module_name, attribute = web.split("gunicorn ")[1].split()[0].split(":")
    assert callable(getattr(importlib.import_module(module_name), attribute))

    for name, subcommand in (("worker", "worker"), ("periodic", "worker"), ("beat", "beat")):
        command = compose["services"][name]["command"]
        assert command[:4] == ["celery", "-A", "config", subcommand]
    celery_app = importlib.import_module("config").celery_app
    celery_app.loader.import_default_modules()  # what a starting worker does: find the tasks
    assert "claims.tasks.run_job" in celery_app.tasks
    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert scheduled <= set(celery_app.tasks)


def test_the_dockerfile_installs_the_pinned_requirements_and_runs_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements/base.txt" in dockerfile
    assert (ROOT / "requirements" / "base.txt").exists()
    assert '"gunicorn", "config.wsgi:application"' in dockerfile
    assert "USER " in dockerfile


def _queues(command: list[str]) -> set[str]:
    return set(command[command.index("-Q") + 1].split(","))


def test_the_sweeper_and_periodic_jobs_have_a_queue_and_a_worker_slot_of_their_own(compose):
    from django.conf import settings

    from claims.jobs import PERIODIC_KINDS

    services = compose["services"]
    jobs, periodic = (
        _queues(services["worker"]["command"]),
        _queues(services["periodic"]["command"]),
    )
    assert jobs == {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert periodic == {settings.JOB_PERIODIC_QUEUE} and not jobs & periodic
    # Everything beat sends goes to the periodic queue, and so do the jobs it creates.
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["options"]["queue"] == settings.JOB_PERIODIC_QUEUE
    assert {"integrity_check", "refetch"} == set(PERIODIC_KINDS)
    # The sweep comes often enough that a dead worker's job runs again within a minute.
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-jobs"]["schedule"]
    assert sweep + settings.JOB_LEASE_SECONDS < 60
