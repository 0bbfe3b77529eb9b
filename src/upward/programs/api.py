"""`/api/programs`, `/api/topics`, `/api/training`: the JSON door onto programs.

No `from __future__ import annotations`: django-ninja reads real annotations.
Permissions are checked here (one predicate from `core.permissions` per
endpoint); rules are the services'. A program the caller may not see is a 404.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from upward.core.errors import DomainError
from upward.core.models import User
from upward.core.permissions import can_create_program, can_manage_program, ensure
from upward.core.tabular import TableError
from upward.people.models import Person
from upward.programs import selectors, services
from upward.programs.catalogue import TRAINING_MODULES, module_by_slug
from upward.programs.models import (
    Enrollment,
    Program,
    Topic,
    TopicCategory,
    TrainingCompletion,
)

router = Router(tags=["programs"])


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _program(request: HttpRequest, slug: str) -> Program:
    """The program if the caller may see it at all; otherwise 404, never a hint it exists."""
    return get_object_or_404(selectors.programs_visible_to(user=_user(request)), slug=slug)


def _managed_program(request: HttpRequest, slug: str) -> Program:
    program = _program(request, slug)
    ensure(
        can_manage_program(_user(request), program),
        "Only this program's coordinators can do this.",
    )
    return program


# --- topics ------------------------------------------------------------------------------------


class TopicOut(Schema):
    slug: str
    name: str
    category: str
    description: str
    prompts: list[str]
    is_retired: bool


class TopicIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    category: TopicCategory
    description: str = Field("", max_length=2000)
    prompts: list[str] = Field(default_factory=list, max_length=8)


class TopicPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=2000)
    prompts: list[str] | None = Field(None, max_length=8)
    is_retired: bool | None = None


@router.get("/topics", response=list[TopicOut], summary="The topic taxonomy")
@paginate(PageNumberPagination, page_size=100)
def topic_list(request: HttpRequest, include_retired: bool = False) -> QuerySet[Topic]:
    topics = Topic.objects.order_by("category", "name")
    return topics if include_retired else topics.filter(is_retired=False)


@router.post("/topics", response={201: TopicOut}, summary="Add a topic")
def topic_add(request: HttpRequest, payload: TopicIn) -> Status[Topic]:
    ensure(can_create_program(_user(request)), "Only coordinators edit the taxonomy.")
    topic = services.topic_create(
        name=payload.name,
        category=payload.category,
        description=payload.description,
        prompts=payload.prompts,
    )
    return Status(201, topic)


@router.patch("/topics/{slug}", response=TopicOut, summary="Rename, re-describe or retire")
def topic_change(request: HttpRequest, slug: str, payload: TopicPatch) -> Topic:
    ensure(can_create_program(_user(request)), "Only coordinators edit the taxonomy.")
    topic = get_object_or_404(Topic, slug=slug)
    services.topic_update(
        topic=topic, name=payload.name, description=payload.description, prompts=payload.prompts
    )
    if payload.is_retired is not None:
        services.topic_retire(topic=topic, retired=payload.is_retired)
    return topic


# --- programs ----------------------------------------------------------------------------------


class ProgramRules(Schema):
    cadence_days: int = Field(14, ge=1, le=90)
    session_minutes: int = Field(45, ge=15, le=240)
    min_level_gap: int = Field(2, ge=0, le=20)
    mentor_capacity: int = Field(1, ge=1, le=5)
    min_fit: float = Field(0.0, ge=0, le=1)
    weight_coverage: float = Field(0.50, ge=0)
    weight_reciprocity: float = Field(0.15, ge=0)
    weight_department: float = Field(0.10, ge=0)
    weight_timezone: float = Field(0.25, ge=0)
    training_required: bool = True
    anonymity_threshold: int = Field(5, ge=3, le=100)


class ProgramIn(ProgramRules):
    name: str = Field(..., min_length=1, max_length=200)
    purpose: str = Field(..., min_length=1, max_length=5000)
    starts_on: dt.date
    ends_on: dt.date
    topics: list[str] = Field(default_factory=list, description="Offered topic slugs")


class ProgramPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    purpose: str | None = Field(None, min_length=1, max_length=5000)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    topics: list[str] | None = None
    cadence_days: int | None = Field(None, ge=1, le=90)
    session_minutes: int | None = Field(None, ge=15, le=240)
    min_level_gap: int | None = Field(None, ge=0, le=20)
    mentor_capacity: int | None = Field(None, ge=1, le=5)
    min_fit: float | None = Field(None, ge=0, le=1)
    weight_coverage: float | None = Field(None, ge=0)
    weight_reciprocity: float | None = Field(None, ge=0)
    weight_department: float | None = Field(None, ge=0)
    weight_timezone: float | None = Field(None, ge=0)
    training_required: bool | None = None
    anonymity_threshold: int | None = Field(None, ge=3, le=100)


class ProgramOut(ProgramRules):
    slug: str
    name: str
    purpose: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    topics: list[str]
    mentors: int = 0
    mentees: int = 0

    @staticmethod
    def resolve_topics(program: Program) -> list[str]:
        return sorted(t.slug for t in program.topics.all())

    @staticmethod
    def resolve_mentors(program: Program) -> int:
        return getattr(program, "mentor_count", 0)

    @staticmethod
    def resolve_mentees(program: Program) -> int:
        return getattr(program, "mentee_count", 0)


class TransitionIn(Schema):
    status: str


@router.get("/programs", response=list[ProgramOut], summary="Programs you may see")
@paginate(PageNumberPagination)
def program_list(request: HttpRequest) -> QuerySet[Program]:
    return selectors.programs_visible_to(user=_user(request)).prefetch_related("topics")


@router.post("/programs", response={201: ProgramOut}, summary="Create a draft program")
def program_add(request: HttpRequest, payload: ProgramIn) -> Status[Program]:
    user = _user(request)
    ensure(can_create_program(user), "Only coordinators create programs.")
    data = payload.dict()
    program = services.program_create(by=user, topic_slugs=data.pop("topics"), **data)
    return Status(201, program)


@router.get("/programs/{slug}", response=ProgramOut, summary="One program")
def program_detail(request: HttpRequest, slug: str) -> Program:
    return _program(request, slug)


@router.patch("/programs/{slug}", response=ProgramOut, summary="Change a program")
def program_change(request: HttpRequest, slug: str, payload: ProgramPatch) -> Program:
    program = _managed_program(request, slug)
    changes = payload.dict(exclude_unset=True)
    topics = changes.pop("topics", None)
    return services.program_update(program=program, topic_slugs=topics, **changes)


@router.post("/programs/{slug}/transition", response=ProgramOut, summary="Change status")
def program_move(request: HttpRequest, slug: str, payload: TransitionIn) -> Program:
    program = _managed_program(request, slug)
    return services.program_transition(program=program, to=payload.status)


class CoordinatorIn(Schema):
    email: str = Field(..., max_length=254)


@router.post(
    "/programs/{slug}/coordinators", response=ProgramOut, summary="Share with a coordinator"
)
def program_coordinator_add(request: HttpRequest, slug: str, payload: CoordinatorIn) -> Program:
    program = _managed_program(request, slug)
    colleague = User.objects.filter(email__iexact=payload.email.strip(), is_active=True).first()
    if colleague is None:
        raise DomainError(
            "unknown_user", f"No active account has the e-mail '{payload.email}'.", field="email"
        )
    services.program_add_coordinator(program=program, user=colleague)
    return program


# --- enrolment -------------------------------------------------------------------------------


class TopicWeight(Schema):
    topic: str
    kind: str
    weight: int


class EnrollmentOut(Schema):
    id: int
    employee_id: str = Field(..., alias="person.employee_id")
    full_name: str = Field(..., alias="person.full_name")
    role: str
    status: str
    introduction: str
    goal: str
    availability: list[str]
    topics: list[TopicWeight]
    warnings: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_topics(enrollment: Enrollment) -> list[dict[str, object]]:
        return [
            {"topic": t.topic.slug, "kind": t.kind, "weight": t.weight}
            for t in enrollment.topics.all()
        ]

    @staticmethod
    def resolve_warnings(enrollment: Enrollment) -> list[str]:
        return getattr(enrollment, "warnings", [])


class EnrollmentIn(Schema):
    role: str
    topics: dict[str, dict[str, int]] = Field(
        ...,
        description="kind → {topic slug → weight 1–3}; mentors: expertise, wants_to_learn; "
        "mentees: interest, offers",
    )
    introduction: str = Field("", max_length=2000)
    goal: str = Field("", max_length=2000)
    availability: list[str] = Field(default_factory=list, description="e.g. ['mon', 'thu']")
    employee_id: str | None = Field(
        None, description="Coordinators enrol someone else (approved at once)"
    )


class DecisionIn(Schema):
    approve: bool


class BulkIn(Schema):
    csv: str = Field(..., description="employee_id,role,topics[,goal,introduction]")


class BulkOut(Schema):
    enrolled: int
    already: int
    warnings: list[str]


@router.get(
    "/programs/{slug}/enrollments",
    response=list[EnrollmentOut],
    summary="Enrolments (coordinators)",
)
@paginate(PageNumberPagination)
def enrollment_list(
    request: HttpRequest, slug: str, role: str = "", status: str = ""
) -> QuerySet[Enrollment]:
    program = _managed_program(request, slug)
    return selectors.program_enrollments(program=program, role=role, status=status)


@router.post(
    "/programs/{slug}/enrollments", response={201: EnrollmentOut}, summary="Apply or enrol someone"
)
def enrollment_add(request: HttpRequest, slug: str, payload: EnrollmentIn) -> Status[Enrollment]:
    user = _user(request)
    program = _program(request, slug)
    if payload.employee_id is not None:
        ensure(can_manage_program(user, program), "Only coordinators enrol other people.")
        person = get_object_or_404(Person, employee_id=payload.employee_id)
        approve = True
    else:
        linked = selectors.person_for_user(user=user)
        if linked is None:
            raise DomainError(
                "no_person", "Your account is not linked to an employee record.", field="person"
            )
        person, approve = linked, False
    outcome = services.enrollment_apply(
        program=program,
        person=person,
        role=payload.role,
        topics=payload.topics,
        introduction=payload.introduction,
        goal=payload.goal,
        availability=payload.availability,
        approve=approve,
        by=user,
    )
    enrollment = outcome.enrollment
    enrollment.warnings = outcome.warnings  # type: ignore[attr-defined]
    return Status(201, enrollment)


@router.post(
    "/programs/{slug}/enrollments/bulk", response=BulkOut, summary="Enrol from CSV (all or nothing)"
)
def enrollment_add_bulk(request: HttpRequest, slug: str, payload: BulkIn) -> BulkOut:
    program = _managed_program(request, slug)
    try:
        result = services.enrollment_bulk(program=program, source=payload.csv, by=_user(request))
    except TableError as exc:
        raise DomainError(
            "invalid_file", "\n".join(str(p) for p in exc.problems), field="csv"
        ) from exc
    return BulkOut(enrolled=result.enrolled, already=result.already, warnings=result.warnings)


@router.post(
    "/enrollments/{enrollment_id}/decision", response=EnrollmentOut, summary="Approve or decline"
)
def enrollment_decision(
    request: HttpRequest, enrollment_id: int, payload: DecisionIn
) -> Enrollment:
    user = _user(request)
    enrollment = get_object_or_404(Enrollment.objects.select_related("program"), pk=enrollment_id)
    if not can_manage_program(user, enrollment.program):
        raise Http404
    return services.enrollment_decide(enrollment=enrollment, approve=payload.approve, by=user)


# --- training -------------------------------------------------------------------------------


class ModuleOut(Schema):
    slug: str
    role: str
    title: str
    minutes: int
    summary: str
    completed: bool = False


class CompletionIn(Schema):
    reflection: str = Field(..., max_length=5000)


class TrainingCountOut(Schema):
    employee_id: str
    full_name: str
    role: str
    completed: int
    required: int
    ready: bool


@router.get("/training", response=list[ModuleOut], summary="Your training modules")
def training_mine(request: HttpRequest) -> list[ModuleOut]:
    person = selectors.person_for_user(user=_user(request))
    roles = (
        set(Enrollment.objects.filter(person=person).values_list("role", flat=True))
        if person
        else set()
    )
    completions = TrainingCompletion.objects.filter(person=person)
    done = set(completions.values_list("module_slug", flat=True)) if person else set()
    return [
        ModuleOut(
            slug=m.slug,
            role=m.role,
            title=m.title,
            minutes=m.minutes,
            summary=m.summary,
            completed=m.slug in done,
        )  # fmt: skip
        for m in TRAINING_MODULES
        if m.role in roles
    ]


@router.post("/training/{module_slug}/complete", response=ModuleOut, summary="Finish a module")
def training_finish(request: HttpRequest, module_slug: str, payload: CompletionIn) -> ModuleOut:
    person = selectors.person_for_user(user=_user(request))
    if person is None:
        raise DomainError(
            "no_person", "Your account is not linked to an employee record.", field="person"
        )
    try:
        module = module_by_slug(module_slug)
    except KeyError as exc:
        raise Http404 from exc
    services.training_complete(
        person=person, module_slug=module.slug, reflection=payload.reflection
    )
    return ModuleOut(
        slug=module.slug, role=module.role, title=module.title, minutes=module.minutes,
        summary=module.summary, completed=True,
    )  # fmt: skip


@router.get(
    "/programs/{slug}/training",
    response=list[TrainingCountOut],
    summary="Completion counts per person (coordinators; never reflections)",
)
def training_counts(request: HttpRequest, slug: str) -> list[TrainingCountOut]:
    program = _managed_program(request, slug)
    return [
        TrainingCountOut(
            employee_id=c.enrollment.person.employee_id,
            full_name=c.enrollment.person.full_name,
            role=c.enrollment.role,
            completed=c.completed,
            required=c.required,
            ready=c.ready,
        )
        for c in selectors.program_training_counts(program=program)
    ]
