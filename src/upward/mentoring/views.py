"""My pairs: each member sees their match with the reasons, accepts or declines, or ends it.

A pair the user may not see is a 404, so its existence never leaks. The program's
coordinators may read a pair's metadata but never answer for it (403). Who
declined or ended a pairing is never shown to anyone: a closed pairing has simply
ended, which is the no-fault promise.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from upward.core import permissions
from upward.core.errors import DomainError
from upward.core.models import User
from upward.mentoring import selectors, services
from upward.mentoring.agreements import agreement_of
from upward.mentoring.models import Pair, PairStatus
from upward.programs.models import Enrollment

PAGE_SIZE = 25

#: What each status is called on these pages. Declined and ended read the same, so a
#: member cannot tell from the page whether the other side declined.
STATUS_LABELS = {
    PairStatus.PROPOSED: "Awaiting answers",
    PairStatus.ACTIVE: "Active",
    PairStatus.DECLINED: "Ended",
    PairStatus.ENDED: "Ended",
}

#: The two ways out, with the confirmation each page shows.
CLOSINGS = {
    "decline": {
        "allowed": (PairStatus.PROPOSED,),
        "title": "Decline this match?",
        "button": "Decline the match",
        "done": "You have declined the match. You are free to be matched again.",
    },
    "end": {
        "allowed": (PairStatus.ACTIVE,),
        "title": "End this pairing?",
        "button": "End the pairing",
        "done": "The pairing has ended. You are free to be matched again.",
    },
}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _side(pair: Pair, user: User) -> str | None:
    """ "mentor" or "mentee" for a member, None for a coordinator reading metadata."""
    if pair.mentor.person.user_id == user.pk:
        return "mentor"
    if pair.mentee.person.user_id == user.pk:
        return "mentee"
    return None


def _visible_pair(request: HttpRequest, pair_id: int) -> Pair:
    pair = get_object_or_404(
        Pair.objects.select_related(
            "program", "mentor__person__department", "mentee__person__department"
        ),
        pk=pair_id,
    )
    if not permissions.can_view_pair(_user(request), pair):
        raise Http404("No such pairing.")
    return pair


def _member_pair(request: HttpRequest, pair_id: int) -> Pair:
    pair = _visible_pair(request, pair_id)
    if not permissions.is_pair_member(_user(request), pair):
        raise PermissionDenied("Only the two people in a pair can answer for it.")
    return pair


def _refusal(pair: Pair, exc: DomainError) -> str:
    """The service's reason, except that a closed pairing has simply ended.

    "This pairing is declined", shown to the member who did not decline, would say who did.
    """
    pair.refresh_from_db(fields=["status"])
    if pair.status in (PairStatus.DECLINED, PairStatus.ENDED):
        return "This pairing has ended."
    return exc.message


@login_required
@require_GET
def pair_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's pairings, newest first, with the other person's name."""
    user = _user(request)
    page = Paginator(selectors.pairs_of_user(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for pair in page.object_list:
        side = _side(pair, user)
        other: Enrollment = pair.mentee if side == "mentor" else pair.mentor
        rows.append(
            {
                "pair": pair,
                "side": side,
                "other": other.person,
                "status": STATUS_LABELS[PairStatus(pair.status)],
                "awaiting_me": pair.status == PairStatus.PROPOSED
                and (pair.mentor_accepted_at if side == "mentor" else pair.mentee_accepted_at)
                is None,
            }
        )
    return render(request, "mentoring/pair_list.html", {"page": page, "rows": rows})


@login_required
@require_GET
def pair_detail(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Who the match is and why; accept or decline while proposed, end while active."""
    user = _user(request)
    pair = _visible_pair(request, pair_id)
    side = _side(pair, user)
    live = pair.status in (PairStatus.PROPOSED, PairStatus.ACTIVE)
    context: dict[str, Any] = {
        "pair": pair,
        "program": pair.program,
        "side": side,
        "status": STATUS_LABELS[PairStatus(pair.status)],
        "live": live,
        # Once a pairing is over, who had accepted would hint at who declined: hide it.
        "show_answers": live,
    }
    if permissions.can_view_pair_activity(user, pair):
        # Dates, counts and statuses: what a coordinator may know (DESIGN.md §4).
        context["activity"] = selectors.pair_activity(pair=pair)
    if permissions.can_read_workspace(user, pair):
        context["workspace"] = True
        context["agreement"] = agreement_of(pair)
    if side is None:
        context["people"] = [("Mentor", pair.mentor), ("Mentee", pair.mentee)]
    else:
        mine, other = (pair.mentor, pair.mentee) if side == "mentor" else (pair.mentee, pair.mentor)
        i_accepted = pair.mentor_accepted_at if side == "mentor" else pair.mentee_accepted_at
        they_accepted = pair.mentee_accepted_at if side == "mentor" else pair.mentor_accepted_at
        context.update(
            mine=mine,
            other=other,
            other_role="mentee" if side == "mentor" else "mentor",
            i_accepted=i_accepted is not None,
            they_accepted=they_accepted is not None,
        )
    return render(request, "mentoring/pair_detail.html", context)


@login_required
@require_POST
def pair_accept(request: HttpRequest, pair_id: int) -> HttpResponse:
    """A member accepts; when both have, the pairing is active."""
    pair = _member_pair(request, pair_id)
    try:
        pair = services.pair_accept(pair=pair, by=_user(request))
    except DomainError as exc:
        messages.error(request, f"Not accepted: {_refusal(pair, exc)}")
    else:
        if pair.status == PairStatus.ACTIVE:
            messages.success(request, "You have both accepted: your pairing is active.")
        else:
            messages.success(request, "Thank you for accepting. Your match has not answered yet.")
    return redirect("mentoring:detail", pair_id=pair.pk)


def _close(request: HttpRequest, pair_id: int, how: str) -> HttpResponse:
    pair = _member_pair(request, pair_id)
    closing = CLOSINGS[how]
    if request.method == "POST":
        service = services.pair_decline if how == "decline" else services.pair_end
        try:
            service(pair=pair, by=_user(request))
        except DomainError as exc:
            messages.error(request, _refusal(pair, exc))
        else:
            messages.success(request, str(closing["done"]))
        return redirect("mentoring:detail", pair_id=pair.pk)
    side = _side(pair, _user(request))
    other = pair.mentee if side == "mentor" else pair.mentor
    context = {
        "pair": pair,
        "how": how,
        "closing": closing,
        "other": other.person,
        "allowed": pair.status in closing["allowed"],
        "status": STATUS_LABELS[PairStatus(pair.status)],
    }
    return render(request, "mentoring/pair_close.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pair_decline(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Confirm, then decline a proposed match; no reason is asked or kept."""
    return _close(request, pair_id, "decline")


@login_required
@require_http_methods(["GET", "POST"])
def pair_end(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Confirm, then end an active pairing without blame; the other side learns only that."""
    return _close(request, pair_id, "end")
