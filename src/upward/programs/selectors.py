"""Reads of programs, enrolments and training, shared by the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from upward.core.models import Role, User
from upward.core.permissions import AnyUser, has_role
from upward.people.models import Person
from upward.programs.catalogue import TrainingModule, modules_for
from upward.programs.models import (
    Enrollment,
    EnrollmentStatus,
    EnrollmentTopic,
    Program,
    ProgramStatus,
    Topic,
    TrainingCompletion,
)


def person_for_user(*, user: AnyUser) -> Person | None:
    """The directory entry a signed-in user is linked to, if any."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def programs_visible_to(*, user: AnyUser) -> QuerySet[Program]:
    """Admins see every program; coordinators their own; sponsors every published one (they
    read its aggregate report, DESIGN §4); participants open and their own."""
    programs = Program.objects.annotate(
        mentor_count=Count(
            "enrollments",
            filter=Q(enrollments__role="mentor", enrollments__status=EnrollmentStatus.APPROVED),
        ),
        mentee_count=Count(
            "enrollments",
            filter=Q(enrollments__role="mentee", enrollments__status=EnrollmentStatus.APPROVED),
        ),
    ).order_by("-starts_on", "name")
    if has_role(user, Role.ADMIN):
        return programs
    if has_role(user, Role.COORDINATOR):
        return programs.filter(coordinators__pk=int(user.pk or 0))
    if has_role(user, Role.SPONSOR):
        return programs.exclude(status=ProgramStatus.DRAFT)
    if not user.is_authenticated:
        return programs.none()
    # A subquery, not a join: joining enrollments again would multiply the counts above.
    own = Enrollment.objects.filter(person__user=user).values("program_id")
    return programs.filter(Q(status=ProgramStatus.ENROLLING) | Q(pk__in=own))


def topics_offered(*, program: Program) -> QuerySet[Topic]:
    return program.topics.filter(is_retired=False).order_by("category", "name")


def program_enrollments(
    *, program: Program, role: str = "", status: str = ""
) -> QuerySet[Enrollment]:
    """Enrolments with their person and declared topics, in two queries whatever the size."""
    enrollments = (
        program.enrollments.select_related("person", "person__department")
        .prefetch_related(
            Prefetch("topics", queryset=EnrollmentTopic.objects.select_related("topic"))
        )
        .order_by("role", "person__full_name")
    )
    if role:
        enrollments = enrollments.filter(role=role)
    if status:
        enrollments = enrollments.filter(status=status)
    return enrollments


def enrollment_of(*, program: Program, user: AnyUser) -> Enrollment | None:
    """The signed-in user's own enrolment in a program."""
    if not user.is_authenticated:
        return None
    return program.enrollments.filter(person__user=user).select_related("person").first()


@dataclass(frozen=True)
class ModuleProgress:
    module: TrainingModule
    completed: bool


def training_progress(*, person: Person, role: str) -> list[ModuleProgress]:
    """The role's modules in order, each marked finished or not (never the reflection)."""
    done = set(
        TrainingCompletion.objects.filter(person=person).values_list("module_slug", flat=True)
    )
    return [ModuleProgress(m, m.slug in done) for m in modules_for(role)]  # type: ignore[arg-type]


@dataclass(frozen=True)
class TrainingCount:
    """What a coordinator may know of someone's training: a count, not the reflections."""

    enrollment: Enrollment
    completed: int
    required: int

    @property
    def ready(self) -> bool:
        return self.completed >= self.required


def program_training_counts(*, program: Program) -> list[TrainingCount]:
    """Completion counts per enrolled person, in two queries."""
    enrollments = list(
        program.enrollments.select_related("person").order_by("role", "person__full_name")
    )
    slugs_by_role = {
        role: {m.slug for m in modules_for(role)}  # type: ignore[arg-type]
        for role in ("mentor", "mentee")
    }
    done: dict[int, set[str]] = {}
    for person_id, slug in TrainingCompletion.objects.filter(
        person__in=[e.person_id for e in enrollments]
    ).values_list("person_id", "module_slug"):
        done.setdefault(person_id, set()).add(slug)
    return [
        TrainingCount(
            enrollment=e,
            completed=len(done.get(e.person_id, set()) & slugs_by_role[e.role]),
            required=len(slugs_by_role[e.role]),
        )
        for e in enrollments
    ]


def program_coordinators(*, program: Program) -> QuerySet[User]:
    return program.coordinators.order_by("email")
