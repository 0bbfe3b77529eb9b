"""`upward match-csv`: the matching engine on CSV files (see `upward.matching.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from upward.matching.cli import MatchCsvOptions, run, terminal_progress
from upward.matching.model import MatchRules

DEFAULT_GAP = MatchRules.min_gap


class Command(BaseCommand):
    help = (
        "Pair mentees with mentors from CSV files: most mentees matched, then the highest "
        "total fit, every pair explained. Bad input is listed as 'line N, column C: message' "
        "with exit code 1 and nothing written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--mentors", type=Path, help="mentors.csv (or capacities with --scores)"
        )
        parser.add_argument("--mentees", type=Path, help="mentees.csv")
        parser.add_argument(
            "--people", type=Path, help="HRIS people file, for reporting chains across the company"
        )
        parser.add_argument(
            "--scores", type=Path, help="scores.csv (mentor_id, mentee_id, score): your own scores"
        )
        parser.add_argument(
            "--capacity", type=int, help="with --scores and no --mentors: mentees per mentor"
        )
        parser.add_argument("--out", type=Path, required=True, help="pairs.csv to write")
        parser.add_argument("--report", type=Path, help="report.json to write")
        parser.add_argument(
            "--min-gap",
            type=int,
            default=MatchRules.min_gap,
            help=f"mentee level − mentor level must be at least this (default {DEFAULT_GAP})",
        )
        parser.add_argument(
            "--min-fit", type=float, default=MatchRules.min_fit, help="lowest allowed fit, 0–1"
        )
        parser.add_argument(
            "--lock", action="append", default=[], metavar="MENTOR:MENTEE", help="force a pair"
        )
        parser.add_argument(
            "--block", action="append", default=[], metavar="MENTOR:MENTEE", help="forbid a pair"
        )
        parser.add_argument(
            "--stable",
            action="store_true",
            help="a stable matching (no two people who both prefer each other) instead of the "
            "optimum; reports the fit it gives up",
        )

        parser.add_argument(
            "--tolerance",
            type=float,
            default=0.0,
            help="stop once the total fit is proven within this share of the optimum "
            "(default 0: exactly optimal)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = run(
            MatchCsvOptions(
                out=options["out"],
                mentors=options["mentors"],
                mentees=options["mentees"],
                people=options["people"],
                scores=options["scores"],
                capacity=options["capacity"],
                report=options["report"],
                min_gap=options["min_gap"],
                min_fit=options["min_fit"],
                locks=options["lock"],
                blocks=options["block"],
                stable=options["stable"],
                tolerance=options["tolerance"],
            ),
            stdout=self.stdout,  # type: ignore[arg-type]
            stderr=self.stderr,  # type: ignore[arg-type]
            progress=terminal_progress(sys.stderr),
        )
        if code:
            raise CommandError("the input has problems; no output was written", returncode=code)
