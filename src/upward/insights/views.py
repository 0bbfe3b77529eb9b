"""The coordinator's dashboard and the sponsor's report: pictures and numbers, no answers.

Both read aggregates only. The dashboard adds the pairs needing attention (with
their reasons, from metadata) for the program's coordinators; the sponsor's report
names nobody. CSV exports carry the same aggregates.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from upward.core import permissions
from upward.core.models import User
from upward.feedback import selectors as feedback
from upward.feedback.aggregates import Breakdown, Figure
from upward.feedback.selectors import CheckInReport, SurveyItemReport
from upward.insights import charts, selectors
from upward.programs.models import Program
from upward.programs.selectors import programs_visible_to

#: Pairs listed by name on the dashboard; the rest are counted.
ATTENTION_SHOWN = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def reportable_program(request: HttpRequest, slug: str) -> Program:
    """The program whose aggregate report the signed-in user may read (every export)."""
    program: Program = get_object_or_404(programs_visible_to(user=_user(request)), slug=slug)
    if not permissions.can_read_aggregates(_user(request), program):
        raise PermissionDenied("Reports are for the program's coordinators and sponsors.")
    return program


def _figure_text(figure: Figure) -> str:
    if figure.suppressed:
        return "not enough responses"
    return f"{figure.mean:.2f} (n = {figure.n}, 95 % CI {figure.low:.2f}–{figure.high:.2f})"


def _short(figure: Figure) -> str:
    return "not enough responses" if figure.suppressed else f"{figure.mean:.2f} (n = {figure.n})"


def report_context(program: Program) -> dict[str, Any]:
    """Everything both pages show; a fixed number of queries whatever the program's size."""
    funnel = selectors.funnel(program=program)
    weeks = selectors.sessions_per_week(program=program)
    coverage = selectors.topic_coverage(program=program)
    goals = selectors.goal_progress(program=program)
    checkins = feedback.checkin_report(program=program)
    survey = feedback.survey_report(program=program)
    funnel_rows = [
        ("Enrolled", funnel.applied), ("Approved", funnel.approved), ("Trained", funnel.trained),
        ("Matched (pairs)", funnel.proposed), ("Active pairs", funnel.active),
    ]  # fmt: skip
    return {
        "program": program,
        "funnel": funnel,
        "funnel_chart": charts.hbars(
            "Enrolment and matching", [(label, v, str(v)) for label, v in funnel_rows]
        ),
        "weeks": weeks,
        "weeks_chart": charts.columns(
            "Sessions held per week",
            [(f"{w:%d %b}", h, f"{h} held, {m} missed") for w, h, m in weeks],
        ),
        "coverage": coverage,
        "coverage_chart": charts.hbars(
            "Leaders' interests covered by their mentor",
            [(name, covered, f"{covered} of {n}") for name, n, covered in coverage[:10]],
            scale_max=max((n for _, n, _ in coverage[:10]), default=1),
        ),
        "goals": goals,
        "goals_chart": goals_chart(goals),
        "checkins": checkins,
        "checkin_chart": charts.hbars(
            "Check-ins (1–5)",
            [
                (text, checkins.overall[q].mean, _short(checkins.overall[q]))
                for q, text in checkins.questions
            ],
            scale_max=5,
            intervals=[
                (checkins.overall[q].low, checkins.overall[q].high) for q, _ in checkins.questions
            ],
        ),  # fmt: skip
        "checkin_roles": [checkins.by_role[q] for q, _ in checkins.questions],
        "checkin_table": [
            (
                text,
                [_figure_text(checkins.overall[q])]
                + [_figure_text(c) for c in checkins.by_role[q].cells],
            )
            for q, text in checkins.questions
        ],  # fmt: skip
        "survey": survey,
        "survey_chart": charts.change_bars(
            "Change per statement, same people before and after (95 % CI)",
            [
                (
                    f"{'Leaders' if s.role == 'mentee' else 'Mentors'}: {s.item.replace('_', ' ')}",
                    s.change.mean,
                    _signed(s.change),
                    s.change.low,
                    s.change.high,
                )
                for s in survey
            ],
        ),  # fmt: skip
        "survey_rows": [
            (s, _figure_text(s.before), _figure_text(s.after), _figure_text(s.change))
            for s in survey
        ],
        "threshold": program.anonymity_threshold,
        **_checkin_groups(checkins),
        **_trend_charts(checkins),
        "survey_departments": _survey_departments(survey),
    }


