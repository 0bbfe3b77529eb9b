"""The insight log: the mentor's ideas for the leader's area, and what became of them.

This is where a young mentor sees their ideas shape decisions: the leader answers
each one — considering, acted on (saying what was done) or not now (saying why).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from upward.core import audit
from upward.core.errors import DomainError, NotAllowed
from upward.core.models import User
from upward.core.permissions import is_pair_role
from upward.mentoring.access import ensure_writable
from upward.mentoring.models import Insight, InsightOutcome, Pair
from upward.notifications.services import notify


@transaction.atomic
def insight_raise(*, pair: Pair, by: User, title: str, description: str) -> Insight:
    ensure_writable(pair, by)
    if not is_pair_role(by, pair, "mentor"):
        raise NotAllowed("Insights are raised by the mentor, for the leader's area.")
    if not title.strip():
        raise DomainError("title_required", "Give the idea a title.", field="title")
    if not description.strip():
        raise DomainError("description_required", "Describe the idea.", field="description")
    insight = Insight.objects.create(
        pair=pair, title=title.strip(), description=description.strip(), raised_by=by
    )
    audit.record(
        actor=by, action="insight.raised", obj=insight, program_id=pair.program_id, pair_id=pair.pk
    )
    notify(
        user=pair.mentee.person.user,
        subject="Your mentor raised an idea for your area",
        body="Open Upward to read it and let them know what becomes of it.",
    )
    return insight


@transaction.atomic
def insight_decide(*, insight: Insight, by: User, outcome: str, detail: str = "") -> Insight:
    """The leader records what became of the idea; acted on and not now need a sentence."""
    pair = insight.pair
    ensure_writable(pair, by)
    if not is_pair_role(by, pair, "mentee"):
        raise NotAllowed("The leader records what became of an idea.")
    if outcome not in (InsightOutcome.CONSIDERING, InsightOutcome.ACTED_ON, InsightOutcome.NOT_NOW):
        raise DomainError(
            "invalid_outcome", "Choose considering, acted on or not now.", field="outcome"
        )
    if outcome in (InsightOutcome.ACTED_ON, InsightOutcome.NOT_NOW) and not detail.strip():
        what = "what was done" if outcome == InsightOutcome.ACTED_ON else "why not now"
        raise DomainError(
            "detail_required", f"Say {what}: your mentor will read it.", field="detail"
        )
    insight = Insight.objects.select_for_update().get(pk=insight.pk)
    insight.outcome = outcome
    insight.outcome_detail = detail.strip()
    insight.decided_at = timezone.now()
    insight.save()
    audit.record(
        actor=by, action="insight.decided", obj=insight, program_id=pair.program_id,
        pair_id=pair.pk, outcome=outcome,
    )  # fmt: skip
    notify(
        user=pair.mentor.person.user,
        subject="Your idea has an answer",
        body="The leader you mentor recorded what became of your idea. Open Upward to read it.",
    )
    return insight
