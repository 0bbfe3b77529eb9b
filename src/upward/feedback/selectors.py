"""What coordinators and sponsors may read: aggregates and pair health — never an answer.

Check-in and survey figures go through `aggregates`, so each rests on at least the
program's anonymity threshold of distinct people. Pair health reads metadata only
(dates, counts, statuses); low check-in answers are never attributed to a pair.

Check-in breakdowns and survey changes by department are kept as released
(`publication.release_of`): audited and cut once, with everyone's groups as they are at
the first report after the release, and shown unchanged until the next one. Re-cutting
them at every view would let a reader compare the figures before and after one person
changes department.

What the audits cannot see (known limits, each needing more than one page view):
- Groups are people's groups when a release is made. Someone who changes department
  moves their answers from one released cell to another at the next release.
- A deleted answer (an account removed, with its check-ins) makes the release again at
  once, with the groups as they are then: a department change since the last release
  shows with it.
- The overall check-in figure moves batch by batch inside a month, the breakdowns
  monthly; the release audit treats a month as one step. Batches that line up exactly
  with groups, with one person answering in two of them, could still be told apart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import CharField, Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from upward.core.bulk_reads import Instant, as_instant, fetch_rows, instants
from upward.core.permissions import AnyUser, coordinates
from upward.feedback.aggregates import (
    Breakdown,
    Cell,
    Figure,
    Respondent,
    Step,
    batch_ends,
    breakdowns,
    mean_of,
    release_suppression,
)
from upward.feedback.catalogue import CHECKIN_QUESTIONS, ITEMS
from upward.feedback.models import (
    CheckIn,
    SupportRequest,
    SurveyAnswer,
    SurveyPhase,
    SurveyResponse,
)
from upward.feedback.publication import (
    published_cuts,
    published_through,
    release_of,
    survey_kind,
)
from upward.mentoring.models import (
    CADENCE_DAYS,
    Agreement,
    Cadence,
    Pair,
    PairStatus,
    Session,
    SessionStatus,
)
from upward.programs.models import EnrollmentTopic, Program, Topic, TopicKind


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


#: The dimensions of the check-in breakdowns, most wanted first (hidden last).
CHECKIN_DIMENSIONS = ("role", "department", "topic")
#: How many months the check-in trend goes back at most.
TREND_MONTHS = 24


@dataclass(frozen=True)
class TrendPoint:
    """The check-in means as the report showed them at the end of a month (or so far)."""

    month: dt.date
    label: str
    figures: dict[str, Figure]


@dataclass(frozen=True)
class CheckInReport:
    questions: tuple[tuple[str, str], ...]
    #: As published now: all answers of the closed batches.
    overall: dict[str, Figure]
    #: The breakdowns, as released monthly (see `checkin_report`).
    by_role: dict[str, Breakdown]
    respondents: int | None  # None when below the threshold
    by_department: dict[str, Breakdown] = field(default_factory=dict)
    by_topic: dict[str, Breakdown] = field(default_factory=dict)
    #: The day of the answers the breakdowns were released with; None before the first.
    breakdowns_as_of: dt.date | None = None
    trend: tuple[TrendPoint, ...] = ()


def participant_cells(*, program: Program) -> dict[int, frozenset[Cell]]:
    """Each participant's groups, keyed by user id: role, department and topic.

    The topic is their pair's main one (`_pair_topics`), of their latest pair if they
    have had several, so that topics are a partition like roles and departments:
    groups that add up to everyone read more easily, and the suppression audit
    (`aggregates.release_suppression`, which would handle overlapping groups too) stays
    fast at 10,000 people (ten times fewer classes of people). Four queries whatever the
    program's size.
    """
    topic_of: dict[int, str] = {}
    for users, topic in _pair_topics(program):
        if topic is not None:
            topic_of.update(dict.fromkeys(users, topic))
    shared: dict[tuple[str, str, str | None], frozenset[Cell]] = {}
    cells: dict[int, frozenset[Cell]] = {}
    for user_id, role, department in fetch_rows(
        program.enrollments.filter(person__user__isnull=False)
        .order_by()
        .values_list("person__user_id", "role", "person__department__name")
    ):
        key = (role, department, topic_of.get(user_id))
        if key not in shared:
            mine = {("role", role), ("department", department)}
            shared[key] = frozenset(mine | ({("topic", key[2])} if key[2] is not None else set()))
        cells[user_id] = shared[key]
    return cells


def _pair_topics(program: Program) -> list[tuple[tuple[int, int], str | None]]:
    """((mentor's user id, leader's user id), main topic) of each pair that meets or
    met, oldest first. The main topic is the first of `mentoring.topics.pair_topics`:
    the leader's most wanted interest the mentor has expertise in, or the most wanted
    of all their interests when none match."""
    names = dict(Topic.objects.filter(is_retired=False).values_list("pk", "name"))
    declared: dict[tuple[int, str], dict[str, int]] = {}
    for enrollment_id, kind, topic_id, weight in fetch_rows(
        EnrollmentTopic.objects.filter(
            enrollment__program=program, kind__in=[TopicKind.INTEREST, TopicKind.EXPERTISE]
        )
        .order_by()  # no sort by topic name: nothing here needs an order
        .values_list("enrollment_id", "kind", "topic_id", "weight")
    ):
        if topic_id in names:
            declared.setdefault((enrollment_id, kind), {})[names[topic_id]] = weight
    out = []
    for mentor, mentee, mentor_user, mentee_user in fetch_rows(
        Pair.objects.filter(program=program, status__in=[PairStatus.ACTIVE, PairStatus.ENDED])
        .order_by("pk")
        .values_list("mentor_id", "mentee_id", "mentor__person__user_id", "mentee__person__user_id")
    ):
        interests = declared.get((mentee, TopicKind.INTEREST), {})
        known = interests.keys() & declared.get((mentor, TopicKind.EXPERTISE), {}).keys()
        ranked = sorted(known or interests, key=lambda name: (-interests[name], name))
        out.append(((mentor_user, mentee_user), ranked[0] if ranked else None))
    return out


def _month(stamp: str) -> dt.date:
    """The month of a time the database gave as text (UTC, ISO: "2026-01-31 23:59:…")."""
    return dt.date(int(stamp[:4]), int(stamp[5:7]), 1)


def _moment(stamp: str) -> dt.datetime:
    """A time the database gave as text (UTC; "+00" on PostgreSQL, none on SQLite)."""
    moment = dt.datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _this_month(now: dt.datetime | None) -> dt.date:
    now = (now or timezone.now()).astimezone(dt.UTC)
    return dt.date(now.year, now.month, 1)


class _Published:
    """The published check-ins in time order, as arrays: who answered, when and what."""

    def __init__(self, rows: Sequence[tuple[int, int | str, int]]) -> None:
        size = len(rows)
        respondents = np.fromiter((row[0] for row in rows), dtype=np.int64, count=size)
        people, who = np.unique(respondents, return_inverse=True)
        self.people: list[int] = people.tolist()
        self.who = who.reshape(-1).astype(np.int64)
        self.at = instants([row[1] for row in rows])
        packed = np.fromiter((row[2] for row in rows), dtype=np.int64, count=size)
        # usefulness, openness, balance: the hundreds, tens and units (`_published_checkins`)
        self.values = np.array(
            [packed // ANSWER_BASE**place % ANSWER_BASE for place in (2, 1, 0)], dtype=float
        ).reshape(len(CHECKIN_QUESTIONS), size)

    def month_ends(self, ends: Sequence[int], now: dt.date) -> dict[dt.date, int]:
        """The last batch of each month that is over (UTC), by month: once a month is
        over its last batch is fixed, so a release never changes after the fact."""
        if not ends:
            return {}
        months = self.at[np.asarray(ends) - 1].astype("datetime64[M]")
        last = np.append(months[1:] != months[:-1], True)
        return {
            month: end
            for month, end in zip(
                months[last].tolist(), np.asarray(ends)[last].tolist(), strict=True
            )
            if month < now
        }

    def day(self, end: int) -> dt.date:
        """The day of the answer before position `end`."""
        return self.at[end - 1].astype("datetime64[D]").item()

    def instant(self, end: int) -> dt.datetime:
        """The time of the answer before position `end`."""
        moment: dt.datetime = self.at[end - 1].item()
        return moment.replace(tzinfo=dt.UTC)

    def first_month(self) -> dt.date:
        return self.at[0].astype("datetime64[M]").item()

    def sums_at(self, ends: Iterable[int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Per person, the number and the sums of their answers up to each end."""
        size = len(self.people)
        counts = np.zeros(size)
        sums = np.zeros((self.values.shape[0], size))
        out, start = {}, 0
        for end in sorted(set(ends)):
            part = self.who[start:end]
            counts = counts + np.bincount(part, minlength=size)
            sums = sums + np.array(
                [np.bincount(part, self.values[q, start:end], size) for q in range(sums.shape[0])]
            )
            out[end], start = (counts, sums), end
        return out

    def changed(self, start: int, end: int) -> frozenset[int]:
        """Who answered between two positions."""
        present = np.bincount(self.who[start:end], minlength=len(self.people))
        return frozenset(self.people[i] for i in np.flatnonzero(present).tolist())


