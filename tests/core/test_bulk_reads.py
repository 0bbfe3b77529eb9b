"""Bulk reads give the same instants and rows on SQLite and PostgreSQL as the ORM does."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.factories import UserFactory
from upward.core.bulk_reads import Instant, as_instant, fetch_rows, instants
from upward.core.models import User

pytestmark = pytest.mark.django_db


def test_instants_read_back_to_the_microsecond_in_utc() -> None:
    moments = [
        dt.datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2026, 2, 1, 0, 0, tzinfo=dt.UTC),  # no fraction: stored without one
        dt.datetime(2026, 3, 29, 2, 30, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    ]
    users = [UserFactory() for _ in moments]
    for user, moment in zip(users, moments, strict=True):
        User.objects.filter(pk=user.pk).update(date_joined=moment)
    rows = fetch_rows(
        User.objects.filter(pk__in=[u.pk for u in users])
        .order_by("date_joined")
        .values_list("pk", Instant("date_joined"))
    )
    read = instants([at for _, at in rows])
    assert [pk for pk, _ in rows] == [u.pk for u in users]
    assert read.tolist() == [m.astimezone(dt.UTC).replace(tzinfo=None) for m in moments]
    assert (read == np.array([as_instant(m) for m in moments])).all()
    # Months and days, as the reports use them.
    assert read.astype("datetime64[M]")[0].item() == dt.date(2026, 1, 1)


def test_a_missing_instant_is_not_a_time() -> None:
    user = UserFactory()
    rows = fetch_rows(
        User.objects.filter(pk=user.pk, last_login__isnull=True).values_list(Instant("last_login"))
    )
    assert len(rows) == 1 and np.isnat(instants([at for (at,) in rows])).all()
    assert np.isnat(instants([None, None])).all() and len(instants([])) == 0


def test_a_filter_that_matches_nothing_reads_no_rows() -> None:
    UserFactory()
    assert fetch_rows(User.objects.filter(pk__in=[]).values_list("pk")) == []


def test_rows_are_the_orms_rows_for_numbers_and_text() -> None:
    for _ in range(3):
        UserFactory()
    query = User.objects.order_by("pk").values_list("pk", "email")
    assert fetch_rows(query) == list(query)
