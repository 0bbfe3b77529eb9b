"""Changes to programs, topics, enrolments and training.

Doors (pages, API, commands) check permissions first; these functions enforce
the business rules and raise `DomainError` with a code and a sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from upward.core.errors import DomainError
from upward.core.models import User
from upward.core.tabular import Problem, TableError, read_table
from upward.people.models import Person
from upward.programs.catalogue import TRAINING_MODULES, modules_for
from upward.programs.models import (
    KINDS_FOR_ROLE,
    PROGRAM_TRANSITIONS,
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    EnrollmentTopic,
    Program,
    ProgramStatus,
    Topic,
    TopicCategory,
    TrainingCompletion,
    Weekday,
)

#: topic kind → {topic slug → weight 1–3}
TopicChoices = Mapping[str, Mapping[str, int]]


# --- topics -----------------------------------------------------------------------------------


def _clean_prompts(prompts: Iterable[str]) -> list[str]:
    cleaned = [p.strip() for p in prompts if p.strip()]
    if len(cleaned) > 8:
        raise DomainError("too_many_prompts", "A topic has at most 8 prompts.", field="prompts")
    return cleaned


@transaction.atomic
def topic_create(
    *, name: str, category: str, description: str = "", prompts: Iterable[str] = ()
) -> Topic:
    """Add a topic to the taxonomy."""
    name = name.strip()
    if not name:
        raise DomainError("name_required", "A topic needs a name.", field="name")
    if category not in TopicCategory.values:
        raise DomainError("unknown_category", f"Unknown category '{category}'.", field="category")
    if Topic.objects.filter(name__iexact=name).exists():
        raise DomainError("duplicate_topic", f"A topic called '{name}' exists.", field="name")
    slug = base = slugify(name)[:45] or "topic"
    suffix = 2
    while Topic.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return Topic.objects.create(
        slug=slug,
        name=name,
        category=category,
        description=description.strip(),
        prompts=_clean_prompts(prompts),
    )


@transaction.atomic
def topic_update(
    *,
    topic: Topic,
    name: str | None = None,
    description: str | None = None,
    prompts: Iterable[str] | None = None,
) -> Topic:
    """Rename or re-describe a topic; the slug never changes, so old files still match."""
    if name is not None:
        name = name.strip()
        if not name:
            raise DomainError("name_required", "A topic needs a name.", field="name")
        if Topic.objects.filter(name__iexact=name).exclude(pk=topic.pk).exists():
            raise DomainError("duplicate_topic", f"A topic called '{name}' exists.", field="name")
        topic.name = name
    if description is not None:
        topic.description = description.strip()
    if prompts is not None:
        topic.prompts = _clean_prompts(prompts)
    topic.save()
    return topic


def topic_retire(*, topic: Topic, retired: bool = True) -> Topic:
    """Retired topics are no longer offered; existing declarations keep them."""
    topic.is_retired = retired
    topic.save(update_fields=["is_retired"])
    return topic


# --- programs -------------------------------------------------------------------------------

RULE_FIELDS = (
    "cadence_days",
    "session_minutes",
    "min_level_gap",
    "mentor_capacity",
    "min_fit",
    "weight_coverage",
    "weight_reciprocity",
    "weight_department",
    "weight_timezone",
    "training_required",
    "anonymity_threshold",
)


def _validate_program(program: Program) -> None:
    if program.ends_on < program.starts_on:
        raise DomainError("dates", "The program must end on or after its start.", field="ends_on")
    if not program.name.strip():
        raise DomainError("name_required", "A program needs a name.", field="name")
    weights = (
        program.weight_coverage,
        program.weight_reciprocity,
        program.weight_department,
        program.weight_timezone,
    )
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise DomainError(
            "weights", "Fit weights must be non-negative with a positive sum.", field="weights"
        )
    if not 0 <= program.min_fit <= 1:
        raise DomainError("min_fit", "Minimum fit is between 0 and 1.", field="min_fit")
    if not 1 <= program.mentor_capacity <= 5:
        raise DomainError(
            "capacity", "Mentor capacity is between 1 and 5.", field="mentor_capacity"
        )
    if program.anonymity_threshold < 3:
        raise DomainError(
            "anonymity",
            "Reports need at least 3 respondents per group to stay anonymous.",
            field="anonymity_threshold",
        )


#: Fixed page paths under /programs/ that a program's slug must never shadow.
RESERVED_PROGRAM_SLUGS = frozenset({"new"})


def _unique_program_slug(name: str) -> str:
    base = slugify(name)[:70] or "program"
    slug, suffix = base, 2
    while slug in RESERVED_PROGRAM_SLUGS or Program.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _offered_topics(slugs: Iterable[str]) -> list[Topic]:
    wanted = list(dict.fromkeys(slugs))
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=wanted)}
    unknown = [s for s in wanted if s not in topics]
    if unknown:
        raise DomainError("unknown_topic", f"Unknown topic: {', '.join(unknown)}.", field="topics")
    retired = [s for s in wanted if topics[s].is_retired]
    if retired:
        raise DomainError(
            "retired_topic",
            f"Retired topic cannot be offered: {', '.join(retired)}.",
            field="topics",
        )
    return [topics[s] for s in wanted]


@transaction.atomic
def program_create(
    *,
    by: User,
    name: str,
    purpose: str,
    starts_on: dt.date,
    ends_on: dt.date,
    topic_slugs: Iterable[str] = (),
    **rules: object,
) -> Program:
    """Create a draft program; its creator becomes its first coordinator."""
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise DomainError("unknown_field", f"Unknown setting: {', '.join(sorted(unknown))}.")
    program = Program(
        name=name.strip(),
        purpose=purpose.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        slug=_unique_program_slug(name),
        created_by=by,
        **rules,
    )
    _validate_program(program)
    program.save()
    program.topics.set(_offered_topics(topic_slugs))
    program.coordinators.add(by)
    return program


@transaction.atomic
def program_update(
    *, program: Program, topic_slugs: Iterable[str] | None = None, **changes: object
) -> Program:
    """Change a program's description or rules; rules are frozen once it is running."""
    allowed = {"name", "purpose", "starts_on", "ends_on", *RULE_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError("unknown_field", f"Unknown setting: {', '.join(sorted(unknown))}.")
    frozen = {"min_level_gap", "mentor_capacity", "min_fit", "training_required"} & set(changes)
    if frozen and program.status in (ProgramStatus.RUNNING, ProgramStatus.CLOSED):
        raise DomainError(
            "rules_frozen",
            f"Matching rules cannot change once the program is {program.status}.",
            field=sorted(frozen)[0],
        )
    for name, value in changes.items():
        setattr(program, name, value)
    _validate_program(program)
    program.save()
    if topic_slugs is not None:
        program.topics.set(_offered_topics(topic_slugs))
    return program


@transaction.atomic
def program_transition(*, program: Program, to: str) -> Program:
    """Move a program along draft → enrolling → matching → running → closed."""
    locked = Program.objects.select_for_update().get(pk=program.pk)
    if to not in ProgramStatus.values:
        raise DomainError("unknown_status", f"Unknown status '{to}'.", field="status")
    if not locked.can_move_to(to):
        allowed = ", ".join(sorted(PROGRAM_TRANSITIONS[locked.status])) or "none"
        raise DomainError(
            "invalid_transition",
            f"A {locked.status} program cannot become {to} (allowed: {allowed}).",
            field="status",
        )
    if to == ProgramStatus.ENROLLING and not locked.topics.exists():
        raise DomainError(
            "no_topics", "Offer at least one topic before opening enrolment.", field="topics"
        )
    locked.status = to
    locked.save(update_fields=["status"])
    program.status = to
    return program


def program_add_coordinator(*, program: Program, user: User) -> None:
    """Share a program with another coordinator (they then see its metadata, never content)."""
    if not (user.is_coordinator or user.is_admin):
        raise DomainError(
            "not_a_coordinator", f"{user.email} does not have the coordinator role.", field="user"
        )
    program.coordinators.add(user)


# --- enrolment ------------------------------------------------------------------------------


@dataclass
class EnrollmentOutcome:
    """The enrolment and any warnings a coordinator should read (not errors)."""

    enrollment: Enrollment
    warnings: list[str] = field(default_factory=list)


def _check_topics(
    program: Program, role: str, topics: TopicChoices
) -> list[tuple[str, Topic, int]]:
    kinds = KINDS_FOR_ROLE[role]
    wrong = [k for k in topics if k not in kinds]
    if wrong:
        raise DomainError(
            "wrong_topic_kind",
            f"A {role} declares {' and '.join(kinds)}, not {', '.join(wrong)}.",
            field="topics",
        )
    offered = {t.slug: t for t in program.topics.all()}
    all_topics = {t.slug: t for t in Topic.objects.filter(is_retired=False)}
    rows: list[tuple[str, Topic, int]] = []
    for kind, chosen in topics.items():
        # What a mentor wants to learn and what a leader offers back is leadership
        # perspective, so it may come from the whole taxonomy, not only the program's offer.
        pool = offered if kind in ("expertise", "interest") else all_topics
        for slug, weight in chosen.items():
            if slug not in pool:
                raise DomainError(
                    "topic_not_offered",
                    f"'{slug}' is not a topic of this program.",
                    field=f"topics.{kind}",
                )
            if not isinstance(weight, int) or not 1 <= weight <= 3:
                raise DomainError(
                    "topic_weight",
                    f"The weight of '{slug}' must be 1, 2 or 3.",
                    field=f"topics.{kind}",
                )
            rows.append((kind, pool[slug], weight))
    primary = kinds[0]
    if not topics.get(primary):
        label = "area of expertise" if role == EnrollmentRole.MENTOR else "learning interest"
        raise DomainError(
            "topics_required", f"Choose at least one {label}.", field=f"topics.{primary}"
        )
    return rows


def _gap_warning(program: Program, person: Person, role: str) -> list[str]:
    """A mentee with no possible mentor is allowed to enrol, but the coordinator is told."""
    if role != EnrollmentRole.MENTEE:
        return []
    has_mentor = (
        program.enrollments.filter(
            role=EnrollmentRole.MENTOR,
            status__in=[EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED],
            person__level__lte=person.level - program.min_level_gap,
        )
        .exclude(person=person)
        .exists()
    )
    if has_mentor:
        return []
    return [
        f"No mentor enrolled so far is at least {program.min_level_gap} levels junior to "
        f"{person.full_name} (level {person.level}); they cannot be matched until one is."
    ]


@transaction.atomic
def enrollment_apply(
    *,
    program: Program,
    person: Person,
    role: str,
    topics: TopicChoices,
    introduction: str = "",
    goal: str = "",
    availability: Sequence[str] = (),
    approve: bool = False,
    by: User | None = None,
) -> EnrollmentOutcome:
    """Enrol a person as mentor or mentee; `approve` is for coordinators enrolling directly."""
    if role not in EnrollmentRole.values:
        raise DomainError(
            "unknown_role", f"Role must be mentor or mentee, not '{role}'.", field="role"
        )
    if program.status not in (
        ProgramStatus.ENROLLING,
        ProgramStatus.MATCHING,
        ProgramStatus.RUNNING,
    ):
        raise DomainError(
            "not_enrolling",
            f"{program.name} is not open for enrolment ({program.status}).",
            field="program",
        )
    if program.status != ProgramStatus.ENROLLING and not approve:
        raise DomainError(
            "not_enrolling",
            f"Enrolment in {program.name} has closed; ask a coordinator to add you.",
            field="program",
        )
    if not person.is_active:
        raise DomainError(
            "inactive_person", f"{person.full_name} is not an active employee.", field="person"
        )
    existing = program.enrollments.filter(person=person).first()
    if existing is not None:
        raise DomainError(
            "already_enrolled",
            f"{person.full_name} is already enrolled in {program.name} as {existing.role}; "
            "nobody can be both mentor and mentee in one program.",
            field="role",
        )
    days = list(dict.fromkeys(availability))
    bad_days = [d for d in days if d not in Weekday.values]
    if bad_days:
        raise DomainError(
            "availability", f"Unknown weekday: {', '.join(bad_days)}.", field="availability"
        )
    rows = _check_topics(program, role, topics)
    warnings = _gap_warning(program, person, role)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                program=program,
                person=person,
                role=role,
                introduction=introduction.strip()[:2000],
                goal=goal.strip()[:2000],
                availability=days,
                status=EnrollmentStatus.APPROVED if approve else EnrollmentStatus.APPLIED,
                decided_at=timezone.now() if approve else None,
                decided_by=by if approve else None,
            )
    except IntegrityError as exc:  # a concurrent enrolment of the same person
        raise DomainError("already_enrolled", f"{person.full_name} is already enrolled.") from exc
    EnrollmentTopic.objects.bulk_create(
        EnrollmentTopic(enrollment=enrollment, topic=topic, kind=kind, weight=weight)
        for kind, topic, weight in rows
    )
    return EnrollmentOutcome(enrollment, warnings)