def _figures(counts: np.ndarray, sums: np.ndarray, k: int) -> dict[str, Figure]:
    """The overall mean of each question over people's own means."""
    seen = counts > 0
    return {
        question: mean_of((sums[q, seen] / counts[seen]).tolist(), threshold=k, label=text)
        for q, (question, text) in enumerate(CHECKIN_QUESTIONS)
    }


def checkin_report(*, program: Program, now: dt.datetime | None = None) -> CheckInReport:
    """Each check-in question's mean: overall as published (batches of k people), by
    role, department and topic as released monthly, and month by month — k-anonymous.

    Breakdowns are released with the first batch and then with the last batch of each
    month that is over, and each release passes `release_suppression`: a batch of k
    people may hold a single person of a department, so re-cutting departments at
    every batch would show that person's change.

    The trend shows each month's overall figure as the page showed it at the month's
    last batch, so it adds nothing a reader could not have noted month by month. Means
    of the answers given *within* each month were rejected: next to the overall figure
    (one voice per person over all months) they isolate the few people who answered in
    two months (overall × n − the months' sums).
    """
    k = program.anonymity_threshold
    cut = published_through(program=program, kind="checkins")
    published = _Published(_published_checkins(program, cut))
    size = len(published.who)
    ends = batch_ends(published.who, published.at, threshold=k)
    months = published.month_ends(ends, _this_month(now))
    releases = sorted({*ends[:1], *months.values()})
    sums = published.sums_at([*releases, size])
    overall = _figures(*sums[size], k)
    by = _released_breakdowns(program, published, releases, sums, k)
    respondents = len(published.people)
    return CheckInReport(
        questions=CHECKIN_QUESTIONS,
        overall=overall,
        by_role=by["role"],
        respondents=respondents if respondents >= k else None,
        by_department=by["department"],
        by_topic=by["topic"],
        breakdowns_as_of=published.day(releases[-1]) if releases else None,
        trend=_trend(published, months, sums, _this_month(now), k),
    )


