"""The pair workspace, row by row of DESIGN.md §4: who may read and change what, in every door.

Content (agreement, goals, sessions, notes, insights) is the two members' alone. The
program's coordinators, and admins (coordinators of every program), know the pair
exists, so they are told no (403); everyone else is told it does not exist (404).
A private note is its author's alone. Coordinators read the pair's activity and the
program's audit trail: dates, counts and statuses, never what anyone wrote.

Each test tries to break one row; the docstring names it.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from upward.core.models import AuditEvent, Role, User
from upward.mentoring import agreements, goals, insights, notes, sessions
from upward.mentoring.models import (
    Agreement,
    CalendarFeed,
    Goal,
    Insight,
    Note,
    Pair,
    Session,
)
from upward.mentoring.services import pair_end

pytestmark = pytest.mark.django_db

# What the pair wrote: none of it may reach anyone but the two of them.
PURPOSE = "Rehearse the quarterly town hall with an AI co-presenter"
GOAL_TITLE = "Run the team retrospective with an AI note-taker"
AGENDA = "Walk through the draft prompt library for the sales desk"
SHARED_BODY = "The pilot budget is tighter than the slides suggest"
PRIVATE_BODY = "Nervous about challenging the COO on the rollout date"
INSIGHT_TITLE = "Let the interns own the chatbot FAQ"
INSIGHT_DESCRIPTION = "They answer the same questions every week already"

CONTENT = (
    PURPOSE,
    GOAL_TITLE,
    AGENDA,
    SHARED_BODY,
    PRIVATE_BODY,
    INSIGHT_TITLE,
    INSIGHT_DESCRIPTION,
)


@dataclass
class Workspace:
    """An active pair with one of everything, and a user for every role that might ask."""

    pair: Pair
    agreement: Agreement
    goal: Goal
    session: Session
    shared: Note
    private: Note
    insight: Insight
    users: dict[str, User]

    def url(self, template: str) -> str:
        return template.format(
            pair=self.pair.pk,
            goal=self.goal.pk,
            session=self.session.pk,
            shared=self.shared.pk,
            private=self.private.pk,
            insight=self.insight.pk,
            slug=self.pair.program.slug,
        )


@pytest.fixture
def ws(active_pair: Pair, program_owner: User, sponsor: User, admin_user: User) -> Workspace:
    """Built through the services, as the members would build it (the mentor writes most)."""
    mentor = active_pair.mentor.person.user
    mentee = active_pair.mentee.person.user
    agreement = agreements.agreement_update(
        pair=active_pair, by=mentor, purpose=PURPOSE, cadence="fortnightly", channel="Video",
        confidentiality="",
    )  # fmt: skip
    goal = goals.goal_create(pair=active_pair, by=mentee, owner="mentee", title=GOAL_TITLE)
    session = sessions.session_schedule(
        pair=active_pair, by=mentor, day=dt.date(2027, 2, 3), time=dt.time(10, 0), agenda=AGENDA
    )
    shared = notes.note_create(pair=active_pair, by=mentor, body=SHARED_BODY, visibility="shared")
    private = notes.note_create(
        pair=active_pair, by=mentor, body=PRIVATE_BODY, visibility="private"
    )
    insight = insights.insight_raise(
        pair=active_pair, by=mentor, title=INSIGHT_TITLE, description=INSIGHT_DESCRIPTION
    )
    users = {
        "mentor": mentor,
        "mentee": mentee,
        "participant": PersonFactory(user=UserFactory()).user,
        "coordinator": program_owner,
        "other_coordinator": UserFactory(role=Role.COORDINATOR),
        "sponsor": sponsor,
        "admin": admin_user,
    }
    return Workspace(active_pair, agreement, goal, session, shared, private, insight, users)


@pytest.fixture
def api(ws: Workspace, bearer_for: Callable[[User], dict[str, str]]) -> Callable[..., Any]:
    """`api(role, method, path_template, body=None)`: one call with that role's API token."""
    headers = {role: bearer_for(user) for role, user in ws.users.items()}

    def call(role: str | None, method: str, template: str, body: object = None) -> Any:
        kwargs: dict[str, Any] = {"headers": headers[role]} if role else {}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(Client(), method)(ws.url(template), **kwargs)

    return call


