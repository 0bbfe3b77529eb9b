"""Matching pages: coordinators run, review, lock and block, compare and publish; nobody else sees them."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, UserFactory
from tests.programs.conftest import make_program
from upward.core.models import Role, User
from upward.matching import services
from upward.matching.models import MatchRun, PairRule, RunStatus
from upward.mentoring.models import Pair, PairStatus
from upward.people.models import Person
from upward.programs.models import Enrollment, Program, ProgramStatus
from upward.programs.services import enrollment_apply, program_transition

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def body(response: Any) -> str:
    """The page as a reader sees it: entities such as &#x27; unescaped."""
    return html.unescape(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def enrol(program: Program, owner: User, person: Person, role: str, topic: str) -> Enrollment:
    kind = "expertise" if role == "mentor" else "interest"
    return enrollment_apply(
        program=program, person=person, role=role, topics={kind: {topic: 3}}, approve=True,
        by=owner,
    ).enrollment  # fmt: skip


def add_pair_of_people(program: Program, owner: User, n: int) -> None:
    """One more mentor and one more mentee who suit each other."""
    enrol(program, owner, PersonFactory(employee_id=f"XM{n}", level=2), "mentor", "sustainability")
    enrol(program, owner, PersonFactory(employee_id=f"XE{n}", level=9), "mentee", "sustainability")


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR, email="owner@example.org")


@pytest.fixture
def cohort(owner: User) -> Program:
    """Three leaders (L1–L3) and three juniors (J1–J3) in matching; J1 reports to L1."""
    program = make_program(
        owner, name="Cohort", topics=("generative-ai", "hybrid-meetings", "sustainability"),
        training_required=False,
    )  # fmt: skip
    leaders = [
        PersonFactory(employee_id=f"L{i}", full_name=f"Leader {i}", level=9, user=UserFactory())
        for i in (1, 2, 3)
    ]
    team_lead = PersonFactory(employee_id="T1", level=6, manager=leaders[0])
    juniors = [
        PersonFactory(employee_id="J1", full_name="Junior 1", level=2, manager=team_lead,
                      user=UserFactory()),
        PersonFactory(employee_id="J2", full_name="Junior 2", level=2, user=UserFactory()),
        PersonFactory(employee_id="J3", full_name="Junior 3", level=3, user=UserFactory()),
    ]  # fmt: skip
    for person, topic in zip(
        juniors, ("generative-ai", "hybrid-meetings", "sustainability"), strict=True
    ):
        enrol(program, owner, person, "mentor", topic)
    for person, topic in zip(
        leaders, ("generative-ai", "hybrid-meetings", "generative-ai"), strict=True
    ):
        enrol(program, owner, person, "mentee", topic)
    program_transition(program=program, to=ProgramStatus.MATCHING)
    return program


@pytest.fixture
def run(cohort: Program, owner: User) -> MatchRun:
    done = services.match_run_start(program=cohort, by=owner)
    done.refresh_from_db()
    assert done.status == RunStatus.DONE, done.error
    return done


@pytest.fixture
def client_as(
    client_for: Callable[[User | None], Client],
    owner: User,
    admin_user: User,
    sponsor: User,
    make_user: Callable[..., User],
    cohort: Program,
) -> Callable[[str], Client]:
    """A client by who they are to the cohort; "member" is a leader enrolled in it."""
    other = make_user(Role.COORDINATOR, email="other@example.org")
    make_program(other, name="Elsewhere", status=ProgramStatus.MATCHING, training_required=False)
    users: dict[str, User | None] = {
        "owner": owner,
        "admin": admin_user,
        "other_coordinator": other,
        "member": Person.objects.get(employee_id="L1").user,
        "sponsor": sponsor,
        "anonymous": None,
    }
    return lambda who: client_for(users[who])


def proposed(run: MatchRun) -> set[tuple[str, str]]:
    return set(
        run.proposals.values_list("mentor__person__employee_id", "mentee__person__employee_id")
    )


