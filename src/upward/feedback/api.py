"""Check-ins, surveys, support requests and the aggregate report over JSON.

No `from __future__ import annotations`: django-ninja reads real annotations.
A person reads back only their own answers; coordinators and sponsors read
aggregates that rest on at least the program's anonymity threshold of people.
"""

import datetime as dt

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from upward.core import permissions
from upward.core.errors import NotAllowed
from upward.core.models import User
from upward.feedback import selectors, services
from upward.feedback.aggregates import Breakdown, Figure
from upward.feedback.catalogue import CHECKIN_QUESTIONS, ITEMS
from upward.feedback.models import CheckIn, SupportRequest, SurveyResponse
from upward.mentoring.access import readable_session
from upward.mentoring.models import Pair
from upward.programs.models import Program
from upward.programs.selectors import programs_visible_to

router = Router(tags=["feedback"])


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _program(user: User, slug: str) -> Program:
    program: Program = get_object_or_404(programs_visible_to(user=user), slug=slug)
    return program


class CheckInIn(Schema):
    usefulness: int
    openness: int
    balance: int
    comment: str = ""


class CheckInOut(Schema):
    id: int
    session: int
    usefulness: int
    openness: int
    balance: int
    comment: str
    created_at: dt.datetime

    @staticmethod
    def resolve_session(checkin: CheckIn) -> int:
        return checkin.session_id


@router.post(
    "/sessions/{session_id}/checkin",
    response={201: CheckInOut},
    summary="Your 30-second check-in after a held session (only you ever see it)",
)
def checkin_create(request: HttpRequest, session_id: int, payload: CheckInIn) -> Status:
    user = _user(request)
    session = readable_session(user, session_id)
    return Status(201, services.checkin_submit(session=session, by=user, **payload.dict()))


@router.get("/checkins", response=list[CheckInOut], summary="Your own check-ins")
def checkin_mine(request: HttpRequest) -> list[CheckIn]:
    return list(CheckIn.objects.filter(respondent=_user(request)).order_by("-created_at"))


class SurveyIn(Schema):
    phase: str
    answers: dict[str, int]


class SurveyItemOut(Schema):
    item: str
    text: str


class SurveyOut(Schema):
    role: str
    items: list[SurveyItemOut]
    answered: list[str]


@router.get(
    "/programs/{slug}/survey", response=SurveyOut, summary="Your survey: items and phases answered"
)
def survey_get(request: HttpRequest, slug: str) -> dict[str, object]:
    user = _user(request)
    enrollment = _program(user, slug).enrollments.filter(person__user=user).first()
    if enrollment is None:
        raise Http404
    return {
        "role": enrollment.role,
        "items": [{"item": i, "text": t} for i, t in ITEMS[enrollment.role]],
        "answered": list(
            SurveyResponse.objects.filter(enrollment=enrollment).values_list("phase", flat=True)
        ),
    }


@router.post("/programs/{slug}/survey", response={201: SurveyOut}, summary="Answer your survey")
def survey_post(request: HttpRequest, slug: str, payload: SurveyIn) -> Status:
    user = _user(request)
    enrollment = _program(user, slug).enrollments.filter(person__user=user).first()
    if enrollment is None:
        raise Http404
    services.survey_submit(
        enrollment=enrollment, by=user, phase=payload.phase, answers=payload.answers
    )
    return Status(201, survey_get(request, slug))


class SupportIn(Schema):
    body: str
    pair: int | None = None


class SupportOut(Schema):
    """A request as its author or the program's coordinators see it. Who closed it is not
    here: the author wrote to the coordinators as a team (see `support_request_close`)."""

    id: int
    body: str
    status: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    reply: str
    mine: bool

    @staticmethod
    def resolve_mine(req: SupportRequest, context: dict[str, object]) -> bool:
        return bool(req.author_id == context["request"].auth.pk)  # type: ignore[attr-defined]


@router.post(
    "/programs/{slug}/support",
    response={201: SupportOut},
    summary="Ask the program's coordinators for support, confidentially",
)
def support_create(request: HttpRequest, slug: str, payload: SupportIn) -> Status:
    user = _user(request)
    program = _program(user, slug)
    pair = None
    if payload.pair is not None:
        pair = Pair.objects.filter(pk=payload.pair, program=program).first()
        if pair is None or not permissions.is_pair_member(user, pair):
            raise Http404
    return Status(
        201, services.support_request_create(program=program, by=user, body=payload.body, pair=pair)
    )


@router.get(
    "/programs/{slug}/support",
    response=list[SupportOut],
    summary="Support requests: yours, or all of them for the program's coordinators",
)
def support_list(request: HttpRequest, slug: str) -> list[SupportRequest]:
    user = _user(request)
    program = _program(user, slug)
    return list(selectors.support_requests_for(program=program, user=user))


