"""My pairs: members see their match and answer for it; coordinators read; nobody learns who ended it."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.mentoring.conftest import enrol
from upward.core.models import Role, User
from upward.matching.services import match_run_start
from upward.mentoring.models import Pair, PairStatus
from upward.mentoring.services import pair_accept
from upward.programs.models import Enrollment, Program, ProgramStatus
from upward.programs.services import program_transition

pytestmark = pytest.mark.django_db

INTRODUCTION = "I build our team's automations and love explaining them."
GOAL = "Use AI assistants with my leadership team without losing judgement."


def body(response: Any) -> str:
    """The page as a reader sees it: entities such as &#x27; unescaped."""
    return html.unescape(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def pair(proposed_pair: Pair) -> Pair:
    """The proposed pair, with the mentor's introduction, the mentee's goal and job titles."""
    Enrollment.objects.filter(pk=proposed_pair.mentor_id).update(introduction=INTRODUCTION)
    Enrollment.objects.filter(pk=proposed_pair.mentee_id).update(goal=GOAL)
    proposed_pair.mentor.person.title = "Automation Analyst"
    proposed_pair.mentor.person.save()
    proposed_pair.mentee.person.title = "Chief Operating Officer"
    proposed_pair.mentee.person.save()
    return Pair.objects.select_related("mentor__person__user", "mentee__person__user").get(
        pk=proposed_pair.pk
    )


@pytest.fixture
def client_as(
    pair: Pair, program_owner: User, client_for: Callable[[User | None], Client]
) -> Callable[[str], Client]:
    users: dict[str, User | None] = {
        "mentor": pair.mentor.person.user,
        "mentee": pair.mentee.person.user,
        "owner": program_owner,
        "admin": UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True),
        "other_coordinator": UserFactory(role=Role.COORDINATOR),
        "participant": UserFactory(role=Role.PARTICIPANT),
        "sponsor": UserFactory(role=Role.SPONSOR),
        "anonymous": None,
    }
    return lambda who: client_for(users[who])


