"""A running program with pairs, held sessions and members who can sign in."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PersonFactory, UserFactory

# The pair fixtures of the mentoring tests (running_program, active_pair, mentor_user, …).
from tests.mentoring.conftest import *  # noqa: F403
from tests.mentoring.conftest import enrol
from upward.core.models import User
from upward.mentoring import sessions
from upward.mentoring.models import Pair, Session
from upward.mentoring.services import pair_accept
from upward.programs.models import Program


@pytest.fixture
def held_session(active_pair: Pair, mentor_user: User) -> Session:
    session = sessions.session_schedule(
        pair=active_pair, by=mentor_user, day=dt.date(2026, 1, 5), time=dt.time(9, 0)
    )
    return sessions.session_log(session=session, by=mentor_user, status="held")


def make_pairs(program: Program, owner: User, count: int) -> list[Pair]:
    """`count` active pairs, each with one held session."""
    pairs = []
    for _ in range(count):
        mentor = enrol(program, "mentor", 2, owner)
        mentee = enrol(program, "mentee", 9, owner)
        pair = Pair.objects.create(program=program, mentor=mentor, mentee=mentee)
        pair_accept(pair=pair, by=mentor.person.user)
        pairs.append(pair_accept(pair=pair, by=mentee.person.user))
    return pairs


def leaders_surveyed(program: Program, pairs: list[Pair], *, before: int, after: int) -> None:
    """Each pair's leader answers every item `before` at enrolment and `after` once the
    program has moved on (matching, then running again)."""
    from upward.feedback import services
    from upward.feedback.catalogue import ITEMS
    from upward.programs.models import ProgramStatus
    from upward.programs.services import program_transition

    items = [item for item, _ in ITEMS["mentee"]]
    for pair in pairs:
        services.survey_submit(enrollment=pair.mentee, by=pair.mentee.person.user, phase="pre",
                               answers=dict.fromkeys(items, before))  # fmt: skip
    program_transition(program=program, to=ProgramStatus.MATCHING)
    program_transition(program=program, to=ProgramStatus.RUNNING)
    for pair in pairs:
        pair.mentee.program.refresh_from_db()
        services.survey_submit(enrollment=pair.mentee, by=pair.mentee.person.user, phase="post",
                               answers=dict.fromkeys(items, after))  # fmt: skip


__all__ = ["PersonFactory", "UserFactory", "leaders_surveyed", "make_pairs"]
