"""The mentoring agreement: what the pair agrees to, signed by both.

A change after anyone has signed raises the version, and a signature counts only
for the version it was given to — so both sign again, and nobody is bound by a
text they did not see. Until both have signed, the workspace opens on the agreement.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from upward.core import audit
from upward.core.errors import Conflict, DomainError
from upward.core.models import User
from upward.core.permissions import ensure, is_pair_role
from upward.mentoring.access import ensure_writable, side_of
from upward.mentoring.models import CADENCE_DAYS, Agreement, Cadence, Pair
from upward.notifications.services import notify

#: The parts of every agreement that are not up for editing: they are the practice itself.
PRINCIPLES = (
    "Our sessions are for learning, not evaluation: nothing said here is used to rate "
    "either of us, and no one reports on the other.",
    "We are equals: each of us teaches and each of us learns, and both of us set goals.",
    "Either of us may end the pairing at any time, without giving a reason and without blame.",
)

DEFAULT_CONFIDENTIALITY = (
    "What we discuss stays between the two of us unless we both agree to share it. "
    "Notes marked private are readable by their author only. Our coordinator sees that "
    "we meet, not what we say."
)


def _cadence_for(days: int) -> Cadence:
    """The program's cadence in days, as the closest named cadence."""
    return min(CADENCE_DAYS, key=lambda c: abs(CADENCE_DAYS[c] - days))


def agreement_of(pair: Pair) -> Agreement:
    """The pair's agreement, drafted from the program on first use."""
    agreement = Agreement.objects.filter(pair=pair).first()
    if agreement is not None:
        return agreement
    agreement, _ = Agreement.objects.get_or_create(
        pair=pair,
        defaults={
            "purpose": pair.program.purpose,
            "cadence": _cadence_for(pair.program.cadence_days),
            "channel": "",
            "confidentiality": DEFAULT_CONFIDENTIALITY,
        },
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    pair: Pair,
    by: User,
    purpose: str,
    cadence: str,
    channel: str,
    confidentiality: str,
) -> Agreement:
    """Change the text. Any change after a signature means both sign again."""
    ensure_writable(pair, by)
    agreement = Agreement.objects.select_for_update().get(pk=agreement_of(pair).pk)
    if cadence not in Cadence.values:
        raise DomainError(
            "invalid_cadence", "Choose weekly, fortnightly or monthly.", field="cadence"
        )
    if not purpose.strip():
        raise DomainError("purpose_required", "Say what the pairing is for.", field="purpose")
    new = {
        "purpose": purpose.strip(),
        "cadence": cadence,
        "channel": channel.strip(),
        "confidentiality": confidentiality.strip() or DEFAULT_CONFIDENTIALITY,
    }
    if all(getattr(agreement, k) == v for k, v in new.items()):
        return agreement
    had_signature = agreement.signed_by_mentor or agreement.signed_by_mentee
    for key, value in new.items():
        setattr(agreement, key, value)
    agreement.version += 1
    agreement.updated_by = by
    agreement.save()
    audit.record(
        actor=by,
        action="agreement.changed",
        obj=agreement,
        program_id=pair.program_id,
        pair_id=pair.pk,
        version=agreement.version,
        signatures_reset=had_signature,
    )
    if had_signature:
        other = pair.mentee if side_of(pair, by) == "mentor" else pair.mentor
        notify(
            user=other.person.user,
            subject="Your mentoring agreement changed",
            body="Your partner changed the agreement. Please read it and sign it again.",
        )
    return agreement


@transaction.atomic
def agreement_sign(*, pair: Pair, by: User, version: int) -> Agreement:
    """Sign the version the member read; a stale version is refused (it changed meanwhile)."""
    ensure_writable(pair, by)
    agreement = Agreement.objects.select_for_update().get(pk=agreement_of(pair).pk)
    if version != agreement.version:
        raise Conflict(
            "agreement_changed",
            "The agreement changed since you opened it. Read the new version and sign that.",
            field="version",
        )
    side = side_of(pair, by)
    ensure(is_pair_role(by, pair, side))
    now = timezone.now()
    if side == "mentor":
        agreement.mentor_signed_at, agreement.mentor_signed_version = now, version
    else:
        agreement.mentee_signed_at, agreement.mentee_signed_version = now, version
    agreement.save()
    audit.record(
        actor=by,
        action="agreement.signed",
        obj=agreement,
        program_id=pair.program_id,
        pair_id=pair.pk,
        version=version,
        side=side,
        complete=agreement.is_signed,
    )
    return agreement
