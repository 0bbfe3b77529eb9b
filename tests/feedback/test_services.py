"""Check-ins, surveys and support requests: each answer is its author's alone."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import UserFactory
from tests.feedback.conftest import make_pairs
from upward.core.errors import Conflict, DomainError, NotAllowed
from upward.core.models import Role, User
from upward.core.permissions import can_read_support_request
from upward.feedback import selectors, services
from upward.feedback.catalogue import ITEMS
from upward.feedback.models import CheckIn, SupportRequest, SurveyResponse
from upward.mentoring import agreements, sessions
from upward.mentoring.models import Pair, Session
from upward.programs.models import Program, ProgramStatus
from upward.programs.services import program_transition

pytestmark = pytest.mark.django_db


def test_a_member_checks_in_once_per_held_session(
    held_session: Session, mentor_user: User, mentee_user: User
) -> None:
    services.checkin_submit(session=held_session, by=mentor_user, usefulness=4, openness=5,
                            balance=4, comment="I held back a little")  # fmt: skip
    with pytest.raises(Conflict):
        services.checkin_submit(
            session=held_session, by=mentor_user, usefulness=1, openness=1, balance=1
        )
    services.checkin_submit(
        session=held_session, by=mentee_user, usefulness=5, openness=4, balance=5
    )
    assert CheckIn.objects.count() == 2
    assert CheckIn.objects.get(respondent=mentor_user).role == "mentor"


def test_answers_off_the_scale_are_refused_and_nothing_saved(
    held_session: Session, mentor_user: User
) -> None:
    with pytest.raises(DomainError) as caught:
        services.checkin_submit(
            session=held_session, by=mentor_user, usefulness=6, openness=3, balance=3
        )
    assert caught.value.field == "usefulness"
    assert not CheckIn.objects.exists()


def test_a_session_not_yet_held_takes_no_check_in(active_pair: Pair, mentor_user: User) -> None:
    session = sessions.session_schedule(
        pair=active_pair, by=mentor_user, day=dt.date(2027, 5, 1), time=dt.time(9, 0)
    )
    with pytest.raises(Conflict):
        services.checkin_submit(
            session=session, by=mentor_user, usefulness=3, openness=3, balance=3
        )


def test_only_the_pair_checks_in(held_session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        services.checkin_submit(
            session=held_session, by=make_user(), usefulness=3, openness=3, balance=3
        )


def test_the_same_survey_items_before_and_after(active_pair: Pair, mentee_user: User) -> None:
    enrollment = active_pair.mentee
    answers = {item: 2 for item, _ in ITEMS["mentee"]}
    services.survey_submit(enrollment=enrollment, by=mentee_user, phase="pre", answers=answers)
    with pytest.raises(Conflict):  # the program is enrolling: the closing survey is not open
        services.survey_submit(enrollment=enrollment, by=mentee_user, phase="post", answers=answers)
    program = active_pair.program
    program_transition(program=program, to=ProgramStatus.MATCHING)
    program_transition(program=program, to=ProgramStatus.RUNNING)
    enrollment.program.refresh_from_db()
    services.survey_submit(enrollment=enrollment, by=mentee_user, phase="post",
                           answers={item: 4 for item, _ in ITEMS["mentee"]})  # fmt: skip
    assert SurveyResponse.objects.filter(enrollment=enrollment).count() == 2


def test_a_survey_must_answer_every_item_on_the_scale(active_pair: Pair, mentee_user: User) -> None:
    items = [item for item, _ in ITEMS["mentee"]]
    with pytest.raises(DomainError) as caught:
        services.survey_submit(enrollment=active_pair.mentee, by=mentee_user, phase="pre",
                               answers={items[0]: 3})  # fmt: skip
    assert caught.value.field == items[1]
    with pytest.raises(DomainError):
        services.survey_submit(enrollment=active_pair.mentee, by=mentee_user, phase="pre",
                               answers={**{i: 3 for i in items}, items[2]: 0})  # fmt: skip
    assert not SurveyResponse.objects.exists()


def test_support_goes_to_the_programs_coordinators_only(
    active_pair: Pair, mentor_user: User, mentee_user: User, program_owner: User, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    request = services.support_request_create(
        program=active_pair.program, by=mentor_user, body="My leader keeps cancelling.",
        pair=active_pair,
    )  # fmt: skip
    assert SupportRequest.objects.get().body == "My leader keeps cancelling."
    assert request.author == mentor_user
    assert can_read_support_request(program_owner, request)
    assert can_read_support_request(mentor_user, request)
    assert not can_read_support_request(mentee_user, request)
    assert not can_read_support_request(UserFactory(role=Role.SPONSOR), request)
    assert not can_read_support_request(UserFactory(role=Role.COORDINATOR), request)


def test_health_flags_quiet_pairs_unsigned_agreements_and_missed_sessions(
    running_program: Program, program_owner: User
) -> None:
    quiet, unsigned, fine = make_pairs(running_program, program_owner, 3)
    now = dt.datetime.now(dt.UTC)
    Pair.objects.filter(pk__in=[quiet.pk, unsigned.pk, fine.pk]).update(
        activated_at=now - dt.timedelta(days=60)
    )
    for pair in (quiet, fine):
        mentor, mentee = pair.mentor.person.user, pair.mentee.person.user
        version = agreements.agreement_of(pair).version
        agreements.agreement_sign(pair=pair, by=mentor, version=version)
        agreements.agreement_sign(pair=pair, by=mentee, version=version)
    recent = (now - dt.timedelta(days=5)).date()
    for pair in (unsigned, fine):
        s = sessions.session_schedule(
            pair=pair, by=pair.mentor.person.user, day=recent, time=dt.time(9, 0)
        )
        sessions.session_log(session=s, by=pair.mentor.person.user, status="held")
    flagged = {
        a.pair.pk: a.reasons
        for a in selectors.pairs_needing_attention(program=running_program).pairs
    }
    assert set(flagged) == {quiet.pk, unsigned.pk}
    assert "No session held for 60 days" in flagged[quiet.pk][0]
    assert any("Agreement not signed" in r for r in flagged[unsigned.pk])
