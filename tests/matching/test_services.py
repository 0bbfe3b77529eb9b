"""Matching in the app: runs honour every rule, publish pairs, and re-match freed people."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import PersonFactory, UserFactory
from upward.core.errors import DomainError
from upward.core.models import Role, User
from upward.matching import services
from upward.matching.models import MatchRun, RunStatus
from upward.mentoring.models import Pair, PairStatus
from upward.mentoring.services import pair_decline
from upward.people.models import Person
from upward.programs.models import Enrollment, Program, ProgramStatus
from upward.programs.services import (
    enrollment_apply,
    program_create,
    program_transition,
    training_complete,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> User:
    return UserFactory(role=Role.COORDINATOR)


def make_program(owner: User, **rules: object) -> Program:
    program = program_create(
        by=owner, name="Cohort", purpose="Learn both ways", starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 6, 1), topic_slugs=["generative-ai", "hybrid-meetings", "sustainability"],
        **{"training_required": False, **rules},
    )  # fmt: skip
    program_transition(program=program, to=ProgramStatus.ENROLLING)
    return program


def enrol(
    program: Program, owner: User, person: Person, role: str, topics: dict[str, int]
) -> Enrollment:
    kind = "expertise" if role == "mentor" else "interest"
    return enrollment_apply(
        program=program, person=person, role=role, topics={kind: topics}, approve=True, by=owner
    ).enrollment


@pytest.fixture
def cohort(owner: User) -> dict[str, object]:
    """Three leaders and three juniors; junior J1 reports (indirectly) to leader L1."""
    program = make_program(owner)
    leaders = [PersonFactory(employee_id=f"L{i}", level=9, user=UserFactory()) for i in (1, 2, 3)]
    team_lead = PersonFactory(employee_id="T1", level=6, manager=leaders[0])
    juniors = [
        PersonFactory(employee_id="J1", level=2, manager=team_lead, user=UserFactory()),
        PersonFactory(employee_id="J2", level=2, user=UserFactory()),
        PersonFactory(employee_id="J3", level=3, user=UserFactory()),
    ]
    ai, hybrid, green = {"generative-ai": 3}, {"hybrid-meetings": 3}, {"sustainability": 3}
    mentors = [
        enrol(program, owner, juniors[0], "mentor", ai),  # the best AI expert, but in L1's chain
        enrol(program, owner, juniors[1], "mentor", hybrid),
        enrol(program, owner, juniors[2], "mentor", green),
    ]
    mentees = [
        enrol(program, owner, leaders[0], "mentee", ai),
        enrol(program, owner, leaders[1], "mentee", hybrid),
        enrol(program, owner, leaders[2], "mentee", ai),
    ]
    program_transition(program=program, to=ProgramStatus.MATCHING)
    return {"program": program, "mentors": mentors, "mentees": mentees}


def proposed(run: MatchRun) -> set[tuple[str, str]]:
    return {
        (p.mentor.person.employee_id, p.mentee.person.employee_id)
        for p in run.proposals.select_related("mentor__person", "mentee__person")
    }


def test_a_run_proposes_pairs_with_reasons_and_never_inside_a_reporting_chain(
    cohort: dict, owner: User
) -> None:
    run = services.match_run_start(program=cohort["program"], by=owner)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    pairs = proposed(run)
    assert ("J1", "L1") not in pairs  # J1 reports to L1 through T1
    assert len(pairs) == 3
    assert run.report["matched"] == 3
    assert all(p.reasons for p in run.proposals.all())
    assert run.rules["min_level_gap"] == 2


def test_blocks_and_locks_are_honoured(cohort: dict, owner: User) -> None:
    program = cohort["program"]
    first = proposed(services.match_run_start(program=program, by=owner))
    mentor_id, mentee_id = sorted(first)[0]
    mentor = program.enrollments.get(person__employee_id=mentor_id)
    mentee = program.enrollments.get(person__employee_id=mentee_id)
    services.pair_rule_set(program=program, mentor=mentor, mentee=mentee, kind="block", by=owner)
    assert (mentor_id, mentee_id) not in proposed(
        services.match_run_start(program=program, by=owner)
    )
    j3 = program.enrollments.get(person__employee_id="J3")
    l2 = program.enrollments.get(person__employee_id="L2")
    services.pair_rule_set(program=program, mentor=j3, mentee=l2, kind="lock", by=owner)
    locked_run = services.match_run_start(program=program, by=owner)
    assert ("J3", "L2") in proposed(locked_run)
    assert locked_run.proposals.get(mentor=j3).locked


def test_a_lock_that_breaks_a_hard_rule_fails_the_run_with_a_clear_error(
    cohort: dict, owner: User
) -> None:
    program = cohort["program"]
    j1 = program.enrollments.get(person__employee_id="J1")
    l1 = program.enrollments.get(person__employee_id="L1")
    services.pair_rule_set(program=program, mentor=j1, mentee=l1, kind="lock", by=owner)
    run = services.match_run_start(program=program, by=owner)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "J1" in run.error and "L1" in run.error
    assert not run.proposals.exists()


def test_training_gates_matching_when_the_program_requires_it(owner: User) -> None:
    program = make_program(owner, training_required=True)
    mentor = enrol(
        program, owner, PersonFactory(employee_id="M1", level=2), "mentor", {"generative-ai": 3}
    )
    enrol(program, owner, PersonFactory(employee_id="B1", level=9), "mentee", {"generative-ai": 3})
    program_transition(program=program, to=ProgramStatus.MATCHING)
    run = services.match_run_start(program=program, by=owner)
    assert not run.proposals.exists()
    reasons = {u["id"]: u for u in run.report["unmatched"]}
    assert reasons["M1"]["code"] == "training" and reasons["B1"]["code"] == "training"
    from upward.programs.catalogue import modules_for

    for role, person in (
        ("mentor", mentor.person),
        ("mentee", Person.objects.get(employee_id="B1")),
    ):
        for module in modules_for(role):
            training_complete(
                person=person, module_slug=module.slug, reflection="Noted for myself, to act on."
            )
    assert proposed(services.match_run_start(program=program, by=owner)) == {("M1", "B1")}


def test_publish_creates_proposed_pairs_once_and_declines_free_people_for_rematch(
    cohort: dict, owner: User
) -> None:
    program = cohort["program"]
    run = services.match_run_start(program=program, by=owner)
    pairs = services.match_run_publish(run=run, by=owner)
    assert len(pairs) == 3 and {p.status for p in Pair.objects.all()} == {PairStatus.PROPOSED}
    with pytest.raises(DomainError, match="already published"):
        services.match_run_publish(run=run, by=owner)
    # Nobody is in two live pairs, so a new run has no one left to match.
    empty = services.match_run_start(program=program, by=owner)
    assert not empty.proposals.exists()
    declined = Pair.objects.select_related("mentee__person__user").first()
    pair_decline(pair=declined, by=declined.mentee.person.user)
    rematch = services.match_run_start(program=program, by=owner)
    freed = {declined.mentor.person.employee_id, declined.mentee.person.employee_id}
    ids = {person for pair in proposed(rematch) for person in pair}
    assert ids <= freed


def test_runs_need_a_matching_or_running_program(owner: User) -> None:
    program = make_program(owner)
    with pytest.raises(DomainError, match="Move the program to matching"):
        services.match_run_start(program=program, by=owner)


def test_large_runs_go_to_the_background_worker(
    cohort: dict,
    owner: User,
    monkeypatch: pytest.MonkeyPatch,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(services, "BACKGROUND_PAIRS", 0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.match_run_start(program=cohort["program"], by=owner)
    assert MatchRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100


# --- the API door ------------------------------------------------------------------------------


def post(client: Client, path: str, body: object | None = None) -> object:
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_the_whole_flow_through_the_api(
    cohort: dict, owner: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(owner)
    slug = cohort["program"].slug
    rule = post(
        client,
        f"/api/programs/{slug}/pair-rules",
        {"mentor_id": "J3", "mentee_id": "L2", "kind": "lock"},
    )
    assert rule.status_code == 201
    first = post(client, f"/api/programs/{slug}/match-runs").json()
    assert first["status"] == "done" and first["report"]["matched"] == 3
    proposals = client.get(f"/api/match-runs/{first['id']}/proposals").json()["items"]
    locked = [(p["mentor_id"], p["mentee_id"]) for p in proposals if p["locked"]]
    assert locked == [("J3", "L2")]
    second = post(client, f"/api/programs/{slug}/match-runs", {"stable": True}).json()
    compared = client.get(f"/api/match-runs/{first['id']}/compare/{second['id']}").json()
    assert compared["matched"][0] == 3
    published = post(client, f"/api/match-runs/{first['id']}/publish").json()
    assert published == {"published": 3}
    mentee = Person.objects.get(employee_id="L2").user
    mine = client_for(mentee).get("/api/pairs").json()["items"]
    assert [p["mentor"]["employee_id"] for p in mine] == ["J3"]
    assert mine[0]["reasons"]


def test_matching_endpoints_are_404_for_another_programs_coordinator(
    cohort: dict, owner: User, client_for: Callable[[User | None], Client]
) -> None:
    run = services.match_run_start(program=cohort["program"], by=owner)
    stranger = client_for(UserFactory(role=Role.COORDINATOR))
    slug = cohort["program"].slug
    assert post(stranger, f"/api/programs/{slug}/match-runs").status_code == 404
    assert stranger.get(f"/api/match-runs/{run.pk}").status_code == 404
    assert post(stranger, f"/api/match-runs/{run.pk}/publish").status_code == 404
    participant = client_for(Person.objects.get(employee_id="L1").user)
    assert participant.get(f"/api/match-runs/{run.pk}/proposals").status_code == 404
    assert not Pair.objects.exists()


def test_engine_progress_is_written_to_the_run_row_for_pollers(cohort: dict, owner: User) -> None:
    run = services.match_run_start(program=cohort["program"], by=owner)
    MatchRun.objects.filter(pk=run.pk).update(progress=0)
    advance = services._row_progress(run)("scoring pairs", 200)
    advance(100)
    assert MatchRun.objects.get(pk=run.pk).progress == 50
    advance(100)  # within half a second of the last write: not written again
    assert MatchRun.objects.get(pk=run.pk).progress == 50
