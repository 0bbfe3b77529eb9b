"""A program with an approved mentor and mentee, both able to sign in."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PersonFactory, UserFactory
from upward.core.models import Role, User
from upward.mentoring.models import Pair
from upward.programs.models import Enrollment, Program, ProgramStatus
from upward.programs.services import enrollment_apply, program_create, program_transition


@pytest.fixture
def program_owner(db: None) -> User:
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def running_program(program_owner: User) -> Program:
    program = program_create(
        by=program_owner, name="Pairs Cohort", purpose="Learn both ways",
        starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 1),
        topic_slugs=["generative-ai", "hybrid-meetings"], training_required=False,
    )  # fmt: skip
    program_transition(program=program, to=ProgramStatus.ENROLLING)
    return program


def enrol(program: Program, role: str, level: int, by: User) -> Enrollment:
    person = PersonFactory(level=level, user=UserFactory())
    kind = "expertise" if role == "mentor" else "interest"
    return enrollment_apply(
        program=program, person=person, role=role, topics={kind: {"generative-ai": 3}},
        approve=True, by=by,
    ).enrollment  # fmt: skip


@pytest.fixture
def proposed_pair(running_program: Program, program_owner: User) -> Pair:
    mentor = enrol(running_program, "mentor", 2, program_owner)
    mentee = enrol(running_program, "mentee", 9, program_owner)
    return Pair.objects.create(
        program=running_program, mentor=mentor, mentee=mentee, fit=0.8, reasons="covers AI"
    )


@pytest.fixture
def active_pair(proposed_pair: Pair) -> Pair:
    """Both members accepted: the workspace is open (agreement not yet signed)."""
    from upward.mentoring.services import pair_accept

    pair_accept(pair=proposed_pair, by=proposed_pair.mentor.person.user)
    return pair_accept(pair=proposed_pair, by=proposed_pair.mentee.person.user)


@pytest.fixture
def mentor_user(active_pair: Pair) -> User:
    return active_pair.mentor.person.user


@pytest.fixture
def mentee_user(active_pair: Pair) -> User:
    return active_pair.mentee.person.user
