"""The HRIS people file: its columns and the field-level rules for each row.

This module turns a parsed table into typed records and line-located problems;
it knows nothing of the database. Checks that need the directory (e-mail taken
by someone else, unknown manager, cycles through existing people) live in
`people.services.people_import`, which also does the writing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from upward.core.tabular import Problem, Row, Table
from upward.people.chain import EMPLOYEE_ID_PATTERN

COLUMNS = (
    "employee_id",
    "full_name",
    "email",
    "title",
    "level",
    "department",
    "manager_employee_id",
    "location",
    "timezone",
    "hire_date",
)
OPTIONAL_COLUMNS = ("birth_year",)
#: Columns that must hold a value on every row (the others may be blank).
REQUIRED_VALUES = frozenset(
    {"employee_id", "full_name", "email", "level", "department", "timezone", "hire_date"}
)
MAX_LENGTHS = {"full_name": 200, "email": 254, "title": 200, "department": 200, "location": 200}
MAX_LEVEL = 99
EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class PersonRecord:
    """One valid row of the people file, typed and normalised."""

    line: int
    employee_id: str
    full_name: str
    email: str
    title: str
    level: int
    department: str
    manager_employee_id: str | None
    location: str
    timezone: str
    hire_date: dt.date
    birth_year: int | None


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def _parse_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def parse_person(line: int, values: dict[str, str], problems: list[Problem]) -> PersonRecord | None:
    """Check one row; append its problems and return the record only if it has none."""
    found: list[Problem] = []

    def bad(column: str, message: str) -> None:
        found.append(Problem(line, column, message))

    for column in REQUIRED_VALUES:
        if not values.get(column):
            bad(column, "a value is required")
    for column, limit in MAX_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            bad(column, f"is longer than {limit} characters")

    employee_id = values.get("employee_id", "")
    if employee_id and not EMPLOYEE_ID_PATTERN.match(employee_id):
        bad(
            "employee_id",
            f"'{employee_id}' may contain only letters, digits, '.', '_' and '-' "
            "(at most 64 characters)",
        )
    manager = values.get("manager_employee_id", "") or None
    if manager and not EMPLOYEE_ID_PATTERN.match(manager):
        bad("manager_employee_id", f"'{manager}' is not a valid employee id")
    elif manager and manager == employee_id:
        bad("manager_employee_id", "a person cannot be their own manager")

    email = values.get("email", "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad("email", f"'{values['email']}' is not a valid e-mail address")

    level = _parse_int(values.get("level", ""))
    if values.get("level") and (level is None or not 1 <= level <= MAX_LEVEL):
        bad("level", f"'{values['level']}' is not a whole number from 1 to {MAX_LEVEL}")

    timezone = values.get("timezone", "")
    if timezone and timezone not in known_timezones():
        bad("timezone", f"'{timezone}' is not a known IANA time zone (e.g. Europe/Paris)")

    hire_date: dt.date | None = None
    if values.get("hire_date"):
        try:
            hire_date = dt.date.fromisoformat(values["hire_date"])
        except ValueError:
            bad("hire_date", f"'{values['hire_date']}' is not a valid date (use YYYY-MM-DD)")

    birth_year: int | None = None
    if values.get("birth_year"):
        birth_year = _parse_int(values["birth_year"])
        this_year = dt.date.today().year  # noqa: DTZ011 - a calendar year, the zone is irrelevant
        if birth_year is None or not EARLIEST_BIRTH_YEAR <= birth_year <= this_year:
            bad(
                "birth_year",
                f"'{values['birth_year']}' is not a year from {EARLIEST_BIRTH_YEAR} to {this_year}",
            )

    if found:
        problems.extend(found)
        return None
    assert level is not None and hire_date is not None
    return PersonRecord(
        line=line,
        employee_id=employee_id,
        full_name=values["full_name"],
        email=email,
        title=values.get("title", ""),
        level=level,
        department=values["department"],
        manager_employee_id=manager,
        location=values.get("location", ""),
        timezone=timezone,
        hire_date=hire_date,
        birth_year=birth_year,
    )


def parse_people(
    table: Table, progress: Callable[..., Iterable[Row]] | None = None
) -> tuple[list[PersonRecord], list[Problem]]:
    """Field checks for every row plus duplicates within the file.

    `progress` wraps the row loop (the slow part of an import) to show a bar.
    """
    problems: list[Problem] = []
    records: list[PersonRecord] = []
    first_line_of_id: dict[str, int] = {}
    first_line_of_email: dict[str, int] = {}
    rows = progress(table.rows, desc="checking", unit="row") if progress else table.rows
    for row in rows:
        record = parse_person(row.line, row.values, problems)
        employee_id, email = row["employee_id"], row["email"].lower()
        duplicate = False
        if employee_id:
            if employee_id in first_line_of_id:
                problems.append(
                    Problem(
                        row.line,
                        "employee_id",
                        f"employee id '{employee_id}' already appears on line "
                        f"{first_line_of_id[employee_id]}",
                    )
                )
                duplicate = True
            else:
                first_line_of_id[employee_id] = row.line
        if email:
            if email in first_line_of_email:
                problems.append(
                    Problem(
                        row.line,
                        "email",
                        f"e-mail '{email}' already appears on line {first_line_of_email[email]}",
                    )
                )
                duplicate = True
            else:
                first_line_of_email[email] = row.line
        if record is not None and not duplicate:
            records.append(record)
    return records, problems


def person_row(record: PersonRecord) -> list[str]:
    """A record as the CSV cells of the export, in `COLUMNS + OPTIONAL_COLUMNS` order."""
    return [
        record.employee_id,
        record.full_name,
        record.email,
        record.title,
        str(record.level),
        record.department,
        record.manager_employee_id or "",
        record.location,
        record.timezone,
        record.hire_date.isoformat(),
        "" if record.birth_year is None else str(record.birth_year),
    ]
