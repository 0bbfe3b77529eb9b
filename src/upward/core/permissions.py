"""Who may see and do what (DESIGN.md §4): the one place both doors ask.

Pages and API endpoints call these predicates; nothing else decides access.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from upward.core.errors import NotAllowed
from upward.core.models import Role, User

AnyUser = User | AnonymousUser


def is_signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def has_role(user: AnyUser, *roles: Role) -> bool:
    """True for an active user holding one of `roles`; superusers count as admins."""
    if not is_signed_in(user) or not isinstance(user, User):
        return False
    return user.role in roles or (Role.ADMIN in roles and user.is_superuser)


def can_view_directory(user: AnyUser) -> bool:
    """The people directory holds personal data: coordinators and admins only."""
    return has_role(user, Role.COORDINATOR, Role.ADMIN)


def ensure(allowed: bool, message: str = "You do not have permission to do this.") -> None:
    """Raise `NotAllowed` unless `allowed`; reads better at the top of a view."""
    if not allowed:
        raise NotAllowed(message)


def can_create_program(user: AnyUser) -> bool:
    """Coordinators and admins start programs; the creator coordinates it."""
    return has_role(user, Role.COORDINATOR, Role.ADMIN)


def can_manage_program(user: AnyUser, program: object) -> bool:
    """A program's own coordinators (and admins) run it; another program's coordinator may not.

    `program` is a `programs.Program`; typed loosely so core does not import programs.
    """
    if has_role(user, Role.ADMIN):
        return True
    if not has_role(user, Role.COORDINATOR):
        return False
    return program.coordinators.filter(pk=user.pk).exists()  # type: ignore[attr-defined]


def is_pair_member(user: AnyUser, pair: object) -> bool:
    """The pair's mentor or mentee (by their linked directory entries)."""
    if not is_signed_in(user):
        return False
    return user.pk in (
        pair.mentor.person.user_id,  # type: ignore[attr-defined]
        pair.mentee.person.user_id,  # type: ignore[attr-defined]
    )


def can_view_pair(user: AnyUser, pair: object) -> bool:
    """Members see their pair; the program's coordinators see that it exists and its status."""
    return is_pair_member(user, pair) or can_manage_program(user, pair.program)  # type: ignore[attr-defined]


def can_manage_topics(user: AnyUser) -> bool:
    """The topic taxonomy is shared by every program: coordinators and admins edit it."""
    return has_role(user, Role.COORDINATOR, Role.ADMIN)


def can_read_reflection(user: AnyUser, completion: object) -> bool:
    """A training reflection is its author's alone: not coordinators, not admins.

    `completion` is a `programs.TrainingCompletion`; typed loosely so core does not import programs.
    """
    if not is_signed_in(user):
        return False
    return completion.person.user_id == user.pk  # type: ignore[attr-defined]


#: Pair statuses whose workspace exists (core names them as strings: it imports no app).
_WORKSPACE_OPEN = ("active",)
_WORKSPACE_READABLE = ("active", "ended")


def can_read_workspace(user: AnyUser, pair: object) -> bool:
    """The pair's content — agreement, goals, sessions, shared notes, insights — is the two
    members' alone: not a coordinator, not a sponsor, not an admin. It opens when the pair
    is active and stays readable (never writable) after it ends."""
    return is_pair_member(user, pair) and pair.status in _WORKSPACE_READABLE  # type: ignore[attr-defined]


def can_write_workspace(user: AnyUser, pair: object) -> bool:
    """Members change their workspace while the pairing is active."""
    return is_pair_member(user, pair) and pair.status in _WORKSPACE_OPEN  # type: ignore[attr-defined]


def is_pair_role(user: AnyUser, pair: object, role: str) -> bool:
    """The pair's mentor ("mentor") or mentee ("mentee") specifically."""
    if not is_signed_in(user):
        return False
    enrollment = pair.mentor if role == "mentor" else pair.mentee  # type: ignore[attr-defined]
    return bool(enrollment.person.user_id == user.pk)


def can_read_note(user: AnyUser, note: object) -> bool:
    """A shared note: both members. A private note: its author only — nobody else, ever."""
    if not can_read_workspace(user, note.pair):  # type: ignore[attr-defined]
        return False
    return note.visibility == "shared" or note.author_id == user.pk  # type: ignore[attr-defined]


def can_edit_note(user: AnyUser, note: object) -> bool:
    """Only the author changes or deletes a note, and only while the pairing is active."""
    return can_write_workspace(user, note.pair) and note.author_id == user.pk  # type: ignore[attr-defined]


def can_view_pair_activity(user: AnyUser, pair: object) -> bool:
    """That sessions happened and when, how many goals in which status: members and the
    program's coordinators (metadata, never content)."""
    return can_view_pair(user, pair)


def can_view_audit(user: AnyUser, program: object) -> bool:
    """A program's audit trail (who did what, when; never content): its coordinators."""
    return can_manage_program(user, program)


def coordinates(user: AnyUser, program: object) -> bool:
    """One of this program's own coordinators (an admin is not, by role alone)."""
    return has_role(user, Role.COORDINATOR) and program.coordinators.filter(pk=user.pk).exists()  # type: ignore[attr-defined]


def can_read_support_request(user: AnyUser, request: object) -> bool:
    """A support request: its author and the coordinators of that program — not the other
    member, not a sponsor, not an administrator of the installation."""
    if not is_signed_in(user):
        return False
    if request.author_id == user.pk:  # type: ignore[attr-defined]
        return True
    return coordinates(user, request.program)  # type: ignore[attr-defined]


def can_close_support_request(user: AnyUser, request: object) -> bool:
    """Marking a support request handled: the coordinators of that program only. The author
    reads it but does not close it (the coordinators decide when it has been dealt with)."""
    return coordinates(user, request.program)  # type: ignore[attr-defined]


def can_read_aggregates(user: AnyUser, program: object) -> bool:
    """Check-in and survey aggregates (never single answers): the program's coordinators,
    admins and sponsors."""
    return can_manage_program(user, program) or has_role(user, Role.SPONSOR)
