"""Demo content for the running program's pairs: agreements, goals, months of sessions,
notes and insights — so every workspace page, and the coordinator's view of it, shows
something real. Deterministic for a seed and a date; written straight to the models
with past dates (as a pilot's history would be), never through e-mailing services.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import OuterRef, Subquery

from upward.core import audit
from upward.core.models import Role, User
from upward.core.zones import to_utc, zone_named
from upward.feedback.catalogue import ITEMS
from upward.feedback.models import CheckIn, SurveyAnswer, SurveyPhase, SurveyResponse
from upward.feedback.publication import publication_catch_up
from upward.mentoring.agreements import DEFAULT_CONFIDENTIALITY
from upward.mentoring.models import (
    Agreement,
    Cadence,
    Goal,
    GoalOwner,
    GoalStatus,
    Insight,
    InsightOutcome,
    Note,
    NoteVisibility,
    Pair,
    PairStatus,
    Session,
    SessionStatus,
)
from upward.mentoring.sessions import draft_agenda
from upward.mentoring.topics import pair_topics
from upward.people.services import person_link_user
from upward.programs.models import Enrollment, EnrollmentStatus, Program

CHANNELS = ("Video call", "In person, 4th-floor café", "Video call, camera on", "Walk and talk")
SUMMARIES = (
    "We tried {topic} on a real task from this week and compared notes on what felt awkward.",
    "Walked through how {topic} is used in my team; agreed on one experiment before next time.",
    "Talked about how decisions on {topic} get made at the top, and what gets lost on the way.",
    "Reviewed last session's experiment with {topic}: it worked better than expected.",
)
MENTEE_LEARNED = (
    "Three shortcuts I will actually use.",
    "Why my team prefers short async updates to long calls.",
    "That asking 'what would you do?' gets me more honest answers.",
)
MENTOR_LEARNED = (
    "How a budget request is argued at leadership level.",
    "Why some decisions take months: who has to be on board first.",
    "How to frame an idea so a senior audience listens.",
)
NEXT_ACTIONS = "Each of us tries one thing from today before we meet again."
OUTCOME_DETAIL = {
    InsightOutcome.ACTED_ON.value: "We piloted it in my division this month.",
    InsightOutcome.NOT_NOW.value: "Good idea, but we are mid-reorganisation; back in Q2.",
    InsightOutcome.CONSIDERING.value: "Raised it with my leadership team.",
}
IDEAS = (
    ("Short video updates for the quarterly all-hands",
     "Two-minute clips reach the people who skip the long call."),
    ("Reverse Q&A in team meetings",
     "Let the most junior person ask the first question of the leader."),
    ("An async channel for quick decisions",
     "Many small approvals wait a week for the next meeting."),
)  # fmt: skip


def demo_workspace_load(
    *, program: Program, seed: int, today: dt.date, sessions: int = 6, upcoming: bool = True
) -> int:
    """Fill the workspaces of the program's active pairs; returns how many.

    `sessions` fortnightly sessions end just before `today`; `upcoming` adds the next one
    a week ahead (a running program has one; a program that has ended does not).
    """
    rng = random.Random(seed)
    pairs = list(
        Pair.objects.filter(program=program, status=PairStatus.ACTIVE)
        .select_related("mentor__person__user", "mentee__person__user")
        .order_by("pk")
    )
    for pair in pairs:
        _fill(pair, rng, today, sessions=sessions, upcoming=upcoming)
    return len(pairs)


def _fill(pair: Pair, rng: random.Random, today: dt.date, *, sessions: int, upcoming: bool) -> None:
    mentor_user, mentee_user = pair.mentor.person.user, pair.mentee.person.user
    topics = pair_topics(pair)
    names = [t.name for t in topics.for_mentee] or ["new tools"]
    start = today - dt.timedelta(days=14 * sessions)
    signed = to_utc(start, dt.time(12, 0), zone_named("UTC"))
    agreement = Agreement.objects.create(
        pair=pair,
        purpose=f"Learn {', '.join(names[:2])} hands-on, and share how leadership decisions "
        "are really made in return.",
        cadence=Cadence.FORTNIGHTLY,
        channel=rng.choice(CHANNELS),
        confidentiality=DEFAULT_CONFIDENTIALITY,
        mentor_signed_at=signed,
        mentor_signed_version=1,
        mentee_signed_at=signed,
        mentee_signed_version=1,
    )
    for topic in topics.for_mentee[:2]:
        Goal.objects.create(
            pair=pair, owner=GoalOwner.MENTEE, topic=topic,
            title=f"Use {topic.name} confidently in my own work",
            why="My team already does; I want to lead by example.",
            success="I use it weekly without asking for help.",
            target_date=today + dt.timedelta(days=rng.choice((30, 60, 90))),
            progress=rng.choice((20, 40, 60, 80)), created_by=mentee_user,
        )  # fmt: skip
    Goal.objects.create(
        pair=pair, owner=GoalOwner.MENTOR, title="Understand how strategic decisions are made",
        why="I want my ideas to land with senior audiences.",
        success="I can explain who decides what, and pitch one idea upward.",
        target_date=today + dt.timedelta(days=90), progress=rng.choice((25, 50)),
        status=GoalStatus.OPEN, created_by=mentor_user,
    )  # fmt: skip
    zone = zone_named(pair.mentor.person.timezone)
    for i in range(sessions):
        day = start + dt.timedelta(days=14 * i + 3)
        status = SessionStatus.CANCELLED if rng.random() < 0.12 else SessionStatus.HELD
        held = status == SessionStatus.HELD
        topic_name = names[i % len(names)]
        Session.objects.create(
            pair=pair, starts_at=to_utc(day, dt.time(rng.choice((9, 10, 14, 16)), 0), zone),
            minutes=45, location=agreement.channel, agenda=draft_agenda(pair), status=status,
            summary=rng.choice(SUMMARIES).format(topic=topic_name) if held else "",
            mentee_learned=rng.choice(MENTEE_LEARNED) if held else "",
            mentor_learned=rng.choice(MENTOR_LEARNED) if held else "",
            next_actions=NEXT_ACTIONS if held else "",
            logged_at=to_utc(day, dt.time(18, 0), zone), created_by=mentor_user,
        )  # fmt: skip
    if upcoming:
        Session.objects.create(
            pair=pair, starts_at=to_utc(today + dt.timedelta(days=7), dt.time(10, 0), zone),
            minutes=45, location=agreement.channel, agenda=draft_agenda(pair),
            created_by=mentor_user,
        )  # fmt: skip
    for title, description in rng.sample(IDEAS, 2):
        outcome = rng.choice(list(InsightOutcome.values))
        Insight.objects.create(
            pair=pair, title=title, description=description, raised_by=mentor_user,
            outcome=outcome,
            outcome_detail=OUTCOME_DETAIL.get(outcome, ""),
            decided_at=None if outcome == InsightOutcome.OPEN else signed,
        )  # fmt: skip
    # Notes need an author who can sign in: the demo mentor and mentee write theirs.
    if mentor_user is not None and mentee_user is not None:
        for author, visibility, body in (
            (mentor_user, NoteVisibility.SHARED, "Links from today: the prompt library and "
             "the meeting-notes template."),
            (mentor_user, NoteVisibility.PRIVATE, "Next time: ask how the budget round "
             "actually works, they hinted at it."),
            (mentee_user, NoteVisibility.PRIVATE, "I was nervous to admit I never used the "
             "team chat. It went fine."),
            (mentee_user, NoteVisibility.SHARED, "Agreed: I post one update a week in the "
             "team channel myself."),
        ):  # fmt: skip
            note = Note.objects.create(pair=pair, author=author, visibility=visibility, body=body)
            audit.record(
                actor=author, action="note.created", obj=note, program_id=pair.program_id,
                pair_id=pair.pk, visibility=visibility,
            )  # fmt: skip
    audit.record(
        actor=mentee_user, action="agreement.signed", obj=agreement, program_id=pair.program_id,
        pair_id=pair.pk, version=1, complete=True,
    )  # fmt: skip


def demo_feedback_load(*, program: Program, seed: int) -> tuple[int, int]:
    """Starting surveys for everyone in the program and check-ins after most held sessions.

    Everyone gets an account (without a password: only the two demo people sign in), as
    in a real installation where answers belong to a signed-in person. Returns
    (surveys, check-ins).
    """
    rng = random.Random(seed + 1)
    enrollments = list(
        Enrollment.objects.filter(program=program, status=EnrollmentStatus.APPROVED)
        .select_related("person__user")
        .order_by("pk")
    )
    for enrollment in enrollments:
        person = enrollment.person
        if person.user is None:
            user = User(email=person.email, role=Role.PARTICIPANT)
            user.set_unusable_password()
            user.save()
            person_link_user(person=person, user=user)
    surveys = 0
    for enrollment in enrollments:
        response = SurveyResponse.objects.create(enrollment=enrollment, phase=SurveyPhase.PRE)
        SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(response=response, item=item, value=rng.choice((1, 2, 2, 3, 3, 4)))
                for item, _ in ITEMS[enrollment.role]
            ]
        )
        surveys += 1
    checkins = []
    held = Session.objects.filter(pair__program=program, status=SessionStatus.HELD).select_related(
        "pair__mentor__person__user", "pair__mentee__person__user"
    )
    for session in held:
        for role, enrollment in (("mentor", session.pair.mentor), ("mentee", session.pair.mentee)):
            if rng.random() < 0.15:  # not everyone answers every time
                continue
            checkins.append(
                CheckIn(
                    session=session,
                    program=program,
                    respondent=enrollment.person.user,
                    role=role,
                    usefulness=rng.choice((3, 4, 4, 5, 5)),
                    openness=rng.choice((2, 3, 4, 4, 5)),
                    balance=rng.choice((3, 3, 4, 4, 5)),
                )  # fmt: skip
            )
    CheckIn.objects.bulk_create(checkins)
    # Dated when their sessions were logged, over the last weeks: the dashboard's monthly
    # trend and breakdowns then have months to show, not one day of answers.
    demo_checkins_dated(program=program)
    publication_catch_up(program=program)
    return surveys, len(checkins)


def demo_checkins_dated(*, program: Program) -> None:
    """Date each check-in when its session was logged, as a program that has ended would
    hold them (a bulk load stamps them all with today). Publication cuts stay valid: every
    check-in moves earlier, never past its cut."""
    logged = Session.objects.filter(pk=OuterRef("session_id")).values("logged_at")[:1]
    CheckIn.objects.filter(program=program).update(created_at=Subquery(logged))


#: A closing answer is the same person's starting one plus one of these steps: mostly up one,
#: sometimes unchanged, now and then down — a modest, noisy improvement (about +0.6 on average).
CLOSING_STEPS = (-1, 0, 0, 1, 1, 1, 2)


def demo_closing_surveys(*, program: Program, seed: int, share: float = 0.85) -> int:
    """Closing surveys from `share` of the paired people on each side; returns how many.

    Never fewer than the program's anonymity threshold per side (when that many were
    paired), so the dashboard shows the change rather than "not enough responses". Both
    surveys are dated as they would have been answered — at the program's start and at its
    end — so the history reads in order.
    """
    rng = random.Random(seed + 2)
    before = {
        (enrollment_id, item): value
        for enrollment_id, item, value in SurveyAnswer.objects.filter(
            response__enrollment__program=program, response__phase=SurveyPhase.PRE
        ).values_list("response__enrollment_id", "item", "value")
    }
    answers = []
    for enrollment in _closing_respondents(program, rng, share):
        response = SurveyResponse.objects.create(enrollment=enrollment, phase=SurveyPhase.POST)
        for item, _ in ITEMS[enrollment.role]:
            start = before.get((enrollment.pk, item), 3)
            value = min(5, max(1, start + rng.choice(CLOSING_STEPS)))
            answers.append(SurveyAnswer(response=response, item=item, value=value))
    SurveyAnswer.objects.bulk_create(answers)
    responses = SurveyResponse.objects.filter(enrollment__program=program)
    for phase, day in ((SurveyPhase.PRE, program.starts_on), (SurveyPhase.POST, program.ends_on)):
        at = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
        responses.filter(phase=phase).update(submitted_at=at)
    publication_catch_up(program=program)
    return responses.filter(phase=SurveyPhase.POST).count()


def _closing_respondents(program: Program, rng: random.Random, share: float) -> list[Enrollment]:
    """A seeded sample of the people who were paired, per side, at least k of each."""
    pairs = Pair.objects.filter(program=program, status__in=[PairStatus.ACTIVE, PairStatus.ENDED])
    chosen: list[Enrollment] = []
    for role in ("mentor", "mentee"):
        ids = sorted(set(pairs.values_list(role, flat=True)))
        count = min(len(ids), max(program.anonymity_threshold, round(share * len(ids))))
        picked = sorted(rng.sample(ids, count))
        chosen += Enrollment.objects.filter(pk__in=picked).order_by("pk")
    return chosen
