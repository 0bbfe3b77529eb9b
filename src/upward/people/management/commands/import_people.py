"""`upward import-people FILE.csv [--dry-run] [--deactivate-missing]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from upward.core.progress import terminal_progress
from upward.core.tabular import TableError
from upward.people.services import people_import


class Command(BaseCommand):
    help = (
        "Upsert people from an HRIS CSV by employee id, all or nothing. Columns: employee_id, "
        "full_name, email, title, level, department, manager_employee_id, location, timezone, "
        "hire_date, optional birth_year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file (UTF-8, comma or semicolon)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="mark people who are not in the file inactive (nobody is ever deleted)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from exc
        try:
            result = people_import(
                source=data,
                dry_run=options["dry_run"],
                deactivate_missing=options["deactivate_missing"],
                progress=terminal_progress,
            )
        except TableError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            noun = "problem" if len(exc.problems) == 1 else "problems"
            raise CommandError(
                f"{path}: {len(exc.problems)} {noun}; nothing was imported", returncode=1
            ) from exc
        self.stdout.write(result.summary())