# --- who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mentor", 200),
        ("mentee", 200),
        ("owner", 200),
        ("admin", 200),
        ("other_coordinator", 404),
        ("participant", 404),
        ("sponsor", 404),
        ("anonymous", 302),
    ],
)
def test_a_pair_page_by_role(
    who: str, status: int, pair: Pair, client_as: Callable[[str], Client]
) -> None:
    response = client_as(who).get(f"/pairs/{pair.pk}/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    if status == 404:
        assert pair.mentor.person.full_name not in body(response)
    if who in ("owner", "admin"):
        page = body(response)
        assert pair.mentor.person.full_name in page and pair.mentee.person.full_name in page
        assert "Accept</button>" not in page and "only the two people in it" in page.lower()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 403),
        ("admin", 403),
        ("other_coordinator", 404),
        ("participant", 404),
        ("sponsor", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("action", ["accept", "decline", "end"])
def test_only_the_two_members_can_answer_for_a_pair(
    who: str, status: int, action: str, pair: Pair, client_as: Callable[[str], Client]
) -> None:
    client = client_as(who)
    assert client.post(f"/pairs/{pair.pk}/{action}/").status_code == status
    if action != "accept":
        assert client.get(f"/pairs/{pair.pk}/{action}/").status_code == status
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED
    assert pair.mentor_accepted_at is None and pair.mentee_accepted_at is None


def test_my_pairs_lists_only_my_own(pair: Pair, client_as: Callable[[str], Client]) -> None:
    page = body(client_as("mentee").get("/pairs/"))
    assert pair.mentor.person.full_name in page and "Automation Analyst" in page
    assert "Your answer is needed" in page and "Pairs Cohort" in page
    for who in ("participant", "owner", "sponsor"):
        listing = body(client_as(who).get("/pairs/"))
        assert pair.mentor.person.full_name not in listing
        assert "You have no pairings yet" in listing
    assert client_as("anonymous").get("/pairs/").status_code == 302


def test_my_pairs_is_in_the_navigation(client_as: Callable[[str], Client]) -> None:
    assert 'href="/pairs/"' in body(client_as("participant").get("/"))


# --- what a member sees -------------------------------------------------------------------------


def test_the_mentee_sees_the_mentor_the_reasons_and_the_introduction(
    pair: Pair, client_as: Callable[[str], Client]
) -> None:
    page = body(client_as("mentee").get(f"/pairs/{pair.pk}/"))
    assert pair.mentor.person.full_name in page and "Automation Analyst" in page
    assert "Your mentor" in page and INTRODUCTION in page
    assert "covers AI" in page
    assert "Accept</button>" in page and "Decline</a>" in page
    assert "Has not answered yet" in page and "You have not answered yet" in page


def test_the_mentor_sees_the_mentees_goal(pair: Pair, client_as: Callable[[str], Client]) -> None:
    page = body(client_as("mentor").get(f"/pairs/{pair.pk}/"))
    assert pair.mentee.person.full_name in page and "Chief Operating Officer" in page
    assert "Your mentee" in page and GOAL in page


def test_both_accept_and_the_pairing_is_active(
    pair: Pair, client_as: Callable[[str], Client]
) -> None:
    mentee, mentor = client_as("mentee"), client_as("mentor")
    first = mentee.post(f"/pairs/{pair.pk}/accept/", follow=True)
    assert "Thank you for accepting. Your match has not answered yet." in messages_of(first)
    assert "Accept</button>" not in body(first) and "✓ You have accepted" in body(first)
    assert "✓ Has accepted" in body(mentor.get(f"/pairs/{pair.pk}/"))
    second = mentor.post(f"/pairs/{pair.pk}/accept/", follow=True)
    assert "You have both accepted: your pairing is active." in messages_of(second)
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE and pair.activated_at is not None
    page = body(mentee.get(f"/pairs/{pair.pk}/"))
    assert "Active</span>" in page and "End this pairing" in page and "Decline" not in page
    again = mentee.post(f"/pairs/{pair.pk}/accept/", follow=True)
    assert "Not accepted: This pairing is active." in messages_of(again)


def test_a_decline_frees_both_and_the_other_side_sees_only_that_it_ended(
    pair: Pair,
    client_as: Callable[[str], Client],
    program_owner: User,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # The mentee had accepted; the mentor declines. Nothing on the mentee's page says who.
    pair_accept(pair=pair, by=pair.mentee.person.user)
    mentor = client_as("mentor")
    confirm = body(mentor.get(f"/pairs/{pair.pk}/decline/"))
    assert pair.mentee.person.full_name in confirm
    assert "will only be told that the pairing has ended" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor.post(f"/pairs/{pair.pk}/decline/", follow=True)
    assert "You have declined the match. You are free to be matched again." in messages_of(response)
    pair.refresh_from_db()
    assert pair.status == PairStatus.DECLINED

    page = body(client_as("mentee").get(f"/pairs/{pair.pk}/"))
    assert "Ended</span>" in page and "This pairing has ended" in page
    assert "declin" not in page.lower()
    assert "accepted" not in page.lower() and "answered" not in page.lower()
    assert "Accept</button>" not in page and "End this pairing" not in page
    listing = body(client_as("mentee").get("/pairs/"))
    assert "Ended</span>" in listing and "declin" not in listing.lower()
    assert [m.to for m in mailoutbox] == [[pair.mentee.person.user.email]]
    assert "declin" not in mailoutbox[0].body.lower()

    # Both are free: the next run pairs them again.
    program: Program = pair.program
    program_transition(program=program, to=ProgramStatus.MATCHING)
    rematch = match_run_start(program=program, by=program_owner)
    assert set(rematch.proposals.values_list("mentor_id", "mentee_id")) == {
        (pair.mentor_id, pair.mentee_id)
    }


def test_ending_an_active_pairing_is_confirmed_and_blame_free(
    pair: Pair, client_as: Callable[[str], Client]
) -> None:
    for user in (pair.mentor.person.user, pair.mentee.person.user):
        pair_accept(pair=pair, by=user)
    mentee = client_as("mentee")
    confirm = body(mentee.get(f"/pairs/{pair.pk}/end/"))
    assert "End the pairing</button>" in confirm
    assert (
        f"{pair.mentor.person.full_name} will only be told that the pairing has ended — "
        "not who ended it, and not why." in confirm
    )
    response = mentee.post(f"/pairs/{pair.pk}/end/", follow=True)
    assert "The pairing has ended. You are free to be matched again." in messages_of(response)
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED
    page = body(client_as("mentor").get(f"/pairs/{pair.pk}/"))
    assert "Ended</span>" in page and "accepted" not in page.lower()
    # The ended pairing has nothing more to end.
    assert "nothing to end" in body(mentee.get(f"/pairs/{pair.pk}/end/"))
    assert "This pairing has ended." in messages_of(
        mentee.post(f"/pairs/{pair.pk}/end/", follow=True)
    )


def test_answering_after_the_other_side_declined_says_only_that_it_ended(
    pair: Pair, client_as: Callable[[str], Client]
) -> None:
    client_as("mentor").post(f"/pairs/{pair.pk}/decline/")
    mentee = client_as("mentee")
    for action in ("accept", "decline", "end"):
        response = mentee.post(f"/pairs/{pair.pk}/{action}/", follow=True)
        assert any(m.endswith("This pairing has ended.") for m in messages_of(response)), action
        assert "declin" not in " ".join(messages_of(response)).lower()
    assert "nothing to decline" in body(mentee.get(f"/pairs/{pair.pk}/decline/"))
    assert Pair.objects.get(pk=pair.pk).status == PairStatus.DECLINED


def test_my_pairs_does_not_query_per_pair(
    running_program: Program, program_owner: User, client_for: Callable[[User | None], Client]
) -> None:
    mentor = enrol(running_program, "mentor", 2, program_owner)
    client = client_for(mentor.person.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/pairs/").status_code == 200
        return len(queries)

    def pair_with_new_mentee(status: str) -> None:
        mentee = enrol(running_program, "mentee", 9, program_owner)
        Pair.objects.create(program=running_program, mentor=mentor, mentee=mentee, status=status)

    pair_with_new_mentee(PairStatus.PROPOSED)
    few = count()
    for status in (PairStatus.ENDED, PairStatus.DECLINED, PairStatus.ENDED, PairStatus.ACTIVE):
        pair_with_new_mentee(status)
    assert count() == few
