"""Changes to the people directory: HRIS import and export, department tree."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from upward.core.errors import DomainError
from upward.core.tabular import Problem, TableError, read_table
from upward.people.chain import chain_paths, find_cycles
from upward.people.hris import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    PersonRecord,
    parse_people,
    person_row,
)
from upward.people.models import Department, Person

#: ORM lookups that read a person back in `PersonRecord` field order (without `line`).
_RECORD_LOOKUPS = (
    "employee_id", "full_name", "email", "title", "level", "department__name", "manager_id",
    "location", "timezone", "hire_date", "birth_year",
)  # fmt: skip
#: Record fields compared to decide "unchanged" (everything but the key).
_COMPARED_FIELDS = tuple(f.name for f in fields(PersonRecord))[2:]
_WRITE_BATCH = 2000
_IN_BATCH = 900  # stays under SQLite's bound-parameter limit on old builds too

T = TypeVar("T")
#: Wraps an iterable to show progress, e.g. `functools.partial(tqdm, disable=...)`.
Progress = Callable[..., Iterable[Any]]


def _no_progress(iterable: Iterable[T], **_: Any) -> Iterable[T]:
    return iterable


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    dry_run: bool = False
    created_ids: list[str] = field(default_factory=list, repr=False)
    updated_ids: list[str] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        text = (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, deactivated {self.deactivated}"
        )
        return f"{text} (dry run: nothing was written)" if self.dry_run else text


@dataclass(frozen=True)
class _Existing:
    pk: int
    values: tuple[Any, ...]
    is_active: bool
    chain_path: str

    @property
    def email(self) -> str:
        return str(self.values[_COMPARED_FIELDS.index("email")])

    @property
    def manager_id(self) -> str | None:
        return self.values[_COMPARED_FIELDS.index("manager_employee_id")]


def _existing_state() -> dict[str, _Existing]:
    rows = Person.objects.values_list(*_RECORD_LOOKUPS, "pk", "is_active", "chain_path").iterator(
        chunk_size=5000
    )
    return {
        row[0]: _Existing(
            pk=row[11], values=tuple(row[1:11]), is_active=row[12], chain_path=row[13]
        )
        for row in rows
    }


def _record_values(record: PersonRecord) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in _COMPARED_FIELDS)


def _directory_problems(
    records: list[PersonRecord],
    existing: dict[str, _Existing],
    *,
    deactivate_missing: bool,
) -> tuple[list[Problem], dict[str, str | None]]:
    """Checks against the directory; returns problems and the resulting manager graph."""
    problems: list[Problem] = []
    in_file = {r.employee_id: r for r in records}
    holder_of_email = {state.email: eid for eid, state in existing.items()}

    for record in records:
        holder = holder_of_email.get(record.email)
        if holder is not None and holder != record.employee_id and holder not in in_file:
            problems.append(
                Problem(
                    record.line,
                    "email",
                    f"e-mail '{record.email}' belongs to another person ({holder}) "
                    "who is not in this file",
                )
            )
        boss = record.manager_employee_id
        if boss is None or boss in in_file:
            continue
        if boss not in existing:
            problems.append(
                Problem(
                    record.line,
                    "manager_employee_id",
                    f"manager '{boss}' is neither in this file nor in the directory",
                )
            )
        elif deactivate_missing:
            problems.append(
                Problem(
                    record.line,
                    "manager_employee_id",
                    f"manager '{boss}' is not in this file, so --deactivate-missing "
                    "would deactivate them",
                )
            )

    managers: dict[str, str | None] = {
        eid: state.manager_id for eid, state in existing.items() if eid not in in_file
    }
    managers.update({r.employee_id: r.manager_employee_id for r in records})
    for cycle in find_cycles(managers):
        loop = " → ".join([*cycle, cycle[0]])
        problems.extend(
            Problem(in_file[eid].line, "manager_employee_id", f"manager cycle: {loop}")
            for eid in cycle
            if eid in in_file
        )
    return problems, managers


def people_import(
    *,
    source: bytes | str | Path,
    dry_run: bool = False,
    deactivate_missing: bool = False,
    progress: Progress = _no_progress,
) -> ImportResult:
    """Upsert people from an HRIS CSV, all or nothing.

    Raises `TableError` with every problem (line and column) when any row is
    bad; then nothing is written. Nobody is ever deleted: `deactivate_missing`
    marks people absent from the file inactive.
    """
    table = read_table(source, required=COLUMNS, optional=OPTIONAL_COLUMNS)
    records, problems = parse_people(table, progress)
    existing = _existing_state()
    directory_problems, managers = _directory_problems(
        records, existing, deactivate_missing=deactivate_missing
    )
    problems.extend(directory_problems)
    if problems:
        raise TableError(problems)

    paths = chain_paths(managers)
    result = ImportResult(dry_run=dry_run)
    to_create: list[PersonRecord] = []
    to_update: list[PersonRecord] = []
    for record in records:
        state = existing.get(record.employee_id)
        if state is None:
            to_create.append(record)
        elif (
            state.values != _record_values(record)
            or not state.is_active
            or state.chain_path != paths[record.employee_id]
        ):
            to_update.append(record)
    in_file = {r.employee_id for r in records}
    # People outside the file whose chain moved because a manager above them moved.
    moved_outside = [
        eid
        for eid, state in existing.items()
        if eid not in in_file and state.chain_path != paths[eid]
    ]
    to_deactivate = (
        [eid for eid, state in existing.items() if eid not in in_file and state.is_active]
        if deactivate_missing
        else []
    )
    result.created, result.updated = len(to_create), len(to_update)
    result.unchanged = len(records) - len(to_create) - len(to_update)
    result.deactivated = len(to_deactivate)
    result.created_ids = [r.employee_id for r in to_create]
    result.updated_ids = [r.employee_id for r in to_update]
    if not dry_run:
        _write_import(
            to_create=to_create,
            to_update=to_update,
            existing=existing,
            paths=paths,
            moved_outside=moved_outside,
            to_deactivate=to_deactivate,
            progress=progress,
        )
    return result


@transaction.atomic
def _write_import(
    *,
    to_create: list[PersonRecord],
    to_update: list[PersonRecord],
    existing: dict[str, _Existing],
    paths: dict[str, str],
    moved_outside: list[str],
    to_deactivate: list[str],
    progress: Progress,
) -> None:
    names = {r.department for r in [*to_create, *to_update]}
    departments = {d.name: d.pk for d in Department.objects.filter(name__in=names)}
    missing = sorted(names - departments.keys())
    for created in Department.objects.bulk_create([Department(name=n) for n in missing]):
        departments[created.name] = created.pk
    if len(departments) < len(names):  # backends that don't return ids from bulk_create
        departments = {d.name: d.pk for d in Department.objects.filter(name__in=names)}

    now = timezone.now()

    def person(record: PersonRecord, pk: int | None = None) -> Person:
        return Person(
            pk=pk,
            employee_id=record.employee_id,
            full_name=record.full_name,
            email=record.email,
            title=record.title,
            level=record.level,
            department_id=departments[record.department],
            manager_id=record.manager_employee_id,
            location=record.location,
            timezone=record.timezone,
            hire_date=record.hire_date,
            birth_year=record.birth_year,
            is_active=True,
            chain_path=paths[record.employee_id],
            updated_at=now,
        )

    # Two people may swap e-mail addresses; park changing addresses first so the
    # unique constraint never sees a transient duplicate.
    renamed = [r for r in to_update if existing[r.employee_id].email != r.email]
    if renamed:
        Person.objects.bulk_update(
            [
                Person(
                    pk=existing[r.employee_id].pk,
                    email=f"{existing[r.employee_id].pk}@renaming.invalid",
                )
                for r in renamed
            ],
            ["email"],
            batch_size=_WRITE_BATCH,
        )
    _insert_people(to_create, departments=departments, paths=paths, now=now, progress=progress)
    update_fields = [
        "full_name", "email", "title", "level", "department", "manager", "location",
        "timezone", "hire_date", "birth_year", "is_active", "chain_path", "updated_at",
    ]  # fmt: skip
    for batch in progress(
        list(_chunks(to_update, 500)), desc="updating", unit="batch", leave=False
    ):
        Person.objects.bulk_update(
            [person(r, existing[r.employee_id].pk) for r in batch], update_fields
        )
    Person.objects.bulk_update(
        [
            Person(pk=existing[eid].pk, chain_path=paths[eid], updated_at=now)
            for eid in moved_outside
        ],
        ["chain_path", "updated_at"],
        batch_size=500,
    )
    for batch in _chunks(to_deactivate, _IN_BATCH):
        Person.objects.filter(employee_id__in=batch).update(is_active=False, updated_at=now)


_INSERT_FIELDS = (
    "employee_id", "full_name", "email", "title", "level", "department", "manager",
    "location", "timezone", "hire_date", "birth_year", "is_active", "chain_path",
    "created_at", "updated_at",
)  # fmt: skip


def _insert_people(
    records: list[PersonRecord],
    *,
    departments: dict[str, int],
    paths: dict[str, str],
    now: dt.datetime,
    progress: Progress,
) -> None:
    """Insert new people with one prepared statement per batch.

    `bulk_create` builds a model instance and compiles SQL for every row, which
    was two thirds of a 100,000-row import; here the values are already
    validated, so they go straight to the driver (`executemany`), adapted by the
    backend's own date and time converters. Foreign keys are deferred on both
    databases, so reports may be inserted before their managers.
    """
    meta = Person._meta
    concrete = {f.name: f.column for f in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(concrete[name]) for name in _INSERT_FIELDS)
    placeholders = ", ".join(["%s"] * len(_INSERT_FIELDS))
    table = connection.ops.quote_name(meta.db_table)
    # Identifiers come from the model's own metadata, quoted; values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    adapt_date = connection.ops.adapt_datefield_value
    stamp = connection.ops.adapt_datetimefield_value(now)

    def values(r: PersonRecord) -> tuple[Any, ...]:
        return (
            r.employee_id, r.full_name, r.email, r.title, r.level,
            departments[r.department], r.manager_employee_id, r.location,
            r.timezone, adapt_date(r.hire_date), r.birth_year, True,
            paths[r.employee_id], stamp, stamp,
        )  # fmt: skip

    batches = progress(
        list(_chunks(records, _WRITE_BATCH)), desc="creating", unit="batch", leave=False
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: one stream instead of a round trip per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for batch in batches:
                    for r in batch:
                        copy.write_row(values(r))
            return
        for batch in batches:
            cursor.executemany(sql, [values(r) for r in batch])


def people_export(*, stream: IO[str]) -> int:
    """Write the directory in the HRIS import format; returns the number of people."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([*COLUMNS, *OPTIONAL_COLUMNS])
    rows = (
        Person.objects.order_by("employee_id")
        .values_list(*_RECORD_LOOKUPS)
        .iterator(chunk_size=5000)
    )
    count = 0
    for row in rows:
        record = PersonRecord(0, *row)
        writer.writerow(person_row(record))
        count += 1
    return count


@transaction.atomic
def department_set_parent(*, department: Department, parent: Department | None) -> Department:
    """Move a department in the tree; refuses moves that would make it its own ancestor."""
    node = parent
    while node is not None:
        if node.pk == department.pk:
            raise DomainError(
                "department_cycle",
                f"'{parent}' is inside '{department}', so it cannot be its parent",
                field="parent",
            )
        node = node.parent
    department.parent = parent
    department.save(update_fields=["parent"])
    return department


@transaction.atomic
def person_link_user(*, person: Person, user: Any) -> Person:
    """Link a directory entry to the account its owner signs in with."""
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return person
