"""Reading the CSV files people bring: HRIS exports, matching inputs, score sheets.

Pure Python (no Django) so the matching engine's command line can share it.
Every problem is reported with the line a person sees in a spreadsheet or
editor (the header is line 1) and the column name, because a coordinator fixes
a file faster from "line 14, column email" than from a stack trace.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Delimiters we recognise, in order of preference when the header is ambiguous.
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located for a person to fix."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"line {self.line}, column {self.column}: {self.message}"
        return f"line {self.line}: {self.message}"


class TableError(Exception):
    """A file could not be accepted; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Row:
    """One data record with the file line where it starts."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Table:
    """A parsed file: normalised column names and the data rows."""

    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    delimiter: str = ","

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def normalise_header(name: str) -> str:
    """`" Hire Date "` → `"hire_date"`: headers are matched case- and spacing-insensitively."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def detect_delimiter(header_line: str) -> str:
    """Pick the delimiter that splits the header most; HR tools export both `,` and `;`."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def decode(data: bytes) -> str:
    """Decode UTF-8 with or without a byte-order mark, naming the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TableError(
            [Problem(line, None, "the file is not UTF-8 text (save it as 'CSV UTF-8')")]
        ) from exc


def read_table(
    source: bytes | str | Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    allow_unknown: bool = False,
) -> Table:
    """Parse CSV text into rows keyed by normalised column name.

    `source` is raw bytes, already-decoded text, or a path. Raises `TableError`
    with every structural problem (missing or unknown columns, ragged rows);
    field-level checks are the caller's job because only the caller knows what
    a valid value is.
    """
    if isinstance(source, Path):
        source = source.read_bytes()
    text = decode(source) if isinstance(source, bytes) else source.removeprefix("\ufeff")
    if not text.strip():
        raise TableError([Problem(1, None, "the file is empty; expected a header row")])

    first_line = text.split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise TableError([Problem(1, None, f"cannot read the header: {exc}")]) from exc

    problems: list[Problem] = []
    columns = [normalise_header(h) for h in header]
    known = set(required) | set(optional)
    seen: set[str] = set()
    for name in columns:
        if not name:
            problems.append(Problem(1, None, "a column has an empty name"))
        elif name in seen:
            problems.append(Problem(1, name, "the column appears twice"))
        elif not allow_unknown and name not in known:
            expected = ", ".join([*required, *optional])
            problems.append(Problem(1, name, f"unknown column (expected: {expected})"))
        seen.add(name)
    problems.extend(
        Problem(1, name, "required column is missing") for name in required if name not in seen
    )
    if problems:
        raise TableError(problems)

    table = Table(columns=columns, delimiter=delimiter)
    previous_end = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(reader.line_num, None, f"cannot read this line: {exc}"))
            break
        start, previous_end = previous_end + 1, reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) != len(columns):
            problems.append(
                Problem(
                    start,
                    None,
                    f"this row has {len(record)} fields but the header has {len(columns)}",
                )
            )
            continue
        table.rows.append(Row(start, {c: v.strip() for c, v in zip(columns, record, strict=True)}))
    if problems:
        raise TableError(problems)
    return table
