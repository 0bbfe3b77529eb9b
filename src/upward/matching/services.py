"""Matching inside the app: runs, locks and blocks, publishing proposals as pairs.

The engine (`matching.engine`) is pure; this module is the only place that
turns enrolments into engine input and engine output into rows.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from upward.core.errors import DomainError
from upward.core.models import User
from upward.matching import engine
from upward.matching.model import (
    FitWeights,
    MatchInputError,
    MatchRules,
    Mentee,
    Mentor,
    Unmatched,
)
from upward.matching.models import MatchRun, PairRule, PairRuleKind, Proposal, RunStatus
from upward.mentoring.models import LIVE_STATUSES, Pair
from upward.people.models import Person
from upward.programs.catalogue import modules_for
from upward.programs.models import (
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    Program,
    ProgramStatus,
    TopicKind,
    TrainingCompletion,
)

#: Above this many mentee × mentor combinations a run goes to the background worker.
BACKGROUND_PAIRS = 250_000
#: A proposal below this fit carries a warning for the coordinator to look at.
LOW_FIT_WARNING = 0.35
MATCHABLE_STATUSES = (ProgramStatus.MATCHING, ProgramStatus.RUNNING)


@dataclass
class MatchInput:
    """Everything the engine needs, plus the way back from ids to enrolments."""

    mentors: list[Mentor]
    mentees: list[Mentee]
    rules: MatchRules
    weights: FitWeights
    managers: dict[str, str | None]
    enrollment_of: dict[tuple[str, str], Enrollment]
    #: People left out before matching (training not finished), with the reason.
    excluded: list[Unmatched]


def _topics(enrollment: Enrollment, kind: str) -> dict[str, int]:
    return {t.topic.slug: t.weight for t in enrollment.topics.all() if t.kind == kind}


def match_input(*, program: Program) -> MatchInput:
    """Approved people who are free to be matched, the program's rules and the org chart.

    People in a live pair are left out (a mentor keeps the capacity they have
    left); with `training_required`, people who have not finished their role's
    modules are left out and reported, so the coordinator can chase them.
    """
    enrollments = list(
        program.enrollments.filter(status=EnrollmentStatus.APPROVED)
        .select_related("person", "person__department")
        .prefetch_related("topics__topic")
        .annotate(
            live_as_mentor=Count(
                "pairs_as_mentor", filter=Q(pairs_as_mentor__status__in=LIVE_STATUSES)
            ),
            live_as_mentee=Count(
                "pairs_as_mentee", filter=Q(pairs_as_mentee__status__in=LIVE_STATUSES)
            ),
        )
    )
    done: dict[int, set[str]] = {}
    if program.training_required:
        for person_id, slug in TrainingCompletion.objects.filter(
            person__in=[e.person_id for e in enrollments]
        ).values_list("person_id", "module_slug"):
            done.setdefault(person_id, set()).add(slug)
    required = {
        "mentor": {m.slug for m in modules_for("mentor")},
        "mentee": {m.slug for m in modules_for("mentee")},
    }

    mentors: list[Mentor] = []
    mentees: list[Mentee] = []
    excluded: list[Unmatched] = []
    enrollment_of: dict[tuple[str, str], Enrollment] = {}
    for e in enrollments:
        person: Person = e.person
        if program.training_required:
            missing = required[e.role] - done.get(e.person_id, set())
            if missing:
                excluded.append(
                    Unmatched(
                        role=e.role,  # type: ignore[arg-type]
                        id=person.employee_id,
                        code="training",
                        reason=f"has not finished training ({len(missing)} module"
                        f"{'s' if len(missing) > 1 else ''} left)",
                    )
                )
                continue
        enrollment_of[(e.role, person.employee_id)] = e
        common: dict[str, Any] = {
            "id": person.employee_id,
            "level": person.level,
            "department": person.department.name,
            "timezone": person.timezone,
            "manager_id": person.manager_id,
        }
        if e.role == EnrollmentRole.MENTOR:
            left = program.mentor_capacity - e.live_as_mentor
            if left > 0:
                mentors.append(
                    Mentor(
                        **common,
                        expertise=_topics(e, TopicKind.EXPERTISE),
                        wants_to_learn=_topics(e, TopicKind.WANTS_TO_LEARN),
                        capacity=left,
                    )
                )
        elif not e.live_as_mentee:
            mentees.append(
                Mentee(
                    **common,
                    interests=_topics(e, TopicKind.INTEREST),
                    offers=_topics(e, TopicKind.OFFERS),
                    goal=e.goal,
                )
            )

    locks: list[tuple[str, str]] = []
    blocks: set[tuple[str, str]] = set()
    # A rule about someone outside this run (already paired, no capacity left, training
    # unfinished) does not apply to it; the engine rightly refuses ids it was not given.
    in_run = {m.id for m in mentors}, {m.id for m in mentees}
    for rule in program.pair_rules.select_related("mentor__person", "mentee__person"):
        key = (rule.mentor.person.employee_id, rule.mentee.person.employee_id)
        if key[0] not in in_run[0] or key[1] not in in_run[1]:
            continue
        if rule.kind == PairRuleKind.BLOCK:
            blocks.add(key)
        else:
            locks.append(key)
    managers = dict(Person.objects.values_list("employee_id", "manager_id").iterator(5000))
    return MatchInput(
        mentors=mentors,
        mentees=mentees,
        rules=MatchRules(
            min_gap=program.min_level_gap,
            min_fit=program.min_fit,
            locks=tuple(sorted(locks)),
            blocks=frozenset(blocks),
        ),
        weights=FitWeights(
            coverage=program.weight_coverage,
            reciprocity=program.weight_reciprocity,
            department=program.weight_department,
            timezone=program.weight_timezone,
        ),
        managers=managers,
        enrollment_of=enrollment_of,
        excluded=excluded,
    )


def _rules_snapshot(program: Program, stable: bool) -> dict[str, Any]:
    return {
        "min_level_gap": program.min_level_gap,
        "mentor_capacity": program.mentor_capacity,
        "min_fit": program.min_fit,
        "weights": {
            "coverage": program.weight_coverage,
            "reciprocity": program.weight_reciprocity,
            "department": program.weight_department,
            "timezone": program.weight_timezone,
        },
        "training_required": program.training_required,
        "stable": stable,
    }


@transaction.atomic
def match_run_start(*, program: Program, by: User, stable: bool = False) -> MatchRun:
    """Queue a run; small programs run at once, large ones on the background worker."""
    if program.status not in MATCHABLE_STATUSES:
        raise DomainError(
            "not_matching",
            f"Move the program to matching first (it is {program.status}).",
            field="status",
        )
    Program.objects.select_for_update().filter(pk=program.pk).first()  # serialise numbering
    number = (program.match_runs.aggregate(n=Max("number"))["n"] or 0) + 1
    run = MatchRun.objects.create(
        program=program,
        number=number,
        stable=stable,
        rules=_rules_snapshot(program, stable),
        created_by=by,
    )
    mentors = program.enrollments.filter(role="mentor", status=EnrollmentStatus.APPROVED).count()
    mentees = program.enrollments.filter(role="mentee", status=EnrollmentStatus.APPROVED).count()
    if mentors * mentees > BACKGROUND_PAIRS:
        from upward.matching.tasks import execute_match_run

        transaction.on_commit(lambda: execute_match_run.enqueue(run.pk))
    else:
        match_run_execute(run=run)
    return run


def _unmatched_row(person: Unmatched) -> dict[str, Any]:
    return dataclasses.asdict(person)


def _row_progress(run: MatchRun) -> Callable[[str, int], Callable[[int], None]]:
    """Engine progress → the run row (0–95 %), written at most twice a second for pollers."""
    last_write = [0.0]

    def stage(_name: str, total: int) -> Callable[[int], None]:
        done = [0]

        def advance(step: int) -> None:
            done[0] += step
            now = time.monotonic()
            if total and now - last_write[0] >= 0.5:
                last_write[0] = now
                percent = 5 + int(90 * min(done[0], total) / total)
                MatchRun.objects.filter(pk=run.pk).update(progress=percent)

        return advance

    return stage


def match_run_execute(*, run: MatchRun) -> MatchRun:
    """Run the engine and store proposals and the report; failures are recorded, not raised."""
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=1)
    try:
        data = match_input(program=run.program)
        result = engine.match(
            data.mentors,
            data.mentees,
            rules=data.rules,
            weights=data.weights,
            people=data.managers,
            stable=run.stable,
            progress=_row_progress(run),
        )
    except MatchInputError as exc:
        return _run_failed(run, "; ".join(str(issue) for issue in exc.issues))
    with transaction.atomic():
        Proposal.objects.bulk_create(
            Proposal(
                run=run,
                mentor=data.enrollment_of[("mentor", pair.mentor_id)],
                mentee=data.enrollment_of[("mentee", pair.mentee_id)],
                fit=pair.fit,
                reasons=pair.reasons,
                locked=pair.locked,
                warnings=(
                    [f"low fit ({pair.fit:.2f})"]
                    if pair.fit < LOW_FIT_WARNING and not pair.locked
                    else []
                ),
            )
            for pair in result.pairs
        )
        report = dataclasses.asdict(result.report)
        report["unmatched"] = [_unmatched_row(u) for u in (*data.excluded, *result.unmatched)]
        run.report = report
        run.status = RunStatus.DONE
        run.progress = 100
        run.finished_at = timezone.now()
        run.save(update_fields=["report", "status", "progress", "finished_at"])
    return run


def _run_failed(run: MatchRun, message: str) -> MatchRun:
    run.status = RunStatus.FAILED
    run.error = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    return run


# --- locks and blocks ------------------------------------------------------------------------


@transaction.atomic
def pair_rule_set(
    *, program: Program, mentor: Enrollment, mentee: Enrollment, kind: str, by: User
) -> PairRule:
    """Lock (always pair) or block (never pair) a mentor with a mentee in this program."""
    if kind not in PairRuleKind.values:
        raise DomainError(
            "unknown_rule", f"Rule must be lock or block, not '{kind}'.", field="kind"
        )
    if mentor.program_id != program.pk or mentee.program_id != program.pk:
        raise DomainError("other_program", "Both people must be enrolled in this program.")
    if mentor.role != EnrollmentRole.MENTOR or mentee.role != EnrollmentRole.MENTEE:
        raise DomainError("wrong_roles", "A rule links a mentor to a mentee.", field="mentor")
    if (
        kind == PairRuleKind.LOCK
        and program.pair_rules.filter(kind=PairRuleKind.LOCK, mentee=mentee)
        .exclude(mentor=mentor)
        .exists()
    ):
        raise DomainError(
            "already_locked", f"{mentee.person.full_name} is already locked to someone else.",
            field="mentee",
        )  # fmt: skip
    rule, _ = PairRule.objects.update_or_create(
        program=program, mentor=mentor, mentee=mentee, defaults={"kind": kind, "created_by": by}
    )
    return rule


def pair_rule_clear(*, program: Program, mentor: Enrollment, mentee: Enrollment) -> int:
    """Remove a lock or block; returns how many rules were removed (0 or 1)."""
    deleted, _ = program.pair_rules.filter(mentor=mentor, mentee=mentee).delete()
    return deleted


# --- publishing ----------------------------------------------------------------------------------


@transaction.atomic
def match_run_publish(*, run: MatchRun, by: User) -> list[Pair]:
    """Turn a finished run's proposals into pairs awaiting both people's answer.

    Proposals whose people were paired meanwhile (by another published run) are
    skipped, so publishing twice or publishing two runs never double-books anyone.
    """
    locked_run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if locked_run.status != RunStatus.DONE:
        raise DomainError("run_not_done", f"Run {run.number} is {run.status}.", field="run")
    if locked_run.published_at is not None:
        raise DomainError("already_published", f"Run {run.number} is already published.")
    if run.program.status not in MATCHABLE_STATUSES:
        raise DomainError("not_matching", "The program is not matching or running.")
    live_mentee = set(
        Pair.objects.filter(program=run.program, status__in=LIVE_STATUSES).values_list(
            "mentee_id", flat=True
        )
    )
    mentor_load: dict[int, int] = dict(
        Pair.objects.filter(program=run.program, status__in=LIVE_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    pairs: list[Pair] = []
    for proposal in run.proposals.order_by("-fit", "pk"):
        if proposal.mentee_id in live_mentee:
            continue
        if mentor_load.get(proposal.mentor_id, 0) >= run.program.mentor_capacity:
            continue
        live_mentee.add(proposal.mentee_id)
        mentor_load[proposal.mentor_id] = mentor_load.get(proposal.mentor_id, 0) + 1
        pairs.append(
            Pair(
                program=run.program,
                mentor_id=proposal.mentor_id,
                mentee_id=proposal.mentee_id,
                fit=proposal.fit,
                reasons=proposal.reasons,
                match_run=run,
            )
        )
    created = Pair.objects.bulk_create(pairs)
    locked_run.published_at = timezone.now()
    locked_run.published_by = by
    locked_run.save(update_fields=["published_at", "published_by"])
    run.published_at, run.published_by = locked_run.published_at, by
    return created
