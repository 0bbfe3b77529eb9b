"""Program pages: list, create and edit, the program page, apply, training and topics.

Each view reads input, asks `core.permissions`, calls one service or selector and
renders. A program the user may not see at all is a 404 (no hint it exists); a
coordinator-only action on a program they can see is a 403. Service refusals
become form errors next to the input at fault, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from upward.core import permissions
from upward.core.errors import DomainError
from upward.core.models import User
from upward.core.tabular import TableError
from upward.people.models import Person
from upward.programs import selectors, services
from upward.programs.catalogue import CATEGORY_LABELS, TRAINING_MODULES, module_by_slug
from upward.programs.forms import (
    ApplyForm,
    BulkEnrolForm,
    EnrolSomeoneForm,
    ProgramForm,
    ReflectionForm,
    TopicForm,
    TransitionForm,
)
from upward.programs.models import (
    KINDS_FOR_ROLE,
    PROGRAM_TRANSITIONS,
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    Program,
    ProgramStatus,
    Topic,
    TrainingCompletion,
)

PAGE_SIZE = 25
ENROLLMENT_PAGE_SIZE = 50

#: What the button for each status change says.
TRANSITION_LABELS: dict[tuple[str, str], str] = {
    (ProgramStatus.DRAFT, ProgramStatus.ENROLLING): "Open enrolment",
    (ProgramStatus.ENROLLING, ProgramStatus.MATCHING): "Close enrolment and start matching",
    (ProgramStatus.MATCHING, ProgramStatus.ENROLLING): "Reopen enrolment",
    (ProgramStatus.MATCHING, ProgramStatus.RUNNING): "Start the program",
    (ProgramStatus.RUNNING, ProgramStatus.CLOSED): "Close the program",
}

#: Enrolments that still count: the person has not been declined and has not left.
LIVE_STATUSES = (EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _visible_program(request: HttpRequest, slug: str) -> Program:
    """The program if this user may see it at all; otherwise 404, never a hint it exists."""
    return get_object_or_404(selectors.programs_visible_to(user=_user(request)), slug=slug)


def _managed_program(request: HttpRequest, slug: str) -> Program:
    program = _visible_program(request, slug)
    if not permissions.can_manage_program(_user(request), program):
        raise PermissionDenied("Only this program's coordinators can do this.")
    return program


def _show_warnings(request: HttpRequest, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


# --- programs ---------------------------------------------------------------------------------


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    """Programs this user may see, with status, dates and approved mentor/mentee counts."""
    user = _user(request)
    page = Paginator(selectors.programs_visible_to(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    mine = dict(
        Enrollment.objects.filter(
            person__user=user, program__in=[p.pk for p in page.object_list]
        ).values_list("program_id", "status")
    )
    rows = [
        (program, EnrollmentStatus(mine[program.pk]).label if program.pk in mine else "")
        for program in page.object_list
    ]
    context = {"page": page, "rows": rows, "can_create": permissions.can_create_program(user)}
    return render(request, "programs/program_list.html", context)


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    """A new draft program; its creator becomes its first coordinator."""
    user = _user(request)
    if not permissions.can_create_program(user):
        raise PermissionDenied("Only coordinators and admins create programs.")
    form = ProgramForm(request.POST) if request.method == "POST" else ProgramForm()
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(by=user, **form.service_arguments())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, f"{program.name} is saved as a draft. Open enrolment when it is ready."
            )
            return redirect("programs:detail", slug=program.slug)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@login_required
def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change a program's description, topics or rules (rules freeze once it runs)."""
    program = _managed_program(request, slug)
    if request.method == "POST":
        form = ProgramForm(request.POST, program=program)
        if form.is_valid():
            changes = form.service_changes()
            try:
                services.program_update(program=program, **changes)
            except DomainError as exc:
                form.add_domain_error(exc)
                # The service may have set attributes before refusing; show the saved values.
                program.refresh_from_db()
            else:
                messages.success(request, "Changes saved." if changes else "Nothing was changed.")
                return redirect("programs:detail", slug=program.slug)
    else:
        form = ProgramForm(program=program)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


def _topic_groups(topics: list[Topic]) -> list[tuple[str, list[Topic]]]:
    grouped: dict[str, list[Topic]] = {key: [] for key in CATEGORY_LABELS}
    for topic in topics:
        grouped[topic.category].append(topic)
    return [(CATEGORY_LABELS[key], items) for key, items in grouped.items() if items]


