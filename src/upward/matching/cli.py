"""`upward match-csv`: the engine on files, for coordinators with two CSV exports.

    upward match-csv --mentors mentors.csv --mentees mentees.csv [--people people.csv]
        --out pairs.csv [--report report.json] [--min-gap N] [--min-fit X]
        [--lock MENTOR:MENTEE]... [--block MENTOR:MENTEE]... [--stable]
    upward match-csv --scores scores.csv [--mentors mentors.csv | --capacity N] --out pairs.csv

Pure Python (no Django): the management command only parses arguments and
calls `run`. Bad input is reported in full as `line N, column C: message`,
the exit code is 1, and no output file is written — a half-written pairs file
is worse than none. Outputs are written to a temporary file and renamed.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from upward.core.tabular import Problem, TableError
from upward.matching import csvinput
from upward.matching.engine import ProgressFactory, match
from upward.matching.model import (
    InputIssue,
    MatchInputError,
    MatchResult,
    MatchRules,
    SolverOptions,
)
from upward.matching.scores import match_scores

EXIT_OK = 0
EXIT_BAD_INPUT = 1
PAIRS_COLUMNS = ("mentor_id", "mentee_id", "fit", "reasons")


@dataclass
class MatchCsvOptions:
    """The command line's arguments."""

    out: Path
    mentors: Path | None = None
    mentees: Path | None = None
    people: Path | None = None
    scores: Path | None = None
    capacity: int | None = None
    report: Path | None = None
    min_gap: int = MatchRules.min_gap
    min_fit: float = MatchRules.min_fit
    locks: Sequence[str] = field(default_factory=list)
    blocks: Sequence[str] = field(default_factory=list)
    stable: bool = False
    candidates: int = SolverOptions.candidates
    tolerance: float = SolverOptions.tolerance


class _Failed(Exception):
    """Input problems were printed; stop with exit code 1."""


class _Run:
    def __init__(self, stdout: TextIO, stderr: TextIO) -> None:
        self.stdout = stdout
        self.stderr = stderr

    def fail(self, source: str, problems: Sequence[Problem | str]) -> None:
        self.stderr.write(f"{source}: {len(problems)} problem{'s' if len(problems) != 1 else ''}\n")
        for problem in problems:
            self.stderr.write(f"{problem}\n")

    def read(self, path: Path, reader: Callable[[bytes], Any]) -> Any:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.fail(str(path), [f"cannot read the file: {exc.strerror}"])
            raise _Failed from exc
        try:
            return reader(data)
        except TableError as exc:
            self.fail(str(path), exc.problems)
            raise _Failed from exc


def _pairs_argument(values: Sequence[str], flag: str, run: _Run) -> list[tuple[str, str]]:
    pairs = []
    bad = []
    for text in values:
        pair = csvinput.parse_pair(text)
        if pair is None:
            bad.append(f"{flag} {text!r}: expected MENTOR_ID:MENTEE_ID")
        else:
            pairs.append(pair)
    if bad:
        run.fail(flag, bad)
        raise _Failed
    return pairs