def enrolment(program: Program, employee_id: str) -> Enrollment:
    return program.enrollments.get(person__employee_id=employee_id)


# --- who may see and do what --------------------------------------------------------------------

WHO = [
    ("owner", 200),
    ("admin", 200),
    ("other_coordinator", 404),
    ("member", 404),
    ("sponsor", 404),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("who", "status"), WHO)
@pytest.mark.parametrize(
    "suffix", ["", "runs/1/", "runs/1/?compare=1", "runs/1/publish/", "runs/1/progress/"]
)
def test_matching_pages_are_for_the_programs_coordinators_only(
    who: str, status: int, suffix: str, client_as: Callable[[str], Client], run: MatchRun
) -> None:
    response = client_as(who).get(f"/programs/{run.program.slug}/matching/{suffix}")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    if status == 404:
        assert "Leader 1" not in body(response)


@pytest.mark.parametrize(("who", "status"), [w for w in WHO if w[0] not in ("owner", "admin")])
def test_nobody_else_can_run_lock_block_or_publish(
    who: str, status: int, client_as: Callable[[str], Client], run: MatchRun
) -> None:
    program = run.program
    rule = PairRule.objects.create(
        program=program, mentor=enrolment(program, "J2"), mentee=enrolment(program, "L3"),
        kind="block",
    )  # fmt: skip
    proposal = run.proposals.first()
    assert proposal is not None
    base = f"/programs/{program.slug}/matching/"
    client = client_as(who)
    for path, data in (
        ("runs/", {"method": "optimal"}),
        ("rules/", {"mentor": enrolment(program, "J3").pk, "mentee": enrolment(program, "L2").pk,
                    "kind": "lock"}),
        (f"rules/{rule.pk}/remove/", {}),
        (f"runs/1/proposals/{proposal.pk}/rule/", {"kind": "lock"}),
        ("runs/1/publish/", {}),
    ):  # fmt: skip
        assert client.post(base + path, data).status_code == status, path
    assert MatchRun.objects.count() == 1
    assert list(PairRule.objects.values_list("kind", flat=True)) == ["block"]
    assert not Pair.objects.exists()


def test_the_coordinators_program_page_links_to_matching(
    client_as: Callable[[str], Client], cohort: Program
) -> None:
    page = body(client_as("owner").get(f"/programs/{cohort.slug}/"))
    assert f'href="/programs/{cohort.slug}/matching/"' in page


# --- running and reviewing ----------------------------------------------------------------------


def test_a_run_from_the_page_shows_its_proposals_with_reasons(
    client_as: Callable[[str], Client], cohort: Program
) -> None:
    client = client_as("owner")
    response = client.post(f"/programs/{cohort.slug}/matching/runs/", {"method": "optimal"})
    assert response.status_code == 302
    assert response["Location"] == f"/programs/{cohort.slug}/matching/runs/1/"
    run = MatchRun.objects.get()
    assert (run.status, run.stable) == (RunStatus.DONE, False)
    page = client.get(response["Location"])
    assert "Run 1 finished: 3 pairs proposed." in messages_of(page)
    page_text = body(page)
    for proposal in run.proposals.select_related("mentor__person", "mentee__person"):
        assert proposal.reasons and proposal.reasons in page_text
        assert proposal.mentor.person.full_name in page_text
        assert f'id="proposal-{proposal.pk}"' in page_text
    assert ("J1", "L1") not in proposed(run)  # J1 reports to L1
    assert "Blocking pairs" in page_text and "Publish…" in page_text
    assert 'name="kind" value="lock"' in page_text and 'name="kind" value="block"' in page_text


def test_a_stable_run_is_recorded_as_stable(
    client_as: Callable[[str], Client], cohort: Program
) -> None:
    client_as("owner").post(f"/programs/{cohort.slug}/matching/runs/", {"method": "stable"})
    assert MatchRun.objects.get().stable is True


