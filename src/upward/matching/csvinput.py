"""The matching command line's input files, checked field by field.

Every problem is collected (not just the first) and located as
`line N, column C: message` so a coordinator can fix a spreadsheet in one go.
Parsing uses the shared reader `upward.core.tabular`; this module knows what a
valid value is for matching: ids, levels, IANA time zones, capacities and topic
lists (`slug:weight;slug:weight` with weights 1–3, or `slug;slug`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import available_timezones

from upward.core.tabular import Problem, Row, TableError, read_table
from upward.matching.model import (
    DEFAULT_TOPIC_WEIGHT,
    MAX_TOPIC_WEIGHT,
    MIN_TOPIC_WEIGHT,
    Mentee,
    Mentor,
)
from upward.people.chain import EMPLOYEE_ID_PATTERN, find_cycles

MENTOR_REQUIRED = ("employee_id", "level", "timezone", "expertise")
MENTOR_OPTIONAL = ("department", "manager_employee_id", "wants_to_learn", "capacity")
MENTEE_REQUIRED = ("employee_id", "level", "timezone", "interests")
MENTEE_OPTIONAL = ("department", "manager_employee_id", "offers", "goal")
SCORES_REQUIRED = ("mentor_id", "mentee_id", "score")
PEOPLE_REQUIRED = ("employee_id", "manager_employee_id")
TOPIC_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
MAX_LEVEL = 99
MAX_CAPACITY = 1000
MAX_GOAL = 2000


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    """IANA zone names (cached: the lookup walks the tz database)."""
    return frozenset(available_timezones()) | {"UTC"}


def parse_topics(text: str) -> tuple[dict[str, int], str | None]:
    """`generative-ai:3;short-video` → ({'generative-ai': 3, 'short-video': 2}, None).

    Returns (topics, problem); slugs are lower-cased, a topic without a weight
    gets the middle weight, and an empty list is allowed.
    """
    topics: dict[str, int] = {}
    for raw in text.split(";"):
        item = raw.strip()
        if not item:
            continue
        slug, sep, weight_text = item.partition(":")
        slug = slug.strip().lower()
        if not TOPIC_PATTERN.match(slug):
            return {}, (
                f"'{item}' is not a topic: use lower-case slugs like generative-ai, "
                "separated by ';', each optionally followed by ':1', ':2' or ':3'"
            )
        weight = DEFAULT_TOPIC_WEIGHT
        if sep:
            weight_text = weight_text.strip()
            if not weight_text.isdigit() or not (
                MIN_TOPIC_WEIGHT <= int(weight_text) <= MAX_TOPIC_WEIGHT
            ):
                return {}, (
                    f"'{item}': the weight after ':' must be "
                    f"{MIN_TOPIC_WEIGHT}, 2 or {MAX_TOPIC_WEIGHT}"
                )
            weight = int(weight_text)
        if slug in topics:
            return {}, f"topic '{slug}' is listed twice"
        topics[slug] = weight
    return topics, None


@dataclass
class Located:
    """Where each person's row is, to turn engine issues back into file positions."""

    lines: dict[str, int] = field(default_factory=dict)

    def line(self, person_id: str) -> int | None:
        return self.lines.get(person_id)


