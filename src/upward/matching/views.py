"""Matching pages: runs and their progress, proposals, locks and blocks, comparing, publishing.

Every page here is for the program's own coordinators (and admins). Anyone else
gets a 404, as from the API, so a program's matching never hints that it exists.
Each view reads input, asks `core.permissions`, calls one service or selector and
renders; a service's refusal becomes a message or a form error and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from upward.core import permissions
from upward.core.errors import DomainError
from upward.core.models import User
from upward.matching import selectors, services
from upward.matching.models import MatchRun, PairRule, PairRuleKind, Proposal, RunStatus
from upward.mentoring.selectors import pairs_of_program
from upward.people.models import Person
from upward.programs.forms import DomainErrorForm
from upward.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, Program
from upward.programs.selectors import programs_visible_to

RUN_PAGE_SIZE = 20
PAIR_PAGE_SIZE = 50
PROPOSAL_PAGE_SIZE = 100
UNMATCHED_PAGE_SIZE = 50
#: A comparison lists at most this many pairs per group; the counts are always complete.
COMPARE_SHOWN = 200
#: The run page's progress box and the runs list poll while a run is not finished.
UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _managed_program(request: HttpRequest, slug: str) -> Program:
    """The program if this user coordinates it; for anyone else it does not exist (404)."""
    user = _user(request)
    program = get_object_or_404(programs_visible_to(user=user), slug=slug)
    if not permissions.can_manage_program(user, program):
        raise Http404("No such program.")
    return program


def _run(program: Program, number: int) -> MatchRun:
    return get_object_or_404(program.match_runs.select_related("program"), number=number)


def _page_url(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return f"?{query.urlencode()}"


def _paginate(request: HttpRequest, items: Any, size: int, param: str) -> dict[str, Any]:
    """A page of `items` read from `?<param>=`, with links that keep the rest of the query."""
    page: Page[Any] = Paginator(items, size).get_page(request.GET.get(param))
    return {
        "page": page,
        "prev_url": _page_url(request, param, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _page_url(request, param, page.next_page_number()) if page.has_next() else "",
    }


# --- forms --------------------------------------------------------------------------------------


class EnrollmentChoiceField(forms.ModelChoiceField):
    """An approved enrolment, shown by the person's name and employee id."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name} ({obj.person.employee_id})"


