"""Reading hundreds of thousands of rows for a report, fast and the same on both databases.

Django builds a Python object per value and fetches a hundred rows at a time; for a
report over a year of check-ins that costs more than the database does. The helpers
here keep the ORM's query building (filters, joins, permissions stay in one place) and
skip the per-row work: one `fetchall`, instants as microseconds in numpy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BigIntegerField, Func, QuerySet
from django.db.models.sql.compiler import SQLCompiler


def fetch_rows(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """Every row of a `values_list` query in one round trip, as the driver gives them.

    No field converters run, so use it for integers, text and `Instant` only (a plain
    datetime column would come back as text on SQLite). Queries still go through the
    connection's cursor wrapper, so query counting and logging see them.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # a filter that can match nothing (`pk__in=[]`), as Django does
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Instant(Func):
    """A datetime column as something cheap to read: microseconds since the epoch (UTC)
    on PostgreSQL, the stored ISO text on SQLite. `instants` turns either into numpy.

    Formatting 200,000 timestamps as text costs PostgreSQL more than reading them; on
    SQLite the text is what is stored, and computing a number from it costs more.
    """

    output_field = BigIntegerField()

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Sequence[Any]]:
        return self._as_template(compiler, connection, "CAST(%(expressions)s AS text)")

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Sequence[Any]]:
        # EXTRACT gives an exact numeric since PostgreSQL 14 (float before: still exact
        # to well under a microsecond for any date this program will see).
        return self._as_template(
            compiler, connection, "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
        )

    def _as_template(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, template: str
    ) -> tuple[str, Sequence[Any]]:
        return super().as_sql(compiler, connection, template=template)


def instants(values: Sequence[int | str | None]) -> np.ndarray:
    """`Instant` values as a numpy `datetime64[us]` array (UTC); NULL becomes NaT."""
    first = next((value for value in values if value is not None), None)
    if first is None:
        return np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    if isinstance(first, str):
        # ISO text with a space, as SQLite stores it; numpy reads it without a time zone,
        # which is right: Django stores UTC.
        return np.array(values, dtype="datetime64[us]")
    not_a_time = np.iinfo(np.int64).min  # NaT's bit pattern
    numbers = [not_a_time if value is None else value for value in values]
    return np.array(numbers, dtype=np.int64).view("datetime64[us]")


def as_instant(moment: dt.datetime) -> np.datetime64:
    """An aware datetime as a numpy instant comparable with `instants`."""
    return np.datetime64(moment.astimezone(dt.UTC).replace(tzinfo=None), "us")
