"""The program dashboard's numbers: a fixed number of aggregate queries at any size.

Funnel, sessions per week, topic coverage, pair health, goal progress — from
metadata; check-in and survey figures come from `feedback.selectors`, k-anonymous.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from upward.core.bulk_reads import Instant, fetch_rows, instants
from upward.mentoring.models import Goal, Pair, PairStatus, Session, SessionStatus
from upward.programs.models import EnrollmentStatus, EnrollmentTopic, Program, TopicKind

WEEKS = 16


@dataclass(frozen=True)
class Funnel:
    applied: int
    approved: int
    trained: int
    proposed: int
    active: int
    ended: int


def funnel(*, program: Program) -> Funnel:
    counts = program.enrollments.aggregate(
        applied=Count("pk"),
        approved=Count("pk", filter=Q(status=EnrollmentStatus.APPROVED)),
        trained=Count(
            "pk",
            filter=Q(status=EnrollmentStatus.APPROVED, person__trainings__isnull=False),
            distinct=True,
        ),
    )
    pairs = Pair.objects.filter(program=program).aggregate(
        proposed=Count("pk"),
        active=Count("pk", filter=Q(status=PairStatus.ACTIVE)),
        ended=Count("pk", filter=Q(status__in=[PairStatus.ENDED, PairStatus.DECLINED])),
    )
    return Funnel(**counts, **pairs)


def sessions_per_week(
    *, program: Program, now: dt.datetime | None = None
) -> list[tuple[dt.date, int, int]]:
    """(week starting, held, cancelled or missed) for the last `WEEKS` weeks."""
    now = now or timezone.now()
    start = (now - dt.timedelta(weeks=WEEKS)).date()
    start -= dt.timedelta(days=start.weekday())
    since = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    # A plain range on the indexed column, counted here in numpy: faster than date
    # functions in SQL, and reading 40,000 datetimes one by one would cost more than the
    # rest of the page.
    rows = fetch_rows(
        Session.objects.filter(pair__program=program, starts_at__gte=since, starts_at__lte=now)
        .order_by()
        .annotate(at=Instant("starts_at"))
        .values_list("at", "status")
    )
    days = (instants([at for at, _ in rows]) - np.datetime64(start)).astype("timedelta64[D]")
    week = np.minimum(days.astype(np.int64) // 7, WEEKS)
    status = np.array([status for _, status in rows], dtype=object)
    held = np.bincount(week[status == SessionStatus.HELD], minlength=WEEKS + 1).tolist()
    gone = (status == SessionStatus.CANCELLED) | (status == SessionStatus.NO_SHOW)
    missed = np.bincount(week[gone], minlength=WEEKS + 1).tolist()
    return [(start + dt.timedelta(weeks=i), held[i], missed[i]) for i in range(WEEKS + 1)]


def topic_coverage(*, program: Program) -> list[tuple[str, int, int]]:
    """(topic, leaders in active pairs wanting it, of whom their mentor knows it)."""
    active = Pair.objects.filter(program=program, status=PairStatus.ACTIVE)
    wanted = (
        EnrollmentTopic.objects.filter(
            enrollment__pairs_as_mentee__in=active, kind=TopicKind.INTEREST
        )
        .values("topic__name")
        .annotate(
            n=Count("pk", distinct=True),
            covered=Count(
                "pk",
                filter=Q(
                    enrollment__pairs_as_mentee__status=PairStatus.ACTIVE,
                    enrollment__pairs_as_mentee__mentor__topics__topic=F("topic"),
                    enrollment__pairs_as_mentee__mentor__topics__kind=TopicKind.EXPERTISE,
                ),
                distinct=True,
            ),
        )
        .order_by("-n", "topic__name")
    )
    return [(r["topic__name"], r["n"], r["covered"]) for r in wanted]


@dataclass(frozen=True)
class GoalProgress:
    by_status: dict[str, int]
    mean_progress_open: float | None


def goal_progress(*, program: Program) -> GoalProgress:
    goals = Goal.objects.filter(pair__program=program)
    by_status = dict(
        goals.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    mean = goals.filter(status="open").aggregate(m=Avg("progress"))["m"]
    return GoalProgress(
        by_status={str(k): int(v) for k, v in by_status.items()},
        mean_progress_open=None if mean is None else round(float(mean), 1),
    )