class _Checker:
    """Collects problems for one file's rows."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, line: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(line, column, message))

    def employee_id(self, row: Row, column: str) -> str | None:
        value = row[column]
        if not value:
            self.bad(row.line, column, "a value is required")
            return None
        if not EMPLOYEE_ID_PATTERN.match(value):
            self.bad(
                row.line,
                column,
                f"'{value}' may contain only letters, digits, '.', '_' and '-' "
                "(at most 64 characters)",
            )
            return None
        return value

    def integer(
        self, row: Row, column: str, low: int, high: int, default: int | None
    ) -> int | None:
        value = row[column]
        if not value:
            if default is None:
                self.bad(row.line, column, "a value is required")
            return default
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            self.bad(row.line, column, f"'{value}' is not a whole number from {low} to {high}")
            return None
        return number

    def timezone(self, row: Row) -> str | None:
        value = row["timezone"]
        if not value:
            self.bad(row.line, "timezone", "a value is required")
            return None
        if value not in known_timezones():
            self.bad(
                row.line, "timezone", f"'{value}' is not a known IANA time zone (e.g. Europe/Paris)"
            )
            return None
        return value

    def topics(self, row: Row, column: str) -> dict[str, int] | None:
        topics, problem = parse_topics(row[column])
        if problem:
            self.bad(row.line, column, problem)
            return None
        return topics

    def unique(self, rows: list[tuple[int, str]], column: str, what: str) -> None:
        first: dict[str, int] = {}
        for line, key in rows:
            if key in first:
                self.bad(line, column, f"duplicate {what} '{key}' (first on line {first[key]})")
            else:
                first[key] = line


def read_mentors(source: bytes | str | Path) -> tuple[list[Mentor], Located]:
    """mentors.csv → Mentor records; raises `TableError` with every problem."""
    table = read_table(source, required=MENTOR_REQUIRED, optional=MENTOR_OPTIONAL)
    check = _Checker()
    mentors: list[Mentor] = []
    located = Located()
    seen: list[tuple[int, str]] = []
    for row in table:
        ok = len(check.problems)
        pid = check.employee_id(row, "employee_id")
        manager = row["manager_employee_id"] or None
        if manager and not EMPLOYEE_ID_PATTERN.match(manager):
            check.bad(row.line, "manager_employee_id", f"'{manager}' is not a valid employee id")
        level = check.integer(row, "level", 0, MAX_LEVEL, None)
        zone = check.timezone(row)
        expertise = check.topics(row, "expertise")
        wants = check.topics(row, "wants_to_learn")
        capacity = check.integer(row, "capacity", 0, MAX_CAPACITY, 1)
        if pid:
            seen.append((row.line, pid))
        if len(check.problems) > ok or pid is None:
            continue
        assert level is not None and zone is not None and expertise is not None
        assert wants is not None and capacity is not None
        located.lines.setdefault(pid, row.line)
        mentors.append(
            Mentor(
                id=pid,
                level=level,
                department=row["department"],
                timezone=zone,
                manager_id=manager,
                expertise=expertise,
                wants_to_learn=wants,
                capacity=capacity,
            )
        )
    check.unique(seen, "employee_id", "employee id")
    if check.problems:
        raise TableError(check.problems)
    return mentors, located


def read_mentees(source: bytes | str | Path) -> tuple[list[Mentee], Located]:
    """mentees.csv → Mentee records; raises `TableError` with every problem."""
    table = read_table(source, required=MENTEE_REQUIRED, optional=MENTEE_OPTIONAL)
    check = _Checker()
    mentees: list[Mentee] = []
    located = Located()
    seen: list[tuple[int, str]] = []
    for row in table:
        ok = len(check.problems)
        pid = check.employee_id(row, "employee_id")
        manager = row["manager_employee_id"] or None
        if manager and not EMPLOYEE_ID_PATTERN.match(manager):
            check.bad(row.line, "manager_employee_id", f"'{manager}' is not a valid employee id")
        level = check.integer(row, "level", 0, MAX_LEVEL, None)
        zone = check.timezone(row)
        interests = check.topics(row, "interests")
        offers = check.topics(row, "offers")
        if len(row["goal"]) > MAX_GOAL:
            check.bad(row.line, "goal", f"is longer than {MAX_GOAL} characters")
        if pid:
            seen.append((row.line, pid))
        if len(check.problems) > ok or pid is None:
            continue
        assert level is not None and zone is not None
        assert interests is not None and offers is not None
        located.lines.setdefault(pid, row.line)
        mentees.append(
            Mentee(
                id=pid,
                level=level,
                department=row["department"],
                timezone=zone,
                manager_id=manager,
                interests=interests,
                offers=offers,
                goal=row["goal"],
            )
        )
    check.unique(seen, "employee_id", "employee id")
    if check.problems:
        raise TableError(check.problems)
    return mentees, located


def read_people(source: bytes | str | Path) -> dict[str, str | None]:
    """The HRIS people file, reduced to who reports to whom (other columns are ignored)."""
    table = read_table(source, required=PEOPLE_REQUIRED, allow_unknown=True)
    check = _Checker()
    managers: dict[str, str | None] = {}
    seen: list[tuple[int, str]] = []
    line_of: dict[str, int] = {}
    for row in table:
        pid = check.employee_id(row, "employee_id")
        manager = row["manager_employee_id"] or None
        if manager and not EMPLOYEE_ID_PATTERN.match(manager):
            check.bad(row.line, "manager_employee_id", f"'{manager}' is not a valid employee id")
            manager = None
        if pid is None:
            continue
        seen.append((row.line, pid))
        if manager == pid:
            check.bad(row.line, "manager_employee_id", "a person cannot be their own manager")
            manager = None
        if pid not in managers:
            managers[pid] = manager
            line_of[pid] = row.line
    check.unique(seen, "employee_id", "employee id")
    for cycle in find_cycles(managers):
        path = " → ".join([*cycle, cycle[0]])
        check.bad(line_of[cycle[0]], "manager_employee_id", f"reporting cycle: {path}")
    if check.problems:
        raise TableError(check.problems)
    return managers


@dataclass(frozen=True)
class Score:
    """One allowed pair from scores.csv."""

    line: int
    mentor_id: str
    mentee_id: str
    score: float


def read_scores(source: bytes | str | Path) -> list[Score]:
    """scores.csv (`mentor_id, mentee_id, score`); a pair without a row is not allowed."""
    table = read_table(source, required=SCORES_REQUIRED)
    check = _Checker()
    scores: list[Score] = []
    seen: list[tuple[int, str]] = []
    for row in table:
        ok = len(check.problems)
        mentor = check.employee_id(row, "mentor_id")
        mentee = check.employee_id(row, "mentee_id")
        text = row["score"]
        value: float | None = None
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or abs(value) > 1e9:
            check.bad(row.line, "score", f"'{text}' is not a number")
        if len(check.problems) > ok:
            continue
        assert mentor is not None and mentee is not None and value is not None
        seen.append((row.line, f"{mentor}:{mentee}"))
        scores.append(Score(row.line, mentor, mentee, value))
    check.unique(seen, "mentee_id", "pair")
    if check.problems:
        raise TableError(check.problems)
    return scores


def read_capacities(source: bytes | str | Path) -> tuple[dict[str, int], Located]:
    """Mentor capacities from a mentors file (any other columns are ignored)."""
    table = read_table(
        source, required=("employee_id",), optional=("capacity",), allow_unknown=True
    )
    check = _Checker()
    capacity: dict[str, int] = {}
    located = Located()
    seen: list[tuple[int, str]] = []
    for row in table:
        pid = check.employee_id(row, "employee_id")
        cap = check.integer(row, "capacity", 0, MAX_CAPACITY, 1)
        if pid is None:
            continue
        seen.append((row.line, pid))
        if cap is not None and pid not in capacity:
            capacity[pid] = cap
            located.lines[pid] = row.line
    check.unique(seen, "employee_id", "employee id")
    if check.problems:
        raise TableError(check.problems)
    return capacity, located


def parse_pair(text: str) -> tuple[str, str] | None:
    """`MENTOR:MENTEE` from --lock/--block, or None when malformed."""
    mentor, sep, mentee = text.partition(":")
    mentor, mentee = mentor.strip(), mentee.strip()
    if not sep or not EMPLOYEE_ID_PATTERN.match(mentor) or not EMPLOYEE_ID_PATTERN.match(mentee):
        return None
    return mentor, mentee
