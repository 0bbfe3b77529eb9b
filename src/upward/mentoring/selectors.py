"""Reads of pairs for their members and for coordinators (metadata only)."""

from __future__ import annotations

from django.db.models import QuerySet

from upward.core.permissions import AnyUser
from upward.mentoring.models import Pair
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
