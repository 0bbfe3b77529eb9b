"""Benchmark: HRIS import of a generated organisation on SQLite and PostgreSQL.

    .venv/bin/python bench/import_people.py [--rows 100000] [--postgres URL | --no-postgres]

For each database, in a fresh child process (so peak memory is the import's
own), it generates the organisation, imports it into an empty database, imports
the same file again (everything unchanged), and imports it once more with 1 % of
people changed. As a baseline in the same process it imports a sample with the
obvious per-row `update_or_create` loop, and prints our speed-up over it.
Figures are printed, never asserted: this is not a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import tempfile
import time
from pathlib import Path

from _shared import ensure_postgres_database, run_child

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/upward_bench"
TARGET_ROWS_PER_SECOND = 10_000


def child(rows: int, baseline_rows: int) -> dict[str, float]:
    """Runs inside a subprocess whose DATABASE_URL points at an empty database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from upward.core.demo import demo_people_csv
    from upward.people.models import Department, Person
    from upward.people.services import people_import

    call_command("migrate", verbosity=0, interactive=False)
    text = demo_people_csv(people=rows, seed=11)
    figures: dict[str, float] = {"vendor": 0.0 if connection.vendor == "sqlite" else 1.0}

    def timed(label: str, source: str) -> None:
        start = time.perf_counter()
        result = people_import(source=source)
        seconds = time.perf_counter() - start
        figures[f"{label}_seconds"] = seconds
        figures[f"{label}_rows_per_second"] = rows / seconds
        figures[f"{label}_created"] = result.created
        figures[f"{label}_updated"] = result.updated
        figures[f"{label}_unchanged"] = result.unchanged

    timed("fresh", text)
    timed("again", text)
    lines = text.splitlines()
    changed = [
        line.replace("Specialist", "Senior Specialist", 1) if i % 100 == 1 else line
        for i, line in enumerate(lines)
    ]
    timed("changed", "\n".join(changed) + "\n")

    # Baseline: the per-row ORM loop most first versions of an importer look like.
    from upward.core.tabular import read_table
    from upward.people.hris import COLUMNS, OPTIONAL_COLUMNS, parse_people

    # Other ids and e-mails, so the baseline inserts rather than finds everyone unchanged.
    renamed = re.sub(r"\bE(\d+)", r"B\1", "\n".join(lines[: baseline_rows + 1]))
    sample = renamed.replace("@demo.", "@baseline.") + "\n"
    start = time.perf_counter()
    records, _ = parse_people(read_table(sample, required=COLUMNS, optional=OPTIONAL_COLUMNS))
    for record in records:
        department, _ = Department.objects.get_or_create(name=record.department)
        Person.objects.update_or_create(
            employee_id=record.employee_id,
            defaults={
                "full_name": record.full_name,
                "email": record.email,
                "title": record.title,
                "level": record.level,
                "department": department,
                "manager_id": record.manager_employee_id,
                "location": record.location,
                "timezone": record.timezone,
                "hire_date": record.hire_date,
                "birth_year": record.birth_year,
            },
        )
    figures["baseline_rows_per_second"] = len(records) / (time.perf_counter() - start)
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=3_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rows, args.baseline_rows)))
        return

    targets: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"))
        if not args.no_postgres and ensure_postgres_database(args.postgres):
            targets.append(("PostgreSQL", args.postgres))
        print(
            f"HRIS import of {args.rows:,} generated people "
            f"(baseline: per-row ORM on {args.baseline_rows:,})"
        )
        header = (
            f"{'database':<11} {'fresh rows/s':>13} {'fresh s':>8} {'again rows/s':>13} "
            f"{'1% changed rows/s':>18} {'baseline rows/s':>16} {'speed-up':>9} {'peak MiB':>9}"
        )
        print(header)
        print("-" * len(header))
        for label, url in targets:
            f = run_child(
                __file__, url, "--rows", str(args.rows), "--baseline-rows", str(args.baseline_rows)
            )
            assert f["fresh_created"] == args.rows and f["again_unchanged"] == args.rows
            print(
                f"{label:<11} {f['fresh_rows_per_second']:>13,.0f} {f['fresh_seconds']:>8.2f} "
                f"{f['again_rows_per_second']:>13,.0f} {f['changed_rows_per_second']:>18,.0f} "
                f"{f['baseline_rows_per_second']:>16,.0f} "
                f"{f['fresh_rows_per_second'] / f['baseline_rows_per_second']:>8.1f}x "
                f"{f['peak_rss_mib']:>9,.0f}"
            )
            print(
                f"{'':<11} (re-import: {f['again_unchanged']:,.0f} unchanged; "
                f"1% file: {f['changed_updated']:,.0f} updated)"
            )
        sqlite_ok = targets and targets[0][0] == "SQLite"
        if sqlite_ok:
            print(f"target: ≥ {TARGET_ROWS_PER_SECOND:,} rows/s on SQLite (fresh import)")
    if not args.no_postgres:
        ensure_postgres_database(args.postgres)  # leave an empty database, not 100k people


if __name__ == "__main__":
    main()