#: How the dimensions of the check-in breakdowns are named on the page.
DIMENSION_TITLES = {"role": "role", "department": "department", "topic": "topic"}
#: The check-in questions in a few words, for chart titles.
QUESTION_SHORT = {
    "usefulness": "useful session",
    "openness": "could speak openly",
    "balance": "both learned something",
}
#: Roles as people read them.
ROLE_NAMES = {"mentee": "Leaders (mentees)", "mentor": "Mentors", "All": "Everyone"}


def _by_dimension(checkins: CheckInReport) -> dict[str, dict[str, Breakdown]]:
    return {
        "role": checkins.by_role,
        "department": checkins.by_department,
        "topic": checkins.by_topic,
    }


def _checkin_groups(checkins: CheckInReport) -> dict[str, Any]:
    """The check-in breakdowns as tables (one per dimension: a row per group, a column
    per question) and as bars of each group's usefulness; the PDF draws the same
    `checkin_breakdowns` (department and topic: roles are in its check-in section)."""
    tables = []
    for dimension, by_question in _by_dimension(checkins).items():
        first = by_question.get(checkins.questions[0][0])
        if first is None:
            continue
        rows = [("Everyone", [_short(by_question[q].total) for q, _ in checkins.questions])]
        for i, cell in enumerate(first.cells):
            label = ROLE_NAMES.get(cell.label, cell.label)
            rows.append((label, [_short(by_question[q].cells[i]) for q, _ in checkins.questions]))
        tables.append((DIMENSION_TITLES[dimension], rows))
    usefulness = checkins.questions[0][0]
    group_charts = [
        charts.hbars(
            f"Check-ins by {DIMENSION_TITLES[dimension]}: {QUESTION_SHORT[usefulness]} (1–5)",
            [
                (ROLE_NAMES.get(c.label, c.label), c.mean, _short(c))
                for c in by_question[usefulness].cells
            ],
            scale_max=5,
            intervals=[(c.low, c.high) for c in by_question[usefulness].cells],
        )
        for dimension, by_question in _by_dimension(checkins).items()
        if dimension != "role" and by_question.get(usefulness) and by_question[usefulness].cells
    ]
    return {
        "checkin_group_tables": tables,
        "checkin_group_charts": group_charts,
        "checkin_as_of": checkins.breakdowns_as_of,
        "checkin_breakdowns": {
            d: by for d, by in _by_dimension(checkins).items() if d != "role" and by
        },
    }


def _trend_charts(checkins: CheckInReport) -> dict[str, Any]:
    """One column chart per question: its mean as published at the end of each month
    (on the 1–5 scale, drawn from 1), and a table of the same figures."""
    last = len(checkins.trend) - 1

    def text(i: int, figure: Figure) -> str:
        return _short(figure) + (", so far this month" if i == last else "")

    return {
        f"trend_{question}_chart": charts.columns(
            f"Check-ins month by month: {QUESTION_SHORT[question]} (1–5)",
            [
                (f"{p.month:%b %y}", p.figures[question].mean, text(i, p.figures[question]))
                for i, p in enumerate(checkins.trend)
            ],
            scale_min=1,
            scale_max=5,
            label_every=1 if len(checkins.trend) <= 13 else 2,
            values_shown=len(checkins.trend) <= 13,
        )
        for question, _ in checkins.questions
    } | {
        "trend_rows": [
            (p.label, [_short(p.figures[q]) for q, _ in checkins.questions]) for p in checkins.trend
        ]
    }


def _survey_departments(survey: list[SurveyItemReport]) -> list[dict[str, Any]]:
    """Per role, the change of each item by department: a row per department."""
    out = []
    for role in ("mentee", "mentor"):
        items = [
            (s.item, s.departments_as_of, s.change_by_department)
            for s in survey
            if s.role == role and s.change_by_department is not None
        ]
        breakdowns = [b for _, _, b in items if b is not None]
        if not breakdowns:
            continue
        rows = [("Everyone", [_signed(b.total) for b in breakdowns])]
        for i, cell in enumerate(breakdowns[0].cells):
            rows.append((cell.label, [_signed(b.cells[i]) for b in breakdowns]))
        out.append({
            "role": ROLE_NAMES[role],
            "as_of": items[0][1],
            "items": [item.replace("_", " ") for item, _, _ in items],
            "rows": rows,
        })  # fmt: skip
    return out


