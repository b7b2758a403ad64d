"""The project's own wiring: deploy checks, migrations, the first-run path on SQLite."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.embedded import embedded_env as make_embedded_env
from tests.embedded import embedded_stack, wait_until

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
    )


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECURE_")}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-real-secret-key-for-this-test-" + "x" * 40,
        ALLOWED_HOSTS="claims.example.org",
        **extra,
    )
    return env


def test_the_deploy_check_passes_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_with_the_development_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_the_models_and_migrations_agree():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_boolean_setting_fails_loudly():
    result = manage("check", env={**os.environ, "DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


@pytest.fixture
def embedded_env(tmp_path):
    return make_embedded_env(tmp_path / "var")


def test_first_run_on_embedded_sqlite_loads_the_seed_once_in_wal_mode(embedded_env, tmp_path):
    for step in (["migrate", "--noinput"], ["demo_admin"], ["load_seeds"]):
        result = manage(*step, env=embedded_env)
        assert result.returncode == 0, result.stderr
    first_login = manage("demo_admin", env=embedded_env).stdout
    again = manage("load_seeds", env=embedded_env)
    assert again.returncode == 0 and "nothing new was created" in again.stdout
    assert manage("demo_admin", env=embedded_env).stdout == first_login

    db = sqlite3.connect(tmp_path / "var" / "db.sqlite3")
    jobs = "SELECT kind, state FROM claims_job ORDER BY id"
    # Loading queued the extraction; nothing ran inside the command.
    assert db.execute(jobs).fetchall() == [("extract_claims", "queued")]
    # `make run` starts the worker beside the web server: the queued job runs there.
    with embedded_stack(embedded_env, log=tmp_path / "serve.log"):
        wait_until(
            lambda: (
                {state for _, state in db.execute(jobs)} == {"succeeded"}
                and len(db.execute(jobs).fetchall()) == 2
            ),
            seconds=90,
            what="the seed's extraction and verification",
        )
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT count(*) FROM sources_snapshot").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM auth_user WHERE is_superuser").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM claims_apitoken").fetchone()[0] == 1
    claims = db.execute("SELECT count(*) FROM claims_claim").fetchone()[0]
    assert claims > 0
    assert db.execute(jobs).fetchall()[0] == ("extract_claims", "succeeded")


def test_two_processes_writing_the_embedded_database_at_once_both_succeed(embedded_env, tmp_path):
    assert manage("migrate", "--noinput", env=embedded_env).returncode == 0
    reports = []
    for n in range(4):
        path = tmp_path / f"report-{n}.txt"
        path.write_text(
            f"Officials said {40 + n} residents were evacuated on June {n + 1}. "
            f"Rescuers counted {10 + n} damaged homes in the village.\n",
            encoding="utf-8",
        )
        reports.append(path)
    # Each process ingests and follows its job while the others write; the embedded worker
    # extracts them meanwhile.
    stack = embedded_stack(embedded_env, log=tmp_path / "serve.log")
    stack.__enter__()
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "ingest", str(path), "--source", f"Desk {n}"],
            cwd=ROOT,
            env=embedded_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, path in enumerate(reports)
    ]
    try:
        results = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    finally:
        stack.__exit__(None, None, None)

    assert all(code == 0 for code, _ in results), results
    assert not any("database is locked" in err for _, err in results)
    db = sqlite3.connect(tmp_path / "var" / "db.sqlite3")
    assert db.execute("SELECT count(*) FROM sources_snapshot").fetchone()[0] == 4
    assert (
        db.execute("SELECT count(*) FROM claims_claim WHERE kind='quantitative'").fetchone()[0] == 8
    )