def test_a_run_before_matching_is_refused_with_the_reason(
    client_as: Callable[[str], Client], owner: User
) -> None:
    enrolling = make_program(owner, name="Still Enrolling", training_required=False)
    client = client_as("owner")
    page = client.get(f"/programs/{enrolling.slug}/matching/")
    assert "Run matching</button>" not in body(page)
    response = client.post(
        f"/programs/{enrolling.slug}/matching/runs/", {"method": "optimal"}, follow=True
    )
    assert "Move the program to matching first (it is enrolling)." in messages_of(response)
    assert not MatchRun.objects.exists()


def test_unmatched_people_are_listed_with_their_reasons(
    client_as: Callable[[str], Client], cohort: Program, owner: User
) -> None:
    lonely = PersonFactory(employee_id="L9", full_name="Lonely Leader", level=9)
    enrol(cohort, owner, lonely, "mentee", "generative-ai")
    run = services.match_run_start(program=cohort, by=owner)
    unmatched = {row["id"]: row for row in run.report["unmatched"]}
    assert unmatched
    page = body(client_as("owner").get(f"/programs/{cohort.slug}/matching/runs/{run.number}/"))
    for row in unmatched.values():
        assert row["reason"] in page
    assert "Lonely Leader" in page or "L9" not in unmatched


def test_a_failed_run_shows_its_error(
    client_as: Callable[[str], Client], cohort: Program, owner: User
) -> None:
    # J1 reports to L1: locking them together breaks a hard rule.
    services.pair_rule_set(
        program=cohort, mentor=enrolment(cohort, "J1"), mentee=enrolment(cohort, "L1"),
        kind="lock", by=owner,
    )  # fmt: skip
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/matching/runs/", {"method": "optimal"}, follow=True
    )
    run = MatchRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert any("could not match" in m for m in messages_of(response))
    assert "This run could not match." in body(response)
    assert "Publish…" not in body(response)


# --- progress -----------------------------------------------------------------------------------


def test_unfinished_runs_poll_for_progress_until_done(
    client_as: Callable[[str], Client], cohort: Program, owner: User
) -> None:
    queued = MatchRun.objects.create(
        program=cohort, number=1, status=RunStatus.RUNNING, progress=40, created_by=owner
    )
    client = client_as("owner")
    listing = body(client.get(f"/programs/{cohort.slug}/matching/"))
    assert 'hx-trigger="every 2s"' in listing and 'value="40"' in listing
    run_page = body(client.get(f"/programs/{cohort.slug}/matching/runs/1/"))
    assert 'hx-trigger="every 2s"' in run_page and "Publish…" not in run_page
    row = body(client.get(f"/programs/{cohort.slug}/matching/runs/1/progress/", **HTMX))
    assert row.startswith('<tr id="run-1"') and 'hx-trigger="every 2s"' in row

    MatchRun.objects.filter(pk=queued.pk).update(
        status=RunStatus.DONE, progress=100, report={"matched": 2, "mentees": 3, "total_fit": 1.5}
    )
    row = body(client.get(f"/programs/{cohort.slug}/matching/runs/1/progress/", **HTMX))
    assert "hx-trigger" not in row and "1.50" in row
    box = client.get(f"/programs/{cohort.slug}/matching/runs/1/progress/?on=run", **HTMX)
    assert box["HX-Refresh"] == "true"
    assert 'hx-trigger="every 2s"' not in body(client.get(f"/programs/{cohort.slug}/matching/"))


# --- locks and blocks ---------------------------------------------------------------------------


