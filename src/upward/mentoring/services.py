"""Changes to pairs: accepting, declining and the no-fault end.

Either member may decline or end a pairing without giving a reason; the other
member is told only that it ended. Both people are then free to be matched again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from upward.core import audit
from upward.core.errors import DomainError
from upward.core.models import User
from upward.mentoring.models import Pair, PairStatus
from upward.notifications.services import notify


def _state_for_members(status: str) -> str:
    """Why an answer is refused, without revealing whether the other side declined or ended it."""
    if status in (PairStatus.DECLINED, PairStatus.ENDED):
        return "This pairing has ended."
    return f"This pairing is {status}."


def status_for_members(status: str) -> str:
    """Members see 'ended' for a declined pairing too: who said no is never shown (no blame)."""
    return PairStatus.ENDED if status == PairStatus.DECLINED else status


def _side(pair: Pair, user: User) -> str:
    if pair.mentor.person.user_id == user.pk:
        return "mentor"
    if pair.mentee.person.user_id == user.pk:
        return "mentee"
    raise DomainError("not_a_member", "Only the two people in a pair can answer for it.")


def _other(pair: Pair, side: str) -> User | None:
    person = pair.mentee.person if side == "mentor" else pair.mentor.person
    return person.user


@transaction.atomic
def pair_accept(*, pair: Pair, by: User) -> Pair:
    """One side accepts; when both have, the pair becomes active."""
    pair = (
        Pair.objects.select_for_update()
        .select_related("mentor__person", "mentee__person", "program")
        .get(pk=pair.pk)
    )
    side = _side(pair, by)
    if pair.status != PairStatus.PROPOSED:
        raise DomainError("not_proposed", _state_for_members(pair.status), field="status")
    now = timezone.now()
    if side == "mentor":
        pair.mentor_accepted_at = pair.mentor_accepted_at or now
    else:
        pair.mentee_accepted_at = pair.mentee_accepted_at or now
    if pair.mentor_accepted_at and pair.mentee_accepted_at:
        pair.status = PairStatus.ACTIVE
        pair.activated_at = now
        for user in (pair.mentor.person.user, pair.mentee.person.user):
            notify(
                user=user,
                subject=f"Your {pair.program.name} pairing is confirmed",
                body="You have both accepted. Open Upward to sign your mentoring agreement.",
            )
    pair.save()
    # No actor: who accepted, read next to a later decline, would say who declined (no blame).
    audit.record(
        actor=None, action="pair.accepted", obj=pair, program_id=pair.program_id, pair_id=pair.pk,
        status=pair.status,
    )  # fmt: skip
    return pair


def _close(pair: Pair, by: User, *, status: str, allowed: tuple[str, ...], verb: str) -> Pair:
    locked = (
        # Lock the pair row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
        # outer join to the members' (optional) user accounts.
        Pair.objects.select_for_update(of=("self",))
        .select_related("mentor__person__user", "mentee__person__user", "program")
        .get(pk=pair.pk)
    )
    side = _side(locked, by)
    if locked.status not in allowed:
        raise DomainError("cannot_" + verb, _state_for_members(locked.status), field="status")
    locked.status = status
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.save(update_fields=["status", "closed_at", "closed_by"])
    # The trail records that it ended and when, never by whom: the no-fault promise.
    audit.record(
        actor=None, action=f"pair.{status}", obj=locked, program_id=locked.program_id,
        pair_id=locked.pk, status=status,
    )  # fmt: skip
    notify(
        user=_other(locked, side),
        subject=f"Your {locked.program.name} pairing has ended",
        body=(
            "Your pairing has ended. This happens, and no reason is recorded or shared. "
            "Your coordinator can match you with someone new."
        ),
    )
    return locked


@transaction.atomic
def pair_decline(*, pair: Pair, by: User) -> Pair:
    """A proposed pairing is declined by either side; both become free again."""
    return _close(
        pair, by, status=PairStatus.DECLINED, allowed=(PairStatus.PROPOSED,), verb="decline"
    )


@transaction.atomic
def pair_end(*, pair: Pair, by: User) -> Pair:
    """No-fault exit from an active (or still proposed) pairing by either side."""
    return _close(
        pair, by, status=PairStatus.ENDED, allowed=(PairStatus.ACTIVE, PairStatus.PROPOSED),
        verb="end",
    )  # fmt: skip
