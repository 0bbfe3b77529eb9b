"""Accept, decline and the no-fault end: both sides equal, no blame, no reason shared."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from tests.factories import UserFactory
from upward.core.errors import DomainError
from upward.mentoring.models import Pair, PairStatus
from upward.mentoring.services import pair_accept, pair_decline, pair_end

pytestmark = pytest.mark.django_db


def members(pair: Pair) -> tuple:
    return pair.mentor.person.user, pair.mentee.person.user


def test_pair_becomes_active_when_both_accept(
    proposed_pair: Pair, django_capture_on_commit_callbacks
) -> None:
    mentor, mentee = members(proposed_pair)
    pair_accept(pair=proposed_pair, by=mentor)
    assert Pair.objects.get().status == PairStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        pair = pair_accept(pair=proposed_pair, by=mentee)
    assert pair.status == PairStatus.ACTIVE and pair.activated_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])


def test_only_the_two_members_can_answer(proposed_pair: Pair) -> None:
    with pytest.raises(DomainError) as caught:
        pair_accept(pair=proposed_pair, by=UserFactory())
    assert caught.value.code == "not_a_member"
    assert Pair.objects.get().mentor_accepted_at is None


def test_decline_frees_both_and_tells_the_other_side_only_that_it_ended(
    proposed_pair: Pair, django_capture_on_commit_callbacks
) -> None:
    mentor, mentee = members(proposed_pair)
    with django_capture_on_commit_callbacks(execute=True):
        pair_decline(pair=proposed_pair, by=mentee)
    pair = Pair.objects.get()
    assert (pair.status, pair.closed_by) == (PairStatus.DECLINED, mentee)
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    body = mail.outbox[0].body
    assert "ended" in body and mentee.get_full_name() not in body and "declin" not in body


def test_either_side_may_end_an_active_pairing(
    proposed_pair: Pair, django_capture_on_commit_callbacks
) -> None:
    mentor, mentee = members(proposed_pair)
    pair_accept(pair=proposed_pair, by=mentor)
    pair_accept(pair=proposed_pair, by=mentee)
    with django_capture_on_commit_callbacks(execute=True):
        pair_end(pair=proposed_pair, by=mentor)
    assert Pair.objects.get().status == PairStatus.ENDED
    assert mail.outbox[-1].to == [mentee.email]
    with pytest.raises(DomainError):
        pair_end(pair=proposed_pair, by=mentee)  # already over


def test_a_declined_pair_cannot_then_be_accepted(proposed_pair: Pair) -> None:
    mentor, mentee = members(proposed_pair)
    pair_decline(pair=proposed_pair, by=mentor)
    with pytest.raises(DomainError) as caught:
        pair_accept(pair=proposed_pair, by=mentee)
    assert caught.value.code == "not_proposed"


def test_a_mentee_holds_at_most_one_live_pairing(proposed_pair: Pair) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Pair.objects.create(
            program=proposed_pair.program, mentor=proposed_pair.mentor,
            mentee=proposed_pair.mentee, fit=0.5,
        )  # fmt: skip
    pair_decline(pair=proposed_pair, by=proposed_pair.mentor.person.user)
    again = Pair.objects.create(
        program=proposed_pair.program, mentor=proposed_pair.mentor, mentee=proposed_pair.mentee,
        fit=0.5,
    )  # fmt: skip
    assert again.status == PairStatus.PROPOSED