def _signed(figure: Figure) -> str:
    if figure.suppressed:
        return "not enough responses"
    return f"{figure.mean:+.2f} (n = {figure.n})"


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator's view: the report plus the pairs that need attention."""
    program = reportable_program(request, slug)
    context = report_context(program)
    coordinator = permissions.can_manage_program(_user(request), program)
    # Counts by reason for everyone who reads the report; names for coordinators only.
    attention = feedback.pairs_needing_attention(
        program=program, limit=ATTENTION_SHOWN if coordinator else 0
    )
    context["health_chart"] = health_chart(attention, active=context["funnel"].active)
    if coordinator:
        context["attention"] = attention
        context["coordinator"] = True
    return render(request, "insights/dashboard.html", context)


def health_chart(attention: feedback.AttentionList, *, active: int) -> charts.Chart:
    """Active pairs needing attention, by reason (a pair may count under several)."""
    labels = dict(feedback.HEALTH_REASONS)
    rows = [(labels[code], float(n), f"{n} of {active}") for code, n in attention.by_reason.items()]
    return charts.hbars(
        f"Pair health: {attention.total} of {active} active pairs need attention",
        rows, scale_max=max(active, 1),
    )  # fmt: skip


def goals_chart(goals: selectors.GoalProgress) -> charts.Chart:
    """Goals by status, both sides' together."""
    rows = [(status.capitalize(), float(n), str(n)) for status, n in goals.by_status.items()]
    return charts.hbars("Goals by status", rows)


@login_required
@require_GET
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The aggregates as CSV: figures only, never a comment or an individual answer."""
    program = reportable_program(request, slug)
    context = report_context(program)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{program.slug}-report.csv"'
    out = csv.writer(response)
    out.writerow(["section", "measure", "group", "n", "value", "ci_low", "ci_high", "as_of"])
    funnel = context["funnel"]
    for name in ("applied", "approved", "trained", "proposed", "active", "ended"):
        out.writerow(["funnel", name, "all", "", getattr(funnel, name), "", "", ""])
    for week, held, missed in context["weeks"]:
        out.writerow(["sessions", "held", week.isoformat(), "", held, "", "", ""])
        out.writerow(["sessions", "cancelled or missed", week.isoformat(), "", missed, "", "", ""])
    checkins: CheckInReport = context["checkins"]
    for question, _ in checkins.questions:
        out.writerow(_figure_row("check-in", question, checkins.overall[question]))
    for point in checkins.trend:
        month = f"{point.month:%Y-%m}" + (" so far" if point is checkins.trend[-1] else "")
        for question, _ in checkins.questions:
            out.writerow(_figure_row("check-in by month", question, point.figures[question], month))
    as_of = checkins.breakdowns_as_of.isoformat() if checkins.breakdowns_as_of else ""
    for dimension, by_question in _by_dimension(checkins).items():
        for question, breakdown in by_question.items():
            for figure in (breakdown.total, *breakdown.cells):
                out.writerow(_figure_row(f"check-in by {dimension}", question, figure, as_of=as_of))
    for s in context["survey"]:
        for figure in (s.before, s.after, s.change):
            out.writerow(_figure_row("survey", f"{s.role}:{s.item}", figure))
        if s.change_by_department is not None:
            day = s.departments_as_of.isoformat() if s.departments_as_of else ""
            for figure in (s.change_by_department.total, *s.change_by_department.cells):
                measure = f"{s.role}:{s.item}"
                out.writerow(_figure_row("survey change by department", measure, figure, as_of=day))
    return response


def _figure_row(
    section: str, measure: str, figure: Figure, group: str | None = None, *, as_of: str = ""
) -> list[object]:
    """One figure as a CSV row; `as_of` for figures released monthly (the breakdowns)."""
    label = figure.label if group is None else group
    if figure.suppressed:
        return [section, measure, label, "", "not enough responses", "", "", as_of]
    return [section, measure, label, figure.n, figure.mean, figure.low, figure.high, as_of]
