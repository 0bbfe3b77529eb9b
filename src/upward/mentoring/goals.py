"""Two-way goals: what the leader wants to learn, and what the mentor wants to learn back.

Both members see and update both sides' goals — the relationship is between equals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from upward.core import audit
from upward.core.errors import DomainError
from upward.core.models import User
from upward.mentoring.access import ensure_writable
from upward.mentoring.models import Goal, GoalOwner, GoalStatus, Pair
from upward.mentoring.topics import pair_topics
from upward.programs.models import Topic


@dataclass(frozen=True)
class Suggestion:
    owner: str
    title: str
    why: str
    topic: Topic


def goal_suggestions(pair: Pair) -> list[Suggestion]:
    """One goal per shared topic that has no goal yet, phrased for its side."""
    taken = set(pair.goals.exclude(topic=None).values_list("owner", "topic_id"))
    out = []
    topics = pair_topics(pair)
    for topic in topics.for_mentee:
        if (GoalOwner.MENTEE, topic.pk) not in taken:
            out.append(
                Suggestion(
                    GoalOwner.MENTEE,
                    f"Use {topic.name} confidently in my own work",
                    topic.description,
                    topic,
                )
            )
    for topic in topics.for_mentor:
        if (GoalOwner.MENTOR, topic.pk) not in taken:
            out.append(
                Suggestion(
                    GoalOwner.MENTOR,
                    f"Understand how leaders think about {topic.name}",
                    topic.description,
                    topic,
                )
            )
    return out


def _clean(
    *, title: str, owner: str, progress: int, status: str, target_date: dt.date | None
) -> None:
    if not title.strip():
        raise DomainError("title_required", "Give the goal a title.", field="title")
    if owner not in GoalOwner.values:
        raise DomainError("invalid_owner", "A goal is the leader's or the mentor's.", field="owner")
    if not 0 <= progress <= 100:
        raise DomainError(
            "invalid_progress", "Progress is a percentage, 0 to 100.", field="progress"
        )
    if status not in GoalStatus.values:
        raise DomainError("invalid_status", "Choose open, achieved or set aside.", field="status")


@transaction.atomic
def goal_create(
    *,
    pair: Pair,
    by: User,
    owner: str,
    title: str,
    why: str = "",
    success: str = "",
    target_date: dt.date | None = None,
    topic: Topic | None = None,
) -> Goal:
    ensure_writable(pair, by)
    _clean(title=title, owner=owner, progress=0, status=GoalStatus.OPEN, target_date=target_date)
    goal = Goal.objects.create(
        pair=pair,
        owner=owner,
        title=title.strip(),
        why=why.strip(),
        success=success.strip(),
        target_date=target_date,
        topic=topic,
        created_by=by,
    )
    audit.record(
        actor=by, action="goal.created", obj=goal, program_id=pair.program_id, pair_id=pair.pk,
        owner=owner,
    )  # fmt: skip
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, by: User, **changes: object) -> Goal:
    """Change any of title, why, success, target_date, status, progress."""
    pair = goal.pair
    ensure_writable(pair, by)
    allowed = {"title", "why", "success", "target_date", "status", "progress", "owner"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            "unknown_field", f"Unknown field {sorted(unknown)[0]}.", field=sorted(unknown)[0]
        )
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    for key, value in changes.items():
        setattr(goal, key, value.strip() if isinstance(value, str) and key != "status" else value)
    if goal.status == GoalStatus.ACHIEVED and "progress" not in changes:
        goal.progress = 100
    _clean(
        title=goal.title,
        owner=goal.owner,
        progress=int(goal.progress),
        status=goal.status,
        target_date=goal.target_date,
    )
    goal.save()
    audit.record(
        actor=by, action="goal.changed", obj=goal, program_id=pair.program_id, pair_id=pair.pk,
        fields=sorted(changes), status=goal.status, progress=goal.progress,
    )  # fmt: skip
    return goal
