"""The demo organisation behind `upward demo`: deterministic, safe to load twice."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from upward.core.demo_programs import DemoPrograms, demo_programs_load
from upward.core.models import Role, User
from upward.core.services import user_ensure
from upward.people.hris import COLUMNS, OPTIONAL_COLUMNS, person_row
from upward.people.models import Person
from upward.people.services import ImportResult, people_import, person_link_user
from upward.people.synthetic import DOMAIN, synthetic_people


@dataclass(frozen=True)
class DemoLogin:
    """A sign-in printed for the person trying the demo."""

    role: str
    email: str
    password: str
    who: str


def demo_people_csv(*, people: int, seed: int) -> str:
    """The synthetic organisation as an HRIS file, so the demo goes through the real import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*COLUMNS, *OPTIONAL_COLUMNS])
    for record in synthetic_people(people, seed=seed):
        writer.writerow(person_row(record))
    return buffer.getvalue()


@dataclass(frozen=True)
class DemoLoad:
    """What `upward demo` loaded, for it to print."""

    people: ImportResult
    logins: list[DemoLogin]
    #: None when the demo programs already existed (a second run changes nothing).
    programs: DemoPrograms | None


def demo_load(*, people: int = 300, seed: int = 7) -> DemoLoad:
    """Import the organisation, create a sign-in per role and the demo programs (idempotent)."""
    result = people_import(source=demo_people_csv(people=people, seed=seed))
    logins = [
        DemoLogin(
            "coordinator", f"coordinator@{DOMAIN}", "demo-coordinator", "HR / L&D coordinator"
        ),
        DemoLogin("sponsor", f"sponsor@{DOMAIN}", "demo-sponsor", "executive sponsor"),
        DemoLogin("admin", f"admin@{DOMAIN}", "demo-admin", "installation administrator"),
    ]
    roles = {"coordinator": Role.COORDINATOR, "sponsor": Role.SPONSOR, "admin": Role.ADMIN}
    for login in logins:
        user_ensure(email=login.email, password=login.password, role=roles[login.role])

    # A senior leader (mentee) and a junior employee (mentor) sign in as themselves.
    active = Person.objects.filter(is_active=True).order_by("employee_id")
    leader = active.filter(level__gte=7).exclude(manager=None).first()
    juniors = active.filter(level__lte=2).order_by("-employee_id")
    if leader is not None:  # never in the leader's own reporting chain: they will be paired
        juniors = juniors.exclude(chain_path__startswith=leader.chain_path)
    # Someone who shares the leader's working hours, so the demo pair can really meet.
    junior = (
        juniors.filter(timezone=leader.timezone).first() if leader is not None else None
    ) or juniors.first()
    coordinator = User.objects.get(email=f"coordinator@{DOMAIN}")
    for person, role, password in (
        (leader, "mentee", "demo-mentee"),
        (junior, "mentor", "demo-mentor"),
    ):
        if person is None:
            continue
        first, _, last = person.full_name.partition(" ")
        user = user_ensure(email=person.email, password=password, first_name=first, last_name=last)
        person_link_user(person=person, user=user)
        logins.append(
            DemoLogin(role, person.email, password, f"{person.full_name}, {person.title}")
        )
    programs = demo_programs_load(coordinator=coordinator, mentee=leader, mentor=junior, seed=seed)
    return DemoLoad(people=result, logins=logins, programs=programs)
