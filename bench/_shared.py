"""What the database benchmarks share: a fresh PostgreSQL database and a child process.

Each run happens in a fresh child process so peak memory and caches are its own; the
child prints its figures as one JSON line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Any


def ensure_postgres_database(url: str) -> bool:
    """Create the bench database (dropped first, so every run starts empty)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL not reachable at {admin_url}: {exc}".strip())
        return False
    return True


def run_child(script: str, database_url: str, *args: str) -> dict[str, Any]:
    """Run `script --child ARGS` against `database_url` with its own data directory."""
    env = {**os.environ, "DATABASE_URL": database_url}
    with tempfile.TemporaryDirectory() as data_dir:
        env["UPWARD_DATA_DIR"] = data_dir
        completed = subprocess.run(
            [sys.executable, script, "--child", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise SystemExit(f"child failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
