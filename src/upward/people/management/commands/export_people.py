"""`upward export-people FILE.csv`: the directory in the import format."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser

from upward.people.services import people_export


class Command(BaseCommand):
    help = "Write every person to a CSV in the format import-people reads ('-' for stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="output CSV path, or - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] == "-":
            people_export(stream=cast(IO[str], self.stdout))
            return
        target = Path(options["file"])
        # Write beside the target and rename, so a failed export never leaves half a file.
        fd, temporary = tempfile.mkstemp(dir=target.parent or ".", suffix=".partial")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                count = people_export(stream=stream)
            Path(temporary).replace(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"exported {count} people to {target}")