@pytest.fixture
def page(ws: Workspace, client_for: Callable[[User | None], Client]) -> Callable[..., Any]:
    """`page(role, path_template, method="get")`: a signed-in browser (None: anonymous)."""
    clients = {role: client_for(user) for role, user in ws.users.items()}

    def visit(role: str | None, template: str, method: str = "get", data: object = None) -> Any:
        client = clients[role] if role else client_for(None)
        return getattr(client, method)(ws.url(template), data or {})

    return visit


def text(response: Any) -> str:
    """The body as a reader sees it: HTML entities such as &#x27; unescaped."""
    return html.unescape(response.content.decode())


def leaked(response: Any, strings: tuple[str, ...] = CONTENT) -> list[str]:
    body = text(response)
    return [s for s in strings if s in body]


WORKSPACE_TABLES: tuple[type[Model], ...] = (Agreement, Goal, Session, Note, Insight, AuditEvent)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every workspace row and every audit event, field by field."""
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in WORKSPACE_TABLES}


def counts() -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot().items()}


# --- the tables the tests walk -------------------------------------------------------------------

ROLES = ["mentor", "mentee", "participant", "coordinator", "other_coordinator", "sponsor", "admin"]
OUTSIDERS = ["participant", "coordinator", "other_coordinator", "sponsor", "admin"]

#: Content: members read it, the program's coordinators and admins are refused, others never
#: learn it exists.
CONTENT_STATUS = {
    "mentor": 200,
    "mentee": 200,
    "participant": 404,
    "coordinator": 403,
    "other_coordinator": 404,
    "sponsor": 404,
    "admin": 403,
}
#: The author's private note: the partner is "everyone else".
PRIVATE_NOTE_STATUS = {**CONTENT_STATUS, "mentee": 404}
#: Activity (dates, counts, statuses): the members and the program's coordinators.
ACTIVITY_STATUS = {**CONTENT_STATUS, "coordinator": 200, "admin": 200}
#: The program's audit trail: its coordinators; people who can see the program are refused.
AUDIT_STATUS = {
    "mentor": 403,
    "mentee": 403,
    "participant": 403,
    "coordinator": 200,
    "other_coordinator": 404,
    "sponsor": 403,
    "admin": 200,
}

API_READS = {
    "agreement": "/api/pairs/{pair}/agreement",
    "goals": "/api/pairs/{pair}/goals",
    "goal suggestions": "/api/pairs/{pair}/goals/suggestions",
    "sessions": "/api/pairs/{pair}/sessions",
    "session": "/api/sessions/{session}",
    "session ics": "/api/sessions/{session}/ics",
    "notes": "/api/pairs/{pair}/notes",
    "shared note": "/api/pairs/{pair}/notes/{shared}",
    "insights": "/api/pairs/{pair}/insights",
}
PRIVATE_NOTE = "/api/pairs/{pair}/notes/{private}"
ACTIVITY = "/api/pairs/{pair}/activity"
AUDIT = "/api/programs/{slug}/audit"


@dataclass(frozen=True)
class Write:
    """One change through the API, and the member who may legitimately make it."""

    method: str
    path: str
    body: dict[str, Any] | None = None
    member: str = "mentor"


API_WRITES = {
    "change the agreement": Write(
        "put", "/api/pairs/{pair}/agreement",
        {"purpose": "Taken over", "cadence": "weekly", "channel": "", "confidentiality": ""},
    ),
    # The version the members read (v2 after the fixture's edit); refusals come before the check.
    "sign the agreement": Write("post", "/api/pairs/{pair}/agreement/sign", {"version": 2}),
    "add a goal": Write("post", "/api/pairs/{pair}/goals", {"owner": "mentee", "title": "X"}),
    "update a goal": Write("patch", "/api/pairs/{pair}/goals/{goal}", {"progress": 50}),
    "schedule a session": Write(
        "post", "/api/pairs/{pair}/sessions", {"date": "2027-03-01", "time": "09:00"}
    ),
    "move a session": Write(
        "patch", "/api/sessions/{session}",
        {"date": "2027-02-10", "time": "11:00", "minutes": 30, "agenda": "moved"},
    ),
    "log a session": Write("post", "/api/sessions/{session}/log", {"status": "cancelled"}),
    "write a note": Write("post", "/api/pairs/{pair}/notes", {"body": "x", "visibility": "shared"}),
    "edit the shared note": Write(
        "patch", "/api/pairs/{pair}/notes/{shared}", {"body": "y", "visibility": "shared"}
    ),
    "delete the shared note": Write("delete", "/api/pairs/{pair}/notes/{shared}"),
    "edit the private note": Write(
        "patch", "/api/pairs/{pair}/notes/{private}", {"body": "y", "visibility": "shared"}
    ),
    "delete the private note": Write("delete", "/api/pairs/{pair}/notes/{private}"),
    "raise an insight": Write(
        "post", "/api/pairs/{pair}/insights", {"title": "X", "description": "Y"}
    ),
    "decide an insight": Write(
        "post", "/api/pairs/{pair}/insights/{insight}/outcome",
        {"outcome": "acted_on", "detail": "did it"}, member="mentee",
    ),
}  # fmt: skip

PAGES = {
    "agreement": "/pairs/{pair}/agreement/",
    "goals": "/pairs/{pair}/goals/",
    "sessions": "/pairs/{pair}/sessions/",
    "session": "/pairs/{pair}/sessions/{session}/",
    "session invite": "/pairs/{pair}/sessions/{session}/invite.ics",
    "notes": "/pairs/{pair}/notes/",
    "insights": "/pairs/{pair}/insights/",
}
PAIR_PAGE = "/pairs/{pair}/"
AUDIT_PAGE = "/programs/{slug}/audit/"

PAGE_WRITES = {
    "change the agreement": ("/pairs/{pair}/agreement/", {"purpose": "Taken over",
                                                          "cadence": "weekly"}),
    "sign the agreement": ("/pairs/{pair}/agreement/", {"sign": "1", "version": "2"}),
    "add a goal": ("/pairs/{pair}/goals/", {"owner": "mentee", "title": "X"}),
    "update a goal": ("/pairs/{pair}/goals/{goal}/", {"progress": "50"}),
    "schedule a session": ("/pairs/{pair}/sessions/", {"date": "2027-03-01", "time": "09:00"}),
    "log a session": ("/pairs/{pair}/sessions/{session}/", {"status": "cancelled"}),
    "write a note": ("/pairs/{pair}/notes/", {"body": "x", "visibility": "shared"}),
    "delete the private note": ("/pairs/{pair}/notes/{private}/delete/", {}),
    "raise an insight": ("/pairs/{pair}/insights/", {"title": "X", "description": "Y"}),
    "decide an insight": ("/pairs/{pair}/insights/{insight}/outcome/",
                          {"outcome": "acted_on", "detail": "did it"}),
}  # fmt: skip


def by_role(statuses: dict[str, int]) -> Any:
    return pytest.mark.parametrize(
        ("role", "expected"), [pytest.param(r, s, id=r) for r, s in statuses.items()]
    )


def each(name: str, table: dict[str, Any]) -> Any:
    return pytest.mark.parametrize(name, [pytest.param(v, id=k) for k, v in table.items()])


# --- API: reading content -----------------------------------------------------------------------


@by_role(CONTENT_STATUS)
@each("path", API_READS)
def test_api_content_is_the_two_members_alone(
    path: str, role: str, expected: int, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "content: members only; the program's coordinators 403, everyone else 404"."""
    response = api(role, "get", path)
    assert response.status_code == expected
    if expected != 200:
        assert leaked(response) == []