@transaction.atomic
def enrollment_decide(*, enrollment: Enrollment, approve: bool, by: User) -> Enrollment:
    """The coordinator approves or declines an application."""
    if enrollment.status not in (
        EnrollmentStatus.APPLIED,
        EnrollmentStatus.APPROVED,
        EnrollmentStatus.DECLINED,
    ):
        raise DomainError("not_pending", f"This enrolment is {enrollment.status}.", field="status")
    enrollment.status = EnrollmentStatus.APPROVED if approve else EnrollmentStatus.DECLINED
    enrollment.decided_at = timezone.now()
    enrollment.decided_by = by
    enrollment.save(update_fields=["status", "decided_at", "decided_by"])
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment) -> Enrollment:
    """The participant leaves before being matched."""
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.save(update_fields=["status"])
    return enrollment


@dataclass
class BulkEnrollmentResult:
    enrolled: int = 0
    already: int = 0
    warnings: list[str] = field(default_factory=list)


def enrollment_bulk(
    *, program: Program, source: bytes | str | Path, by: User
) -> BulkEnrollmentResult:
    """Enrol people from a CSV (`employee_id, role, topics`), all or nothing.

    `topics` is `slug:weight;slug:weight` — expertise for mentors, interests for
    mentees. People already enrolled in the same role are skipped; every other
    problem is reported as `line N, column C: message` and nothing is written.
    """
    table = read_table(
        source, required=("employee_id", "role", "topics"), optional=("goal", "introduction")
    )
    people = {
        p.employee_id: p
        for p in Person.objects.filter(employee_id__in=[r["employee_id"] for r in table])
    }
    enrolled = dict(program.enrollments.values_list("person__employee_id", "role"))
    problems: list[Problem] = []
    plan: list[tuple[int, Person, str, dict[str, dict[str, int]], str, str]] = []
    result = BulkEnrollmentResult()
    seen: dict[str, int] = {}
    for row in table:
        eid, role = row["employee_id"], row["role"].lower()
        person = people.get(eid)
        if eid in seen:
            problems.append(
                Problem(row.line, "employee_id", f"'{eid}' already appears on line {seen[eid]}")
            )
            continue
        seen[eid] = row.line
        if person is None:
            problems.append(Problem(row.line, "employee_id", f"no person with employee id '{eid}'"))
            continue
        if role not in EnrollmentRole.values:
            problems.append(Problem(row.line, "role", f"'{row['role']}' is not mentor or mentee"))
            continue
        if eid in enrolled:
            if enrolled[eid] == role:
                result.already += 1
            else:
                problems.append(
                    Problem(
                        row.line,
                        "role",
                        f"{person.full_name} is already enrolled as {enrolled[eid]}",
                    )
                )
            continue
        try:
            weights = parse_topic_list(row["topics"])
        except ValueError as exc:
            problems.append(Problem(row.line, "topics", str(exc)))
            continue
        topics = {KINDS_FOR_ROLE[role][0]: weights}
        plan.append((row.line, person, role, topics, row["goal"], row["introduction"]))
    if problems:
        raise TableError(problems)
    # Rules that need the database (active person, offered topics) are the service's;
    # any failure rolls the whole file back.
    with transaction.atomic():
        for line, person, role, topics, goal, intro in plan:
            try:
                outcome = enrollment_apply(
                    program=program, person=person, role=role, topics=topics,
                    goal=goal, introduction=intro, approve=True, by=by,
                )  # fmt: skip
            except DomainError as exc:
                column = "topics" if (exc.field or "").startswith("topics") else "employee_id"
                problems.append(Problem(line, column, exc.message))
                continue
            result.enrolled += 1
            result.warnings.extend(outcome.warnings)
        if problems:
            raise TableError(problems)
    return result


