"""Sessions on people's calendars: an `.ics` per session and a private feed per member.

The feed URL carries a secret token (only its digest is stored, like API tokens);
regenerating it kills the old URL. Events say who and when, and link back to
Upward for the agenda: a calendar provider never holds the pair's content.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from icalendar import Calendar, Event

from upward.core.models import User, hash_token
from upward.mentoring.models import CalendarFeed, Pair, PairStatus, Session, SessionStatus

PRODUCT_ID = "-//Upward//Reverse mentoring//EN"


def _event(session: Session, *, base_url: str) -> Event:
    pair = session.pair
    event = Event()
    event.add("uid", f"session-{session.pk}@upward")
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.starts_at.astimezone(dt.UTC) + dt.timedelta(minutes=session.minutes))
    event.add(
        "summary",
        f"Reverse mentoring: {pair.mentor.person.full_name} & {pair.mentee.person.full_name}",
    )
    if session.location:
        event.add("location", session.location)
    event.add("description", f"Agenda and notes in Upward: {base_url}/pairs/{pair.pk}/sessions/")
    event.add("sequence", session.sequence)
    event.add(
        "status",
        "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED",
    )
    return event


def calendar_of(sessions: list[Session], *, name: str, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for session in sessions:
        cal.add_component(_event(session, base_url=base_url))
    return cal.to_ical()


def session_ics(session: Session, *, base_url: str) -> bytes:
    return calendar_of([session], name="Upward session", base_url=base_url)


def ics_response(session: Session, request: HttpRequest) -> HttpResponse:
    """The session's invite as a download, for either door."""
    body = session_ics(session, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="upward-session-{session.pk}.ics"'
    return response


@transaction.atomic
def feed_regenerate(*, user: User) -> str:
    """A new secret for the user's feed; the old URL stops working. Returns the raw token."""
    raw = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_digest": hash_token(raw)})
    return raw


def feed_user(token: str) -> User | None:
    feed = (
        CalendarFeed.objects.select_related("user").filter(token_digest=hash_token(token)).first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def feed_calendar(*, user: User, base_url: str) -> bytes:
    """Every session of the user's active pairings, from a month back onwards."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
    mine = Pair.objects.filter(status=PairStatus.ACTIVE).filter(
        mentor__person__user=user
    ) | Pair.objects.filter(status=PairStatus.ACTIVE).filter(mentee__person__user=user)
    sessions = list(
        Session.objects.filter(pair__in=mine, starts_at__gte=since)
        .select_related("pair__mentor__person", "pair__mentee__person")
        .order_by("starts_at")
    )
    return calendar_of(sessions, name="Upward mentoring", base_url=base_url)
