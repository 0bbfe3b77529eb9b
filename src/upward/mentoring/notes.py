"""Notes: shared with the partner, or private to their author — and every read is audited.

Bodies are encrypted at rest (`core.fields.EncryptedTextField`), so neither a
database dump nor its administrator can read them; private notes are readable by
their author alone, in every door.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from upward.core import audit
from upward.core.errors import DomainError, NotAllowed
from upward.core.models import User
from upward.core.permissions import can_edit_note, can_read_note, can_read_workspace
from upward.mentoring.access import ensure_writable
from upward.mentoring.models import Note, NoteVisibility, Pair, Session

MAX_LENGTH = 20_000


def notes_readable(*, pair: Pair, user: User) -> list[Note]:
    """The notes this member may read — shared ones and their own private ones — with the
    reads recorded in the audit log."""
    if not can_read_workspace(user, pair):
        return []
    # The database applies `can_read_note`: shared notes, and this member's private ones.
    notes = list(pair.notes.filter(Q(visibility=NoteVisibility.SHARED) | Q(author_id=user.pk)))
    audit.record_reads(
        actor=user, objects=list(notes), program_id=pair.program_id, pair_id=pair.pk,
        action="note.read",
    )  # fmt: skip
    return notes


def note_read(*, note: Note, user: User) -> Note:
    if not can_read_note(user, note):
        raise NotAllowed("This note is not yours to read.")
    audit.record(
        actor=user, action="note.read", obj=note, program_id=note.pair.program_id,
        pair_id=note.pair_id,
    )  # fmt: skip
    return note


def _clean(body: str, visibility: str) -> str:
    if visibility not in NoteVisibility.values:
        raise DomainError("invalid_visibility", "A note is shared or private.", field="visibility")
    if not body.strip():
        raise DomainError("body_required", "Write something first.", field="body")
    if len(body) > MAX_LENGTH:
        raise DomainError(
            "body_too_long", f"Keep a note under {MAX_LENGTH:,} characters.", field="body"
        )
    return body.strip()


@transaction.atomic
def note_create(
    *, pair: Pair, by: User, body: str, visibility: str, session: Session | None = None
) -> Note:
    ensure_writable(pair, by)
    if session is not None and session.pair_id != pair.pk:
        raise DomainError("wrong_session", "That session belongs to another pair.", field="session")
    note = Note.objects.create(
        pair=pair, author=by, visibility=visibility, body=_clean(body, visibility), session=session
    )
    audit.record(
        actor=by, action="note.created", obj=note, program_id=pair.program_id, pair_id=pair.pk,
        visibility=visibility,
    )  # fmt: skip
    return note


@transaction.atomic
def note_update(*, note: Note, by: User, body: str, visibility: str) -> Note:
    ensure_writable(note.pair, by)
    if not can_edit_note(by, note):
        raise NotAllowed("Only the author can change a note.")
    note.body = _clean(body, visibility)
    note.visibility = visibility
    note.save()
    audit.record(
        actor=by, action="note.changed", obj=note, program_id=note.pair.program_id,
        pair_id=note.pair_id, visibility=visibility,
    )  # fmt: skip
    return note


@transaction.atomic
def note_delete(*, note: Note, by: User) -> None:
    ensure_writable(note.pair, by)
    if not can_edit_note(by, note):
        raise NotAllowed("Only the author can delete a note.")
    audit.record(
        actor=by, action="note.deleted", obj=note, program_id=note.pair.program_id,
        pair_id=note.pair_id,
    )  # fmt: skip
    note.delete()