#: Check-in answers (1–5) travel packed as the digits of one number in this base.
ANSWER_BASE = 10


def _published_checkins(
    program: Program, cut: dt.datetime | None
) -> list[tuple[int, int | str, int]]:
    """(respondent, time as an `Instant`, answers packed) of every published check-in,
    in time order, read from one covering index (`checkin_program_time`).

    At 200,000 check-ins the time goes into making Python objects of the rows, so the
    rows hold as few as they can: the time as a number (only months and equal instants
    are needed) and the three answers as the digits of one number (usefulness,
    openness, balance: 100 × u + 10 × o + b), unpacked in numpy.
    """
    if cut is None:
        return []
    packed = F("usefulness") * ANSWER_BASE**2 + F("openness") * ANSWER_BASE + F("balance")
    return fetch_rows(
        CheckIn.objects.filter(program=program, created_at__lte=cut)
        .order_by("created_at", "pk")
        .annotate(at=Instant("created_at"), answers=packed)
        .values_list("respondent_id", "at", "answers")
    )


def _released_breakdowns(
    program: Program,
    published: _Published,
    releases: Sequence[int],
    sums: Mapping[int, tuple[np.ndarray, np.ndarray]],
    k: int,
) -> dict[str, dict[str, Breakdown]]:
    """{dimension: {question: breakdown}} as of the last release: audited and cut the
    first time a report asks (everyone's groups as they are then), then read back."""
    if not releases:
        return _audited_breakdowns(published, releases, sums, {}, k)
    last = releases[-1]
    return release_of(
        program=program,
        kind="checkins",
        until=published.instant(last),
        answers=last,
        expected=dict.fromkeys(CHECKIN_DIMENSIONS, [q for q, _ in CHECKIN_QUESTIONS]),
        compute=lambda: _audited_breakdowns(
            published, releases, sums, participant_cells(program=program), k
        ),
    )


