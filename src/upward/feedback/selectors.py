"""What coordinators and sponsors may read: aggregates and pair health — never an answer.

Check-in and survey figures go through `aggregates`, so each rests on at least the
program's anonymity threshold of distinct people. Pair health reads metadata only
(dates, counts, statuses); low check-in answers are never attributed to a pair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone

from upward.core.permissions import AnyUser, coordinates
from upward.feedback.aggregates import (
    Answer,
    Breakdown,
    Figure,
    breakdown,
    paired_change,
    summarise,
)
from upward.feedback.catalogue import CHECKIN_QUESTIONS, ITEMS
from upward.feedback.models import CheckIn, SupportRequest, SurveyAnswer, SurveyPhase
from upward.feedback.publication import published_through
from upward.mentoring.models import (
    CADENCE_DAYS,
    Agreement,
    Cadence,
    Pair,
    PairStatus,
    SessionStatus,
)
from upward.programs.models import Program


def support_requests_for(*, program: Program, user: AnyUser) -> QuerySet[SupportRequest]:
    """The requests `user` may read (see `permissions.can_read_support_request`), in one
    query: all of them for the program's coordinators, otherwise the user's own."""
    requests = SupportRequest.objects.filter(program=program).select_related("author", "program")
    if coordinates(user, program):
        return requests
    return requests.filter(author_id=user.pk) if user.is_authenticated else requests.none()


#: An agreement still unsigned this long after the pair became active needs attention.
UNSIGNED_AFTER = dt.timedelta(days=14)
#: Two or more sessions cancelled or missed within this window need attention.
RECENT = dt.timedelta(weeks=6)


@dataclass(frozen=True)
class CheckInReport:
    questions: tuple[tuple[str, str], ...]
    overall: dict[str, Figure]
    by_role: dict[str, Breakdown]
    respondents: int | None  # None when below the threshold


def checkin_report(*, program: Program) -> CheckInReport:
    """Mean of each check-in question, overall and by role, k-anonymous."""
    k = program.anonymity_threshold
    cut = published_through(program=program, kind="checkins")
    # One row per person (their own means), computed by the database.
    rows = (
        list(
            CheckIn.objects.filter(session__pair__program=program, created_at__lte=cut)
            .values("respondent_id", "role")
            .annotate(u=Avg("usefulness"), o=Avg("openness"), b=Avg("balance"))
            .values_list("respondent_id", "role", "u", "o", "b")
            .order_by()
        )
        if cut is not None
        else []
    )
    overall: dict[str, Figure] = {}
    by_role: dict[str, Breakdown] = {}
    for index, (question, text) in enumerate(CHECKIN_QUESTIONS):
        answers = [Answer(r[0], float(r[2 + index]), {"role": str(r[1])}) for r in rows]
        overall[question] = summarise(answers, threshold=k, label=text)
        by_role[question] = breakdown(answers, by="role", threshold=k)
    people = len({r[0] for r in rows})
    return CheckInReport(
        questions=CHECKIN_QUESTIONS,
        overall=overall,
        by_role=by_role,
        respondents=people if people >= k else None,
    )


@dataclass(frozen=True)
class SurveyItemReport:
    role: str
    item: str
    text: str
    before: Figure
    after: Figure
    change: Figure


def survey_report(*, program: Program) -> list[SurveyItemReport]:
    """Per item: the mean before, after, and the paired change, each k-anonymous."""
    k = program.anonymity_threshold
    cuts = {
        phase: published_through(program=program, kind=f"survey-{phase}")
        for phase in SurveyPhase.values
    }
    published = Q(pk__in=[])
    for phase, cut in cuts.items():
        if cut is not None:
            published |= Q(response__phase=phase, response__submitted_at__lte=cut)
    answers = SurveyAnswer.objects.filter(published, response__enrollment__program=program)
    rows = answers.values_list(
        "response__enrollment__person_id", "response__enrollment__role", "response__phase",
        "item", "value",
    )  # fmt: skip
    by_key: dict[tuple[str, str, str], list[Answer]] = {}
    for person, role, phase, item, value in rows:
        by_key.setdefault((role, item, phase), []).append(Answer(person, value))
    out = []
    for role, items in ITEMS.items():
        for item, text in items:
            pre = by_key.get((role, item, "pre"), [])
            post = by_key.get((role, item, "post"), [])
            out.append(
                SurveyItemReport(
                    role=role,
                    item=item,
                    text=text,
                    before=summarise(pre, threshold=k, label="before"),
                    after=summarise(post, threshold=k, label="after"),
                    change=paired_change(pre, post, threshold=k),
                )  # fmt: skip
            )
    return out


@dataclass(frozen=True)
class Attention:
    pair: Pair
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AttentionList:
    """How many active pairs need attention, and the first of them with their reasons."""

    total: int
    pairs: list[Attention]


def pairs_needing_attention(
    *, program: Program, now: dt.datetime | None = None, limit: int | None = None
) -> AttentionList:
    """Active pairs whose metadata says something is off, with the reasons in words.

    From dates, counts and statuses only — never from what anyone answered. A fixed
    number of queries: every figure is an SQL aggregate per pair.
    """
    now = now or timezone.now()
    missed = Q(sessions__status__in=[SessionStatus.CANCELLED, SessionStatus.NO_SHOW])
    recently = Q(sessions__starts_at__gte=now - RECENT, sessions__starts_at__lte=now)
    rows = (
        Pair.objects.filter(program=program, status=PairStatus.ACTIVE)
        .values("pk", "activated_at", "proposed_at")
        .annotate(
            last_held=Max("sessions__starts_at", filter=Q(sessions__status=SessionStatus.HELD)),
            held=Count("sessions", filter=Q(sessions__status=SessionStatus.HELD)),
            missed=Count("sessions", filter=missed & recently),
        )
        .order_by("pk")
    )
    signed = {
        pair_id: (cadence, mentor == version and mentee == version)
        for pair_id, cadence, version, mentor, mentee in Agreement.objects.filter(
            pair__program=program
        ).values_list(
            "pair_id", "cadence", "version", "mentor_signed_version", "mentee_signed_version"
        )
    }
    checked_in = set(
        CheckIn.objects.filter(session__pair__program=program)
        .values_list("session__pair_id", flat=True)
        .distinct()
    )
    flagged: dict[int, tuple[str, ...]] = {}
    for row in rows:
        cadence_name, is_signed = signed.get(row["pk"], (None, False))
        cadence = CADENCE_DAYS[Cadence(cadence_name)] if cadence_name else program.cadence_days
        reasons = []
        started = row["activated_at"] or row["proposed_at"]
        quiet = (now - (row["last_held"] or started)).days
        if quiet > 2 * cadence:
            reasons.append(f"No session held for {quiet} days (cadence: every {cadence} days).")
        if not is_signed and now - started > UNSIGNED_AFTER:
            reasons.append(f"Agreement not signed by both after {(now - started).days} days.")
        if row["missed"] >= 2:
            weeks = RECENT.days // 7
            reasons.append(
                f"{row['missed']} sessions cancelled or missed in the last {weeks} weeks."
            )
        if row["held"] >= 2 and row["pk"] not in checked_in:
            reasons.append(f"No check-ins after {row['held']} sessions.")
        if reasons:
            flagged[row["pk"]] = tuple(reasons)
    # Names only for the pairs shown.
    pairs = Pair.objects.filter(pk__in=list(flagged)).select_related(
        "mentor__person", "mentee__person"
    )
    return AttentionList(
        total=len(flagged),
        pairs=[Attention(pair=pair, reasons=flagged[pair.pk]) for pair in pairs.order_by("pk")],
    )
