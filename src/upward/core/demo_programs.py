"""Demo programs: one running with accepted pairs, one open for enrolment, and a closed
pilot whose starting and closing surveys show the measured change.

Everything goes through the real services (enrolment, training, matching,
publishing, accepting), so the demo shows exactly what a coordinator would get.
Deterministic for a seed; loading twice leaves existing programs as they are.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from upward.core.demo_workspace import (
    demo_checkins_dated,
    demo_closing_surveys,
    demo_feedback_load,
    demo_workspace_load,
)
from upward.core.models import User
from upward.matching.services import match_run_publish, match_run_start, pair_rule_set
from upward.mentoring.models import Pair, PairStatus
from upward.mentoring.services import pair_accept
from upward.people.models import Person
from upward.programs.catalogue import modules_for
from upward.programs.models import Program, ProgramStatus, Weekday
from upward.programs.services import (
    enrollment_apply,
    program_create,
    program_transition,
    training_complete,
)

RUNNING_SLUG = "digital-leaders-2026"
ENROLLING_SLUG = "culture-values-2027"
PILOT_SLUG = "digital-managers-pilot-2026"
#: The pilot's size per side: enough that most answer both surveys and still pass k = 5.
PILOT_PAIRS = 8
RUNNING_TOPICS = (
    "generative-ai", "short-video-platforms", "collaboration-tools", "data-privacy-habits",
    "no-code-automation", "async-first-work", "chat-etiquette", "hybrid-meetings",
    "inclusive-language", "wellbeing-at-work",
)  # fmt: skip
ENROLLING_TOPICS = (
    "sustainability", "inclusion", "purpose-at-work", "flexible-working",
    "mental-health-openness", "feedback-culture", "transparent-communication",
)  # fmt: skip
TEACH_BACK = ("strategy", "decisions-under-uncertainty", "stakeholder-management",
              "career-navigation", "business-finance-basics")  # fmt: skip
REFLECTIONS = (
    "I tend to explain before I ask; next time I will ask what they already know first.",
    "Silence after a question is not a problem. I will count to five before filling it.",
    "I will name one thing I saw, its effect, and ask whether it matches their view.",
)


@dataclass(frozen=True)
class DemoPrograms:
    running: Program
    enrolling: Program
    pairs: int
    #: The closed pilot; None when the organisation is too small to staff one.
    closed: Program | None = None


def _topics(rng: random.Random, pool: tuple[str, ...], count: int) -> dict[str, int]:
    return {slug: rng.randint(1, 3) for slug in rng.sample(pool, count)}


def _finish_training(person: Person, role: str, rng: random.Random) -> None:
    for module in modules_for(role):  # type: ignore[arg-type]
        training_complete(
            person=person, module_slug=module.slug, reflection=rng.choice(REFLECTIONS)
        )


def _candidates(
    *, mentee: Person | None, mentor: Person | None, rng: random.Random
) -> tuple[list[Person], list[Person]]:
    """Up to 12 leaders and 15 juniors, the juniors drawn across the whole organisation."""
    active = Person.objects.filter(is_active=True).exclude(manager=None).order_by("employee_id")
    leaders = [p for p in active.filter(level__gte=7) if p != mentee][:11]
    pool = [p for p in active.filter(level__lte=3) if p != mentor]
    juniors = rng.sample(pool, min(14, len(pool)))
    return (
        ([mentee] if mentee else []) + leaders,
        ([mentor] if mentor else []) + juniors,
    )


@transaction.atomic
def demo_programs_load(
    *, coordinator: User, mentee: Person | None, mentor: Person | None, seed: int
) -> DemoPrograms | None:
    """Create the demo programs unless they exist; returns None when they already do."""
    if Program.objects.filter(slug__in=[RUNNING_SLUG, ENROLLING_SLUG, PILOT_SLUG]).exists():
        return None
    rng = random.Random(seed)
    running = program_create(
        by=coordinator,
        name="Digital Leaders 2026",
        purpose=(
            "Senior leaders learn today's digital tools and ways of working from younger "
            "colleagues, and share how strategic decisions are really made in return."
        ),
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2027, 2, 28),
        topic_slugs=RUNNING_TOPICS,
        min_level_gap=3,
    )
    program_transition(program=running, to=ProgramStatus.ENROLLING)
    leaders, juniors = _candidates(mentee=mentee, mentor=mentor, rng=rng)
    demo_interests: dict[str, int] = {}
    for person in leaders:
        interests = _topics(rng, RUNNING_TOPICS, 3)
        if person == mentee:
            demo_interests = interests
        enrollment_apply(
            program=running, person=person, role="mentee", approve=True, by=coordinator,
            topics={"interest": interests, "offers": _topics(rng, TEACH_BACK, 2)},
            goal="Use new tools with confidence and understand what younger colleagues expect.",
            availability=rng.sample(list(Weekday.values), 2),
        )  # fmt: skip
        _finish_training(person, "mentee", rng)
    for person in juniors:
        expertise = _topics(rng, RUNNING_TOPICS, 3)
        if person == mentor:  # the demo pair should show what a good match reads like
            expertise = {slug: 3 for slug in demo_interests} or expertise
        enrollment_apply(
            program=running, person=person, role="mentor", approve=True, by=coordinator,
            topics={"expertise": expertise, "wants_to_learn": _topics(rng, TEACH_BACK, 2)},
            introduction="I use these tools every day and enjoy showing shortcuts that save hours.",
            availability=rng.sample(list(Weekday.values), 2),
        )  # fmt: skip
        _finish_training(person, "mentor", rng)
    program_transition(program=running, to=ProgramStatus.MATCHING)
    if mentee is not None and mentor is not None:
        # The two demo sign-ins are paired with each other, so both see a real pair.
        pair_rule_set(
            program=running,
            mentor=running.enrollments.get(person=mentor),
            mentee=running.enrollments.get(person=mentee),
            kind="lock",
            by=coordinator,
        )
    pairs = _match_and_accept(running, coordinator)
    program_transition(program=running, to=ProgramStatus.RUNNING)
    demo_workspace_load(program=running, seed=seed, today=dt.datetime.now(dt.UTC).date())
    demo_feedback_load(program=running, seed=seed)

    enrolling = program_create(
        by=coordinator,
        name="Culture & Values 2027",
        purpose="Leaders hear how younger colleagues see wellbeing, inclusion and purpose at work.",
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 8, 31),
        topic_slugs=ENROLLING_TOPICS,
    )
    program_transition(program=enrolling, to=ProgramStatus.ENROLLING)
    later = (
        Person.objects.filter(is_active=True)
        .exclude(enrollments__program=running)
        .order_by("-employee_id")
    )
    for person in list(later.filter(level__lte=3)[:4]):
        enrollment_apply(
            program=enrolling, person=person, role="mentor",
            topics={"expertise": _topics(rng, ENROLLING_TOPICS, 2)},
        )  # fmt: skip
    for person in list(later.filter(level__gte=7)[:2]):
        enrollment_apply(
            program=enrolling, person=person, role="mentee",
            topics={"interest": _topics(rng, ENROLLING_TOPICS, 2)},
        )  # fmt: skip
    closed = _pilot_load(coordinator=coordinator, seed=seed)
    return DemoPrograms(running=running, enrolling=enrolling, pairs=len(pairs), closed=closed)


def _match_and_accept(program: Program, coordinator: User) -> list[Pair]:
    """Run matching, publish it, and have both sides of every proposed pair accept."""
    run = match_run_start(program=program, by=coordinator)
    pairs = match_run_publish(run=run, by=coordinator)
    for pair in Pair.objects.filter(pk__in=[p.pk for p in pairs]).select_related(
        "mentor__person__user", "mentee__person__user"
    ):
        mentor_user, mentee_user = pair.mentor.person.user, pair.mentee.person.user
        if mentor_user is not None and mentee_user is not None:
            pair_accept(pair=pair, by=mentor_user)
            pair_accept(pair=pair, by=mentee_user)
        else:
            # Synthetic people have no sign-in; record their acceptance as a pilot would.
            Pair.objects.filter(pk=pair.pk).update(
                status=PairStatus.ACTIVE,
                mentor_accepted_at=pair.proposed_at,
                mentee_accepted_at=pair.proposed_at,
                activated_at=pair.proposed_at,
            )
    return pairs


def _pilot_load(*, coordinator: User, seed: int) -> Program | None:
    """Last spring's pilot, now closed: managers paired with graduates, with sessions,
    check-ins, and starting and closing surveys — the one demo program where a pre→post
    change exists, since a closing survey belongs at a program's end.

    Its people are nobody in another demo program: team leads and managers (the running
    program already has every senior leader) and juniors at least three levels below.
    Skipped when the organisation is too small to staff both sides beyond the anonymity
    threshold.
    """
    rng = random.Random(seed + 3)
    free = (
        Person.objects.filter(is_active=True)
        .exclude(manager=None)
        .exclude(enrollments__isnull=False)
        .order_by("employee_id")
    )
    managers = list(free.filter(level__in=(5, 6))[:PILOT_PAIRS])
    pool = list(free.filter(level__lte=2))
    if len(managers) < 5 or len(pool) < PILOT_PAIRS + 1:
        return None
    # One junior more than managers, so the reporting-chain rule still leaves a mentor each.
    graduates = rng.sample(pool, PILOT_PAIRS + 1)
    pilot = program_create(
        by=coordinator,
        name="Digital Managers Pilot 2026",
        purpose=(
            "A first, smaller cohort: team leads and managers learned everyday digital tools "
            "from graduates, and explained how decisions get made in return."
        ),
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 8, 28),
        topic_slugs=RUNNING_TOPICS,
        min_level_gap=3,
    )
    program_transition(program=pilot, to=ProgramStatus.ENROLLING)
    for role, people, kind in (
        ("mentee", managers, "interest"),
        ("mentor", graduates, "expertise"),
    ):
        for person in people:
            enrollment_apply(
                program=pilot, person=person, role=role, approve=True, by=coordinator,
                topics={kind: _topics(rng, RUNNING_TOPICS, 3)},
                availability=rng.sample(list(Weekday.values), 2),
            )  # fmt: skip
            _finish_training(person, role, rng)
    program_transition(program=pilot, to=ProgramStatus.MATCHING)
    _match_and_accept(pilot, coordinator)
    program_transition(program=pilot, to=ProgramStatus.RUNNING)
    demo_workspace_load(
        program=pilot, seed=seed + 3, today=pilot.ends_on, sessions=10, upcoming=False
    )
    demo_feedback_load(program=pilot, seed=seed + 3)
    demo_checkins_dated(program=pilot)
    demo_closing_surveys(program=pilot, seed=seed + 3)
    ended = dt.datetime.combine(pilot.ends_on, dt.time(17, 0), tzinfo=dt.UTC)
    # The pairings ran their course with the program: ended, by nobody in particular.
    Pair.objects.filter(program=pilot, status=PairStatus.ACTIVE).update(
        status=PairStatus.ENDED, closed_at=ended
    )
    program_transition(program=pilot, to=ProgramStatus.CLOSED)
    return pilot
