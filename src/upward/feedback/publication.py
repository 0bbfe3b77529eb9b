"""Publishing answers in batches of at least k people (rule 6 of `aggregates`).

Each new check-in or survey calls `publication_advance`, which looks only at the
answers since the last cut; reports read the stored cut in one query.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from upward.feedback.aggregates import published_until
from upward.feedback.models import CheckIn, Publication, SurveyResponse
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
    return cut


def publication_catch_up(*, program: Program) -> None:
    """After answers were loaded in bulk (demo, benchmark): advance every kind."""
    for kind in KINDS:
        publication_advance(program=program, kind=kind)
