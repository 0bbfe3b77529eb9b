"""Answering check-ins and surveys, and asking the coordinator for support.

Every answer is its author's: nothing here returns one person's answer to anyone
else. Aggregates live in `selectors` and go through `aggregates`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from upward.core import audit
from upward.core.errors import Conflict, DomainError, NotAllowed
from upward.core.models import User
from upward.core.permissions import can_close_support_request, is_pair_member
from upward.feedback.catalogue import CHECKIN_QUESTIONS, ITEMS
from upward.feedback.models import (
    CheckIn,
    SupportRequest,
    SupportStatus,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
)
from upward.feedback.publication import publication_advance, survey_kind
from upward.mentoring.access import side_of
from upward.mentoring.models import Pair, Session, SessionStatus
from upward.notifications.services import notify
from upward.programs.models import Enrollment, Program, ProgramStatus

MAX_TEXT = 5000


def _scale(value: object, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise DomainError("invalid_answer", "Answer on the 1–5 scale.", field=field)
    return value


@transaction.atomic
def checkin_submit(
    *, session: Session, by: User, usefulness: int, openness: int, balance: int, comment: str = ""
) -> CheckIn:
    """One check-in per member per held session; the comment stays private to its author."""
    pair = session.pair
    if not is_pair_member(by, pair):
        raise NotAllowed("Only the two people in this pair check in on its sessions.")
    if session.status != SessionStatus.HELD:
        raise Conflict("not_held", "Check in once the session is logged as held.", field="session")
    values = {"usefulness": usefulness, "openness": openness, "balance": balance}
    for field, _ in CHECKIN_QUESTIONS:
        _scale(values[field], field)
    if len(comment) > MAX_TEXT:
        raise DomainError(
            "comment_too_long", "Keep the comment under 5,000 characters.", field="comment"
        )
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                session=session, program_id=pair.program_id, respondent=by,
                role=side_of(pair, by), comment=comment.strip(), **values,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict("already_answered", "You already checked in on this session.") from None
    publication_advance(program=pair.program, kind="checkins")
    return checkin


def survey_items(enrollment: Enrollment) -> tuple[tuple[str, str], ...]:
    return ITEMS[enrollment.role]


@transaction.atomic
def survey_submit(
    *, enrollment: Enrollment, by: User, phase: str, answers: Mapping[str, int]
) -> SurveyResponse:
    """The enrolled person's own answers: before the program (until it runs), or after
    (once it runs). Every item answered, each once."""
    if enrollment.person.user_id != by.pk:
        raise NotAllowed("Only the person enrolled answers their survey.")
    if phase not in SurveyPhase.values:
        raise DomainError("invalid_phase", "A survey is 'pre' or 'post'.", field="phase")
    status = enrollment.program.status
    if phase == SurveyPhase.POST and status not in (ProgramStatus.RUNNING, ProgramStatus.CLOSED):
        raise Conflict(
            "too_early", "The closing survey opens once the program runs.", field="phase"
        )
    if phase == SurveyPhase.PRE and status == ProgramStatus.CLOSED:
        raise Conflict("too_late", "The program has closed.", field="phase")
    items = dict(survey_items(enrollment))
    unknown = sorted(set(answers) - set(items))
    if unknown:
        raise DomainError("unknown_item", f"Unknown question '{unknown[0]}'.", field=unknown[0])
    missing = [item for item in items if item not in answers]
    if missing:
        raise DomainError("missing_answer", "Answer every question.", field=missing[0])
    values = {item: _scale(answers[item], item) for item in items}
    if SurveyResponse.objects.filter(enrollment=enrollment, phase=phase).exists():
        raise Conflict("already_answered", "You already answered this survey.", field="phase")
    response = SurveyResponse.objects.create(enrollment=enrollment, phase=phase)
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(response=response, item=item, value=value) for item, value in values.items()]
    )
    publication_advance(program=enrollment.program, kind=survey_kind(phase, enrollment.role))
    return response


@transaction.atomic
def support_request_create(
    *, program: Program, by: User, body: str, pair: Pair | None = None
) -> SupportRequest:
    """A confidential note to the program's coordinators (never to the other member)."""
    enrolled = program.enrollments.filter(person__user=by).exists()
    if not enrolled:
        raise NotAllowed("Only people in this program can ask its coordinators for support.")
    if pair is not None and (pair.program_id != program.pk or not is_pair_member(by, pair)):
        raise DomainError("wrong_pair", "That pairing is not yours in this program.", field="pair")
    if not body.strip():
        raise DomainError("body_required", "Tell the coordinator what is going on.", field="body")
    if len(body) > MAX_TEXT:
        raise DomainError("body_too_long", "Keep it under 5,000 characters.", field="body")
    request = SupportRequest.objects.create(
        program=program, pair=pair, author=by, body=body.strip()
    )
    audit.record(actor=by, action="support.requested", obj=request, program_id=program.pk,
                 pair_id=pair.pk if pair else None)  # fmt: skip
    for coordinator in program.coordinators.filter(is_active=True):
        notify(
            user=coordinator,
            subject=f"A confidential support request in {program.name}",
            body="Someone in your program asked for your support. Open Upward to read it.",
        )
    return request


@transaction.atomic
def support_request_close(*, request: SupportRequest, by: User, reply: str = "") -> SupportRequest:
    """Mark a request handled, with an optional word back to its author.

    Only the coordinators of the request's program close it (`can_close_support_request`).
    The author sees on their own page that it was handled, when, and the reply — never which
    coordinator closed it: they wrote to the coordinators as a team, and a request about
    discomfort or a partner holding back should not turn into one named person's verdict.
    The other coordinators do see who closed it, so they can follow up with each other.
    The audit trail records who closed which request and whether a reply was written,
    never the text.
    """
    if not can_close_support_request(by, request):
        raise NotAllowed("Only the program's coordinators close a support request.")
    if len(reply) > MAX_TEXT:
        raise DomainError("reply_too_long", "Keep it under 5,000 characters.", field="reply")
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status == SupportStatus.CLOSED:
        raise Conflict("already_closed", "This request has already been handled.")
    locked.status = SupportStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.reply = reply.strip()
    locked.save(update_fields=["status", "closed_at", "closed_by", "reply"])
    audit.record(
        actor=by, action="support.closed", obj=locked, program_id=locked.program_id,
        pair_id=locked.pair_id, replied=bool(locked.reply),
    )  # fmt: skip
    notify(
        user=locked.author,
        subject=f"Your support request in {request.program.name} was handled",
        body="Your program's coordinators marked your request as handled. Open Upward to see it.",
    )
    return locked
