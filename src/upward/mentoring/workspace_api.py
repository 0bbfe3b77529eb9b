"""The pair workspace over JSON: `/api/pairs/{id}/agreement|goals|sessions|notes|insights`,
`/api/sessions/{id}`, the pair's activity for coordinators and a program's audit trail.

No `from __future__ import annotations`: django-ninja reads real annotations.
The same rules as the pages (`core.permissions`): content is the two members'
alone; the program's coordinators (and admins) know the pair exists, so they get
403 on content; everyone else gets 404, so existence never leaks.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from upward.core import permissions
from upward.core.audit import program_trail
from upward.core.errors import DomainError, NotAllowed
from upward.core.models import AuditEvent, User
from upward.core.zones import zone_of
from upward.mentoring import agreements, calendar, goals, insights, notes, selectors, sessions
from upward.mentoring.access import readable_pair, readable_session
from upward.mentoring.agreements import PRINCIPLES
from upward.mentoring.models import Agreement, Goal, Insight, Note, Pair, Session
from upward.programs.models import Program, Topic
from upward.programs.selectors import programs_visible_to

router = Router(tags=["workspace"])


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


# --- agreement ---------------------------------------------------------------------------------


class AgreementOut(Schema):
    purpose: str
    cadence: str
    channel: str
    confidentiality: str
    principles: list[str]
    version: int
    signed_by_mentor: bool
    signed_by_mentee: bool
    mentor_signed_at: dt.datetime | None
    mentee_signed_at: dt.datetime | None
    is_signed: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_principles(agreement: Agreement) -> list[str]:
        return list(PRINCIPLES)


class AgreementIn(Schema):
    purpose: str
    cadence: str
    channel: str = ""
    confidentiality: str = ""


class SignIn(Schema):
    version: int


@router.get("/pairs/{pair_id}/agreement", response=AgreementOut, summary="The pair's agreement")
def agreement_get(request: HttpRequest, pair_id: int) -> Agreement:
    return agreements.agreement_of(readable_pair(_user(request), pair_id))


@router.put(
    "/pairs/{pair_id}/agreement",
    response=AgreementOut,
    summary="Change the agreement (both sign again after a change)",
)
def agreement_put(request: HttpRequest, pair_id: int, payload: AgreementIn) -> Agreement:
    pair = readable_pair(_user(request), pair_id)
    return agreements.agreement_update(pair=pair, by=_user(request), **payload.dict())


@router.post(
    "/pairs/{pair_id}/agreement/sign",
    response=AgreementOut,
    summary="Sign the version you read",
)
def agreement_sign(request: HttpRequest, pair_id: int, payload: SignIn) -> Agreement:
    pair = readable_pair(_user(request), pair_id)
    return agreements.agreement_sign(pair=pair, by=_user(request), version=payload.version)


# --- goals -------------------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    owner: str
    title: str
    why: str
    success: str
    target_date: dt.date | None
    status: str
    progress: int
    topic: str | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_topic(goal: Goal) -> str | None:
        return goal.topic.slug if goal.topic else None


class GoalIn(Schema):
    owner: str
    title: str
    why: str = ""
    success: str = ""
    target_date: dt.date | None = None
    topic: str | None = None


class GoalPatch(Schema):
    owner: str | None = None
    title: str | None = None
    why: str | None = None
    success: str | None = None
    target_date: dt.date | None = None
    status: str | None = None
    progress: int | None = None


class SuggestionOut(Schema):
    owner: str
    title: str
    why: str
    topic: str


@router.get("/pairs/{pair_id}/goals", response=list[GoalOut], summary="Both sides' goals")
@paginate(PageNumberPagination)
def goal_list(request: HttpRequest, pair_id: int) -> QuerySet[Goal]:
    return selectors.goals_of_pair(pair=readable_pair(_user(request), pair_id))


@router.get(
    "/pairs/{pair_id}/goals/suggestions",
    response=list[SuggestionOut],
    summary="Goals suggested from the pair's topics",
)
def goal_suggestions(request: HttpRequest, pair_id: int) -> list[dict[str, str]]:
    pair = readable_pair(_user(request), pair_id)
    return [
        {"owner": s.owner, "title": s.title, "why": s.why, "topic": s.topic.slug}
        for s in goals.goal_suggestions(pair)
    ]


@router.post("/pairs/{pair_id}/goals", response={201: GoalOut}, summary="Add a goal")
def goal_create(request: HttpRequest, pair_id: int, payload: GoalIn) -> Status:
    pair = readable_pair(_user(request), pair_id)
    data = payload.dict()
    slug = data.pop("topic")
    topic = None
    if slug:
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise DomainError("unknown_topic", f"No topic '{slug}'.", field="topic")
    return Status(201, goals.goal_create(pair=pair, by=_user(request), topic=topic, **data))


@router.patch("/pairs/{pair_id}/goals/{goal_id}", response=GoalOut, summary="Update a goal")
def goal_patch(request: HttpRequest, pair_id: int, goal_id: int, payload: GoalPatch) -> Goal:
    pair = readable_pair(_user(request), pair_id)
    goal = get_object_or_404(Goal, pk=goal_id, pair=pair)
    goal.pair = pair
    return goals.goal_update(goal=goal, by=_user(request), **payload.dict(exclude_unset=True))


# --- sessions ----------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    pair: int
    starts_at: dt.datetime
    starts_at_local: dt.datetime
    timezone: str
    minutes: int
    location: str
    agenda: str
    status: str
    summary: str
    mentor_learned: str
    mentee_learned: str
    next_actions: str
    logged_at: dt.datetime | None

    @staticmethod
    def resolve_pair(session: Session) -> int:
        return session.pair_id

    @staticmethod
    def resolve_starts_at_local(session: Session, context: dict[str, object]) -> dt.datetime:
        return session.starts_at.astimezone(zone_of(context["request"].auth))  # type: ignore[attr-defined]

    @staticmethod
    def resolve_timezone(session: Session, context: dict[str, object]) -> str:
        return zone_of(context["request"].auth).key  # type: ignore[attr-defined]


class SessionIn(Schema):
    date: dt.date
    time: dt.time
    minutes: int = 45
    location: str = ""
    agenda: str | None = None


class SessionPatch(Schema):
    date: dt.date
    time: dt.time
    minutes: int
    location: str = ""
    agenda: str = ""


class SessionLog(Schema):
    status: str
    summary: str = ""
    learned: str = ""
    next_actions: str = ""


@router.get(
    "/pairs/{pair_id}/sessions", response=list[SessionOut], summary="Sessions, newest first"
)
@paginate(PageNumberPagination)
def session_list(request: HttpRequest, pair_id: int) -> QuerySet[Session]:
    return selectors.sessions_of_pair(pair=readable_pair(_user(request), pair_id))


@router.post(
    "/pairs/{pair_id}/sessions",
    response={201: SessionOut},
    summary="Schedule a session (date and time in your own time zone)",
)
def session_create(request: HttpRequest, pair_id: int, payload: SessionIn) -> Status:
    pair = readable_pair(_user(request), pair_id)
    return Status(
        201,
        sessions.session_schedule(
            pair=pair,
            by=_user(request),
            day=payload.date,
            time=payload.time,
            minutes=payload.minutes,
            location=payload.location,
            agenda=payload.agenda,
        ),
    )


@router.get("/sessions/{session_id}", response=SessionOut, summary="One session")
def session_get(request: HttpRequest, session_id: int) -> Session:
    return readable_session(_user(request), session_id)


@router.patch("/sessions/{session_id}", response=SessionOut, summary="Move or edit a session")
def session_patch(request: HttpRequest, session_id: int, payload: SessionPatch) -> Session:
    session = readable_session(_user(request), session_id)
    return sessions.session_reschedule(
        session=session,
        by=_user(request),
        day=payload.date,
        time=payload.time,
        minutes=payload.minutes,
        location=payload.location,
        agenda=payload.agenda,
    )


@router.post("/sessions/{session_id}/log", response=SessionOut, summary="Log what happened")
def session_log(request: HttpRequest, session_id: int, payload: SessionLog) -> Session:
    session = readable_session(_user(request), session_id)
    return sessions.session_log(session=session, by=_user(request), **payload.dict())


@router.get("/sessions/{session_id}/ics", summary="The session as an iCalendar invite")
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    return calendar.ics_response(readable_session(_user(request), session_id), request)


# --- notes -------------------------------------------------------------------------------------


class NoteOut(Schema):
    id: int
    visibility: str
    body: str
    mine: bool
    session: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_mine(note: Note, context: dict[str, object]) -> bool:
        return bool(note.author_id == context["request"].auth.pk)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_session(note: Note) -> int | None:
        return note.session_id


class NoteIn(Schema):
    body: str
    visibility: str
    session: int | None = None


class NotePatch(Schema):
    body: str
    visibility: str


def _note(user: User, pair_id: int, note_id: int) -> Note:
    pair = readable_pair(user, pair_id)
    note = Note.objects.filter(pk=note_id, pair=pair).first()
    if note is None or not permissions.can_read_note(user, note):
        raise Http404  # a partner's private note does not exist, as far as anyone else knows
    note.pair = pair
    return note


@router.get(
    "/pairs/{pair_id}/notes",
    response=list[NoteOut],
    summary="Shared notes and your own private ones (reads are audited)",
)
def note_list(request: HttpRequest, pair_id: int) -> list[Note]:
    user = _user(request)
    return notes.notes_readable(pair=readable_pair(user, pair_id), user=user)


@router.post("/pairs/{pair_id}/notes", response={201: NoteOut}, summary="Write a note")
def note_create(request: HttpRequest, pair_id: int, payload: NoteIn) -> Status:
    user = _user(request)
    pair = readable_pair(user, pair_id)
    session = None
    if payload.session is not None:
        session = Session.objects.filter(pk=payload.session, pair=pair).first()
        if session is None:
            raise Http404
    return Status(
        201,
        notes.note_create(
            pair=pair, by=user, body=payload.body, visibility=payload.visibility, session=session
        ),
    )


@router.get("/pairs/{pair_id}/notes/{note_id}", response=NoteOut, summary="One note (audited)")
def note_get(request: HttpRequest, pair_id: int, note_id: int) -> Note:
    user = _user(request)
    return notes.note_read(note=_note(user, pair_id, note_id), user=user)


@router.patch("/pairs/{pair_id}/notes/{note_id}", response=NoteOut, summary="Change your note")
def note_patch(request: HttpRequest, pair_id: int, note_id: int, payload: NotePatch) -> Note:
    user = _user(request)
    return notes.note_update(note=_note(user, pair_id, note_id), by=user, **payload.dict())


@router.delete("/pairs/{pair_id}/notes/{note_id}", response={204: None}, summary="Delete your note")
def note_delete(request: HttpRequest, pair_id: int, note_id: int) -> Status:
    user = _user(request)
    notes.note_delete(note=_note(user, pair_id, note_id), by=user)
    return Status(204, None)


# --- insights ----------------------------------------------------------------------------------


class InsightOut(Schema):
    id: int
    title: str
    description: str
    raised_at: dt.datetime
    outcome: str
    outcome_detail: str
    decided_at: dt.datetime | None


class InsightIn(Schema):
    title: str
    description: str


class OutcomeIn(Schema):
    outcome: str
    detail: str = ""


@router.get("/pairs/{pair_id}/insights", response=list[InsightOut], summary="The insight log")
@paginate(PageNumberPagination)
def insight_list(request: HttpRequest, pair_id: int) -> QuerySet[Insight]:
    return selectors.insights_of_pair(pair=readable_pair(_user(request), pair_id))


@router.post(
    "/pairs/{pair_id}/insights", response={201: InsightOut}, summary="Raise an idea (mentor)"
)
def insight_create(request: HttpRequest, pair_id: int, payload: InsightIn) -> Status:
    pair = readable_pair(_user(request), pair_id)
    return Status(201, insights.insight_raise(pair=pair, by=_user(request), **payload.dict()))


@router.post(
    "/pairs/{pair_id}/insights/{insight_id}/outcome",
    response=InsightOut,
    summary="Record what became of an idea (leader)",
)
def insight_outcome(
    request: HttpRequest, pair_id: int, insight_id: int, payload: OutcomeIn
) -> Insight:
    pair = readable_pair(_user(request), pair_id)
    insight = get_object_or_404(Insight, pk=insight_id, pair=pair)
    insight.pair = pair
    return insights.insight_decide(insight=insight, by=_user(request), **payload.dict())


# --- metadata for coordinators, audit trail, calendar feed -------------------------------------


class SessionDate(Schema):
    starts_at: dt.datetime
    status: str


class ActivityOut(Schema):
    agreement_signed: bool
    sessions: list[SessionDate]
    goals_by_status: dict[str, int]
    insights_by_outcome: dict[str, int]
    notes: int


@router.get(
    "/pairs/{pair_id}/activity",
    response=ActivityOut,
    summary="Dates, counts and statuses (members and the program's coordinators)",
)
def pair_activity(request: HttpRequest, pair_id: int) -> dict[str, object]:
    pair = get_object_or_404(
        Pair.objects.select_related("program", "mentor__person", "mentee__person"), pk=pair_id
    )
    if not permissions.can_view_pair_activity(_user(request), pair):
        raise Http404
    activity = selectors.pair_activity(pair=pair)
    return {
        "agreement_signed": activity.agreement_signed,
        "sessions": [{"starts_at": at, "status": status} for at, status in activity.sessions],
        "goals_by_status": activity.goals_by_status,
        "insights_by_outcome": activity.insights_by_outcome,
        "notes": activity.notes,
    }


class AuditOut(Schema):
    at: dt.datetime
    actor: str | None
    action: str
    object_type: str
    object_id: int | None
    pair_id: int | None
    detail: dict[str, object]

    @staticmethod
    def resolve_actor(event: AuditEvent) -> str | None:
        return event.actor.email if event.actor else None


@router.get(
    "/programs/{slug}/audit",
    response=list[AuditOut],
    summary="Who did what, when (metadata only; the program's coordinators)",
)
@paginate(PageNumberPagination)
def program_audit(request: HttpRequest, slug: str) -> QuerySet[AuditEvent]:
    user = _user(request)
    program: Program = get_object_or_404(programs_visible_to(user=user), slug=slug)
    if not permissions.can_view_audit(user, program):
        raise NotAllowed("Only this program's coordinators can read its audit trail.")
    return program_trail(program_id=program.pk)


class FeedOut(Schema):
    url: str


@router.post(
    "/calendar/feed",
    response={201: FeedOut},
    summary="A new private calendar feed URL (the old one stops working)",
)
def calendar_feed(request: HttpRequest) -> Status:
    token = calendar.feed_regenerate(user=_user(request))
    return Status(201, {"url": request.build_absolute_uri(f"/calendar/{token}.ics")})