def _audited_breakdowns(
    published: _Published,
    releases: Sequence[int],
    sums: Mapping[int, tuple[np.ndarray, np.ndarray]],
    cells: Mapping[int, frozenset[Cell]],
    k: int,
) -> dict[str, dict[str, Breakdown]]:
    """{dimension: {question: breakdown}} at the last release, after the audit of every
    release so far (`release_suppression`)."""
    steps: list[Step] = []
    population: dict[Respondent, frozenset[Cell]] = {}
    everyone: Counter[frozenset[Cell]] = Counter()
    start = 0
    for end in releases:
        changed = published.changed(start, end)
        for respondent in changed - population.keys():
            population[respondent] = cells.get(respondent, frozenset())
            everyone[population[respondent]] += 1
        steps.append(Step(Counter(everyone), Counter(population[r] for r in changed)))
        start = end
    plans = release_suppression(steps, dimensions=CHECKIN_DIMENSIONS, threshold=k)
    out: dict[str, dict[str, Breakdown]] = {d: {} for d in CHECKIN_DIMENSIONS}
    counts, totals = sums[releases[-1]] if releases else (np.zeros(0), np.zeros((3, 0)))
    for q, (question, _) in enumerate(CHECKIN_QUESTIONS):
        means: dict[Respondent, float] = {
            published.people[i]: float(totals[q, i] / counts[i]) for i in np.flatnonzero(counts)
        }
        shown = breakdowns(
            means,
            population,
            dimensions=CHECKIN_DIMENSIONS,
            shown=plans[-1] if plans else (),
            threshold=k,
        )
        for dimension in CHECKIN_DIMENSIONS:
            out[dimension][question] = shown[dimension]
    return out


