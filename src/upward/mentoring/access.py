"""Which member is asking, and whether the workspace takes changes — for every service.

The doors decide what a user may see (404 or 403); services check again before a
change, so no door can forget.
"""

from __future__ import annotations

from upward.core.errors import Conflict, NotAllowed
from upward.core.models import User
from upward.core.permissions import can_write_workspace, is_pair_member
from upward.mentoring.models import Pair


def side_of(pair: Pair, user: User) -> str:
    """ "mentor" or "mentee"."""
    if pair.mentor.person.user_id == user.pk:
        return "mentor"
    if pair.mentee.person.user_id == user.pk:
        return "mentee"
    raise NotAllowed("Only the two people in this pair can do this.")


def ensure_writable(pair: Pair, user: User) -> None:
    """A member of an active pairing; an ended pairing's workspace is read-only."""
    if not is_pair_member(user, pair):
        raise NotAllowed("Only the two people in this pair can do this.")
    if not can_write_workspace(user, pair):
        raise Conflict(
            "pair_not_active", "This pairing is not active, so its workspace is read-only."
        )
