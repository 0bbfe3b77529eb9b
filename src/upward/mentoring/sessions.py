"""Sessions: scheduled in the organiser's own time, logged afterwards, on everyone's calendar.

The agenda is drafted from the pair's open goals and the conversation prompts of
their topics, so a first session never starts from a blank page.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from upward.core import audit
from upward.core.errors import DomainError
from upward.core.models import User
from upward.core.zones import to_utc, zone_of
from upward.mentoring.access import ensure_writable, side_of
from upward.mentoring.models import GoalStatus, Pair, Session, SessionStatus
from upward.mentoring.topics import pair_topics
from upward.notifications.services import notify

MAX_MINUTES = 240


def draft_agenda(pair: Pair) -> str:
    """Open goals of both sides, then two prompts from each of the pair's first topics."""
    lines = ["Check-in: what happened since we last met?"]
    goals = list(pair.goals.filter(status=GoalStatus.OPEN).order_by("owner", "target_date"))
    for goal in goals[:4]:
        side = "Leader" if goal.owner == "mentee" else "Mentor"
        lines.append(f"{side}'s goal — {goal.title} ({goal.progress} %)")
    topics = pair_topics(pair)
    for topic in [*topics.for_mentee[:2], *topics.for_mentor[:1]]:
        for prompt in (topic.prompts or [])[:2]:
            lines.append(f"{topic.name}: {prompt}")
    lines.append("What will each of us try before next time?")
    return "\n".join(f"- {line}" for line in lines)


def _check(minutes: int, location: str) -> None:
    if not 5 <= minutes <= MAX_MINUTES:
        raise DomainError(
            "invalid_length", f"A session lasts 5 to {MAX_MINUTES} minutes.", field="minutes"
        )
    if len(location) > 300:
        raise DomainError(
            "location_too_long", "Keep the place under 300 characters.", field="location"
        )


@transaction.atomic
def session_schedule(
    *,
    pair: Pair,
    by: User,
    day: dt.date,
    time: dt.time,
    minutes: int = 45,
    location: str = "",
    agenda: str | None = None,
) -> Session:
    """Schedule at `day` `time` in the organiser's own time zone; stored in UTC."""
    ensure_writable(pair, by)
    _check(minutes, location)
    starts_at = to_utc(day, time, zone_of(by))
    session = Session.objects.create(
        pair=pair,
        starts_at=starts_at,
        minutes=minutes,
        location=location.strip(),
        agenda=draft_agenda(pair) if agenda is None else agenda.strip(),
        created_by=by,
    )
    audit.record(
        actor=by, action="session.scheduled", obj=session, program_id=pair.program_id,
        pair_id=pair.pk, starts_at=starts_at.isoformat(),
    )  # fmt: skip
    other = pair.mentee if side_of(pair, by) == "mentor" else pair.mentor
    if other.person.user is not None:
        notify(
            user=other.person.user,
            subject="A mentoring session was scheduled",
            body="Your partner scheduled a session. Open Upward to see it in your own time zone "
            "and add it to your calendar.",
        )
    return session


@transaction.atomic
def session_reschedule(
    *,
    session: Session,
    by: User,
    day: dt.date,
    time: dt.time,
    minutes: int,
    location: str,
    agenda: str,
) -> Session:
    pair = session.pair
    ensure_writable(pair, by)
    _check(minutes, location)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError("already_logged", "A logged session cannot be moved.", field="status")
    session.starts_at = to_utc(day, time, zone_of(by))
    session.minutes, session.location, session.agenda = minutes, location.strip(), agenda.strip()
    session.sequence += 1
    session.save()
    audit.record(
        actor=by, action="session.rescheduled", obj=session, program_id=pair.program_id,
        pair_id=pair.pk, starts_at=session.starts_at.isoformat(),
    )  # fmt: skip
    return session


@transaction.atomic
def session_log(
    *,
    session: Session,
    by: User,
    status: str,
    summary: str = "",
    learned: str = "",
    next_actions: str = "",
) -> Session:
    """After the session: held, cancelled or no-show; a shared summary; what *I* learned.

    Each member writes their own "what I learned"; the summary and next actions are shared
    and the last writer's text stands.
    """
    pair = session.pair
    ensure_writable(pair, by)
    if status not in (SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.NO_SHOW):
        raise DomainError(
            "invalid_status", "Log a session as held, cancelled or no-show.", field="status"
        )
    session = Session.objects.select_for_update().get(pk=session.pk)
    if status == SessionStatus.HELD and session.starts_at > timezone.now():
        raise DomainError(
            "not_yet_held", "A session can be logged as held once it has started.", field="status"
        )
    session.status = status
    if summary.strip():
        session.summary = summary.strip()
    if next_actions.strip():
        session.next_actions = next_actions.strip()
    if learned.strip():
        if side_of(pair, by) == "mentor":
            session.mentor_learned = learned.strip()
        else:
            session.mentee_learned = learned.strip()
    session.logged_at = timezone.now()
    session.sequence += 1
    session.save()
    audit.record(
        actor=by, action="session.logged", obj=session, program_id=pair.program_id,
        pair_id=pair.pk, status=status,
    )  # fmt: skip
    return session