def test_a_lock_and_a_block_set_on_the_pages_are_honoured_by_the_next_run(
    client_as: Callable[[str], Client], cohort: Program, run: MatchRun, owner: User
) -> None:
    client = client_as("owner")
    # Block one of the first run's pairs from its row (htmx swaps just that row).
    blocked = run.proposals.select_related("mentor__person", "mentee__person").exclude(
        mentee__person__employee_id="L2"
    )[0]
    row = client.post(
        f"/programs/{cohort.slug}/matching/runs/1/proposals/{blocked.pk}/rule/",
        {"kind": "block"},
        **HTMX,
    )
    assert row.status_code == 200
    assert body(row).startswith(f'<tr id="proposal-{blocked.pk}"') and "<html" not in body(row)
    assert "blocked" in body(row) and 'value="clear"' in body(row)
    # Lock J3 with L2 from the rule form.
    response = client.post(
        f"/programs/{cohort.slug}/matching/rules/",
        {"mentor": enrolment(cohort, "J3").pk, "mentee": enrolment(cohort, "L2").pk,
         "kind": "lock"},
        follow=True,
    )  # fmt: skip
    assert "Junior 3 and Leader 2 are locked together. The next run will honour it." in (
        messages_of(response)
    )
    assert set(PairRule.objects.values_list("kind", flat=True)) == {"lock", "block"}

    client.post(f"/programs/{cohort.slug}/matching/runs/", {"method": "optimal"})
    second = MatchRun.objects.get(number=2)
    pairs = proposed(second)
    assert ("J3", "L2") in pairs and second.proposals.get(mentor__person__employee_id="J3").locked
    assert (blocked.mentor.person.employee_id, blocked.mentee.person.employee_id) not in pairs
    page_text = body(client.get(f"/programs/{cohort.slug}/matching/runs/2/"))
    assert "Locked</span>" in page_text


def test_a_second_lock_for_one_mentee_is_refused_next_to_the_input(
    client_as: Callable[[str], Client], cohort: Program
) -> None:
    client = client_as("owner")
    url = f"/programs/{cohort.slug}/matching/rules/"
    l2 = enrolment(cohort, "L2").pk
    client.post(url, {"mentor": enrolment(cohort, "J2").pk, "mentee": l2, "kind": "lock"})
    response = client.post(url, {"mentor": enrolment(cohort, "J3").pk, "mentee": l2,
                                 "kind": "lock"})  # fmt: skip
    assert response.status_code == 200
    assert "Leader 2 is already locked to someone else." in body(response)
    assert PairRule.objects.count() == 1