@by_role(PRIVATE_NOTE_STATUS)
def test_api_a_private_note_is_its_authors_alone(
    role: str, expected: int, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "private notes: the author only" — the partner is told it does not exist."""
    response = api(role, "get", PRIVATE_NOTE)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["body"] == PRIVATE_BODY
    else:
        assert PRIVATE_BODY not in text(response)


def test_api_the_partners_note_list_leaves_the_private_note_out(
    ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "private notes: the author only" — not even as an entry in the partner's list."""
    theirs = api("mentee", "get", "/api/pairs/{pair}/notes")
    assert theirs.status_code == 200
    assert [n["id"] for n in theirs.json()] == [ws.shared.pk]
    assert theirs.json()[0]["body"] == SHARED_BODY and PRIVATE_BODY not in text(theirs)
    mine = api("mentor", "get", "/api/pairs/{pair}/notes")
    assert {n["id"] for n in mine.json()} == {ws.shared.pk, ws.private.pk}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "mentor"])
def test_api_no_response_to_anyone_but_the_author_holds_the_private_note(
    role: str, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "private notes: the author only", across every read the API offers."""
    for path in [*API_READS.values(), PRIVATE_NOTE, ACTIVITY, AUDIT]:
        response = api(role, "get", path)
        assert PRIVATE_BODY not in text(response), path


# --- API: activity and the audit trail ----------------------------------------------------------


@by_role(ACTIVITY_STATUS)
def test_api_activity_is_for_members_and_the_programs_coordinators(
    role: str, expected: int, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "coordinators see dates, counts and statuses" — and nobody else learns the pair exists."""
    response = api(role, "get", ACTIVITY)
    assert response.status_code == expected
    if expected == 200:
        activity = response.json()
        assert activity["goals_by_status"] == {"open": 1}
        assert activity["insights_by_outcome"] == {"open": 1}
        assert activity["notes"] == 2 and len(activity["sessions"]) == 1
    if role not in ("mentor", "mentee"):
        assert leaked(response) == []


@by_role(AUDIT_STATUS)
def test_api_the_audit_trail_is_for_the_programs_coordinators(
    role: str, expected: int, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "audit trail: the program's coordinators; metadata, never content"."""
    response = api(role, "get", AUDIT)
    assert response.status_code == expected
    assert leaked(response) == []
    if expected == 200:
        actions = {event["action"] for event in response.json()["items"]}
        assert {"note.created", "goal.created", "session.scheduled", "insight.raised"} <= actions


# --- API: changing content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"), [pytest.param(r, CONTENT_STATUS[r], id=r) for r in OUTSIDERS]
)
@each("write", API_WRITES)
def test_api_nobody_outside_the_pair_changes_its_workspace(
    write: Write, role: str, expected: int, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "content: members only" for writes — refused (403/404) and nothing saved or audited."""
    before = snapshot()
    response = api(role, write.method, write.path, write.body)
    assert response.status_code == expected
    assert snapshot() == before


@pytest.mark.parametrize(
    ("write", "expected"),
    [
        pytest.param(API_WRITES["edit the private note"], 404, id="edit the private note"),
        pytest.param(API_WRITES["delete the private note"], 404, id="delete the private note"),
        pytest.param(API_WRITES["edit the shared note"], 403, id="edit the shared note"),
        pytest.param(API_WRITES["delete the shared note"], 403, id="delete the shared note"),
    ],
)
def test_api_the_partner_cannot_touch_the_authors_notes(
    write: Write, expected: int, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "only the author changes a note": a private one does not exist for the partner,
    a shared one is theirs to read, not to edit."""
    before = snapshot()
    assert api("mentee", write.method, write.path, write.body).status_code == expected
    assert snapshot() == before


def test_api_only_the_mentor_raises_an_insight(ws: Workspace, api: Callable[..., Any]) -> None:
    """§4 insight log: ideas are the mentor's to raise, for the leader's area."""
    before = counts()
    write = API_WRITES["raise an insight"]
    assert api("mentee", write.method, write.path, write.body).status_code == 403
    assert counts() == before


@pytest.mark.parametrize(("role", "expected"), [("mentor", 403), ("mentee", 200)])
def test_api_only_the_leader_decides_what_became_of_an_insight(
    role: str, expected: int, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 insight log: the leader (mentee) records the outcome; the mentor reads it."""
    write = API_WRITES["decide an insight"]
    response = api(role, write.method, write.path, write.body)
    assert response.status_code == expected
    ws.insight.refresh_from_db()
    if expected == 200:
        assert response.json()["outcome"] == "acted_on"
        assert (ws.insight.outcome, ws.insight.outcome_detail) == ("acted_on", "did it")
    else:
        assert ws.insight.outcome == "open" and ws.insight.decided_at is None


# --- API: an ended pairing is kept, read-only ---------------------------------------------------


@pytest.fixture
def ended(ws: Workspace) -> Workspace:
    pair_end(pair=ws.pair, by=ws.users["mentor"])
    return ws


@pytest.mark.parametrize("role", ["mentor", "mentee"])
@each("path", API_READS)
def test_api_members_still_read_an_ended_pairings_workspace(
    path: str, role: str, ended: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "readable (never writable) after it ends" — the reading half."""
    assert api(role, "get", path).status_code == 200


@each("write", API_WRITES)
def test_api_an_ended_pairings_workspace_takes_no_changes(
    write: Write, ended: Workspace, api: Callable[..., Any]
) -> None:
    """§4 "readable (never writable) after it ends": every write is a 409, even by the member
    who could make it while the pairing was active (the author, for notes)."""
    before = snapshot()
    response = api(write.member, write.method, write.path, write.body)
    assert response.status_code == 409, response.content
    assert snapshot() == before


# --- anonymous callers --------------------------------------------------------------------------


@each("path", {**API_READS, "private note": PRIVATE_NOTE, "activity": ACTIVITY, "audit": AUDIT})
def test_api_anonymous_callers_must_authenticate(
    path: str, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 everything in the workspace needs a signed-in user: 401, and no content."""
    response = api(None, "get", path)
    assert response.status_code == 401
    assert leaked(response) == []


@each("write", API_WRITES)
def test_api_anonymous_callers_change_nothing(
    write: Write, ws: Workspace, api: Callable[..., Any]
) -> None:
    """§4 everything in the workspace needs a signed-in user, writes included."""
    before = snapshot()
    assert api(None, write.method, write.path, write.body).status_code == 401
    assert snapshot() == before


@each("path", {**PAGES, "pair": PAIR_PAGE, "audit": AUDIT_PAGE})
def test_pages_send_anonymous_visitors_to_sign_in(
    path: str, ws: Workspace, page: Callable[..., Any]
) -> None:
    """§4 everything in the workspace needs a signed-in user: pages redirect to sign in."""
    response = page(None, path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- pages --------------------------------------------------------------------------------------


@by_role(CONTENT_STATUS)
@each("path", PAGES)
def test_pages_content_is_the_two_members_alone(
    path: str, role: str, expected: int, ws: Workspace, page: Callable[..., Any]
) -> None:
    """§4 "content: members only; the program's coordinators 403, everyone else 404"."""
    response = page(role, path)
    assert response.status_code == expected
    if expected != 200:
        assert leaked(response) == []


@pytest.mark.parametrize(
    ("role", "expected"), [pytest.param(r, CONTENT_STATUS[r], id=r) for r in OUTSIDERS]
)
@each("write", PAGE_WRITES)
def test_pages_nobody_outside_the_pair_changes_its_workspace(
    write: tuple[str, dict[str, str]],
    role: str,
    expected: int,
    ws: Workspace,
    page: Callable[..., Any],
) -> None:
    """§4 "content: members only" for the forms — refused (403/404) and nothing saved."""
    path, data = write
    before = snapshot()
    assert page(role, path, "post", data).status_code == expected
    assert snapshot() == before


@pytest.mark.parametrize(("role", "shown"), [("mentor", True), ("mentee", False)])
def test_pages_the_private_note_shows_for_its_author_only(
    role: str, shown: bool, ws: Workspace, page: Callable[..., Any]
) -> None:
    """§4 "private notes: the author only" — on the notes page both members open."""
    response = page(role, PAGES["notes"])
    assert response.status_code == 200
    assert SHARED_BODY in text(response)
    assert (PRIVATE_BODY in text(response)) is shown


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_pages_the_pair_page_shows_coordinators_activity_not_content(
    role: str, ws: Workspace, page: Callable[..., Any]
) -> None:
    """§4 "coordinators see that the pair meets, not what it says"."""
    response = page(role, PAIR_PAGE)
    assert response.status_code == 200
    assert 'id="activity"' in text(response)
    assert leaked(response) == []


@by_role(AUDIT_STATUS)
def test_pages_the_audit_trail_is_for_the_programs_coordinators(
    role: str, expected: int, ws: Workspace, page: Callable[..., Any]
) -> None:
    """§4 "audit trail: the program's coordinators; metadata, never content"."""
    response = page(role, AUDIT_PAGE)
    assert response.status_code == expected
    assert leaked(response) == []
    if expected == 200:
        assert "note.created" in text(response) and "goal.created" in text(response)


# --- the Django admin ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [Agreement, Goal, Session, Note, Insight, CalendarFeed, AuditEvent],
    ids=lambda m: m.__name__,
)
def test_the_django_admin_offers_no_door_to_the_workspace(model: type[Model]) -> None:
    """§4 "not an admin": the admin site would bypass every rule above, so it has no page."""
    assert not admin.site.is_registered(model)