def _trend(
    published: _Published,
    months: Mapping[dt.date, int],
    sums: Mapping[int, tuple[np.ndarray, np.ndarray]],
    now: dt.date,
    k: int,
) -> tuple[TrendPoint, ...]:
    """One point per month since the first published batch: the overall figures at the
    month's last batch (a quiet month repeats the last), and this month so far."""
    if not len(published.who):
        return ()
    points, month, end = [], published.first_month(), None
    while month < now:
        end = months.get(month, end)
        if end is not None:
            points.append(TrendPoint(month, f"{month:%b %Y}", _figures(*sums[end], k)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    final = _figures(*sums[len(published.who)], k)
    points.append(TrendPoint(now, f"{now:%b %Y} so far", final))
    return tuple(points[-TREND_MONTHS:])


@dataclass(frozen=True)
class SurveyItemReport:
    role: str
    item: str
    text: str
    before: Figure
    after: Figure
    change: Figure
    #: The change by department, as released monthly (see `survey_report`).
    change_by_department: Breakdown | None = None
    departments_as_of: dt.date | None = None


def survey_report(*, program: Program, now: dt.datetime | None = None) -> list[SurveyItemReport]:
    """Per item: the mean before, after, and the paired change, each k-anonymous; and
    the change by department, released like the check-in breakdowns.

    Before, after and change rest on three sets of people: those who answered before,
    after, and both. Before × n − after × n + change × n is the sum over the people who
    answered only once, so when they number 1 to k − 1 the mean after is hidden (the
    newer of the two: the one before has usually been shown, unchanged, for long).
    """
    k = program.anonymity_threshold
    cuts = published_cuts(program=program)
    published = Q(pk__in=[])
    for phase in SurveyPhase.values:
        for role in ITEMS:
            cut = cuts.get(survey_kind(phase, role))
            if cut is not None:
                published |= Q(phase=phase, enrollment__role=role, submitted_at__lte=cut)
    responses = fetch_rows(
        SurveyResponse.objects.filter(published, enrollment__program=program)
        .order_by("submitted_at", "pk")
        .annotate(at=Cast("submitted_at", output_field=CharField()))
        .values_list(
            "pk", "enrollment__person_id", "enrollment__role", "phase", "at",
            "enrollment__person__department__name",
        )
    )  # fmt: skip
    # The program's answers, kept when their response is published: a plain join is
    # faster than asking the database to match them against the published responses.
    response_of = {row[0]: row[1:4] for row in responses}
    answers: dict[tuple[str, str, str], dict[Respondent, float]] = {}
    for response_id, item, value in fetch_rows(
        SurveyAnswer.objects.filter(response__enrollment__program=program).values_list(
            "response_id", "item", "value"
        )
    ):
        if (response := response_of.get(response_id)) is not None:
            person, role, phase = response
            answers.setdefault((role, item, phase), {})[person] = value
    released = _released_changes(program, [row[1:] for row in responses], answers, _this_month(now))
    out = []
    for role, items in ITEMS.items():
        for item, text in items:
            pre = answers.get((role, item, "pre"), {})
            post = answers.get((role, item, "post"), {})
            both = pre.keys() & post.keys()
            once = len(pre) + len(post) - 2 * len(both)
            by_department, as_of = released.get((role, item), (None, None))
            out.append(
                SurveyItemReport(
                    role=role,
                    item=item,
                    text=text,
                    before=mean_of(list(pre.values()), threshold=k, label="before"),
                    after=mean_of(
                        [] if 0 < once < k else list(post.values()), threshold=k, label="after"
                    ),
                    change=mean_of([post[p] - pre[p] for p in both], threshold=k, label="Change"),
                    change_by_department=by_department,
                    departments_as_of=as_of,
                )
            )
    return out


def _released_changes(
    program: Program,
    responses: Sequence[tuple[int, str, str, str, str]],
    answers: Mapping[tuple[str, str, str], Mapping[Respondent, float]],
    now: dt.date,
) -> dict[tuple[str, str], tuple[Breakdown, dt.date | None]]:
    """{(role, item): (change by department, as of)} at each role's last release, from
    the published responses (person, role, phase, time as text, department) in time
    order.

    A person's change is known once both their surveys are published; the release
    clock is the first moment k people of a role had both, then the end of each month
    that is over — if at least k more people of the role completed both by then (else
    the month rolls into the next).
    """
    k = program.anonymity_threshold
    shown_at: dict[tuple[int, str], str] = {}
    for phase in SurveyPhase.values:
        for role in ITEMS:  # published in batches per phase and role (`survey_kind`)
            stamps = [(r[0], r[3]) for r in responses if r[2] == phase and r[1] == role]
            ends = batch_ends([s[0] for s in stamps], [s[1] for s in stamps], threshold=k)
            for (person, at), end in zip(stamps, _covering(ends, len(stamps)), strict=True):
                shown_at[(person, phase)] = stamps[end - 1][1] if end else at
    out: dict[tuple[str, str], tuple[Breakdown, dt.date | None]] = {}
    for role, items in ITEMS.items():
        joined = sorted(
            (max(shown_at[(p, "pre")], shown_at[(p, "post")]), p, department)
            for p, r, phase, _, department in responses
            if r == role and phase == "pre" and (p, "post") in shown_at
        )
        steps, population, until = _change_releases(joined, k, now)
        if until is None:
            continue

        def cut(
            role: str = role,
            steps: list[Step] = steps,
            population: dict[Respondent, frozenset[Cell]] = population,
        ) -> dict[str, dict[str, Breakdown]]:
            plans = release_suppression(steps, dimensions=("department",), threshold=k)
            by_item = {}
            for item, _ in ITEMS[role]:
                pre = answers.get((role, item, "pre"), {})
                post = answers.get((role, item, "post"), {})
                change = {p: post[p] - pre[p] for p in population if p in pre and p in post}
                by_item[item] = breakdowns(change, population, dimensions=("department",),
                                           shown=plans[-1], threshold=k)  # fmt: skip
            return by_item

        # Kept like the check-in breakdowns, so a department change waits for the next.
        released = release_of(
            program=program, kind=f"change-{role}", until=until, answers=len(population),
            expected={item: ["department"] for item, _ in items}, compute=cut,
        )  # fmt: skip
        for item, _ in items:
            out[(role, item)] = (released[item]["department"], until.date())
    return out


def _covering(ends: Sequence[int], size: int) -> list[int]:
    """For each position, the end of the closed batch that published it, or 0."""
    out, start = [0] * size, 0
    for end in ends:
        out[start:end] = [end] * (end - start)
        start = end
    return out


def _change_releases(
    joined: Sequence[tuple[str, int, str]], k: int, now: dt.date
) -> tuple[list[Step], dict[Respondent, frozenset[Cell]], dt.datetime | None]:
    """The releases of one role's change from (time both surveys were shown, person,
    department) in time order: the steps, everyone at the last, and its time."""
    steps: list[Step] = []
    population: dict[Respondent, frozenset[Cell]] = {}
    pending: list[Respondent] = []
    last: dt.datetime | None = None
    released: dict[Respondent, frozenset[Cell]] = {}
    for i, (at, person, department) in enumerate(joined):
        population[person] = frozenset({("department", department)})
        pending.append(person)
        following = joined[i + 1][0] if i + 1 < len(joined) else None
        if following == at:
            continue  # the same instant: released together
        first = not steps and len(population) >= k
        month_over = _month(at) < now and (following is None or _month(following) > _month(at))
        if (first or (steps and month_over)) and len(pending) >= k:
            steps.append(Step.of(population, pending))
            pending, last, released = [], _moment(at), dict(population)
    return steps, released, last


@dataclass(frozen=True)
class Attention:
    pair: Pair
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AttentionList:
    """How many active pairs need attention, how many for each reason, and the first of
    them with their reasons."""

    total: int
    pairs: list[Attention]
    #: pairs flagged for each reason (a pair may have several), in `HEALTH_REASONS` order.
    by_reason: dict[str, int] = field(default_factory=dict)


#: Reasons a pair needs attention, as the dashboard's health chart names them.
HEALTH_REASONS = (
    ("quiet", "No recent session"),
    ("unsigned", "Agreement unsigned"),
    ("missed", "Sessions missed"),
    ("silent", "No check-ins"),
)


def pairs_needing_attention(
    *, program: Program, now: dt.datetime | None = None, limit: int | None = None
) -> AttentionList:
    """Active pairs whose metadata says something is off, with the reasons in words.

    From dates, counts and statuses only — never from what anyone answered. A fixed
    number of queries: every figure is an SQL aggregate per pair.
    """
    now = now or timezone.now()
    missed = Q(status__in=[SessionStatus.CANCELLED, SessionStatus.NO_SHOW])
    recently = Q(starts_at__gte=now - RECENT, starts_at__lte=now)
    # Times as numbers, days counted in numpy: 15,000 datetimes read one by one cost
    # more than the queries (10,000 people). Sessions are counted per pair on their own
    # table, then matched to the pairs: half the time of grouping the join of both.
    active = Pair.objects.filter(program=program, status=PairStatus.ACTIVE)
    rows = fetch_rows(
        active.order_by("pk").values_list("pk", Instant(Coalesce("activated_at", "proposed_at")))
    )
    counted = {
        pair_id: (last, held, missed_count)
        for pair_id, last, held, missed_count in fetch_rows(
            Session.objects.filter(pair__in=active)
            .order_by()
            .values("pair_id")
            .annotate(
                last=Instant(Max("starts_at", filter=Q(status=SessionStatus.HELD))),
                held=Count("pk", filter=Q(status=SessionStatus.HELD)),
                missed=Count("pk", filter=missed & recently),
            )
            .values_list("pair_id", "last", "held", "missed")
        )
    }
    sessions = [counted.get(pk, (None, 0, 0)) for pk, _ in rows]
    started = instants([row[1] for row in rows])
    last_held = instants([last for last, _, _ in sessions])
    day = np.timedelta64(1, "D")
    since_start: np.ndarray = as_instant(now) - started
    since_held: np.ndarray = as_instant(now) - np.where(np.isnat(last_held), started, last_held)
    quiet_days, running_days = since_held // day, since_start // day
    unsigned_late = (since_start > np.timedelta64(UNSIGNED_AFTER)).tolist()
    signed = {
        pair_id: (cadence, mentor == version and mentee == version)
        for pair_id, cadence, version, mentor, mentee in Agreement.objects.filter(
            pair__program=program
        ).values_list(
            "pair_id", "cadence", "version", "mentor_signed_version", "mentee_signed_version"
        )
    }
    # A semi-join per pair stops at its first check-in (measured at 200,000 check-ins on
    # PostgreSQL: 25 ms, against 75 ms for the distinct pairs of every check-in).
    checked_in = set(
        Pair.objects.filter(program=program)
        .filter(Exists(CheckIn.objects.filter(session__pair_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    flagged: dict[int, tuple[str, ...]] = {}
    by_reason = dict.fromkeys((code for code, _ in HEALTH_REASONS), 0)
    for (pk, _), (_, held, missed_count), quiet, running, late in zip(
        rows, sessions, quiet_days.tolist(), running_days.tolist(), unsigned_late, strict=True
    ):
        cadence_name, is_signed = signed.get(pk, (None, False))
        cadence = CADENCE_DAYS[Cadence(cadence_name)] if cadence_name else program.cadence_days
        reasons = []
        if quiet > 2 * cadence:
            by_reason["quiet"] += 1
            reasons.append(f"No session held for {quiet} days (cadence: every {cadence} days).")
        if not is_signed and late:
            by_reason["unsigned"] += 1
            reasons.append(f"Agreement not signed by both after {running} days.")
        if missed_count >= 2:
            by_reason["missed"] += 1
            weeks = RECENT.days // 7
            reasons.append(
                f"{missed_count} sessions cancelled or missed in the last {weeks} weeks."
            )
        if held >= 2 and pk not in checked_in:
            by_reason["silent"] += 1
            reasons.append(f"No check-ins after {held} sessions.")
        if reasons:
            flagged[pk] = tuple(reasons)
    # Names only for the pairs shown (none at all with `limit=0`).
    shown = sorted(flagged)[:limit] if limit is not None else sorted(flagged)
    pairs = Pair.objects.filter(pk__in=shown).select_related("mentor__person", "mentee__person")
    return AttentionList(
        total=len(flagged),
        pairs=[Attention(pair=pair, reasons=flagged[pair.pk]) for pair in pairs.order_by("pk")],
        by_reason=by_reason,
    )