def test_a_rule_must_link_an_approved_mentor_to_an_approved_mentee(
    client_as: Callable[[str], Client], cohort: Program
) -> None:
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/matching/rules/",
        {"mentor": enrolment(cohort, "L1").pk, "mentee": enrolment(cohort, "J1").pk,
         "kind": "lock"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in body(response)
    assert not PairRule.objects.exists()


def test_a_row_lock_for_an_already_locked_mentee_shows_the_error_in_the_row(
    client_as: Callable[[str], Client], cohort: Program, run: MatchRun, owner: User
) -> None:
    proposal = run.proposals.select_related("mentee__person", "mentor").first()
    assert proposal is not None
    other_mentor = cohort.enrollments.filter(role="mentor").exclude(pk=proposal.mentor_id).first()
    services.pair_rule_set(
        program=cohort, mentor=other_mentor, mentee=proposal.mentee, kind="lock", by=owner
    )
    row = client_as("owner").post(
        f"/programs/{cohort.slug}/matching/runs/1/proposals/{proposal.pk}/rule/",
        {"kind": "lock"},
        **HTMX,
    )
    assert "already locked to someone else" in body(row) and 'role="alert"' in body(row)
    assert PairRule.objects.count() == 1


def test_rules_are_listed_and_can_be_removed(
    client_as: Callable[[str], Client], cohort: Program, owner: User
) -> None:
    rule = services.pair_rule_set(
        program=cohort, mentor=enrolment(cohort, "J2"), mentee=enrolment(cohort, "L3"),
        kind="block", by=owner,
    )  # fmt: skip
    client = client_as("owner")
    page = body(client.get(f"/programs/{cohort.slug}/matching/"))
    assert "Blocked</span>" in page and "Junior 2" in page
    response = client.post(f"/programs/{cohort.slug}/matching/rules/{rule.pk}/remove/", follow=True)
    assert "Removed the block on Junior 2 and Leader 3." in messages_of(response)
    assert not PairRule.objects.exists()


# --- comparing ----------------------------------------------------------------------------------


def test_comparing_two_runs_lists_what_changed_and_the_fit_difference(
    client_as: Callable[[str], Client], cohort: Program, run: MatchRun, owner: User
) -> None:
    first = proposed(run)
    mentor_id, mentee_id = sorted(first)[0]
    services.pair_rule_set(
        program=cohort, mentor=enrolment(cohort, mentor_id), mentee=enrolment(cohort, mentee_id),
        kind="block", by=owner,
    )  # fmt: skip
    second = services.match_run_start(program=cohort, by=owner)
    changed = first ^ proposed(second)
    assert changed
    client = client_as("owner")
    response = client.get(f"/programs/{cohort.slug}/matching/runs/2/?compare=1")
    comparison = response.context["comparison"]
    assert (comparison["earlier"].number, comparison["later"].number) == (1, 2)
    names = dict(Person.objects.values_list("employee_id", "full_name"))
    removed = {(names[a], names[b]) for a, b in first - proposed(second)}
    added = {(names[a], names[b]) for a, b in proposed(second) - first}
    assert set(comparison["pairs"]["removed"]) == removed
    assert set(comparison["pairs"]["added"]) == added
    assert (names[mentor_id], names[mentee_id]) in removed
    page_text = body(response)
    assert "Run 1 → run 2" in page_text
    assert f"Removed ({len(removed)})" in page_text and f"Added ({len(added)})" in page_text
    change = second.report["total_fit"] - run.report["total_fit"]
    assert f"{change:.3f}".lstrip("-") in page_text
    # The same comparison from the other run's page reads in run order too.
    assert (
        client.get(f"/programs/{cohort.slug}/matching/runs/1/?compare=2").context["comparison"][
            "pairs"
        ]["removed"]
        == comparison["pairs"]["removed"]
    )


def test_comparing_with_a_run_that_does_not_exist_says_so(
    client_as: Callable[[str], Client], run: MatchRun
) -> None:
    response = client_as("owner").get(f"/programs/{run.program.slug}/matching/runs/1/?compare=7")
    assert response.status_code == 200 and response.context["comparison"] is None
    assert "There is no finished run 7 to compare with." in messages_of(response)


# --- publishing ---------------------------------------------------------------------------------


def test_publishing_creates_proposed_pairs_once(
    client_as: Callable[[str], Client], run: MatchRun
) -> None:
    client = client_as("owner")
    url = f"/programs/{run.program.slug}/matching/runs/1/publish/"
    confirm = body(client.get(url))
    assert "Publish 3 pairs</button>" in confirm
    response = client.post(url, follow=True)
    assert any(m.startswith("Published run 1: 3 pairs.") for m in messages_of(response))
    assert Pair.objects.count() == 3
    assert set(Pair.objects.values_list("status", flat=True)) == {PairStatus.PROPOSED}
    assert all(p.reasons for p in Pair.objects.all())
    assert "Published pairs" in body(response) and "Proposed</span>" in body(response)

    again = client.post(url, follow=True)
    assert "Not published: Run 1 is already published." in messages_of(again)
    assert Pair.objects.count() == 3
    assert "Run 1 is already published." in body(client.get(url))
    assert "Publish…" not in body(client.get(f"/programs/{run.program.slug}/matching/runs/1/"))


def test_a_run_that_has_not_finished_cannot_be_published(
    client_as: Callable[[str], Client], cohort: Program, owner: User
) -> None:
    MatchRun.objects.create(program=cohort, number=1, status=RunStatus.QUEUED, created_by=owner)
    client = client_as("owner")
    url = f"/programs/{cohort.slug}/matching/runs/1/publish/"
    assert "only a finished run can be published" in body(client.get(url))
    response = client.post(url, follow=True)
    assert "Not published: Run 1 is queued." in messages_of(response)
    assert not Pair.objects.exists()


# --- query counts -------------------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_run_page_does_not_query_per_proposal_or_per_unmatched_person(
    client_as: Callable[[str], Client], cohort: Program, owner: User
) -> None:
    client = client_as("owner")
    enrol(cohort, owner, PersonFactory(level=9), "mentee", "generative-ai")  # left unmatched
    first = services.match_run_start(program=cohort, by=owner)
    services.pair_rule_set(
        program=cohort, mentor=enrolment(cohort, "J2"), mentee=enrolment(cohort, "L3"),
        kind="block", by=owner,
    )  # fmt: skip
    second = services.match_run_start(program=cohort, by=owner)
    url = f"/programs/{cohort.slug}/matching/runs/{{}}/?compare={{}}"
    few = count_queries(client, url.format(second.number, first.number))
    for n in range(6):
        add_pair_of_people(cohort, owner, n)
    for _ in range(3):
        enrol(cohort, owner, PersonFactory(level=9), "mentee", "generative-ai")
    big = services.match_run_start(program=cohort, by=owner)
    assert big.proposals.count() > second.proposals.count() + 4
    assert len(big.report["unmatched"]) > len(second.report["unmatched"])
    assert count_queries(client, url.format(big.number, second.number)) == few


