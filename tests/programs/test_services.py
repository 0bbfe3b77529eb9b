"""Programs, enrolment and training: the rules a coordinator relies on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.factories import PersonFactory, UserFactory
from upward.core.errors import DomainError
from upward.core.models import Role, User
from upward.core.tabular import TableError
from upward.people.models import Person
from upward.programs.catalogue import modules_for
from upward.programs.models import (
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramStatus,
    Topic,
    TrainingCompletion,
)
from upward.programs.services import (
    enrollment_apply,
    enrollment_bulk,
    enrollment_decide,
    parse_topic_list,
    program_create,
    program_transition,
    program_update,
    topic_create,
    topic_retire,
    topic_update,
    training_complete,
    training_missing,
)

pytestmark = pytest.mark.django_db

OFFERED = ["generative-ai", "hybrid-meetings", "sustainability"]


@pytest.fixture
def coordinator_user() -> User:
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def program(coordinator_user: User) -> Program:
    created = program_create(
        by=coordinator_user,
        name="Digital Leaders 2027",
        purpose="Leaders learn digital habits from younger colleagues.",
        starts_on=dt.date(2027, 1, 11),
        ends_on=dt.date(2027, 6, 30),
        topic_slugs=OFFERED,
    )
    return program_transition(program=created, to=ProgramStatus.ENROLLING)


def mentor_topics() -> dict[str, dict[str, int]]:
    return {"expertise": {"generative-ai": 3}, "wants_to_learn": {"strategy": 2}}


def mentee_topics() -> dict[str, dict[str, int]]:
    return {"interest": {"generative-ai": 3, "hybrid-meetings": 1}, "offers": {"strategy": 3}}


# --- topics -----------------------------------------------------------------------------------


def test_the_taxonomy_is_seeded_on_migrate() -> None:
    assert Topic.objects.filter(is_builtin=True).count() >= 30
    categories = set(Topic.objects.values_list("category", flat=True))
    assert categories == {"digital_tools", "communication", "social_values", "leadership"}
    assert all(3 <= len(t.prompts) <= 5 for t in Topic.objects.all())


def test_coordinators_add_rename_and_retire_topics() -> None:
    topic = topic_create(
        name="Podcasting", category="digital_tools", prompts=["What do you listen to?"]
    )
    assert topic.slug == "podcasting"
    renamed = topic_update(topic=topic, name="Podcasts and audio")
    assert renamed.slug == "podcasting"  # files that name the slug keep working
    topic_retire(topic=topic)
    assert Topic.objects.get(slug="podcasting").is_retired


def test_topic_names_are_unique_ignoring_case() -> None:
    topic_create(name="Podcasting", category="digital_tools")
    with pytest.raises(DomainError) as caught:
        topic_create(name="PODCASTING", category="digital_tools")
    assert caught.value.field == "name"


def test_retired_topics_cannot_be_offered(coordinator_user: User) -> None:
    topic_retire(topic=Topic.objects.get(slug="sustainability"))
    with pytest.raises(DomainError, match="Retired topic"):
        program_create(
            by=coordinator_user, name="P", purpose="p", starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 2, 1), topic_slugs=["sustainability"],
        )  # fmt: skip


# --- programs and their status machine ------------------------------------------------------------


def test_creator_becomes_coordinator_and_program_starts_as_draft(coordinator_user: User) -> None:
    program = program_create(
        by=coordinator_user, name="Pilot", purpose="Try it", starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 3, 1), topic_slugs=OFFERED,
    )  # fmt: skip
    assert program.status == ProgramStatus.DRAFT
    assert list(program.coordinators.all()) == [coordinator_user]
    assert program.slug == "pilot"
    assert set(program.topics.values_list("slug", flat=True)) == set(OFFERED)


def test_program_walks_the_whole_status_machine(program: Program) -> None:
    for status in (ProgramStatus.MATCHING, ProgramStatus.RUNNING, ProgramStatus.CLOSED):
        program_transition(program=program, to=status)
        program.refresh_from_db()
        assert program.status == status


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (ProgramStatus.DRAFT, ProgramStatus.RUNNING),
        (ProgramStatus.DRAFT, ProgramStatus.CLOSED),
        (ProgramStatus.ENROLLING, ProgramStatus.RUNNING),
        (ProgramStatus.ENROLLING, ProgramStatus.DRAFT),
        (ProgramStatus.RUNNING, ProgramStatus.MATCHING),
        (ProgramStatus.CLOSED, ProgramStatus.RUNNING),
    ],
)
def test_invalid_transitions_are_refused_and_nothing_changes(
    program: Program, start: str, to: str
) -> None:
    Program.objects.filter(pk=program.pk).update(status=start)
    program.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        program_transition(program=program, to=to)
    assert caught.value.code == "invalid_transition"
    program.refresh_from_db()
    assert program.status == start


def test_matching_may_reopen_enrolment(program: Program) -> None:
    program_transition(program=program, to=ProgramStatus.MATCHING)
    program_transition(program=program, to=ProgramStatus.ENROLLING)
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.ENROLLING


def test_enrolment_needs_topics(coordinator_user: User) -> None:
    bare = program_create(
        by=coordinator_user, name="Bare", purpose="p", starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 2, 1),
    )  # fmt: skip
    with pytest.raises(DomainError, match="at least one topic"):
        program_transition(program=bare, to=ProgramStatus.ENROLLING)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": dt.date(2026, 1, 1)}, "ends_on"),
        ({"min_fit": 1.5}, "min_fit"),
        ({"mentor_capacity": 9}, "mentor_capacity"),
        ({"anonymity_threshold": 2}, "anonymity_threshold"),
        (
            {
                "weight_coverage": 0,
                "weight_reciprocity": 0,
                "weight_department": 0,
                "weight_timezone": 0,
            },
            "weights",
        ),
    ],
)
def test_bad_program_settings_are_refused_with_the_field(
    program: Program, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        program_update(program=program, **changes)
    assert caught.value.field == field
    fresh = Program.objects.get(pk=program.pk)
    assert fresh.ends_on == dt.date(2027, 6, 30) and fresh.min_fit == 0.0


def test_matching_rules_freeze_once_running(program: Program) -> None:
    program_transition(program=program, to=ProgramStatus.MATCHING)
    program_transition(program=program, to=ProgramStatus.RUNNING)
    with pytest.raises(DomainError, match="cannot change once"):
        program_update(program=program, min_level_gap=0)
    program_update(program=program, purpose="Sharper purpose")  # descriptions stay editable


# --- enrolment -------------------------------------------------------------------------------------


def test_mentor_and_mentee_enrol_with_their_topics(program: Program) -> None:
    junior = PersonFactory(level=2)
    leader = PersonFactory(level=9)
    mentor = enrollment_apply(
        program=program, person=junior, role="mentor", topics=mentor_topics(),
        introduction="I automate my week with AI.", availability=["mon", "thu"],
    ).enrollment  # fmt: skip
    outcome = enrollment_apply(
        program=program, person=leader, role="mentee", topics=mentee_topics(), goal="Use AI well."
    )
    assert mentor.status == EnrollmentStatus.APPLIED
    assert outcome.warnings == []
    assert {(t.topic.slug, t.kind, t.weight) for t in outcome.enrollment.topics.all()} == {
        ("generative-ai", "interest", 3),
        ("hybrid-meetings", "interest", 1),
        ("strategy", "offers", 3),
    }


def test_nobody_is_both_mentor_and_mentee_in_one_program(program: Program) -> None:
    person = PersonFactory(level=5)
    enrollment_apply(program=program, person=person, role="mentor", topics=mentor_topics())
    with pytest.raises(DomainError) as caught:
        enrollment_apply(program=program, person=person, role="mentee", topics=mentee_topics())
    assert caught.value.code == "already_enrolled"
    assert Enrollment.objects.filter(person=person).count() == 1


def test_inactive_people_cannot_enrol(program: Program) -> None:
    person = PersonFactory(is_active=False)
    with pytest.raises(DomainError) as caught:
        enrollment_apply(program=program, person=person, role="mentor", topics=mentor_topics())
    assert caught.value.code == "inactive_person"
    assert not Enrollment.objects.exists()


def test_mentee_without_a_junior_enough_mentor_is_warned_not_refused(program: Program) -> None:
    enrollment_apply(
        program=program, person=PersonFactory(level=5), role="mentor", topics=mentor_topics()
    )
    leader = PersonFactory(level=6, full_name="Lee Leader")  # gap 1 < minimum 2
    outcome = enrollment_apply(
        program=program, person=leader, role="mentee", topics=mentee_topics()
    )
    assert outcome.enrollment.pk is not None
    assert len(outcome.warnings) == 1
    assert "at least 2 levels junior to Lee Leader (level 6)" in outcome.warnings[0]


@pytest.mark.parametrize(
    ("role", "topics", "code"),
    [
        ("mentor", {"expertise": {"strategy": 3}}, "topic_not_offered"),
        ("mentor", {"expertise": {"generative-ai": 4}}, "topic_weight"),
        ("mentor", {"interest": {"generative-ai": 2}}, "wrong_topic_kind"),
        ("mentee", {"offers": {"strategy": 2}}, "topics_required"),
        ("boss", {"expertise": {"generative-ai": 2}}, "unknown_role"),
    ],
)
def test_enrolment_input_is_validated(
    program: Program, role: str, topics: dict[str, dict[str, int]], code: str
) -> None:
    with pytest.raises(DomainError) as caught:
        enrollment_apply(program=program, person=PersonFactory(level=3), role=role, topics=topics)
    assert caught.value.code == code
    assert not Enrollment.objects.exists()


def test_self_service_enrolment_closes_with_enrolment_but_coordinators_can_still_add(
    program: Program, coordinator_user: User
) -> None:
    program_transition(program=program, to=ProgramStatus.MATCHING)
    with pytest.raises(DomainError, match="has closed"):
        enrollment_apply(
            program=program, person=PersonFactory(), role="mentor", topics=mentor_topics()
        )
    late = enrollment_apply(
        program=program, person=PersonFactory(), role="mentor", topics=mentor_topics(),
        approve=True, by=coordinator_user,
    )  # fmt: skip
    assert late.enrollment.status == EnrollmentStatus.APPROVED


def test_coordinator_approves_and_declines(program: Program, coordinator_user: User) -> None:
    enrollment = enrollment_apply(
        program=program, person=PersonFactory(), role="mentor", topics=mentor_topics()
    ).enrollment
    enrollment_decide(enrollment=enrollment, approve=False, by=coordinator_user)
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.DECLINED
    enrollment_decide(enrollment=enrollment, approve=True, by=coordinator_user)
    fresh = Enrollment.objects.get(pk=enrollment.pk)
    assert (fresh.status, fresh.decided_by) == (EnrollmentStatus.APPROVED, coordinator_user)


# --- bulk enrolment -----------------------------------------------------------------------------------


def test_bulk_enrolment_from_csv(program: Program, coordinator_user: User) -> None:
    PersonFactory(employee_id="J1", level=2)
    PersonFactory(employee_id="L1", level=9)
    text = "employee_id,role,topics\nJ1,mentor,generative-ai:3\nL1,Mentee,generative-ai:2;hybrid-meetings\n"
    result = enrollment_bulk(program=program, source=text, by=coordinator_user)
    assert (result.enrolled, result.already) == (2, 0)
    assert set(Enrollment.objects.values_list("status", flat=True)) == {EnrollmentStatus.APPROVED}
    again = enrollment_bulk(program=program, source=text, by=coordinator_user)
    assert (again.enrolled, again.already) == (0, 2)


def test_bulk_enrolment_is_all_or_nothing_with_located_problems(
    program: Program, coordinator_user: User
) -> None:
    PersonFactory(employee_id="J1", level=2)
    PersonFactory(employee_id="J2", level=2, is_active=False)
    PersonFactory(employee_id="J3", level=2)
    text = (
        "employee_id,role,topics\n"
        "J1,mentor,generative-ai:3\n"
        "NOPE,mentor,generative-ai\n"
        "J3,coach,generative-ai\n"
        "J1,mentor,generative-ai\n"
        "J3,mentor,generative-ai:7\n"
    )
    with pytest.raises(TableError) as caught:
        enrollment_bulk(program=program, source=text, by=coordinator_user)
    assert [str(p) for p in caught.value.problems] == [
        "line 3, column employee_id: no person with employee id 'NOPE'",
        "line 4, column role: 'coach' is not mentor or mentee",
        "line 5, column employee_id: 'J1' already appears on line 2",
        "line 6, column employee_id: 'J3' already appears on line 4",
    ]
    # Problems found only by the service (inactive person) also roll everything back.
    with pytest.raises(TableError) as later:
        enrollment_bulk(
            program=program,
            source="employee_id,role,topics\nJ1,mentor,generative-ai\nJ2,mentor,generative-ai\n",
            by=coordinator_user,
        )
    inactive = Person.objects.get(employee_id="J2").full_name
    assert [str(p) for p in later.value.problems] == [
        f"line 3, column employee_id: {inactive} is not an active employee."
    ]
    assert not Enrollment.objects.exists()


def test_topic_lists_parse_with_and_without_weights() -> None:
    assert parse_topic_list("generative-ai:3; chat-etiquette") == {
        "generative-ai": 3,
        "chat-etiquette": 2,
    }
    for bad in ("", "ai:4", "ai;ai", ":3"):
        with pytest.raises(ValueError):
            parse_topic_list(bad)


# --- training ----------------------------------------------------------------------------------------


def test_training_completion_and_what_is_missing() -> None:
    person = PersonFactory()
    mentor_modules = [m.slug for m in modules_for("mentor")]
    assert training_missing(person=person, role="mentor") == mentor_modules
    training_complete(
        person=person, module_slug=mentor_modules[0], reflection="I will ask before I explain."
    )
    assert training_missing(person=person, role="mentor") == mentor_modules[1:]


def test_reflection_is_required_and_encrypted_at_rest() -> None:
    person = PersonFactory()
    slug = modules_for("mentee")[0].slug
    with pytest.raises(DomainError) as caught:
        training_complete(person=person, module_slug=slug, reflection="ok")
    assert caught.value.field == "reflection"
    training_complete(
        person=person, module_slug=slug, reflection="I interrupt too often in meetings."
    )
    assert TrainingCompletion.objects.get().reflection == "I interrupt too often in meetings."
    with connection.cursor() as cursor:
        cursor.execute("SELECT reflection FROM programs_trainingcompletion")
        stored = cursor.fetchone()[0]
    assert "interrupt" not in stored


def test_unknown_module_is_refused() -> None:
    with pytest.raises(DomainError, match="Unknown training module"):
        training_complete(person=PersonFactory(), module_slug="juggling", reflection="x" * 30)
