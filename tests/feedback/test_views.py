"""Feedback pages: a check-in from the session page, the survey, and a support request."""

from __future__ import annotations

import pytest

from tests.feedback.conftest import make_pairs
from tests.feedback.test_api import held
from upward.core.models import User
from upward.feedback.catalogue import ITEMS
from upward.feedback.models import CheckIn, SupportRequest, SurveyResponse
from upward.programs.models import Program

pytestmark = pytest.mark.django_db


def test_a_member_checks_in_from_the_session_page(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    [pair] = make_pairs(running_program, program_owner, 1)
    session_id = held(pair)
    mentee = client_for(pair.mentee.person.user)
    page = mentee.get(f"/pairs/{pair.pk}/sessions/{session_id}/").content.decode()
    assert 'id="checkin"' in page and "Only you will ever see your answers" in page
    response = mentee.post(
        f"/pairs/{pair.pk}/sessions/{session_id}/checkin/",
        {"usefulness": "4", "openness": "3", "balance": "5", "comment": "fine"},
    )
    assert response.status_code == 302
    assert CheckIn.objects.get().openness == 3
    assert (
        'id="checkin-done"'
        in mentee.get(f"/pairs/{pair.pk}/sessions/{session_id}/").content.decode()
    )
    # The coordinator cannot post one on anyone's behalf (the workspace is not theirs).
    coordinator = client_for(program_owner)
    refused = coordinator.post(
        f"/pairs/{pair.pk}/sessions/{session_id}/checkin/", {"usefulness": "1"}
    )
    assert refused.status_code == 404 and CheckIn.objects.count() == 1


def test_a_bad_answer_is_named_and_nothing_saved(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    [pair] = make_pairs(running_program, program_owner, 1)
    session_id = held(pair)
    client = client_for(pair.mentor.person.user)
    response = client.post(
        f"/pairs/{pair.pk}/sessions/{session_id}/checkin/",
        {"usefulness": "9", "openness": "3", "balance": "5"},
        follow=True,
    )
    assert "Answer on the 1–5 scale." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_the_starting_survey_is_answered_on_its_page(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    [pair] = make_pairs(running_program, program_owner, 1)
    client = client_for(pair.mentor.person.user)
    url = f"/programs/{running_program.slug}/survey/"
    assert "Starting survey" in client.get(url).content.decode()
    answers = {item: "2" for item, _ in ITEMS["mentor"]}
    client.post(url, {"phase": "pre", **answers})
    assert SurveyResponse.objects.get().answers.count() == len(answers)


def test_a_support_request_reaches_the_coordinators_page_only(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    [pair] = make_pairs(running_program, program_owner, 1)
    client_for(pair.mentee.person.user).post(
        f"/programs/{running_program.slug}/support/", {"body": "I feel uncomfortable"}
    )
    assert SupportRequest.objects.count() == 1
    url = f"/programs/{running_program.slug}/support/requests/"
    assert "I feel uncomfortable" in client_for(program_owner).get(url).content.decode()
    assert client_for(pair.mentor.person.user).get(url).status_code == 403
    mentor_page = client_for(pair.mentor.person.user).get(
        f"/programs/{running_program.slug}/support/"
    )
    assert "I feel uncomfortable" not in mentor_page.content.decode()