class SupportCloseIn(Schema):
    reply: str = ""


@router.post(
    "/programs/{slug}/support/{request_id}/close",
    response=SupportOut,
    summary="Mark a support request handled, with an optional reply (the program's coordinators)",
)
def support_close(
    request: HttpRequest, slug: str, request_id: int, payload: SupportCloseIn
) -> SupportRequest:
    user = _user(request)
    program = _program(user, slug)
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("program", "author"), pk=request_id, program=program
    )
    if not permissions.can_read_support_request(user, support_request):
        raise Http404  # nobody else learns that it exists
    return services.support_request_close(request=support_request, by=user, reply=payload.reply)


class FigureOut(Schema):
    label: str
    n: int | None
    mean: float | None
    low: float | None
    high: float | None
    suppressed: bool


class BreakdownOut(Schema):
    total: FigureOut
    cells: list[FigureOut]


class QuestionOut(Schema):
    question: str
    text: str
    overall: FigureOut = Field(description="As published now: every closed batch of k people.")
    by_role: BreakdownOut = Field(description="As released monthly (see checkin_breakdowns_as_of).")
    by_department: BreakdownOut
    by_topic: BreakdownOut = Field(description="By the main topic of each person's pair.")


class TrendFigureOut(Schema):
    question: str
    figure: FigureOut


class TrendPointOut(Schema):
    month: dt.date
    label: str
    so_far: bool = Field(description="The current month: the figures as published now.")
    figures: list[TrendFigureOut]


class SurveyChangeOut(Schema):
    role: str
    item: str
    text: str
    before: FigureOut
    after: FigureOut
    change: FigureOut
    change_by_department: BreakdownOut | None = Field(
        None, description="As released monthly, on the people who answered both surveys."
    )
    departments_as_of: dt.date | None = None


class ReportOut(Schema):
    program: str
    anonymity_threshold: int
    checkin_respondents: int | None
    checkin_breakdowns_as_of: dt.date | None = Field(
        description="The day of the answers the breakdowns by role, department and topic "
        "were last released with (the first batch, then the last batch of each month)."
    )
    checkins: list[QuestionOut]
    checkin_trend: list[TrendPointOut] = Field(
        description="Each month's overall figures as published at the month's end."
    )
    survey: list[SurveyChangeOut]


def _figure(f: Figure) -> dict[str, object]:
    return {"label": f.label, "n": f.n, "mean": f.mean, "low": f.low, "high": f.high,
            "suppressed": f.suppressed}  # fmt: skip


def _breakdown(b: Breakdown) -> dict[str, object]:
    return {"total": _figure(b.total), "cells": [_figure(c) for c in b.cells]}


def _trend(report: selectors.CheckInReport) -> list[dict[str, object]]:
    return [
        {
            "month": point.month,
            "label": point.label,
            "so_far": i == len(report.trend) - 1,
            "figures": [
                {"question": q, "figure": _figure(point.figures[q])} for q, _ in CHECKIN_QUESTIONS
            ],
        }
        for i, point in enumerate(report.trend)
    ]


@router.get(
    "/programs/{slug}/report",
    response=ReportOut,
    summary="Aggregates only, each resting on at least the anonymity threshold of people",
)
def program_report(request: HttpRequest, slug: str) -> dict[str, object]:
    user = _user(request)
    program = _program(user, slug)
    if not permissions.can_read_aggregates(user, program):
        raise NotAllowed("Reports are for the program's coordinators and sponsors.")
    checkins = selectors.checkin_report(program=program)
    return {
        "program": program.slug,
        "anonymity_threshold": program.anonymity_threshold,
        "checkin_respondents": checkins.respondents,
        "checkin_breakdowns_as_of": checkins.breakdowns_as_of,
        "checkins": [
            {
                "question": q,
                "text": text,
                "overall": _figure(checkins.overall[q]),
                "by_role": _breakdown(checkins.by_role[q]),
                "by_department": _breakdown(checkins.by_department[q]),
                "by_topic": _breakdown(checkins.by_topic[q]),
            }
            for q, text in CHECKIN_QUESTIONS
        ],  # fmt: skip
        "checkin_trend": _trend(checkins),
        "survey": [
            {
                "role": s.role,
                "item": s.item,
                "text": s.text,
                "before": _figure(s.before),
                "after": _figure(s.after),
                "change": _figure(s.change),
                "change_by_department": (
                    _breakdown(s.change_by_department) if s.change_by_department else None
                ),
                "departments_as_of": s.departments_as_of,
            }
            for s in selectors.survey_report(program=program)
        ],  # fmt: skip
    }