class PairRuleForm(DomainErrorForm):
    """Lock (always pair) or block (never pair) one approved mentor with one approved mentee."""

    mentor = EnrollmentChoiceField(queryset=Enrollment.objects.none(), empty_label="Choose…")
    mentee = EnrollmentChoiceField(queryset=Enrollment.objects.none(), empty_label="Choose…")
    kind = forms.ChoiceField(
        choices=PairRuleKind.choices,
        widget=forms.RadioSelect,
        initial=PairRuleKind.LOCK,
        label="Rule",
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        approved = (
            program.enrollments.filter(status=EnrollmentStatus.APPROVED)
            .select_related("person")
            .order_by("person__full_name", "pk")
        )
        for role in (EnrollmentRole.MENTOR, EnrollmentRole.MENTEE):
            field = self.fields[role]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = approved.filter(role=role)


# --- the matching page: run, runs, rules, pairs -------------------------------------------------


def _matching_page(
    request: HttpRequest, program: Program, *, rule_form: PairRuleForm | None = None
) -> HttpResponse:
    runs = program.match_runs.select_related("program").order_by("-number")
    context: dict[str, Any] = {
        "program": program,
        "can_run": program.status in services.MATCHABLE_STATUSES,
        "runs": _paginate(request, runs, RUN_PAGE_SIZE, "page"),
        "rules": program.pair_rules.select_related("mentor__person", "mentee__person").order_by(
            "mentee__person__full_name", "mentor__person__full_name"
        ),
        "rule_form": rule_form or PairRuleForm(program=program),
        "pairs": _paginate(
            request, pairs_of_program(program=program), PAIR_PAGE_SIZE, "pairs_page"
        ),
    }
    return render(request, "matching/matching.html", context)


@login_required
@require_GET
def matching(request: HttpRequest, slug: str) -> HttpResponse:
    """Run matching, follow runs as they progress, set locks and blocks, see published pairs."""
    return _matching_page(request, _managed_program(request, slug))


@login_required
@require_POST
def run_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a run (optimal or stable); small runs finish before the page comes back."""
    program = _managed_program(request, slug)
    method = request.POST.get("method", "optimal")
    if method not in ("optimal", "stable"):
        return HttpResponseBadRequest("method must be optimal or stable")
    try:
        run = services.match_run_start(
            program=program, by=_user(request), stable=method == "stable"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("matching:home", slug=program.slug)
    run.refresh_from_db()
    if run.status == RunStatus.DONE:
        matched = run.report.get("matched", 0)
        messages.success(
            request,
            f"Run {run.number} finished: {matched} pair{pluralize(matched)} proposed.",
        )
    elif run.status == RunStatus.FAILED:
        messages.error(request, f"Run {run.number} could not match: {run.error}")
    else:
        messages.info(
            request, f"Run {run.number} is queued for the background worker; this page follows it."
        )
    return redirect("matching:run", slug=program.slug, number=run.number)


@login_required
@require_GET
def run_progress(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Polled by htmx: a run's row in the runs list, or the progress box on the run's page.

    Once the run is finished the row comes back without its polling trigger, and the
    run's page is reloaded so it shows the results.
    """
    program = _managed_program(request, slug)
    run = _run(program, number)
    if request.GET.get("on") == "run":
        if run.status not in UNFINISHED:
            return HttpResponseClientRefresh()
        return render(request, "matching/_run_progress.html", {"program": program, "run": run})
    return render(request, "matching/_run_row.html", {"program": program, "run": run})


@login_required
@require_POST
def rule_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Lock or block a mentor with a mentee for the next runs."""
    program = _managed_program(request, slug)
    form = PairRuleForm(request.POST, program=program)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.pair_rule_set(
                program=program, mentor=data["mentor"], mentee=data["mentee"], kind=data["kind"],
                by=_user(request),
            )  # fmt: skip
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{_rule_sentence(rule)} The next run will honour it.")
            return redirect(reverse("matching:home", args=[program.slug]) + "#rules")
    return _matching_page(request, program, rule_form=form)


def _rule_sentence(rule: PairRule) -> str:
    mentor, mentee = rule.mentor.person.full_name, rule.mentee.person.full_name
    if rule.kind == PairRuleKind.LOCK:
        return f"{mentor} and {mentee} are locked together."
    return f"{mentor} and {mentee} are blocked from being paired."


@login_required
@require_POST
def rule_remove(request: HttpRequest, slug: str, rule_id: int) -> HttpResponse:
    """Remove a lock or block."""
    program = _managed_program(request, slug)
    rule = get_object_or_404(
        program.pair_rules.select_related("mentor__person", "mentee__person"), pk=rule_id
    )
    services.pair_rule_clear(program=program, mentor=rule.mentor, mentee=rule.mentee)
    messages.success(
        request,
        f"Removed the {rule.kind} on {rule.mentor.person.full_name} and "
        f"{rule.mentee.person.full_name}.",
    )
    return redirect(reverse("matching:home", args=[program.slug]) + "#rules")


# --- one run ------------------------------------------------------------------------------------


def _rule_kinds(program: Program) -> dict[tuple[int, int], str]:
    return {
        (mentor_id, mentee_id): kind
        for mentor_id, mentee_id, kind in program.pair_rules.values_list(
            "mentor_id", "mentee_id", "kind"
        )
    }


def _names(employee_ids: set[str]) -> dict[str, str]:
    if not employee_ids:
        return {}
    return dict(
        Person.objects.filter(employee_id__in=employee_ids).values_list("employee_id", "full_name")
    )


def _unmatched(request: HttpRequest, run: MatchRun) -> dict[str, Any]:
    """The report's unmatched people, a page at a time, with names for their ids."""
    listing = _paginate(
        request, run.report.get("unmatched", []), UNMATCHED_PAGE_SIZE, "unmatched_page"
    )
    rows = list(listing["page"].object_list)
    alternatives = {row["best_alternative"] for row in rows if row.get("best_alternative")}
    names = _names({row["id"] for row in rows} | alternatives)
    listing["rows"] = [
        {
            **row,
            "name": names.get(row["id"], row["id"]),
            "alternative_name": names.get(row.get("best_alternative") or "", ""),
        }
        for row in rows
    ]
    return listing


def _comparison(run: MatchRun, other: MatchRun) -> dict[str, Any]:
    """Changes from the earlier of the two runs to the later, with names and fit differences."""
    earlier, later = sorted((run, other), key=lambda r: r.number)
    result = selectors.match_runs_compare(a=earlier, b=later)
    groups = {"kept": result.kept, "added": result.added, "removed": result.removed}
    shown = {key: pairs[:COMPARE_SHOWN] for key, pairs in groups.items()}
    names = _names({person for pairs in shown.values() for pair in pairs for person in pair})

    def named(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(names.get(mentor, mentor), names.get(mentee, mentee)) for mentor, mentee in pairs]

    min_before, min_after = result.min_fit
    return {
        "earlier": earlier,
        "later": later,
        "counts": {key: len(pairs) for key, pairs in groups.items()},
        "pairs": {key: named(pairs) for key, pairs in shown.items()},
        "hidden": {key: len(groups[key]) - len(shown[key]) for key in groups},
        "matched": result.matched,
        "total_fit": result.total_fit,
        "total_fit_change": result.total_fit[1] - result.total_fit[0],
        "min_fit": result.min_fit,
        "min_fit_change": (
            min_after - min_before if min_before is not None and min_after is not None else None
        ),
    }


@login_required
@require_GET
def run_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A run's report, its proposals with per-row lock and block, the unmatched, a comparison."""
    program = _managed_program(request, slug)
    run = _run(program, number)
    others = list(
        program.match_runs.filter(status=RunStatus.DONE).exclude(pk=run.pk).order_by("-number")
    )
    comparison = None
    compare_with = request.GET.get("compare", "")
    if run.status == RunStatus.DONE and compare_with.isdigit():
        other = next((r for r in others if r.number == int(compare_with)), None)
        if other is None:
            messages.error(request, f"There is no finished run {compare_with} to compare with.")
        else:
            comparison = _comparison(run, other)
    proposals = _paginate(request, selectors.run_proposals(run=run), PROPOSAL_PAGE_SIZE, "page")
    kinds = _rule_kinds(program)
    proposals["rows"] = [
        (proposal, kinds.get((proposal.mentor_id, proposal.mentee_id), ""))
        for proposal in proposals["page"].object_list
    ]
    context = {
        "program": program,
        "run": run,
        "finished": run.status not in UNFINISHED,
        "report": run.report,
        "certificate": run.report.get("certificate"),
        "proposals": proposals,
        "unmatched": _unmatched(request, run),
        "others": others,
        "compare_with": compare_with,
        "comparison": comparison,
    }
    return render(request, "matching/run_detail.html", context)


@login_required
@require_POST
def proposal_rule(request: HttpRequest, slug: str, number: int, proposal_id: int) -> HttpResponse:
    """Lock, block or clear the rule for one proposal's two people; htmx swaps just the row."""
    program = _managed_program(request, slug)
    run = _run(program, number)
    proposal: Proposal = get_object_or_404(selectors.run_proposals(run=run), pk=proposal_id)
    kind = request.POST.get("kind", "")
    if kind not in (*PairRuleKind.values, "clear"):
        return HttpResponseBadRequest("kind must be lock, block or clear")
    error = ""
    try:
        if kind == "clear":
            services.pair_rule_clear(
                program=program, mentor=proposal.mentor, mentee=proposal.mentee
            )
        else:
            services.pair_rule_set(
                program=program, mentor=proposal.mentor, mentee=proposal.mentee, kind=kind,
                by=_user(request),
            )  # fmt: skip
    except DomainError as exc:
        error = exc.message
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Saved. The next run will honour it.")
        return redirect("matching:run", slug=program.slug, number=run.number)
    rule = _rule_kinds(program).get((proposal.mentor_id, proposal.mentee_id), "")
    context = {
        "program": program, "run": run, "proposal": proposal, "rule": rule, "row_error": error,
    }  # fmt: skip
    return render(request, "matching/_proposal_row.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def run_publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Confirm, then turn the run's proposals into pairs awaiting both people's answer."""
    program = _managed_program(request, slug)
    run = _run(program, number)
    if request.method == "POST":
        try:
            pairs = services.match_run_publish(run=run, by=_user(request))
        except DomainError as exc:
            messages.error(request, f"Not published: {exc.message}")
            return redirect("matching:run", slug=program.slug, number=run.number)
        proposed = run.proposals.count()
        skipped = proposed - len(pairs)
        note = f" ({skipped} skipped: already paired since this run)" if skipped else ""
        messages.success(
            request,
            f"Published run {run.number}: {len(pairs)} pair{pluralize(len(pairs))}{note}. "
            "Each person now sees their match and is asked to accept.",
        )
        return redirect("matching:home", slug=program.slug)
    refusal = ""
    if run.published_at is not None:
        refusal = f"Run {run.number} is already published."
    elif run.status != RunStatus.DONE:
        refusal = (
            f"Run {run.number} is {run.get_status_display().lower()}: "
            "only a finished run can be published."
        )
    proposal_count = run.proposals.count()
    if not refusal and not proposal_count:
        refusal = f"Run {run.number} proposes no pairs: there is nothing to publish."
    context = {
        "program": program,
        "run": run,
        "refusal": refusal,
        "proposal_count": proposal_count,
    }
    return render(request, "matching/run_publish.html", context)