def test_the_matching_page_does_not_query_per_run_rule_or_pair(
    client_as: Callable[[str], Client], cohort: Program, owner: User
) -> None:
    client = client_as("owner")
    url = f"/programs/{cohort.slug}/matching/"
    run = services.match_run_start(program=cohort, by=owner)
    services.match_run_publish(run=run, by=owner)
    services.pair_rule_set(
        program=cohort, mentor=enrolment(cohort, "J2"), mentee=enrolment(cohort, "L3"),
        kind="block", by=owner,
    )  # fmt: skip
    few = count_queries(client, url)
    for n in range(5):
        add_pair_of_people(cohort, owner, n)
        services.pair_rule_set(
            program=cohort, mentor=enrolment(cohort, f"XM{n}"), mentee=enrolment(cohort, f"XE{n}"),
            kind="lock", by=owner,
        )  # fmt: skip
    more = services.match_run_start(program=cohort, by=owner)
    services.match_run_publish(run=more, by=owner)
    services.match_run_start(program=cohort, by=owner, stable=True)
    assert Pair.objects.count() >= 8 and PairRule.objects.count() == 6
    assert count_queries(client, url) == few


def test_a_rerun_after_publishing_ignores_rules_about_people_already_paired(
    client_as: Callable[[str], Client], cohort: Program, owner: User
) -> None:
    client = client_as("owner")
    rules = f"/programs/{cohort.slug}/matching/rules/"
    for mentor, mentee, kind in (("J3", "L2", "lock"), ("J2", "L3", "block")):
        client.post(rules, {"mentor": enrolment(cohort, mentor).pk,
                            "mentee": enrolment(cohort, mentee).pk, "kind": kind})  # fmt: skip
    client.post(f"/programs/{cohort.slug}/matching/runs/", {"method": "optimal"})
    client.post(f"/programs/{cohort.slug}/matching/runs/1/publish/")
    assert Pair.objects.count() == 3
    freed = Pair.objects.select_related("mentee__person__user").get(
        mentee__person__employee_id="L3"
    )
    decline = Client()
    decline.force_login(freed.mentee.person.user)
    decline.post(f"/pairs/{freed.pk}/decline/")

    response = client.post(
        f"/programs/{cohort.slug}/matching/runs/", {"method": "optimal"}, follow=True
    )
    rerun = MatchRun.objects.get(number=2)
    assert rerun.status == RunStatus.DONE, rerun.error
    assert proposed(rerun) == {(freed.mentor.person.employee_id, "L3")}
    assert "Run 2 finished: 1 pair proposed." in messages_of(response)
