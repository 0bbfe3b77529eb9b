"""Reads of pairs for their members and for coordinators (metadata only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from upward.core.permissions import AnyUser
from upward.mentoring.models import Agreement, Goal, Insight, Pair, Session
from upward.programs.models import Program

_RELATED = ("program", "mentor__person", "mentee__person")


def pairs_of_user(*, user: AnyUser) -> QuerySet[Pair]:
    """The signed-in person's own pairings, newest first."""
    if not user.is_authenticated:
        return Pair.objects.none()
    mine = Pair.objects.filter(mentor__person__user=user) | Pair.objects.filter(
        mentee__person__user=user
    )
    return mine.select_related(*_RELATED).order_by("-proposed_at")


def pairs_of_program(*, program: Program) -> QuerySet[Pair]:
    """Every pairing of a program, for its coordinators (who see metadata, never content)."""
    return Pair.objects.filter(program=program).select_related(*_RELATED).order_by("-proposed_at")


@dataclass(frozen=True)
class Activity:
    """What a coordinator may know of a pair (DESIGN.md §4): dates, counts and statuses."""

    agreement_signed: bool
    sessions: list[tuple[dt.datetime, str]]  # (starts_at UTC, status), newest first
    goals_by_status: dict[str, int]
    insights_by_outcome: dict[str, int]
    notes: int


def pair_activity(*, pair: Pair) -> Activity:
    agreement = Agreement.objects.filter(pair=pair).first()
    goals = dict(
        pair.goals.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    insights = dict(
        pair.insights.order_by()
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    return Activity(
        agreement_signed=agreement is not None and agreement.is_signed,
        sessions=list(pair.sessions.order_by("-starts_at").values_list("starts_at", "status")),
        goals_by_status={str(k): int(v) for k, v in goals.items()},
        insights_by_outcome={str(k): int(v) for k, v in insights.items()},
        notes=pair.notes.count(),
    )


def sessions_of_pair(*, pair: Pair) -> QuerySet[Session]:
    return pair.sessions.order_by("-starts_at")


def goals_of_pair(*, pair: Pair) -> QuerySet[Goal]:
    return pair.goals.select_related("topic").order_by("owner", "status", "target_date", "id")


def insights_of_pair(*, pair: Pair) -> QuerySet[Insight]:
    return pair.insights.order_by("-raised_at")
