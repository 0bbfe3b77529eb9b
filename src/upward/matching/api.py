"""`/api/programs/{slug}/match-runs` and `/api/match-runs/…`: matching for coordinators.

No `from __future__ import annotations`: django-ninja reads real annotations.
Every endpoint is for the program's own coordinators; others get 404.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from upward.core.models import User
from upward.core.permissions import can_manage_program
from upward.matching import selectors, services
from upward.matching.models import MatchRun, PairRule, Proposal
from upward.programs.models import Enrollment, Program
from upward.programs.selectors import programs_visible_to

router = Router(tags=["matching"])


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _program(request: HttpRequest, slug: str) -> Program:
    program = get_object_or_404(programs_visible_to(user=_user(request)), slug=slug)
    if not can_manage_program(_user(request), program):
        raise Http404
    return program


def _run(request: HttpRequest, run_id: int) -> MatchRun:
    run = get_object_or_404(MatchRun.objects.select_related("program"), pk=run_id)
    if not can_manage_program(_user(request), run.program):
        raise Http404
    return run


class RunOut(Schema):
    id: int
    program: str = Field(..., alias="program.slug")
    number: int
    status: str
    stable: bool
    progress: int
    rules: dict[str, Any]
    report: dict[str, Any]
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    published_at: dt.datetime | None


class RunIn(Schema):
    stable: bool = False


class ProposalOut(Schema):
    mentor_id: str = Field(..., alias="mentor.person.employee_id")
    mentor_name: str = Field(..., alias="mentor.person.full_name")
    mentee_id: str = Field(..., alias="mentee.person.employee_id")
    mentee_name: str = Field(..., alias="mentee.person.full_name")
    fit: float
    reasons: str
    locked: bool
    warnings: list[str]


class RuleIn(Schema):
    mentor_id: str = Field(..., description="Mentor's employee id")
    mentee_id: str = Field(..., description="Mentee's employee id")
    kind: str = Field(..., description="lock or block")


class RuleOut(Schema):
    mentor_id: str = Field(..., alias="mentor.person.employee_id")
    mentee_id: str = Field(..., alias="mentee.person.employee_id")
    kind: str


class PublishedOut(Schema):
    published: int


class CompareOut(Schema):
    kept: list[tuple[str, str]]
    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    total_fit: tuple[float, float]
    min_fit: tuple[float | None, float | None]
    matched: tuple[int, int]


@router.get("/programs/{slug}/match-runs", response=list[RunOut], summary="A program's runs")
@paginate(PageNumberPagination)
def run_list(request: HttpRequest, slug: str) -> QuerySet[MatchRun]:
    return _program(request, slug).match_runs.select_related("program").order_by("-number")


@router.post("/programs/{slug}/match-runs", response={201: RunOut}, summary="Run matching")
def run_start(request: HttpRequest, slug: str, payload: RunIn) -> Status[MatchRun]:
    program = _program(request, slug)
    run = services.match_run_start(program=program, by=_user(request), stable=payload.stable)
    run.refresh_from_db()
    return Status(201, run)


@router.get("/match-runs/{run_id}", response=RunOut, summary="A run, its report and progress")
def run_detail(request: HttpRequest, run_id: int) -> MatchRun:
    return _run(request, run_id)


@router.get("/match-runs/{run_id}/proposals", response=list[ProposalOut], summary="Proposals")
@paginate(PageNumberPagination)
def run_proposals(request: HttpRequest, run_id: int) -> QuerySet[Proposal]:
    return selectors.run_proposals(run=_run(request, run_id))


@router.post("/match-runs/{run_id}/publish", response=PublishedOut, summary="Publish as pairs")
def run_publish(request: HttpRequest, run_id: int) -> PublishedOut:
    pairs = services.match_run_publish(run=_run(request, run_id), by=_user(request))
    return PublishedOut(published=len(pairs))


@router.get("/match-runs/{run_id}/compare/{other_id}", response=CompareOut, summary="Compare")
def run_compare(request: HttpRequest, run_id: int, other_id: int) -> selectors.RunComparison:
    a, b = _run(request, run_id), _run(request, other_id)
    if a.program_id != b.program_id:
        raise Http404
    return selectors.match_runs_compare(a=a, b=b)


@router.get("/programs/{slug}/pair-rules", response=list[RuleOut], summary="Locks and blocks")
def rule_list(request: HttpRequest, slug: str) -> QuerySet[PairRule]:
    program = _program(request, slug)
    return program.pair_rules.select_related("mentor__person", "mentee__person")


def _enrolment(program: Program, role: str, employee_id: str) -> Enrollment:
    return get_object_or_404(
        program.enrollments.select_related("person"), role=role, person__employee_id=employee_id
    )


@router.post("/programs/{slug}/pair-rules", response={201: RuleOut}, summary="Lock or block")
def rule_set(request: HttpRequest, slug: str, payload: RuleIn) -> Status[PairRule]:
    program = _program(request, slug)
    rule = services.pair_rule_set(
        program=program,
        mentor=_enrolment(program, "mentor", payload.mentor_id),
        mentee=_enrolment(program, "mentee", payload.mentee_id),
        kind=payload.kind,
        by=_user(request),
    )
    return Status(201, rule)


@router.delete(
    "/programs/{slug}/pair-rules/{mentor_id}/{mentee_id}", response={204: None}, summary="Clear"
)
def rule_clear(request: HttpRequest, slug: str, mentor_id: str, mentee_id: str) -> Status[None]:
    program = _program(request, slug)
    removed = services.pair_rule_clear(
        program=program,
        mentor=_enrolment(program, "mentor", mentor_id),
        mentee=_enrolment(program, "mentee", mentee_id),
    )
    if not removed:
        raise Http404
    return Status(204, None)
