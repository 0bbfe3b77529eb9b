"""What coordinators and sponsors may read: aggregates and pair health — never an answer.

Check-in and survey figures go through `aggregates`, so each rests on at least the
program's anonymity threshold of distinct people. Pair health reads metadata only
(dates, counts, statuses); low check-in answers are never attributed to a pair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from upward.feedback.aggregates import (
    Answer,
    Breakdown,
    Figure,
    breakdown,
    paired_change,
    published_until,
    summarise,
)
from upward.feedback.catalogue import CHECKIN_QUESTIONS, ITEMS
from upward.feedback.models import CheckIn, SurveyAnswer, SurveyPhase, SurveyResponse
from upward.mentoring.models import (
    CADENCE_DAYS,
    Agreement,
    Cadence,
    Pair,
    PairStatus,
    Session,
    SessionStatus,
)
from upward.programs.models import Program

#: An agreement still unsigned this long after the pair became active needs attention.
UNSIGNED_AFTER = dt.timedelta(days=14)


@dataclass(frozen=True)
class CheckInReport:
    questions: tuple[tuple[str, str], ...]
    overall: dict[str, Figure]
    by_role: dict[str, Breakdown]
    respondents: int | None  # None when below the threshold


def checkin_report(*, program: Program) -> CheckInReport:
    """Mean of each check-in question, overall and by role, k-anonymous."""
    k = program.anonymity_threshold
    checkins = CheckIn.objects.filter(session__pair__program=program)
    cut = published_until(checkins.values_list("respondent_id", "created_at"), threshold=k)
    rows = (
        list(
            checkins.filter(created_at__lte=cut).values_list(
                "respondent_id", "role", "usefulness", "openness", "balance"
            )
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
    responses = SurveyResponse.objects.filter(enrollment__program=program)
    cuts = {
        phase: published_until(
            responses.filter(phase=phase).values_list("enrollment__person_id", "submitted_at"),
            threshold=k,
        )
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


def pairs_needing_attention(*, program: Program, now: dt.datetime | None = None) -> list[Attention]:
    """Active pairs whose metadata says something is off, with the reasons in words.

    From dates, counts and statuses only — never from what anyone answered.
    """
    now = now or timezone.now()
    pairs = (
        Pair.objects.filter(program=program, status=PairStatus.ACTIVE)
        .select_related("mentor__person", "mentee__person")
        .annotate(
            last_held=Max("sessions__starts_at", filter=Q(sessions__status=SessionStatus.HELD)),
            held=Count("sessions", filter=Q(sessions__status=SessionStatus.HELD), distinct=True),
            checkins=Count("sessions__checkins", distinct=True),
        )
        .order_by("pk")
    )
    agreements = {a.pair_id: a for a in Agreement.objects.filter(pair__in=pairs)}
    recent: dict[int, list[str]] = {}
    for pair_id, status in (
        Session.objects.filter(pair__in=pairs, starts_at__lte=now)
        .order_by("pair_id", "-starts_at")
        .values_list("pair_id", "status")
    ):
        if len(recent.setdefault(pair_id, [])) < 3:
            recent[pair_id].append(status)
    out = []
    for pair in pairs:
        agreement = agreements.get(pair.pk)
        cadence = CADENCE_DAYS[Cadence(agreement.cadence)] if agreement else program.cadence_days
        reasons = []
        since = pair.last_held or pair.activated_at or pair.proposed_at
        quiet = (now - since).days
        if quiet > 2 * cadence:
            reasons.append(f"No session held for {quiet} days (cadence: every {cadence} days).")
        active_for = now - (pair.activated_at or pair.proposed_at)
        if (agreement is None or not agreement.is_signed) and active_for > UNSIGNED_AFTER:
            reasons.append(f"Agreement not signed by both after {active_for.days} days.")
        missed = sum(
            s in (SessionStatus.CANCELLED, SessionStatus.NO_SHOW) for s in recent.get(pair.pk, [])
        )
        if missed >= 2:
            reasons.append(f"{missed} of the last 3 sessions cancelled or missed.")
        if pair.held >= 2 and pair.checkins == 0:
            reasons.append(f"No check-ins after {pair.held} sessions.")
        if reasons:
            out.append(Attention(pair=pair, reasons=tuple(reasons)))
    return out
