"""The feedback API: your own answers back, aggregates for coordinators and sponsors —
and no way to single out one person's answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.feedback.conftest import leaders_surveyed, make_pairs
from upward.core.models import Role, User
from upward.feedback.models import CheckIn
from upward.mentoring import sessions
from upward.mentoring.models import Pair
from upward.programs.models import Program

pytestmark = pytest.mark.django_db

JSON = "application/json"


def held(pair: Pair) -> int:
    mentor = pair.mentor.person.user
    session = sessions.session_schedule(
        pair=pair, by=mentor, day=dt.date(2026, 1, 5), time=dt.time(9)
    )
    return sessions.session_log(session=session, by=mentor, status="held").pk


def check_in(client: Client, bearer_for, user: User, session_id: int, value: int) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        f"/api/sessions/{session_id}/checkin",
        {"usefulness": value, "openness": value, "balance": value, "comment": f"said {value}"},
        content_type=JSON, headers=bearer_for(user),
    )  # fmt: skip
    assert response.status_code == 201, response.content


def report(client: Client, bearer_for, user: User, program: Program) -> dict:  # type: ignore[no-untyped-def,type-arg]
    response = client.get(f"/api/programs/{program.slug}/report", headers=bearer_for(user))
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def test_a_member_reads_back_only_their_own_check_ins(
    client: Client, bearer_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    [pair] = make_pairs(running_program, program_owner, 1)
    session_id = held(pair)
    check_in(client, bearer_for, pair.mentor.person.user, session_id, 2)
    mine = client.get("/api/checkins", headers=bearer_for(pair.mentor.person.user)).json()
    theirs = client.get("/api/checkins", headers=bearer_for(pair.mentee.person.user)).json()
    assert [c["comment"] for c in mine] == ["said 2"] and theirs == []


def test_no_api_call_singles_out_one_persons_answer(
    client: Client, bearer_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    """Ten people answer 5; then one more answers 1. Breakdowns, the total and a report
    before and after that answer must not reveal it (k = 5)."""
    pairs = make_pairs(running_program, program_owner, 6)
    sessions_ = [held(p) for p in pairs]
    for pair, session_id in zip(pairs[:5], sessions_[:5], strict=True):
        check_in(client, bearer_for, pair.mentor.person.user, session_id, 5)
        check_in(client, bearer_for, pair.mentee.person.user, session_id, 5)
    before = report(client, bearer_for, program_owner, running_program)
    assert before["checkin_respondents"] == 10
    assert before["checkins"][0]["overall"]["mean"] == 5.0
    # The lone answer of one mentor arrives.
    check_in(client, bearer_for, pairs[5].mentor.person.user, sessions_[5], 1)
    after = report(client, bearer_for, program_owner, running_program)
    assert after == before  # held back until k people's answers close the next batch
    # By role: released with the first batch (3 mentors, 2 mentees: too few each), and
    # not again before the month is over — a batch may hold a single mentor.
    roles = {c["label"]: c for c in after["checkins"][0]["by_role"]["cells"]}
    assert roles["mentor"]["suppressed"] and roles["mentee"]["suppressed"]
    assert after["checkins"][0]["by_role"]["total"]["n"] == 5
    # The sponsor sees the same aggregates, a participant sees none.
    assert report(client, bearer_for, UserFactory(role=Role.SPONSOR), running_program) == after
    denied = client.get(
        f"/api/programs/{running_program.slug}/report",
        headers=bearer_for(pairs[0].mentor.person.user),
    )
    assert denied.status_code == 403
    # No response carries a comment or an individual answer.
    assert "said" not in str(after)
    assert CheckIn.objects.count() == 11


def test_a_small_program_shows_not_enough_responses(
    client: Client, bearer_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    pairs = make_pairs(running_program, program_owner, 2)
    for pair in pairs:
        session_id = held(pair)
        check_in(client, bearer_for, pair.mentor.person.user, session_id, 4)
        check_in(client, bearer_for, pair.mentee.person.user, session_id, 2)
    body = report(client, bearer_for, program_owner, running_program)
    assert body["checkin_respondents"] is None
    assert all(q["overall"]["suppressed"] for q in body["checkins"])


def test_support_requests_reach_the_coordinators_not_the_partner(
    client: Client, bearer_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    [pair] = make_pairs(running_program, program_owner, 1)
    mentor, mentee = pair.mentor.person.user, pair.mentee.person.user
    created = client.post(
        f"/api/programs/{running_program.slug}/support",
        {"body": "I hold back in our sessions", "pair": pair.pk},
        content_type=JSON, headers=bearer_for(mentor),
    )  # fmt: skip
    assert created.status_code == 201
    url = f"/api/programs/{running_program.slug}/support"
    assert [r["body"] for r in client.get(url, headers=bearer_for(program_owner)).json()] == [
        "I hold back in our sessions"
    ]
    assert client.get(url, headers=bearer_for(mentee)).json() == []
    assert len(client.get(url, headers=bearer_for(mentor)).json()) == 1
    empty = client.post(url, {"body": " "}, content_type=JSON, headers=bearer_for(mentor))
    assert empty.status_code == 400 and empty.json()["field"] == "body"


def test_the_report_breaks_check_ins_and_survey_change_down_and_gives_the_trend(
    client: Client, bearer_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    """Five leaders of Finance and their five mentors (in their own departments) answer
    both surveys and check in: the change shows for Finance; the check-ins by department
    show Finance with the lone-department mentors hidden; the trend has this month."""
    from upward.people.models import Department, Person

    pairs = make_pairs(running_program, program_owner, 5)
    finance = Department.objects.create(name="Finance")
    Person.objects.filter(enrollments__in=[p.mentee for p in pairs]).update(department=finance)
    leaders_surveyed(running_program, pairs, before=2, after=4)
    for pair in pairs:
        session_id = held(pair)
        check_in(client, bearer_for, pair.mentor.person.user, session_id, 3)
        check_in(client, bearer_for, pair.mentee.person.user, session_id, 5)
    body = report(client, bearer_for, program_owner, running_program)
    change = next(s for s in body["survey"] if s["role"] == "mentee")["change_by_department"]
    assert [(c["label"], c["mean"], c["n"]) for c in change["cells"]] == [("Finance", 2.0, 5)]
    usefulness = body["checkins"][0]
    departments = {c["label"]: c for c in usefulness["by_department"]["cells"]}
    assert usefulness["by_department"]["total"]["n"] == 5  # released with the first batch
    assert all(c["suppressed"] for c in departments.values())  # 2 of Finance, 3 alone
    assert body["checkin_breakdowns_as_of"] is not None
    assert body["checkin_trend"][-1]["so_far"]
    assert body["checkin_trend"][-1]["figures"][0]["figure"]["n"] == 10