def _locate(
    issues: Sequence[InputIssue],
    files: dict[str, tuple[str, csvinput.Located]],
) -> dict[str, list[Problem | str]]:
    """Engine issues back to `line N, column C` in the file that holds the person."""
    out: dict[str, list[Problem | str]] = {}
    for issue in issues:
        where = files.get(issue.role or "")
        line = where[1].line(issue.person_id) if (where and issue.person_id) else None
        if where and line is not None:
            out.setdefault(where[0], []).append(Problem(line, issue.column, issue.message))
        else:
            out.setdefault("input", []).append(str(issue))
    for problems in out.values():
        problems.sort(key=lambda p: (p.line, p.column or "") if isinstance(p, Problem) else (0, ""))
    return out


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pairs_csv(result: MatchResult) -> str:
    """pairs.csv text: mentor_id, mentee_id, fit, reasons."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PAIRS_COLUMNS)
    for pair in result.pairs:
        writer.writerow([pair.mentor_id, pair.mentee_id, f"{pair.fit:.6f}", pair.reasons])
    return out.getvalue()


def report_json(result: MatchResult, options: MatchCsvOptions) -> str:
    """report.json text: the figures, every unmatched person with the reason, the inputs."""
    data: dict[str, Any] = dataclasses.asdict(result.report)
    data["unmatched"] = [dataclasses.asdict(u) for u in result.unmatched]
    data["inputs"] = {
        "mentors": str(options.mentors) if options.mentors else None,
        "mentees": str(options.mentees) if options.mentees else None,
        "people": str(options.people) if options.people else None,
        "scores": str(options.scores) if options.scores else None,
        "min_gap": options.min_gap,
        "min_fit": options.min_fit,
        "locks": list(options.locks),
        "blocks": list(options.blocks),
        "stable": options.stable,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def summary(result: MatchResult) -> str:
    """A few lines for the terminal."""
    r = result.report
    lines = [
        f"matched {r.matched:,} of {r.mentees:,} mentees with {r.mentors:,} mentors "
        f"(capacity {r.capacity:,}); {r.locked:,} locked",
        f"total fit {r.total_fit:,.6f}"
        + (f", mean {r.mean_fit:.4f}, minimum {r.min_fit:.4f}" if r.mean_fit is not None else ""),
        f"unmatched: {r.unmatched_mentees:,} mentees, {r.unmatched_mentors:,} mentors",
    ]
    if r.blocking_pairs is not None:
        lines.append(f"blocking pairs: {r.blocking_pairs:,}")
    if r.certificate is not None:
        c = r.certificate
        state = "proven optimal" if c.gap <= 0 else f"within {c.relative_gap:.6%} of optimal"
        lines.append(f"optimality: {state} (upper bound {c.upper_bound_fit:,.6f})")
    if r.fit_given_up is not None:
        lines.append(
            f"stable matching: gives up {r.fit_given_up:,.6f} fit against the optimum "
            f"({r.optimum_total_fit:,.6f}, {r.optimum_matched:,} matched)"
        )
    return "\n".join(lines) + "\n"


def terminal_progress(stream: TextIO) -> ProgressFactory | None:
    """tqdm bars on `stream`, only when it is a terminal (never in logs or pipes)."""
    if not stream.isatty():
        return None
    from tqdm import tqdm

    def factory(stage: str, total: int) -> Callable[[int], None]:
        bar = tqdm(total=total, desc=stage, file=stream, unit=" people", leave=False)

        def advance(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return advance

    return factory


def run(
    options: MatchCsvOptions,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    progress: ProgressFactory | None = None,
) -> int:
    """Match from files and write the outputs; returns the exit code (0, or 1 on bad input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    session = _Run(out, err)
    try:
        result = _match(options, session, progress)
    except _Failed:
        err.write("nothing was written\n")
        return EXIT_BAD_INPUT
    _atomic_write(options.out, pairs_csv(result))
    if options.report:
        _atomic_write(options.report, report_json(result, options))
    out.write(summary(result))
    return EXIT_OK


def _match(
    options: MatchCsvOptions, session: _Run, progress: ProgressFactory | None
) -> MatchResult:
    usage = []
    if options.scores is None and (options.mentors is None or options.mentees is None):
        usage.append("give --mentors and --mentees (or --scores)")
    if options.scores is not None and options.mentees is not None:
        usage.append("--scores takes capacities from --mentors or --capacity, not --mentees")
    if options.scores is not None and options.mentors is not None and options.capacity is not None:
        usage.append("give either --mentors or --capacity with --scores, not both")
    if options.capacity is not None and options.capacity < 0:
        usage.append("--capacity must be at least 0")
    if not 0 <= options.min_fit <= 1 and options.scores is None:
        usage.append("--min-fit must lie between 0 and 1")
    if usage:
        session.fail("arguments", usage)
        raise _Failed
    locks = _pairs_argument(options.locks, "--lock", session)
    blocks = _pairs_argument(options.blocks, "--block", session)
    if options.scores is not None:
        return _match_scores(options, session, locks, blocks)
    assert options.mentors is not None and options.mentees is not None
    failed = False
    mentors = mentees = people = None
    for name in ("mentors", "mentees", "people"):
        path = getattr(options, name)
        if path is None:
            continue
        reader = {
            "mentors": csvinput.read_mentors,
            "mentees": csvinput.read_mentees,
            "people": csvinput.read_people,
        }[name]
        try:
            value = session.read(path, reader)
        except _Failed:
            failed = True
            continue
        if name == "mentors":
            mentors = value
        elif name == "mentees":
            mentees = value
        else:
            people = value
    if failed or mentors is None or mentees is None:
        raise _Failed
    mentor_list, mentor_lines = mentors
    mentee_list, mentee_lines = mentees
    try:
        return match(
            mentor_list,
            mentee_list,
            rules=MatchRules(
                min_gap=options.min_gap,
                min_fit=options.min_fit,
                locks=tuple(locks),
                blocks=frozenset(blocks),
            ),
            people=people,
            stable=options.stable,
            options=SolverOptions(candidates=options.candidates, tolerance=options.tolerance),
            progress=progress,
        )
    except MatchInputError as exc:
        located = _locate(
            exc.issues,
            {
                "mentor": (str(options.mentors), mentor_lines),
                "mentee": (str(options.mentees), mentee_lines),
            },
        )
        for source, problems in located.items():
            session.fail(source, problems)
        raise _Failed from exc


def _match_scores(
    options: MatchCsvOptions,
    session: _Run,
    locks: list[tuple[str, str]],
    blocks: list[tuple[str, str]],
) -> MatchResult:
    assert options.scores is not None
    failed = False
    try:
        scores: list[csvinput.Score] = session.read(options.scores, csvinput.read_scores)
    except _Failed:
        failed = True
        scores = []
    capacities: dict[str, int] = {}
    mentor_lines = csvinput.Located()
    if options.mentors is not None:
        try:
            capacities, mentor_lines = session.read(options.mentors, csvinput.read_capacities)
        except _Failed:
            failed = True
    if failed:
        raise _Failed
    score_lines = csvinput.Located()
    for score in scores:
        score_lines.lines.setdefault(score.mentee_id, score.line)
    if options.mentors is None:
        each = 1 if options.capacity is None else options.capacity
        capacities = {s.mentor_id: each for s in scores}
    else:
        unknown = [
            Problem(s.line, "mentor_id", f"mentor '{s.mentor_id}' is not in {options.mentors}")
            for s in scores
            if s.mentor_id not in capacities
        ]
        if unknown:
            session.fail(str(options.scores), unknown)
            raise _Failed
    try:
        return match_scores(
            [(s.mentor_id, s.mentee_id, s.score) for s in scores],
            capacities,
            locks=locks,
            blocks=frozenset(blocks),
            min_score=options.min_fit if options.min_fit > 0 else None,
            stable=options.stable,
        )
    except MatchInputError as exc:
        located = _locate(
            exc.issues,
            {
                "mentor": (str(options.mentors or options.scores), mentor_lines),
                "mentee": (str(options.scores), score_lines),
            },
        )
        for source, problems in located.items():
            session.fail(source, problems)
        raise _Failed from exc
