"""Settings from the environment: production hardening, secrets, SQLite tuning, the CLI.

Most tests start `python -m upward` in a fresh process, because settings are read
once at import and the point is what a real start-up does with a given environment.
"""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test.utils import CaptureQueriesContext

from upward.core.models import User

UPWARD_ENV = (
    "DATABASE_URL",
    "UPWARD_PRODUCTION",
    "UPWARD_SECRET_KEY",
    "UPWARD_FIELD_KEYS",
    "UPWARD_ALLOWED_HOSTS",
    "UPWARD_DEBUG",
    "UPWARD_STATIC_ROOT",
    "DJANGO_SETTINGS_MODULE",
)


def run_upward(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`upward ARGS` in a new process on SQLite in `data_dir`, with only `env` configured."""
    environ = {k: v for k, v in os.environ.items() if k not in UPWARD_ENV}
    environ.update(UPWARD_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [sys.executable, "-m", "upward", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_python(code: str, *, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in `upward shell`, i.e. with the settings that environment yields."""
    return run_upward("shell", "--no-imports", "-c", code, data_dir=data_dir, **env)


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        "UPWARD_PRODUCTION": "1",
        "UPWARD_SECRET_KEY": secrets.token_urlsafe(64),
        "UPWARD_FIELD_KEYS": Fernet.generate_key().decode(),
        "UPWARD_ALLOWED_HOSTS": "upward.example.org",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v}


# --- Production -------------------------------------------------------------


def test_deploy_check_is_clean_under_production_settings(tmp_path: Path) -> None:
    result = run_upward(
        "check", "--deploy", "--fail-level", "WARNING", data_dir=tmp_path, **production_env()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRINT_SECURITY = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
    "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.ALLOWED_HOSTS)"
)


def test_production_turns_on_secure_cookies_hsts_and_https(tmp_path: Path) -> None:
    result = run_python(PRINT_SECURITY, data_dir=tmp_path, **production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout == "False True True True True True ['upward.example.org']\n"


def test_outside_production_cookies_work_over_plain_http(tmp_path: Path) -> None:
    result = run_python(PRINT_SECURITY, data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == "True False False False False False ['127.0.0.1', 'localhost', 'testserver']\n"
    )


@pytest.mark.parametrize(
    "missing", ["UPWARD_SECRET_KEY", "UPWARD_FIELD_KEYS", "UPWARD_ALLOWED_HOSTS"]
)
def test_production_refuses_to_start_without_a_required_setting(
    missing: str, tmp_path: Path
) -> None:
    result = run_upward("check", data_dir=tmp_path, **production_env(**{missing: ""}))

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr
    # Nothing was generated in its place.
    assert not (tmp_path / "secret_key").exists()
    assert not (tmp_path / "field_keys").exists()


# --- Secrets outside production ---------------------------------------------

PRINT_SECRETS = (
    "from django.conf import settings as s; print(s.SECRET_KEY); print(','.join(s.FIELD_KEYS))"
)


def test_missing_secrets_are_generated_into_the_data_dir_and_reused(tmp_path: Path) -> None:
    first = run_python(PRINT_SECRETS, data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    secret_file, keys_file = tmp_path / "secret_key", tmp_path / "field_keys"
    secret_key, field_keys = secret_file.read_text(), keys_file.read_text()

    second = run_python(PRINT_SECRETS, data_dir=tmp_path)

    assert second.returncode == 0, second.stderr
    assert secret_file.read_text() == secret_key
    assert keys_file.read_text() == field_keys
    assert first.stdout == second.stdout == f"{secret_key.strip()}\n{field_keys.strip()}\n"
    assert len(secret_key.strip()) >= 50
    Fernet(field_keys.strip().encode())  # a usable key, or this raises
    for path in (secret_file, keys_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path.name} is readable by others"


def test_explicit_secrets_win_over_the_data_dir(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("from-the-file\n")
    key = Fernet.generate_key().decode()

    result = run_python(
        PRINT_SECRETS,
        data_dir=tmp_path,
        UPWARD_SECRET_KEY="from-the-environment",
        UPWARD_FIELD_KEYS=key,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"from-the-environment\n{key}\n"
    assert not (tmp_path / "field_keys").exists()


# --- SQLite -----------------------------------------------------------------


@pytest.fixture
def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip(f"SQLite tuning does not apply: this run uses {connection.vendor}")


PRINT_DATABASE = (
    "from django.db import connection as c; cur = c.cursor(); "
    "cur.execute('PRAGMA journal_mode'); mode = cur.fetchone()[0]; "
    "cur.execute('PRAGMA busy_timeout'); timeout = cur.fetchone()[0]; "
    "print(c.vendor, c.settings_dict['NAME'], mode, timeout, c.transaction_mode)"
)


def test_default_database_is_sqlite_in_the_data_dir_in_wal_mode(tmp_path: Path) -> None:
    result = run_python(PRINT_DATABASE, data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    vendor, name, mode, timeout, transaction_mode = result.stdout.split()
    assert vendor == "sqlite"
    assert Path(name) == tmp_path.resolve() / "upward.sqlite3"
    assert Path(name).exists()
    assert mode == "wal"
    assert int(timeout) >= 5000
    assert transaction_mode == "IMMEDIATE"


@pytest.mark.usefixtures("sqlite_only")
@pytest.mark.django_db
def test_sqlite_file_database_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    # The test database lives in memory, where WAL cannot apply; open a file
    # database with exactly the configured connection settings instead.
    probe = SQLiteWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "probe.sqlite3")}, alias="probe"
    )
    try:
        with probe.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    finally:
        probe.close()


@pytest.mark.usefixtures("sqlite_only")
@pytest.mark.django_db(transaction=True)
def test_sqlite_transactions_take_the_write_lock_at_begin() -> None:
    assert connection.transaction_mode == "IMMEDIATE"

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        User.objects.exists()

    assert queries.captured_queries[0]["sql"] == "BEGIN IMMEDIATE"


# --- Command line -----------------------------------------------------------


def test_import_people_is_reachable_with_a_hyphen(tmp_path: Path) -> None:
    result = run_upward("import-people", "--help", data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "--dry-run" in result.stdout


def test_console_script_runs_management_commands(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("upward")
    if not script.exists():
        pytest.skip("the `upward` console script is not installed next to this Python")
    environ = {k: v for k, v in os.environ.items() if k not in UPWARD_ENV}
    environ["UPWARD_DATA_DIR"] = str(tmp_path)

    result = subprocess.run(
        [str(script), "create-token", "--help"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "email" in result.stdout
