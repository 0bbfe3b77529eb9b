"""The pair workspace pages: agreement, goals, sessions, notes, insights, and the calendar.

Same rules as the API (`core.permissions`): the content is the two members' alone.
The program's coordinators know the pair exists, so they get a 403 that says whose
it is; anyone else gets a 404, so existence never leaks. Business rules live in
the services; these views parse the form, call one service, and redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from upward.core import permissions
from upward.core.audit import program_trail
from upward.core.errors import DomainError
from upward.core.models import User
from upward.core.zones import describe, zone_named, zone_of
from upward.feedback.views import checkin_context
from upward.mentoring import agreements, calendar, goals, insights, notes, selectors, sessions
from upward.mentoring.access import readable_pair, readable_session, side_of
from upward.mentoring.models import (
    Cadence,
    Goal,
    GoalOwner,
    GoalStatus,
    Insight,
    InsightOutcome,
    Note,
    NoteVisibility,
    Pair,
    Session,
    SessionStatus,
)
from upward.programs.models import Program, Topic
from upward.programs.selectors import programs_visible_to


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _pair(request: HttpRequest, pair_id: int) -> Pair:
    return readable_pair(_user(request), pair_id)


def _context(request: HttpRequest, pair: Pair, tab: str, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    side = side_of(pair, user)
    other = pair.mentee if side == "mentor" else pair.mentor
    agreement = agreements.agreement_of(pair)
    return {
        "pair": pair,
        "program": pair.program,
        "side": side,
        "other": other.person,
        "tab": tab,
        "writable": permissions.can_write_workspace(user, pair),
        "agreement": agreement,
        "my_zone": zone_of(user),
        "their_zone": zone_named(other.person.timezone),
        **extra,
    }


def _attempt(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    """Run one service call; its refusal becomes a message on the page (nothing saved)."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid_date", "Give a date like 2026-03-14.", field=field) from None


