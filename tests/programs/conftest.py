"""Programs for page tests: an enrolling cohort, a draft, and people who can sign in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pytest
from django.test import Client

from tests.factories import PersonFactory, UserFactory
from upward.core.models import Role, User
from upward.people.models import Person
from upward.programs.models import Enrollment, Program, ProgramStatus
from upward.programs.services import enrollment_apply, program_create, program_transition

#: The order a program moves through its statuses.
STATUS_PATH = (
    ProgramStatus.ENROLLING,
    ProgramStatus.MATCHING,
    ProgramStatus.RUNNING,
    ProgramStatus.CLOSED,
)
COHORT_TOPICS = ("generative-ai", "hybrid-meetings", "chat-etiquette")


def make_program(
    owner: User,
    *,
    name: str = "Digital Leaders",
    status: str = ProgramStatus.ENROLLING,
    topics: Sequence[str] = COHORT_TOPICS,
    **rules: object,
) -> Program:
    """A program created by `owner` and walked along the status machine to `status`."""
    program = program_create(
        by=owner, name=name, purpose="Leaders learn today's tools from younger colleagues.",
        starts_on=dt.date(2027, 1, 11), ends_on=dt.date(2027, 6, 30), topic_slugs=topics,
        **rules,
    )  # fmt: skip
    if status != ProgramStatus.DRAFT:
        for step in STATUS_PATH[: STATUS_PATH.index(status) + 1]:  # type: ignore[arg-type]
            program_transition(program=program, to=step)
    return program


def linked_person(*, level: int, **fields: object) -> tuple[User, Person]:
    """A participant account linked to a directory entry."""
    user = UserFactory(role=Role.PARTICIPANT)
    return user, PersonFactory(level=level, user=user, **fields)


def enrol(
    program: Program, person: Person, role: str, *, by: User, approve: bool = False
) -> Enrollment:
    kind = "expertise" if role == "mentor" else "interest"
    return enrollment_apply(
        program=program, person=person, role=role, topics={kind: {"generative-ai": 3}},
        approve=approve, by=by,
    ).enrollment  # fmt: skip


@pytest.fixture
def cohort_owner(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR, email="owner@example.org")


@pytest.fixture
def other_coordinator(make_user: Callable[..., User]) -> User:
    """Coordinates a program of their own, not the cohort."""
    user = make_user(Role.COORDINATOR, email="other@example.org")
    make_program(user, name="Elsewhere", status=ProgramStatus.DRAFT)
    return user


@pytest.fixture
def cohort(cohort_owner: User) -> Program:
    """Enrolling, offering generative AI, hybrid meetings and chat etiquette."""
    return make_program(cohort_owner)


@pytest.fixture
def draft(cohort_owner: User) -> Program:
    return make_program(cohort_owner, name="Quiet Draft", status=ProgramStatus.DRAFT)


@pytest.fixture
def leader(db: None) -> tuple[User, Person]:
    """A senior leader (level 9) who can sign in: a mentee-to-be."""
    return linked_person(level=9, full_name="Lee Leader")


@pytest.fixture
def junior(db: None) -> tuple[User, Person]:
    """A junior colleague (level 2) who can sign in: a mentor-to-be."""
    return linked_person(level=2, full_name="Jo Junior")


@pytest.fixture
def client_as(
    client_for: Callable[[User | None], Client],
    cohort_owner: User,
    other_coordinator: User,
    admin_user: User,
    participant: User,
    sponsor: User,
) -> Callable[[str], Client]:
    """A signed-in client by who they are to the cohort; "anonymous" is signed out."""
    users: dict[str, User | None] = {
        "owner": cohort_owner,
        "other_coordinator": other_coordinator,
        "admin": admin_user,
        "participant": participant,
        "sponsor": sponsor,
        "anonymous": None,
    }
    return lambda who: client_for(users[who])