def _coordinator_page(
    request: HttpRequest,
    program: Program,
    *,
    enrol_form: EnrolSomeoneForm | None = None,
    bulk_form: BulkEnrolForm | None = None,
    bulk_problems: list[str] | None = None,
) -> HttpResponse:
    """The program page as its coordinators see it: status, enrolments, training counts."""
    status_filter = request.GET.get("status", "")
    if status_filter not in EnrollmentStatus.values:
        status_filter = ""
    page = Paginator(
        selectors.program_enrollments(program=program, status=status_filter),
        ENROLLMENT_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    counts = selectors.program_training_counts(program=program)
    by_enrollment = {c.enrollment.pk: c for c in counts}
    readiness = [
        {
            "role": label,
            "approved": sum(
                1
                for c in counts
                if c.enrollment.role == role and c.enrollment.status == EnrollmentStatus.APPROVED
            ),
            "ready": sum(
                1
                for c in counts
                if c.enrollment.role == role
                and c.enrollment.status == EnrollmentStatus.APPROVED
                and c.ready
            ),
        }
        for role, label in EnrollmentRole.choices
    ]
    transitions = [
        (to, TRANSITION_LABELS.get((program.status, to), to))
        for to in sorted(PROGRAM_TRANSITIONS[program.status])
    ]
    context: dict[str, Any] = {
        "program": program,
        "topic_groups": _topic_groups(list(selectors.topics_offered(program=program))),
        "coordinators": selectors.program_coordinators(program=program),
        "transitions": transitions,
        "page": page,
        "rows": [(e, by_enrollment.get(e.pk)) for e in page.object_list],
        "status_filter": status_filter,
        "status_choices": EnrollmentStatus.choices,
        "readiness": readiness,
        "enrol_form": enrol_form or EnrolSomeoneForm(),
        "bulk_form": bulk_form or BulkEnrolForm(),
        "bulk_problems": bulk_problems or [],
        "can_enrol": program.status
        in (ProgramStatus.ENROLLING, ProgramStatus.MATCHING, ProgramStatus.RUNNING),
    }
    return render(request, "programs/program_manage.html", context)


@login_required
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Coordinators run the program here; participants read it and apply."""
    user = _user(request)
    program = _visible_program(request, slug)
    if permissions.can_manage_program(user, program):
        return _coordinator_page(request, program)
    enrollment = selectors.enrollment_of(program=program, user=user)
    context = {
        "program": program,
        "topic_groups": _topic_groups(list(selectors.topics_offered(program=program))),
        "enrollment": enrollment,
        "has_person": selectors.person_for_user(user=user) is not None,
        "is_enrolling": program.status == ProgramStatus.ENROLLING,
        "can_report": permissions.can_read_aggregates(user, program),
    }
    return render(request, "programs/program_detail.html", context)


@login_required
@require_POST
def program_transition(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the program to another status; an invalid move changes nothing."""
    program = _managed_program(request, slug)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the offered status changes.")
        return redirect("programs:detail", slug=program.slug)
    try:
        services.program_transition(program=program, to=form.cleaned_data["to"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{program.name} is now {program.get_status_display()}.")
    return redirect("programs:detail", slug=program.slug)


@login_required
@require_POST
def program_add_coordinator(request: HttpRequest, slug: str) -> HttpResponse:
    """Share the program with another coordinator (they see metadata, never content)."""
    program = _managed_program(request, slug)
    email = request.POST.get("email", "").strip()[:254]
    colleague = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if colleague is None:
        messages.error(request, f"No active account has the e-mail '{email}'.")
        return redirect("programs:detail", slug=program.slug)
    try:
        services.program_add_coordinator(program=program, user=colleague)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{colleague.email} now coordinates {program.name}.")
    return redirect("programs:detail", slug=program.slug)


# --- enrolment ----------------------------------------------------------------------------------


@login_required
@require_POST
def enrollment_add(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator enrols one person by employee id; approved at once."""
    user = _user(request)
    program = _managed_program(request, slug)
    form = EnrolSomeoneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(employee_id=data["employee_id"].strip()).first()
        if person is None:
            form.add_error("employee_id", f"No person has the employee id '{data['employee_id']}'.")
        else:
            try:
                outcome = services.enrollment_apply(
                    program=program,
                    person=person,
                    role=data["role"],
                    topics={KINDS_FOR_ROLE[data["role"]][0]: data["topics"]},
                    approve=True,
                    by=user,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"{person.full_name} is enrolled as {data['role']}.")
                _show_warnings(request, outcome.warnings)
                return redirect("programs:detail", slug=program.slug)
    return _coordinator_page(request, program, enrol_form=form)


@login_required
@require_POST
def enrollment_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """Enrol everyone in a CSV, or, if any line is wrong, nobody, listing every problem."""
    program = _managed_program(request, slug)
    form = BulkEnrolForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        try:
            result = services.enrollment_bulk(
                program=program, source=form.cleaned_data["file"], by=_user(request)
            )
        except TableError as exc:
            problems = [str(problem) for problem in exc.problems]
            form.add_error(
                "file",
                f"Nobody was enrolled: the file has {len(problems)} "
                f"problem{'s' if len(problems) != 1 else ''}. Fix them and upload it again.",
            )
        else:
            already = f" ({result.already} already enrolled)" if result.already else ""
            messages.success(request, f"Enrolled {result.enrolled} people{already}.")
            _show_warnings(request, result.warnings)
            return redirect("programs:detail", slug=program.slug)
    return _coordinator_page(request, program, bulk_form=form, bulk_problems=problems)


@login_required
@require_POST
def enrollment_decide(request: HttpRequest, slug: str, enrollment_id: int) -> HttpResponse:
    """Approve or decline one application; htmx swaps just its row."""
    user = _user(request)
    program = _managed_program(request, slug)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return HttpResponseBadRequest("decision must be approve or decline")
    enrollment = get_object_or_404(program.enrollments.select_related("person"), pk=enrollment_id)
    error = ""
    try:
        services.enrollment_decide(enrollment=enrollment, approve=decision == "approve", by=user)
    except DomainError as exc:
        error = exc.message
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"{enrollment.person.full_name}: {decision}d.")
        return redirect("programs:detail", slug=program.slug)
    fresh = selectors.program_enrollments(program=program).get(pk=enrollment.pk)
    progress = selectors.training_progress(person=fresh.person, role=fresh.role)
    count = selectors.TrainingCount(
        enrollment=fresh,
        completed=sum(1 for p in progress if p.completed),
        required=len(progress),
    )
    context = {"program": program, "enrollment": fresh, "training": count, "row_error": error}
    return render(request, "programs/_enrollment_row.html", context)


@login_required
def program_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Self-service enrolment for the signed-in user's own directory entry."""
    user = _user(request)
    program = _visible_program(request, slug)
    person = selectors.person_for_user(user=user)
    existing = selectors.enrollment_of(program=program, user=user)
    context: dict[str, Any] = {"program": program, "person": person, "existing": existing}
    is_post = request.method == "POST"
    if person is None or (not is_post and (existing or program.status != ProgramStatus.ENROLLING)):
        # Nothing to fill in: the page says why (no linked record, enrolled, or closed).
        return render(request, "programs/apply.html", context)
    form = ApplyForm(
        request.POST if is_post else None,
        offered=selectors.topics_offered(program=program),
        every_topic=Topic.objects.filter(is_retired=False).order_by("category", "name"),
    )
    if is_post and form.is_valid():
        try:
            outcome = services.enrollment_apply(
                program=program, person=person, **form.service_arguments()
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            role = outcome.enrollment.get_role_display().lower()
            messages.success(
                request,
                f"Thank you: you have applied to {program.name} as a {role}. "
                "A coordinator will review your application.",
            )
            _show_warnings(request, outcome.warnings)
            return redirect("programs:detail", slug=program.slug)
    context["form"] = form
    return render(request, "programs/apply.html", context)


# --- training -----------------------------------------------------------------------------------


@login_required
def training(request: HttpRequest) -> HttpResponse:
    """The user's modules for each role they are enrolled as, with completion ticks."""
    person = selectors.person_for_user(user=_user(request))
    sections: list[tuple[str, list[selectors.ModuleProgress], int]] = []
    if person is not None:
        enrolled_as = set(
            Enrollment.objects.filter(person=person, status__in=LIVE_STATUSES).values_list(
                "role", flat=True
            )
        )
        for role, label in EnrollmentRole.choices:
            if role in enrolled_as:
                progress = selectors.training_progress(person=person, role=role)
                sections.append((label, progress, sum(1 for p in progress if p.completed)))
    context = {
        "person": person,
        "sections": sections,
        # Without an enrolment the modules are still worth reading: shown as a catalogue.
        "catalogue": [
            (label, [m for m in TRAINING_MODULES if m.role == role])
            for role, label in EnrollmentRole.choices
        ],
    }
    return render(request, "programs/training.html", context)


def _blocks(paragraphs: tuple[str, ...]) -> list[tuple[str, Any]]:
    """Paragraphs as ("p", text) and runs of "• " paragraphs as ("ul", [items])."""
    blocks: list[tuple[str, Any]] = []
    for paragraph in paragraphs:
        if paragraph.startswith("• "):
            if not blocks or blocks[-1][0] != "ul":
                blocks.append(("ul", []))
            blocks[-1][1].append(paragraph.removeprefix("• "))
        else:
            blocks.append(("p", paragraph))
    return blocks


@login_required
def training_module(request: HttpRequest, module_slug: str) -> HttpResponse:
    """One module's sections and the private reflection that completes it."""
    user = _user(request)
    try:
        module = module_by_slug(module_slug)
    except KeyError as exc:
        raise Http404("No such training module.") from exc
    person = selectors.person_for_user(user=user)
    completion = (
        TrainingCompletion.objects.filter(person=person, module_slug=module.slug)
        .select_related("person")
        .first()
        if person is not None
        else None
    )
    if completion is not None and not permissions.can_read_reflection(user, completion):
        completion = None
    if request.method == "POST":
        form = ReflectionForm(request.POST)
        if person is None:
            form.add_error(None, "Your account is not linked to an employee record.")
        elif form.is_valid():
            try:
                services.training_complete(
                    person=person,
                    module_slug=module.slug,
                    reflection=form.cleaned_data["reflection"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request, f"“{module.title}” is complete. Your reflection is saved privately."
                )
                return redirect("programs:training")
    else:
        initial = {"reflection": completion.reflection} if completion else {}
        form = ReflectionForm(initial=initial)
    context = {
        "module": module,
        "sections": [(section.heading, _blocks(section.paragraphs)) for section in module.sections],
        "person": person,
        "completion": completion,
        "form": form,
    }
    return render(request, "programs/training_module.html", context)


# --- topics -------------------------------------------------------------------------------------


def _ensure_topic_access(request: HttpRequest) -> None:
    if not permissions.can_manage_topics(_user(request)):
        raise PermissionDenied("The topic taxonomy is edited by coordinators and admins.")


def _topic_page(request: HttpRequest, form: TopicForm) -> HttpResponse:
    topics = list(Topic.objects.order_by("category", "name"))
    context = {"topic_groups": _topic_groups(topics), "form": form, "total": len(topics)}
    return render(request, "programs/topic_list.html", context)


@login_required
def topic_list(request: HttpRequest) -> HttpResponse:
    """The whole taxonomy by category, retired topics included, with a form to add one."""
    _ensure_topic_access(request)
    return _topic_page(request, TopicForm())


@login_required
@require_POST
def topic_create(request: HttpRequest) -> HttpResponse:
    _ensure_topic_access(request)
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            topic = services.topic_create(**form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Added “{topic.name}”.")
            return redirect("programs:topics")
    return _topic_page(request, form)


@login_required
def topic_edit(request: HttpRequest, topic_slug: str) -> HttpResponse:
    """Rename a topic or improve its description and prompts; its slug never changes."""
    _ensure_topic_access(request)
    topic = get_object_or_404(Topic, slug=topic_slug)
    if request.method == "POST":
        form = TopicForm(request.POST, topic=topic)
        if form.is_valid():
            try:
                services.topic_update(topic=topic, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
                topic.refresh_from_db()
            else:
                messages.success(request, f"Saved “{topic.name}”.")
                return redirect("programs:topics")
    else:
        form = TopicForm(topic=topic)
    return render(request, "programs/topic_form.html", {"form": form, "topic": topic})


@login_required
@require_POST
def topic_retire(request: HttpRequest, topic_slug: str) -> HttpResponse:
    """Retire a topic (no longer offered) or bring it back; htmx swaps its row."""
    _ensure_topic_access(request)
    topic = get_object_or_404(Topic, slug=topic_slug)
    retired = request.POST.get("retired") == "1"
    services.topic_retire(topic=topic, retired=retired)
    if _is_htmx(request):
        return render(request, "programs/_topic_row.html", {"topic": topic})
    messages.success(request, f"“{topic.name}” is {'retired' if retired else 'offered again'}.")
    return redirect("programs:topics")
