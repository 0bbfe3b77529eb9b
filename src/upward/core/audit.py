"""The audit log: reads of sensitive records and every permission-relevant change.

Services call `record` inside their transaction, so an event exists exactly when
the change does. Details are facts (a status, a version), never what someone wrote.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from upward.core.models import AuditEvent, User


def record(
    *,
    actor: User | None,
    action: str,
    obj: Model,
    program_id: int | None = None,
    pair_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Write one event about `obj` (its type and id are taken from the instance)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        object_type=obj._meta.model_name or type(obj).__name__.lower(),
        object_id=obj.pk,
        program_id=program_id,
        pair_id=pair_id,
        detail=detail,
    )


def record_reads(
    *, actor: User, objects: list[Model], program_id: int, pair_id: int, action: str
) -> None:
    """One event per record read, written together (a list page reads many at once)."""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                action=action,
                object_type=obj._meta.model_name or "",
                object_id=obj.pk,
                program_id=program_id,
                pair_id=pair_id,
            )
            for obj in objects
        ]
    )


def program_trail(*, program_id: int) -> QuerySet[AuditEvent]:
    """A program's events, newest first, with their actors."""
    return AuditEvent.objects.filter(program_id=program_id).select_related("actor")
