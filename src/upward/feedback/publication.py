"""Publishing answers in batches of at least k people (rule 6 of `aggregates`).

Each new check-in or survey calls `publication_advance`, which looks only at the
answers since the last cut; reports read the stored cut in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from upward.feedback.aggregates import Breakdown, published_until
from upward.feedback.models import CheckIn, Publication, Release, SurveyResponse
from upward.programs.models import Program


#: Survey batches are per phase *and role*: mentors and mentees answer different items, so a
#: batch of k people holding a single mentee would move the mentees' figures by one person.
def survey_kind(phase: str, role: str) -> str:
    return f"survey-{phase}-{role}"


SURVEY_KINDS = tuple(
    survey_kind(phase, role) for phase in ("pre", "post") for role in ("mentor", "mentee")
)
KINDS = ("checkins", *SURVEY_KINDS)


def _values(
    program: Program, kind: str, after: dt.datetime | None
) -> list[tuple[int, dt.datetime]]:
    if kind == "checkins":
        rows = CheckIn.objects.filter(program=program)
        if after is not None:
            rows = rows.filter(created_at__gt=after)
        return list(rows.order_by("created_at", "pk").values_list("respondent_id", "created_at"))
    _, phase, role = kind.split("-")
    responses = SurveyResponse.objects.filter(
        enrollment__program=program, phase=phase, enrollment__role=role
    )
    if after is not None:
        responses = responses.filter(submitted_at__gt=after)
    return list(
        responses.order_by("submitted_at", "pk").values_list(
            "enrollment__person_id", "submitted_at"
        )
    )


def published_through(*, program: Program, kind: str) -> dt.datetime | None:
    return (
        Publication.objects.filter(program=program, kind=kind)
        .values_list("until", flat=True)
        .first()
    )


def published_cuts(*, program: Program) -> dict[str, dt.datetime]:
    """Every kind's cut in one query."""
    return dict(Publication.objects.filter(program=program).values_list("kind", "until"))


@transaction.atomic
def publication_advance(*, program: Program, kind: str) -> dt.datetime | None:
    """Close every complete batch since the last cut; returns the cut now in force."""
    current = Publication.objects.select_for_update().filter(program=program, kind=kind).first()
    after = current.until if current else None
    cut = published_until(_values(program, kind, after), threshold=program.anonymity_threshold)
    if cut is None:
        return after
    Publication.objects.update_or_create(program=program, kind=kind, defaults={"until": cut})
    if after is None or _month(after) < _month(cut):
        # The first batch, or the first of a month: a release is due (the first batch,
        # or the last one of the month that ended). Made by the worker, before anyone looks.
        from upward.feedback.tasks import releases_make

        transaction.on_commit(lambda: releases_make.enqueue(program.pk), robust=True)
    return cut


def _month(moment: dt.datetime) -> tuple[int, int]:
    utc = moment.astimezone(dt.UTC)
    return utc.year, utc.month


def publication_catch_up(*, program: Program) -> None:
    """After answers were loaded in bulk (demo, benchmark): advance every kind."""
    for kind in KINDS:
        publication_advance(program=program, kind=kind)


#: {dimension or item: {question or dimension: breakdown}}
Released = dict[str, dict[str, Breakdown]]

#: What a release holds and how it is cut. Bump it with any change to either (the audit,
#: the groups, the figures): releases made by older code are then made again, never
#: shown after an upgrade that changed the rules.
RELEASE_FORMAT = 1


def release_of(
    *,
    program: Program,
    kind: str,
    until: dt.datetime,
    answers: int,
    expected: Mapping[str, Collection[str]],
    compute: Callable[[], Mapping[str, Mapping[str, Breakdown]]],
) -> Released:
    """The breakdowns released at `until` (a `Release`), computed by `compute` and kept
    the first time a report asks, read back every time after.

    `answers` (how many answers up to `until`) is part of the key, so a deleted answer
    makes a new release instead of showing figures that still count it. A stored
    release whose shape is not `expected` ({outer key: inner keys}: a question or an
    item was added since) is made again.
    """
    key: dict[str, Any] = {
        "program": program, "kind": kind, "until": until, "answers": answers,
        "threshold": program.anonymity_threshold, "version": RELEASE_FORMAT,
    }  # fmt: skip
    stored = Release.objects.filter(**key).values_list("breakdowns", flat=True).first()
    if stored is None or _shape(stored) != _shape(expected):
        released = compute()
        stored = {
            outer: {inner: shown.as_json() for inner, shown in by.items()}
            for outer, by in released.items()
        }
        try:
            with transaction.atomic():
                Release.objects.update_or_create(**key, defaults={"breakdowns": stored})
        except IntegrityError:
            # Another report made the same release at the same moment: theirs stands.
            stored = Release.objects.filter(**key).values_list("breakdowns", flat=True).get()
    return {
        outer: {inner: Breakdown.from_json(shown) for inner, shown in by.items()}
        for outer, by in stored.items()
    }


def _shape(released: Mapping[str, Collection[str]]) -> dict[str, frozenset[str]]:
    return {outer: frozenset(inner) for outer, inner in released.items()}