def _time(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid_time", "Give a time like 14:30.", field="time") from None


def _int(value: str, field: str, label: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise DomainError(
            "invalid_number", f"{label} must be a whole number.", field=field
        ) from None


# --- agreement ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = _pair(request, pair_id)
    user = _user(request)
    if request.method == "POST":
        data = request.POST
        if "sign" in data:
            _attempt(
                request,
                lambda: agreements.agreement_sign(
                    pair=pair, by=user, version=_int(data.get("version", ""), "version", "Version")
                ),
                "You signed the agreement.",
            )
        else:
            _attempt(
                request,
                lambda: agreements.agreement_update(
                    pair=pair,
                    by=user,
                    purpose=data.get("purpose", ""),
                    cadence=data.get("cadence", ""),
                    channel=data.get("channel", ""),
                    confidentiality=data.get("confidentiality", ""),
                ),
                "Agreement saved.",
            )
        return redirect("mentoring:agreement", pair.pk)
    return render(
        request,
        "mentoring/workspace/agreement.html",
        _context(
            request, pair, "agreement", principles=agreements.PRINCIPLES, cadences=Cadence.choices
        ),
    )


# --- goals -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_list(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = _pair(request, pair_id)
    user = _user(request)
    if request.method == "POST":
        data = request.POST

        def create() -> Goal:
            target = data.get("target_date", "")
            slug = data.get("topic", "")
            return goals.goal_create(
                pair=pair,
                by=user,
                owner=data.get("owner", ""),
                title=data.get("title", ""),
                why=data.get("why", ""),
                success=data.get("success", ""),
                target_date=_date(target, "target_date") if target else None,
                topic=Topic.objects.filter(slug=slug).first() if slug else None,
            )

        _attempt(request, create, "Goal added.")
        return redirect("mentoring:goals", pair.pk)
    all_goals = list(selectors.goals_of_pair(pair=pair))
    return render(
        request,
        "mentoring/workspace/goals.html",
        _context(
            request,
            pair,
            "goals",
            mentee_goals=[g for g in all_goals if g.owner == GoalOwner.MENTEE],
            mentor_goals=[g for g in all_goals if g.owner == GoalOwner.MENTOR],
            suggestions=goals.goal_suggestions(pair),
            statuses=GoalStatus.choices,
        ),
    )


@login_required
@require_POST
def goal_update(request: HttpRequest, pair_id: int, goal_id: int) -> HttpResponse:
    pair = _pair(request, pair_id)
    goal = get_object_or_404(Goal, pk=goal_id, pair=pair)
    goal.pair = pair
    data = request.POST

    def update() -> Goal:
        changes: dict[str, object] = {
            "status": data.get("status", goal.status),
            "progress": _int(data.get("progress", str(goal.progress)), "progress", "Progress"),
        }
        for field in ("title", "why", "success"):
            if field in data:
                changes[field] = data[field]
        if "target_date" in data:
            target = data["target_date"]
            changes["target_date"] = _date(target, "target_date") if target else None
        return goals.goal_update(goal=goal, by=_user(request), **changes)

    _attempt(request, update, "Goal updated.")
    return redirect("mentoring:goals", pair.pk)


# --- sessions ----------------------------------------------------------------------------------


def _session_rows(sessions_: list[Session], my_zone: Any, their_zone: Any) -> list[dict[str, Any]]:
    return [
        {
            "session": s,
            "mine": describe(s.starts_at, my_zone),
            "theirs": describe(s.starts_at, their_zone),
            "past": s.starts_at <= dt.datetime.now(dt.UTC),
        }
        for s in sessions_
    ]


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = _pair(request, pair_id)
    user = _user(request)
    if request.method == "POST":
        data = request.POST
        created: list[Session] = []

        def schedule() -> None:
            created.append(
                sessions.session_schedule(
                    pair=pair,
                    by=user,
                    day=_date(data.get("date", ""), "date"),
                    time=_time(data.get("time", "")),
                    minutes=_int(data.get("minutes", "45"), "minutes", "Length"),
                    location=data.get("location", ""),
                    agenda=data.get("agenda", ""),
                )
            )

        if _attempt(request, schedule, "Session scheduled."):
            return redirect("mentoring:session", pair.pk, created[0].pk)
        return redirect("mentoring:sessions", pair.pk)
    context = _context(request, pair, "sessions")
    context["rows"] = _session_rows(
        list(selectors.sessions_of_pair(pair=pair)), context["my_zone"], context["their_zone"]
    )
    context["draft_agenda"] = sessions.draft_agenda(pair)
    return render(request, "mentoring/workspace/sessions.html", context)


def _pair_session(request: HttpRequest, pair_id: int, session_id: int) -> tuple[Pair, Session]:
    session = readable_session(_user(request), session_id, pair_id=pair_id)
    return session.pair, session


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, pair_id: int, session_id: int) -> HttpResponse:
    pair, session = _pair_session(request, pair_id, session_id)
    if request.method == "POST" and "reschedule" in request.POST:
        data = request.POST
        _attempt(
            request,
            lambda: sessions.session_reschedule(
                session=session,
                by=_user(request),
                day=_date(data.get("date", ""), "date"),
                time=_time(data.get("time", "")),
                minutes=_int(data.get("minutes", "45"), "minutes", "Length"),
                location=data.get("location", ""),
                agenda=data.get("agenda", ""),
            ),
            "Session moved. Calendars that subscribed update by themselves.",
        )
        return redirect("mentoring:session", pair.pk, session.pk)
    if request.method == "POST":
        data = request.POST
        _attempt(
            request,
            lambda: sessions.session_log(
                session=session,
                by=_user(request),
                status=data.get("status", ""),
                summary=data.get("summary", ""),
                learned=data.get("learned", ""),
                next_actions=data.get("next_actions", ""),
            ),
            "Session logged.",
        )
        return redirect("mentoring:session", pair.pk, session.pk)
    context = _context(request, pair, "sessions")
    context["row"] = _session_rows([session], context["my_zone"], context["their_zone"])[0]
    context["local_start"] = session.starts_at.astimezone(context["my_zone"])
    context["log_statuses"] = [
        (value, label) for value, label in SessionStatus.choices if value != SessionStatus.SCHEDULED
    ]
    context["my_learned"] = (
        session.mentor_learned if context["side"] == "mentor" else session.mentee_learned
    )
    context["their_learned"] = (
        session.mentee_learned if context["side"] == "mentor" else session.mentor_learned
    )
    if session.status == SessionStatus.HELD:
        context.update(checkin_context(session, _user(request)))
    return render(request, "mentoring/workspace/session.html", context)


@login_required
@require_GET
def session_ics(request: HttpRequest, pair_id: int, session_id: int) -> HttpResponse:
    _, session = _pair_session(request, pair_id, session_id)
    return calendar.ics_response(session, request)


# --- notes -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def note_list(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = _pair(request, pair_id)
    user = _user(request)
    if request.method == "POST":
        data = request.POST
        _attempt(
            request,
            lambda: notes.note_create(
                pair=pair,
                by=user,
                body=data.get("body", ""),
                visibility=data.get("visibility", ""),
            ),
            "Note saved.",
        )
        return redirect("mentoring:notes", pair.pk)
    readable = notes.notes_readable(pair=pair, user=user)
    return render(
        request,
        "mentoring/workspace/notes.html",
        _context(request, pair, "notes", notes=readable, visibilities=NoteVisibility.choices),
    )


@login_required
@require_POST
def note_delete(request: HttpRequest, pair_id: int, note_id: int) -> HttpResponse:
    pair = _pair(request, pair_id)
    user = _user(request)
    note = Note.objects.filter(pk=note_id, pair=pair).first()
    if note is None or not permissions.can_read_note(user, note):
        raise Http404("No such note.")
    note.pair = pair
    _attempt(request, lambda: notes.note_delete(note=note, by=user), "Note deleted.")
    return redirect("mentoring:notes", pair.pk)


# --- insights ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def insight_list(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = _pair(request, pair_id)
    user = _user(request)
    if request.method == "POST":
        data = request.POST
        _attempt(
            request,
            lambda: insights.insight_raise(
                pair=pair,
                by=user,
                title=data.get("title", ""),
                description=data.get("description", ""),
            ),
            "Idea raised. The leader will record what becomes of it.",
        )
        return redirect("mentoring:insights", pair.pk)
    return render(
        request,
        "mentoring/workspace/insights.html",
        _context(
            request,
            pair,
            "insights",
            insights=list(selectors.insights_of_pair(pair=pair)),
            outcomes=[c for c in InsightOutcome.choices if c[0] != InsightOutcome.OPEN],
        ),
    )


@login_required
@require_POST
def insight_decide(request: HttpRequest, pair_id: int, insight_id: int) -> HttpResponse:
    pair = _pair(request, pair_id)
    insight = get_object_or_404(Insight, pk=insight_id, pair=pair)
    insight.pair = pair
    data = request.POST
    _attempt(
        request,
        lambda: insights.insight_decide(
            insight=insight,
            by=_user(request),
            outcome=data.get("outcome", ""),
            detail=data.get("detail", ""),
        ),
        "Outcome recorded. Your mentor can see it.",
    )
    return redirect("mentoring:insights", pair.pk)


# --- calendar feed and audit trail ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Subscribe to a private feed; a new URL replaces (and kills) the old one."""
    url = None
    if request.method == "POST":
        token = calendar.feed_regenerate(user=_user(request))
        url = request.build_absolute_uri(reverse("calendar-feed", args=[token]))
    has_feed = hasattr(_user(request), "calendar_feed")
    return render(request, "mentoring/calendar.html", {"url": url, "has_feed": has_feed})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no sign-in (calendar apps cannot), the secret URL is the key."""
    user = calendar.feed_user(token)
    if user is None:
        raise Http404("No such calendar.")
    body = calendar.feed_calendar(user=user, base_url=request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
@require_GET
def program_audit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    program: Program = get_object_or_404(programs_visible_to(user=user), slug=slug)
    if not permissions.can_view_audit(user, program):
        raise PermissionDenied("Only this program's coordinators can read its audit trail.")
    events = list(program_trail(program_id=program.pk)[:500])
    return render(request, "mentoring/audit.html", {"program": program, "events": events})
