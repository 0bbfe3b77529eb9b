"""`/api/pairs`: members answer for their pair; nobody else learns it exists."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import UserFactory
from upward.core.models import Role, User
from upward.mentoring.models import Pair, PairStatus

pytestmark = pytest.mark.django_db


def test_members_list_and_read_their_pair(
    proposed_pair: Pair, client_for: Callable[[User | None], Client]
) -> None:
    mentee = proposed_pair.mentee.person.user
    listed = client_for(mentee).get("/api/pairs").json()
    assert listed["count"] == 1
    pair = listed["items"][0]
    assert (pair["my_role"], pair["status"], pair["reasons"]) == ("mentee", "proposed", "covers AI")
    assert pair["mentor"]["full_name"] == proposed_pair.mentor.person.full_name
    assert "closed_by" not in pair


def test_both_accept_through_the_api(
    proposed_pair: Pair, client_for: Callable[[User | None], Client]
) -> None:
    for user in (proposed_pair.mentor.person.user, proposed_pair.mentee.person.user):
        response = client_for(user).post(f"/api/pairs/{proposed_pair.pk}/accept")
        assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert response.json()["mentor"]["accepted"] and response.json()["mentee"]["accepted"]


def test_decline_and_end_through_the_api(
    proposed_pair: Pair, client_for: Callable[[User | None], Client]
) -> None:
    mentor = client_for(proposed_pair.mentor.person.user)
    mentee = client_for(proposed_pair.mentee.person.user)
    assert mentor.post(f"/api/pairs/{proposed_pair.pk}/decline").json()["status"] == "ended"
    # The other member cannot tell a decline from an ending, from any response.
    assert mentee.get(f"/api/pairs/{proposed_pair.pk}").json()["status"] == "ended"
    refused = mentee.post(f"/api/pairs/{proposed_pair.pk}/accept")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "This pairing has ended."
    again = mentor.post(f"/api/pairs/{proposed_pair.pk}/end")
    assert again.status_code == 400 and again.json()["code"] == "cannot_end"


@pytest.mark.parametrize("who", ["participant", "other_coordinator", "sponsor"])
def test_outsiders_get_404_for_every_pair_endpoint(
    who: str, proposed_pair: Pair, client_for: Callable[[User | None], Client]
) -> None:
    role = {"participant": Role.PARTICIPANT, "other_coordinator": Role.COORDINATOR,
            "sponsor": Role.SPONSOR}[who]  # fmt: skip
    client = client_for(UserFactory(role=role))
    assert client.get("/api/pairs").json()["count"] == 0
    for method, path in (
        ("get", f"/api/pairs/{proposed_pair.pk}"),
        ("post", f"/api/pairs/{proposed_pair.pk}/accept"),
        ("post", f"/api/pairs/{proposed_pair.pk}/decline"),
        ("post", f"/api/pairs/{proposed_pair.pk}/end"),
    ):
        assert getattr(client, method)(path).status_code == 404, path
    assert Pair.objects.get().status == PairStatus.PROPOSED


def test_the_programs_coordinator_sees_metadata_but_cannot_answer(
    proposed_pair: Pair, program_owner: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(program_owner)
    assert client.get(f"/api/pairs/{proposed_pair.pk}").json()["my_role"] is None
    assert client.get(f"/api/pairs/{proposed_pair.pk}").json()["status"] == "proposed"
    listed = client.get(f"/api/programs/{proposed_pair.program.slug}/pairs").json()
    assert [p["id"] for p in listed["items"]] == [proposed_pair.pk]
    assert client.post(f"/api/pairs/{proposed_pair.pk}/accept").status_code == 403
    stranger = client_for(UserFactory(role=Role.COORDINATOR))
    assert stranger.get(f"/api/programs/{proposed_pair.program.slug}/pairs").status_code == 404


def test_anonymous_gets_401(proposed_pair: Pair) -> None:
    assert Client().get(f"/api/pairs/{proposed_pair.pk}").status_code == 401
