"""Closing a support request: the program's coordinators mark it handled; nobody else can.

The author sees that it was handled (and any reply), not which coordinator closed it; the
audit trail records who closed which request, never what anyone wrote.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.feedback.conftest import make_pairs
from tests.mentoring.conftest import enrol
from upward.core.errors import Conflict, DomainError, NotAllowed
from upward.core.models import AuditEvent, Role, User
from upward.feedback import services
from upward.feedback.models import SupportRequest, SupportStatus
from upward.mentoring.models import Pair
from upward.programs.models import Program, ProgramStatus
from upward.programs.services import program_add_coordinator, program_create, program_transition

pytestmark = pytest.mark.django_db

BODY = "My leader keeps cancelling and I do not dare to say it."
REPLY = "We talked it through with your leader; the next three sessions are booked."


@pytest.fixture
def pair(running_program: Program, program_owner: User) -> Pair:
    [pair] = make_pairs(running_program, program_owner, 1)
    return pair


@pytest.fixture
def author(pair: Pair) -> User:
    return pair.mentor.person.user


@pytest.fixture
def support_request(pair: Pair, author: User) -> SupportRequest:
    return services.support_request_create(program=pair.program, by=author, body=BODY, pair=pair)


def _refused(pair: Pair, author: User, who: str) -> User:
    """The people who may not close the request, by name."""
    if who == "partner":
        return pair.mentee.person.user
    if who == "author":
        return author
    if who == "sponsor":
        return UserFactory(role=Role.SPONSOR)
    return UserFactory(role=Role.COORDINATOR)  # a coordinator, but not of this program


def _unchanged(support_request: SupportRequest) -> None:
    support_request.refresh_from_db()
    assert support_request.status == SupportStatus.OPEN
    assert support_request.closed_at is None and support_request.closed_by is None
    assert support_request.reply == ""
    assert not AuditEvent.objects.filter(action="support.closed").exists()


def _close_url(request: SupportRequest) -> str:
    return f"/programs/{request.program.slug}/support/requests/{request.pk}/close/"


# --- the service -----------------------------------------------------------------------------


def test_a_coordinator_closes_a_request_with_a_reply(
    support_request: SupportRequest,
    program_owner: User,
    author: User,
    mailoutbox: list,  # type: ignore[type-arg]
    django_capture_on_commit_callbacks: Callable,  # type: ignore[type-arg]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.support_request_close(
            request=support_request, by=program_owner, reply=f"  {REPLY}  "
        )
    stored = SupportRequest.objects.get(pk=support_request.pk)
    assert stored.status == SupportStatus.CLOSED and not stored.is_open
    assert stored.closed_at is not None and stored.closed_by == program_owner
    assert stored.reply == REPLY == closed.reply
    # The author hears that it was handled; the e-mail carries neither text.
    [mail] = [m for m in mailoutbox if author.email in m.to]
    assert "handled" in mail.subject
    assert BODY not in mail.body and REPLY not in mail.body


def test_a_co_coordinator_of_the_same_program_closes_too(
    support_request: SupportRequest, running_program: Program
) -> None:
    colleague = UserFactory(role=Role.COORDINATOR)
    program_add_coordinator(program=running_program, user=colleague)
    services.support_request_close(request=support_request, by=colleague)
    support_request.refresh_from_db()
    assert support_request.status == SupportStatus.CLOSED and support_request.reply == ""


def test_a_request_is_closed_once(support_request: SupportRequest, program_owner: User) -> None:
    services.support_request_close(request=support_request, by=program_owner)
    first = SupportRequest.objects.get(pk=support_request.pk).closed_at
    with pytest.raises(Conflict):
        services.support_request_close(request=support_request, by=program_owner, reply="again")
    again = SupportRequest.objects.get(pk=support_request.pk)
    assert again.closed_at == first and again.reply == ""
    assert AuditEvent.objects.filter(action="support.closed").count() == 1


@pytest.mark.parametrize("who", ["partner", "other_program_coordinator", "sponsor", "author"])
def test_only_the_programs_coordinators_close(
    support_request: SupportRequest, pair: Pair, author: User, who: str
) -> None:
    with pytest.raises(NotAllowed):
        services.support_request_close(
            request=support_request, by=_refused(pair, author, who), reply="closing it"
        )
    _unchanged(support_request)


def test_the_audit_entry_holds_who_and_when_never_the_text(
    support_request: SupportRequest, program_owner: User
) -> None:
    services.support_request_close(request=support_request, by=program_owner, reply=REPLY)
    event = AuditEvent.objects.get(action="support.closed")
    assert event.actor == program_owner
    assert (event.object_type, event.object_id) == ("supportrequest", support_request.pk)
    assert event.program_id == support_request.program_id
    assert event.pair_id == support_request.pair_id
    assert event.detail == {"replied": True}
    stored = json.dumps(event.detail) + str(event)
    for text in (BODY, REPLY, "cancelling", "booked"):
        assert text not in stored


# --- the pages -------------------------------------------------------------------------------


def test_a_coordinator_closes_from_the_requests_page(
    client_for: Callable[[User | None], Client],
    support_request: SupportRequest,
    program_owner: User,
) -> None:
    coordinator = client_for(program_owner)
    page_url = f"/programs/{support_request.program.slug}/support/requests/"
    page = coordinator.get(page_url).content.decode()
    assert f'action="{_close_url(support_request)}"' in page and "Mark as handled" in page

    response = coordinator.post(_close_url(support_request), {"reply": REPLY})
    assert response.status_code == 302 and response["Location"] == page_url
    support_request.refresh_from_db()
    assert support_request.status == SupportStatus.CLOSED and support_request.reply == REPLY
    page = coordinator.get(page_url).content.decode()
    assert "Closed" in page and f"by {program_owner.email}" in page
    assert f'action="{_close_url(support_request)}"' not in page  # no second close button


def test_open_requests_are_listed_first(
    client_for: Callable[[User | None], Client],
    pair: Pair,
    author: User,
    program_owner: User,
) -> None:
    program = pair.program
    older = services.support_request_create(program=program, by=author, body="first, now handled")
    services.support_request_create(program=program, by=author, body="second, still open")
    services.support_request_create(program=program, by=author, body="third, still open")
    services.support_request_close(request=older, by=program_owner)
    page = client_for(program_owner).get(f"/programs/{program.slug}/support/requests/")
    html = page.content.decode()
    positions = [html.index(text) for text in ("third", "second", "first")]
    assert positions == sorted(positions)


def test_the_requests_page_query_count_does_not_grow(
    client_for: Callable[[User | None], Client],
    pair: Pair,
    author: User,
    program_owner: User,
    django_assert_max_num_queries: Callable,  # type: ignore[type-arg]
) -> None:
    program, coordinator = pair.program, client_for(program_owner)
    url = f"/programs/{program.slug}/support/requests/"
    request = services.support_request_create(program=program, by=author, body="one")
    services.support_request_close(request=request, by=program_owner)
    with django_assert_max_num_queries(50) as few:
        coordinator.get(url)
    for n in range(5):
        more = services.support_request_create(program=program, by=author, body=f"more {n}")
        services.support_request_close(request=more, by=program_owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator.get(url)


@pytest.mark.parametrize(
    ("who", "status"),
    [("partner", 404), ("other_program_coordinator", 404), ("sponsor", 404), ("author", 403)],
)
def test_the_close_form_refuses_everyone_else(
    client_for: Callable[[User | None], Client],
    support_request: SupportRequest,
    pair: Pair,
    author: User,
    who: str,
    status: int,
) -> None:
    """Whoever may not read the request finds nothing there; its author may read, not close."""
    client = client_for(_refused(pair, author, who))
    assert client.post(_close_url(support_request), {"reply": "closing"}).status_code == status
    _unchanged(support_request)


def test_closing_needs_a_sign_in(
    client_for: Callable[[User | None], Client], support_request: SupportRequest
) -> None:
    anonymous = client_for(None).post(_close_url(support_request))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    _unchanged(support_request)


def test_a_get_does_not_close(
    client_for: Callable[[User | None], Client],
    support_request: SupportRequest,
    program_owner: User,
) -> None:
    assert client_for(program_owner).get(_close_url(support_request)).status_code == 405
    _unchanged(support_request)


def test_a_bad_request_id_is_a_404_not_a_500(
    client_for: Callable[[User | None], Client],
    support_request: SupportRequest,
    program_owner: User,
    running_program: Program,
) -> None:
    coordinator = client_for(program_owner)
    base = f"/programs/{running_program.slug}/support/requests"
    assert coordinator.post(f"{base}/{support_request.pk + 1000}/close/").status_code == 404
    assert coordinator.post(f"{base}/0/close/").status_code == 404
    assert coordinator.post(f"{base}/not-a-number/close/").status_code == 404
    wrong_program = f"/programs/no-such-program/support/requests/{support_request.pk}/close/"
    assert coordinator.post(wrong_program).status_code == 404
    _unchanged(support_request)


def test_a_request_is_closed_only_under_its_own_program(
    client_for: Callable[[User | None], Client],
    support_request: SupportRequest,
    program_owner: User,
) -> None:
    """The same coordinator runs two programs: an id from one is not found under the other."""
    other = program_create(
        by=program_owner, name="Second Cohort", purpose="Learn both ways",
        starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 1),
        topic_slugs=["generative-ai"], training_required=False,
    )  # fmt: skip
    program_transition(program=other, to=ProgramStatus.ENROLLING)
    asker = enrol(other, "mentor", 2, program_owner).person.user
    theirs = services.support_request_create(program=other, by=asker, body="elsewhere")
    url = f"/programs/{other.slug}/support/requests/{support_request.pk}/close/"
    assert client_for(program_owner).post(url).status_code == 404
    _unchanged(support_request)
    assert SupportRequest.objects.get(pk=theirs.pk).is_open


def test_the_author_sees_it_was_handled_but_not_by_whom(
    client_for: Callable[[User | None], Client],
    support_request: SupportRequest,
    program_owner: User,
    author: User,
) -> None:
    url = f"/programs/{support_request.program.slug}/support/"
    mine = client_for(author)
    assert "Open" in mine.get(url).content.decode()
    services.support_request_close(request=support_request, by=program_owner, reply=REPLY)
    page = mine.get(url).content.decode()
    assert "Handled" in page and "by your coordinators" in page and REPLY in page
    assert program_owner.email not in page


# --- the API ----------------------------------------------------------------------------------


def _api_close_url(support_request: SupportRequest, request_id: int | None = None) -> str:
    number = support_request.pk if request_id is None else request_id
    return f"/api/programs/{support_request.program.slug}/support/{number}/close"


def test_a_coordinator_closes_a_request_over_the_api(
    client: Client, bearer_for, support_request: SupportRequest, program_owner: User, author: User
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        _api_close_url(support_request), {"reply": REPLY},
        content_type="application/json", headers=bearer_for(program_owner),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    closed = response.json()
    assert closed["status"] == SupportStatus.CLOSED and closed["reply"] == REPLY
    assert closed["closed_at"] is not None and "closed_by" not in closed
    # The author reads it back handled, with the reply and without the coordinator's name.
    [mine] = client.get(
        f"/api/programs/{support_request.program.slug}/support", headers=bearer_for(author)
    ).json()
    assert mine["status"] == SupportStatus.CLOSED and mine["reply"] == REPLY
    assert program_owner.email not in json.dumps(mine)
    again = client.post(
        _api_close_url(support_request), {}, content_type="application/json",
        headers=bearer_for(program_owner),
    )  # fmt: skip
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("who", "status"), [("partner", 404), ("sponsor", 404), ("coordinator", 404), ("author", 403)]
)
def test_nobody_else_closes_a_request_over_the_api(
    client: Client,
    bearer_for,
    support_request: SupportRequest,
    pair: Pair,
    author: User,
    who: str,
    status: int,
) -> None:  # type: ignore[no-untyped-def]
    user = _refused(pair, author, who)
    response = client.post(
        _api_close_url(support_request), {"reply": "no"}, content_type="application/json",
        headers=bearer_for(user),
    )  # fmt: skip
    assert response.status_code == status
    _unchanged(support_request)


def test_an_unknown_request_over_the_api_is_a_404(
    client: Client, bearer_for, support_request: SupportRequest, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        _api_close_url(support_request, support_request.pk + 1000), {},
        content_type="application/json", headers=bearer_for(program_owner),
    )  # fmt: skip
    assert response.status_code == 404


def test_a_reply_too_long_is_named_and_nothing_changes(
    client: Client, bearer_for, support_request: SupportRequest, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        services.support_request_close(request=support_request, by=program_owner, reply="x" * 5_001)
    assert refused.value.field == "reply"
    response = client.post(
        _api_close_url(support_request), {"reply": "x" * 5_001},
        content_type="application/json", headers=bearer_for(program_owner),
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["field"] == "reply"
    _unchanged(support_request)
