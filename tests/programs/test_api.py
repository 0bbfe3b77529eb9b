"""The programs API: every step of enrolment works through JSON, with §4's permissions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, UserFactory
from upward.core.models import Role, User
from upward.programs.catalogue import modules_for
from upward.programs.models import Enrollment, EnrollmentStatus, Program, ProgramStatus
from upward.programs.services import program_create, program_transition

pytestmark = pytest.mark.django_db

NEW_PROGRAM = {
    "name": "Digital Leaders",
    "purpose": "Leaders learn from younger colleagues.",
    "starts_on": "2027-01-11",
    "ends_on": "2027-06-30",
    "topics": ["generative-ai", "hybrid-meetings"],
    "min_level_gap": 3,
}


def post(client: Client, path: str, body: object) -> object:
    return client.post(path, json.dumps(body), content_type="application/json")


def patch(client: Client, path: str, body: object) -> object:
    return client.patch(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def owner() -> User:
    return UserFactory(role=Role.COORDINATOR, email="owner@example.org")


@pytest.fixture
def program(owner: User) -> Program:
    created = program_create(
        by=owner, name="Cohort One", purpose="Learn both ways", starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 6, 1), topic_slugs=["generative-ai", "hybrid-meetings"],
    )  # fmt: skip
    return program_transition(program=created, to=ProgramStatus.ENROLLING)


def participant_linked(level: int) -> tuple[User, object]:
    user = UserFactory()
    person = PersonFactory(level=level, user=user)
    return user, person


def test_coordinator_creates_and_edits_a_program(
    coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(coordinator)
    response = post(client, "/api/programs", NEW_PROGRAM)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["status"], body["min_level_gap"]) == ("digital-leaders", "draft", 3)
    assert body["topics"] == ["generative-ai", "hybrid-meetings"]
    changed = patch(client, "/api/programs/digital-leaders", {"mentor_capacity": 2})
    assert changed.json()["mentor_capacity"] == 2


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.SPONSOR])
def test_only_coordinators_and_admins_create_programs(
    role: Role, make_user: Callable[..., User], client_for: Callable[[User | None], Client]
) -> None:
    response = post(client_for(make_user(role)), "/api/programs", NEW_PROGRAM)
    assert response.status_code == 403
    assert not Program.objects.exists()


def test_bad_program_input_is_a_4xx_with_the_field_and_nothing_is_saved(
    coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(coordinator)
    backwards = post(client, "/api/programs", {**NEW_PROGRAM, "ends_on": "2026-01-01"})
    assert backwards.status_code == 400
    assert backwards.json() == {
        "code": "dates", "detail": "The program must end on or after its start.", "field": "ends_on",
    }  # fmt: skip
    unknown_topic = post(client, "/api/programs", {**NEW_PROGRAM, "topics": ["juggling"]})
    assert unknown_topic.status_code == 400 and unknown_topic.json()["field"] == "topics"
    malformed = post(client, "/api/programs", {**NEW_PROGRAM, "min_fit": 3, "starts_on": "soon"})
    assert malformed.status_code == 422
    fields = {tuple(error["loc"])[-1] for error in malformed.json()["detail"]}
    assert {"min_fit", "starts_on"} <= fields
    assert not Program.objects.exists()


def test_transitions_through_the_api_refuse_invalid_moves(
    owner: User, program: Program, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(owner)
    refused = post(client, f"/api/programs/{program.slug}/transition", {"status": "closed"})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_transition"
    moved = post(client, f"/api/programs/{program.slug}/transition", {"status": "matching"})
    assert moved.json()["status"] == "matching"


def test_a_coordinator_of_another_program_cannot_see_or_act_on_it(
    program: Program, client_for: Callable[[User | None], Client]
) -> None:
    other = UserFactory(role=Role.COORDINATOR)
    program_create(
        by=other, name="Their own", purpose="p", starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 2, 1), topic_slugs=["generative-ai"],
    )  # fmt: skip
    client = client_for(other)
    assert [p["slug"] for p in client.get("/api/programs").json()["items"]] == ["their-own"]
    slug = program.slug
    assert client.get(f"/api/programs/{slug}").status_code == 404
    assert (
        post(client, f"/api/programs/{slug}/transition", {"status": "matching"}).status_code == 404
    )
    assert client.get(f"/api/programs/{slug}/enrollments").status_code == 404
    assert patch(client, f"/api/programs/{slug}", {"name": "Mine now"}).status_code == 404
    assert Program.objects.get(pk=program.pk).name == "Cohort One"


def test_participant_applies_and_the_coordinator_approves(
    owner: User, program: Program, client_for: Callable[[User | None], Client]
) -> None:
    user, _ = participant_linked(level=9)
    applied = post(
        client_for(user),
        f"/api/programs/{program.slug}/enrollments",
        {"role": "mentee", "topics": {"interest": {"generative-ai": 3}}, "goal": "Use AI well"},
    )
    assert applied.status_code == 201, applied.content
    body = applied.json()
    assert body["status"] == "applied"
    assert body["warnings"] and "levels junior" in body["warnings"][0]
    decided = post(client_for(owner), f"/api/enrollments/{body['id']}/decision", {"approve": True})
    assert decided.json()["status"] == "approved"


def test_participant_sees_enrolling_programs_but_not_the_enrolment_list(
    program: Program, client_for: Callable[[User | None], Client]
) -> None:
    user, _ = participant_linked(level=2)
    client = client_for(user)
    assert client.get(f"/api/programs/{program.slug}").status_code == 200
    assert client.get(f"/api/programs/{program.slug}/enrollments").status_code == 403
    assert client.get(f"/api/programs/{program.slug}/training").status_code == 403


def test_enrolment_errors_are_4xx_and_write_nothing(
    program: Program, client_for: Callable[[User | None], Client]
) -> None:
    unlinked = client_for(UserFactory())
    path = f"/api/programs/{program.slug}/enrollments"
    no_person = post(
        unlinked, path, {"role": "mentor", "topics": {"expertise": {"generative-ai": 2}}}
    )
    assert no_person.status_code == 400 and no_person.json()["code"] == "no_person"
    user, _ = participant_linked(level=2)
    bad_weight = post(
        client_for(user), path, {"role": "mentor", "topics": {"expertise": {"generative-ai": 5}}}
    )
    assert bad_weight.status_code == 400 and bad_weight.json()["field"] == "topics.expertise"
    someone_else = post(
        client_for(user), path,
        {"role": "mentor", "topics": {"expertise": {"generative-ai": 2}}, "employee_id": "X"},
    )  # fmt: skip
    assert someone_else.status_code == 403
    assert not Enrollment.objects.exists()


def test_bulk_enrolment_reports_every_line_and_writes_nothing(
    owner: User, program: Program, client_for: Callable[[User | None], Client]
) -> None:
    PersonFactory(employee_id="J1", level=2)
    csv = "employee_id,role,topics\nJ1,mentor,generative-ai:3\nJ9,mentor,ai:9\n"
    response = post(
        client_for(owner), f"/api/programs/{program.slug}/enrollments/bulk", {"csv": csv}
    )
    assert response.status_code == 400
    assert response.json()["detail"].splitlines() == [
        "line 3, column employee_id: no person with employee id 'J9'",
    ]
    assert not Enrollment.objects.exists()
    good = post(
        client_for(owner), f"/api/programs/{program.slug}/enrollments/bulk",
        {"csv": "employee_id,role,topics\nJ1,mentor,generative-ai:3\n"},
    )  # fmt: skip
    assert good.json() == {"enrolled": 1, "already": 0, "warnings": []}
    assert Enrollment.objects.get().status == EnrollmentStatus.APPROVED


def test_decisions_on_another_programs_enrolment_are_404(
    program: Program, client_for: Callable[[User | None], Client]
) -> None:
    user, _ = participant_linked(level=2)
    enrollment_id = post(
        client_for(user), f"/api/programs/{program.slug}/enrollments",
        {"role": "mentor", "topics": {"expertise": {"generative-ai": 2}}},
    ).json()["id"]  # fmt: skip
    stranger = client_for(UserFactory(role=Role.COORDINATOR))
    assert (
        post(stranger, f"/api/enrollments/{enrollment_id}/decision", {"approve": True}).status_code
        == 404
    )
    assert Enrollment.objects.get().status == EnrollmentStatus.APPLIED


def test_training_through_the_api_and_coordinators_see_counts_never_reflections(
    owner: User, program: Program, client_for: Callable[[User | None], Client]
) -> None:
    user, person = participant_linked(level=2)
    client = client_for(user)
    post(client, f"/api/programs/{program.slug}/enrollments",
         {"role": "mentor", "topics": {"expertise": {"generative-ai": 2}}})  # fmt: skip
    modules = client.get("/api/training").json()
    assert [m["slug"] for m in modules] == [m.slug for m in modules_for("mentor")]
    secret = "I worry my manager will hear what I say about leaders."
    done = post(client, f"/api/training/{modules[0]['slug']}/complete", {"reflection": secret})
    assert done.status_code == 200 and done.json()["completed"] is True
    too_short = post(client, f"/api/training/{modules[1]['slug']}/complete", {"reflection": "ok"})
    assert too_short.status_code == 400 and too_short.json()["field"] == "reflection"
    counts = client_for(owner).get(f"/api/programs/{program.slug}/training")
    assert counts.json() == [
        {"employee_id": person.employee_id, "full_name": person.full_name, "role": "mentor",
         "completed": 1, "required": len(modules), "ready": False},
    ]  # fmt: skip
    for path in (
        f"/api/programs/{program.slug}/training",
        f"/api/programs/{program.slug}/enrollments",
    ):
        assert "worry" not in client_for(owner).get(path).content.decode()


def test_topics_are_readable_by_all_and_edited_by_coordinators(
    coordinator: User, participant: User, client_for: Callable[[User | None], Client]
) -> None:
    topics = client_for(participant).get("/api/topics").json()
    assert topics["count"] >= 30
    denied = post(
        client_for(participant), "/api/topics", {"name": "Podcasts", "category": "digital_tools"}
    )
    assert denied.status_code == 403
    added = post(
        client_for(coordinator), "/api/topics", {"name": "Podcasts", "category": "digital_tools"}
    )
    assert added.status_code == 201 and added.json()["slug"] == "podcasts"
    retired = patch(client_for(coordinator), "/api/topics/podcasts", {"is_retired": True})
    assert retired.json()["is_retired"] is True
    bad = post(client_for(coordinator), "/api/topics", {"name": "X", "category": "cooking"})
    assert bad.status_code == 422


def test_enrolment_list_query_count_does_not_grow(
    owner: User, program: Program, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(owner)

    def enrol(level: int) -> None:
        user, _ = participant_linked(level=level)
        role = "mentor" if level < 5 else "mentee"
        kind = "expertise" if role == "mentor" else "interest"
        post(client_for(user), f"/api/programs/{program.slug}/enrollments",
             {"role": role, "topics": {kind: {"generative-ai": 2}}})  # fmt: skip

    enrol(2)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/programs/{program.slug}/enrollments")
    for level in (3, 9, 10):
        enrol(level)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/api/programs/{program.slug}/enrollments").json()["count"] == 4
    assert len(many) == len(few)


def test_a_program_is_shared_with_another_coordinator_who_can_then_run_it(
    owner: User, program: Program, client_for: Callable[[User | None], Client]
) -> None:
    colleague = UserFactory(role=Role.COORDINATOR, email="colleague@example.org")
    assert client_for(colleague).get(f"/api/programs/{program.slug}").status_code == 404
    shared = post(
        client_for(owner),
        f"/api/programs/{program.slug}/coordinators",
        {"email": "Colleague@example.org"},
    )
    assert shared.status_code == 200
    assert client_for(colleague).get(f"/api/programs/{program.slug}/enrollments").status_code == 200
    participant = UserFactory(email="p@example.org")
    refused = post(
        client_for(owner), f"/api/programs/{program.slug}/coordinators", {"email": "p@example.org"}
    )
    assert refused.status_code == 400 and refused.json()["code"] == "not_a_coordinator"
    unknown = post(
        client_for(owner), f"/api/programs/{program.slug}/coordinators", {"email": "x@y.org"}
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "email"
    assert set(program.coordinators.values_list("email", flat=True)) == {
        owner.email,
        colleague.email,
    }
    assert participant not in program.coordinators.all()
