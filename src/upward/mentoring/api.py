"""`/api/pairs`: a member's pairings, and accepting, declining or ending one.

No `from __future__ import annotations`: django-ninja reads real annotations.
A pair the caller may not see is a 404, so its existence never leaks.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from upward.core.models import User
from upward.core.permissions import can_manage_program, can_view_pair, ensure, is_pair_member
from upward.mentoring import selectors, services
from upward.mentoring.models import Pair
from upward.programs.models import Program
from upward.programs.selectors import programs_visible_to

router = Router(tags=["pairs"])


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


class Member(Schema):
    employee_id: str
    full_name: str
    title: str
    accepted: bool


def _member(enrollment: object, accepted_at: object) -> dict[str, object]:
    person = enrollment.person  # type: ignore[attr-defined]
    return {
        "employee_id": person.employee_id,
        "full_name": person.full_name,
        "title": person.title,
        "accepted": accepted_at is not None,
    }


class PairOut(Schema):
    """Members see each other and the reasons; a coordinator sees the same metadata.

    Who declined or ended a pairing is never exposed: that is the no-fault promise.
    """

    id: int
    program: str = Field(..., alias="program.slug")
    status: str
    fit: float
    reasons: str
    mentor: Member
    mentee: Member
    my_role: str | None = None
    proposed_at: dt.datetime
    activated_at: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_mentor(pair: Pair) -> dict[str, object]:
        return _member(pair.mentor, pair.mentor_accepted_at)

    @staticmethod
    def resolve_mentee(pair: Pair) -> dict[str, object]:
        return _member(pair.mentee, pair.mentee_accepted_at)

    @staticmethod
    def resolve_status(pair: Pair, context: dict[str, object]) -> str:
        """Coordinators see the real status; members see a decline as 'ended'."""
        user = context["request"].auth  # type: ignore[attr-defined]
        if can_manage_program(user, pair.program) and not is_pair_member(user, pair):
            return pair.status
        return services.status_for_members(pair.status)

    @staticmethod
    def resolve_my_role(pair: Pair, context: dict[str, object]) -> str | None:
        user = context["request"].auth  # type: ignore[attr-defined]
        if pair.mentor.person.user_id == user.pk:
            return "mentor"
        if pair.mentee.person.user_id == user.pk:
            return "mentee"
        return None


def _visible_pair(request: HttpRequest, pair_id: int) -> Pair:
    pair = get_object_or_404(
        Pair.objects.select_related("program", "mentor__person", "mentee__person"), pk=pair_id
    )
    if not can_view_pair(_user(request), pair):
        raise Http404
    return pair


def _member_pair(request: HttpRequest, pair_id: int) -> Pair:
    pair = _visible_pair(request, pair_id)
    ensure(is_pair_member(_user(request), pair), "Only the two people in a pair can answer for it.")
    return pair


@router.get("/pairs", response=list[PairOut], summary="Your pairings")
@paginate(PageNumberPagination)
def pair_list(request: HttpRequest) -> QuerySet[Pair]:
    return selectors.pairs_of_user(user=_user(request))


@router.get("/pairs/{pair_id}", response=PairOut, summary="One pairing")
def pair_detail(request: HttpRequest, pair_id: int) -> Pair:
    return _visible_pair(request, pair_id)


@router.post("/pairs/{pair_id}/accept", response=PairOut, summary="Accept a proposed pairing")
def pair_accept(request: HttpRequest, pair_id: int) -> Pair:
    return services.pair_accept(pair=_member_pair(request, pair_id), by=_user(request))


@router.post("/pairs/{pair_id}/decline", response=PairOut, summary="Decline (no reason asked)")
def pair_decline(request: HttpRequest, pair_id: int) -> Pair:
    return services.pair_decline(pair=_member_pair(request, pair_id), by=_user(request))


@router.post("/pairs/{pair_id}/end", response=PairOut, summary="End the pairing, without blame")
def pair_end(request: HttpRequest, pair_id: int) -> Pair:
    return services.pair_end(pair=_member_pair(request, pair_id), by=_user(request))


@router.get(
    "/programs/{slug}/pairs", response=list[PairOut], summary="A program's pairings (coordinators)"
)
@paginate(PageNumberPagination)
def program_pairs(request: HttpRequest, slug: str) -> QuerySet[Pair]:
    user = _user(request)
    program: Program = get_object_or_404(programs_visible_to(user=user), slug=slug)
    ensure(can_manage_program(user, program), "Only this program's coordinators can see its pairs.")
    return selectors.pairs_of_program(program=program)
