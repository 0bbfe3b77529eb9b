"""Feedback pages: the check-in after a session, the survey, and the support request.

Answers go in and never come out for anyone but their author; coordinators read
support requests of their own programs only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from upward.core import permissions
from upward.core.errors import DomainError
from upward.core.models import User
from upward.feedback import selectors, services
from upward.feedback.catalogue import CHECKIN_QUESTIONS, SCALE
from upward.feedback.models import CheckIn, SupportRequest, SurveyResponse
from upward.mentoring.models import Pair, Session
from upward.programs.models import Program
from upward.programs.selectors import programs_visible_to


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _answer(request: HttpRequest, field: str) -> int:
    try:
        return int(request.POST.get(field, ""))
    except ValueError:
        raise DomainError("invalid_answer", "Choose an answer from 1 to 5.", field=field) from None


@login_required
@require_POST
def checkin(request: HttpRequest, pair_id: int, session_id: int) -> HttpResponse:
    """The three-question pulse posted from the session page."""
    user = _user(request)
    pair = get_object_or_404(Pair.objects.select_related("program"), pk=pair_id)
    if not permissions.can_read_workspace(user, pair):
        raise Http404("No such session.")
    session = get_object_or_404(Session, pk=session_id, pair=pair)
    session.pair = pair
    try:
        services.checkin_submit(
            session=session,
            by=user,
            usefulness=_answer(request, "usefulness"),
            openness=_answer(request, "openness"),
            balance=_answer(request, "balance"),
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Thank you. Only you can see your answers; they count in totals only."
        )
    return redirect("mentoring:session", pair.pk, session.pk)


def checkin_context(session: Session, user: User) -> dict[str, object]:
    """What the session page needs to offer (or acknowledge) the member's check-in."""
    return {
        "checkin_questions": CHECKIN_QUESTIONS,
        "scale": SCALE,
        "my_checkin": CheckIn.objects.filter(session=session, respondent=user).first(),
    }


def _program(request: HttpRequest, slug: str) -> Program:
    program: Program = get_object_or_404(programs_visible_to(user=_user(request)), slug=slug)
    return program


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    program = _program(request, slug)
    enrollment = program.enrollments.filter(person__user=user).first()
    if enrollment is None:
        raise Http404("You are not in this program.")
    items = services.survey_items(enrollment)
    if request.method == "POST":
        try:
            services.survey_submit(
                enrollment=enrollment,
                by=user,
                phase=request.POST.get("phase", ""),
                answers={item: _answer(request, item) for item, _ in items},
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Thank you: your answers count in totals only.")
        return redirect("feedback:survey", program.slug)
    answered = set(
        SurveyResponse.objects.filter(enrollment=enrollment).values_list("phase", flat=True)
    )
    phase = "pre" if "pre" not in answered else ("post" if "post" not in answered else None)
    return render(
        request,
        "feedback/survey.html",
        {"program": program, "items": items, "scale": SCALE, "phase": phase, "answered": answered},
    )


@login_required
@require_http_methods(["GET", "POST"])
def support(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask the coordinators for help: they read it; your partner never does."""
    user = _user(request)
    program = _program(request, slug)
    if not program.enrollments.filter(person__user=user).exists():
        raise Http404("You are not in this program.")
    if request.method == "POST":
        pair = None
        pair_id = request.POST.get("pair")
        if pair_id:
            pair = Pair.objects.filter(pk=pair_id, program=program).first()
            if pair is None or not permissions.is_pair_member(user, pair):
                raise Http404("No such pairing.")
        try:
            services.support_request_create(
                program=program, by=user, body=request.POST.get("body", ""), pair=pair
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(
                request,
                "feedback/support.html",
                {"program": program, "body": request.POST.get("body", "")},
                status=400,
            )
        messages.success(request, "Sent to your program's coordinators, in confidence.")
        return redirect("feedback:support", program.slug)
    mine = SupportRequest.objects.filter(program=program, author=user)
    return render(request, "feedback/support.html", {"program": program, "mine": mine})


@login_required
@require_GET
def support_requests(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's support requests, for its coordinators."""
    user = _user(request)
    program = _program(request, slug)
    if not permissions.coordinates(user, program):
        raise PermissionDenied("Only this program's coordinators read its support requests.")
    # Open requests come first (the model's ordering); who closed the others is shown.
    rows = selectors.support_requests_for(program=program, user=user).select_related("closed_by")
    return render(request, "feedback/support_requests.html", {"program": program, "rows": rows})


@login_required
@require_POST
def support_request_close(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    """Mark one request handled, from a plain form on the requests page (works without JS).

    Someone who may not read the request gets a 404, as if it did not exist; its author, who
    may read it, gets a 403: closing is the coordinators' call.
    """
    user = _user(request)
    program = _program(request, slug)
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("program"), pk=request_id, program=program
    )
    if not permissions.can_read_support_request(user, support_request):
        raise Http404("No such support request.")
    if not permissions.can_close_support_request(user, support_request):
        raise PermissionDenied("Only this program's coordinators close a support request.")
    try:
        services.support_request_close(
            request=support_request, by=user, reply=request.POST.get("reply", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Marked as handled. The person who asked sees this on their support page."
        )
    return redirect("feedback:support-requests", program.slug)
