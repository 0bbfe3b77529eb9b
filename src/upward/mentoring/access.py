"""Which member is asking, and whether the workspace takes changes — for every service.

The doors decide what a user may see (404 or 403); services check again before a
change, so no door can forget.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from upward.core.errors import Conflict, NotAllowed
from upward.core.models import User
from upward.core.permissions import (
    AnyUser,
    can_read_workspace,
    can_view_pair,
    can_write_workspace,
    is_pair_member,
)
from upward.mentoring.models import Pair, Session


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


def readable_pair(user: AnyUser, pair_id: int) -> Pair:
    """The pair, if `user` may read its workspace — for both doors (pages and API).

    The program's coordinators know the pair exists, so they get 403; everyone else a
    404, so existence never leaks (DESIGN.md §4).
    """
    pair = (
        Pair.objects.select_related("program", "mentor__person__user", "mentee__person__user")
        .filter(pk=pair_id)
        .first()
    )
    if pair is None:
        raise Http404("No such pairing.")
    if can_read_workspace(user, pair):
        return pair
    if can_view_pair(user, pair):
        raise PermissionDenied("Only the two people in this pair can open its workspace.")
    raise Http404("No such pairing.")


def readable_session(user: AnyUser, session_id: int, *, pair_id: int | None = None) -> Session:
    """A session of a pair whose workspace `user` may read (same answers as `readable_pair`)."""
    found = Session.objects.filter(pk=session_id)
    if pair_id is not None:
        found = found.filter(pair_id=pair_id)
    session = found.first()
    if session is None:
        raise Http404("No such session.")
    session.pair = readable_pair(user, session.pair_id)
    return session