def parse_topic_list(text: str) -> dict[str, int]:
    """`"generative-ai:3;chat-etiquette"` → `{"generative-ai": 3, "chat-etiquette": 2}`."""
    result: dict[str, int] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        slug, _, weight_text = part.partition(":")
        slug = slug.strip()
        if not slug:
            raise ValueError(f"'{part}' has no topic before the colon")
        if weight_text.strip():
            if weight_text.strip() not in {"1", "2", "3"}:
                raise ValueError(
                    f"weight of '{slug}' must be 1, 2 or 3, not '{weight_text.strip()}'"
                )
            weight = int(weight_text)
        else:
            weight = 2
        if slug in result:
            raise ValueError(f"'{slug}' is listed twice")
        result[slug] = weight
    if not result:
        raise ValueError("list at least one topic, e.g. generative-ai:3;hybrid-meetings")
    return result


# --- training -------------------------------------------------------------------------------


@transaction.atomic
def training_complete(*, person: Person, module_slug: str, reflection: str) -> TrainingCompletion:
    """Record a finished module with the participant's private reflection."""
    if module_slug not in {m.slug for m in TRAINING_MODULES}:
        raise DomainError(
            "unknown_module", f"Unknown training module '{module_slug}'.", field="module"
        )
    reflection = reflection.strip()
    if len(reflection) < 20:
        raise DomainError(
            "reflection_too_short",
            "Write a few sentences of reflection (at least 20 characters); only you will read it.",
            field="reflection",
        )
    completion, _ = TrainingCompletion.objects.update_or_create(
        person=person, module_slug=module_slug, defaults={"reflection": reflection[:5000]}
    )
    return completion


def training_missing(*, person: Person, role: str) -> list[str]:
    """Slugs of the role's modules this person has not finished."""
    done = set(
        TrainingCompletion.objects.filter(person=person).values_list("module_slug", flat=True)
    )
    return [m.slug for m in modules_for(role) if m.slug not in done]  # type: ignore[arg-type]
