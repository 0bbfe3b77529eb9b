"""Attacks on the aggregates: someone who sees every report — the JSON API, the dashboard
and the CSV, as coordinator and as sponsor, read again whenever an answer arrives — and
who knows everyone's role, department and topic, tries to work out one person's answer.
They must fail.

The attacker's tool is exact: every figure is a mean over a known set of people, so
mean × n is a sum over that set, and a person's answer can be derived exactly when
their indicator is a linear combination of the published sets (`derivable`). Groups of
fewer than k people must not be separable either (`smallest_separable`): a colleague in
such a group knows their own answer and learns the others'.

The population (k = 5): Finance and Operations are large; Legal has one person (L, who
answers 1); Sales has k − 1 = 4; the pair working on data privacy has only its leader
answering (T, who answers 2). Everyone else answers 3 to 5. Last month 25 people answered;
this month one more answers (a second Legal person), then four others close a batch.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tests.feedback.conftest import make_pairs
from tests.feedback.test_api import check_in, held, report
from upward.core.models import Role, User
from upward.feedback import services
from upward.feedback.models import CheckIn
from upward.feedback.publication import publication_catch_up
from upward.mentoring.models import Pair
from upward.people.models import Department, Person
from upward.programs.models import EnrollmentTopic, Program, Topic, TopicKind

pytestmark = pytest.mark.django_db

K = 5
SUPPRESSED = "not enough responses"


# --- the attacker ---------------------------------------------------------------------


def _rank(matrix: np.ndarray) -> int:
    return 0 if matrix.size == 0 else int(np.linalg.matrix_rank(matrix))


def derivable(published: list[set[int]], person: int, everyone: list[int]) -> bool:
    """Whether some combination of the published sums is `person`'s answer alone."""
    rows = np.array([[1.0 if p in s else 0.0 for p in everyone] for s in published])
    alone = np.array([[1.0 if p == person else 0.0 for p in everyone]])
    return _rank(np.vstack([rows, alone])) == _rank(rows)


def smallest_separable(published: list[set[int]], everyone: list[int], k: int) -> tuple | None:
    """A group of 1 to k − 1 people on whom alone some combination of the published sums
    is not zero (removing their columns lowers the rank), or None."""
    rows = np.array([[1.0 if p in s else 0.0 for p in everyone] for s in published])
    full = _rank(rows)
    for size in range(1, k):
        for group in itertools.combinations(range(len(everyone)), size):
            keep = [j for j in range(len(everyone)) if j not in group]
            if _rank(rows[:, keep]) < full:
                return tuple(everyone[j] for j in group)
    return None


# --- the population -------------------------------------------------------------------


@dataclass
class Population:
    program: Program
    owner: User
    #: person (user id) → {"role": …, "department": …, "topic": …}
    groups: dict[int, dict[str, str]] = field(default_factory=dict)
    answered: list[int] = field(default_factory=list)  # in order
    legal: int = 0  # L: alone in Legal, answered 1
    privacy: int = 0  # T: alone in the data-privacy topic, answered 2
    later: list[Pair] = field(default_factory=list)  # the pairs answering this month

    def members(self, dimension: str, label: str, among: list[int]) -> set[int]:
        return {p for p in among if self.groups[p].get(dimension) == label}


def _place(pair: Pair, department: str, topic: str | None = None) -> None:
    """Both members of `pair` into `department`; the pair's main topic to `topic`."""
    unit, _ = Department.objects.get_or_create(name=department)
    Person.objects.filter(pk__in=[pair.mentor.person_id, pair.mentee.person_id]).update(
        department=unit
    )
    if topic is not None:
        chosen = Topic.objects.get(slug=topic)
        EnrollmentTopic.objects.create(enrollment=pair.mentee, topic=chosen,
                                       kind=TopicKind.INTEREST, weight=3)  # fmt: skip
        EnrollmentTopic.objects.create(enrollment=pair.mentor, topic=chosen,
                                       kind=TopicKind.EXPERTISE, weight=3)  # fmt: skip


def _answer_last_month(population: Population, user: User, pair: Pair, value: int) -> None:
    """A check-in given last month (stored directly, dated, then published in batches)."""
    session = pair.sessions.first() or pair.sessions.get(pk=held(pair))
    checkin = CheckIn.objects.create(session=session, respondent=user,
                                     role="mentor" if user == pair.mentor.person.user else "mentee",
                                     usefulness=value, openness=value, balance=value)  # fmt: skip
    first = timezone.now().replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    at = first - dt.timedelta(days=20) + dt.timedelta(minutes=len(population.answered))
    CheckIn.objects.filter(pk=checkin.pk).update(created_at=at)
    population.answered.append(user.pk)


@pytest.fixture
def population(running_program: Program, program_owner: User) -> Population:
    pairs = make_pairs(running_program, program_owner, 16)
    for pair in pairs[0:5] + [pairs[11]]:
        _place(pair, "Finance")
    for pair in pairs[5:9] + pairs[14:16]:
        _place(pair, "Operations")
    _place(pairs[9], "Operations")
    _place_one(pairs[9].mentor.person, "Legal")  # L
    _place(pairs[10], "Sales")
    _place(pairs[12], "Sales")
    _place(pairs[11], "Finance", topic="data-privacy-habits")
    _place(pairs[13], "Legal")
    found = Population(program=running_program, owner=program_owner)
    names = dict(Topic.objects.values_list("slug", "name"))
    for i, pair in enumerate(pairs):
        topic = names["data-privacy-habits" if i == 11 else "generative-ai"]
        for person, role in ((pair.mentor.person, "mentor"), (pair.mentee.person, "mentee")):
            person.refresh_from_db()
            found.groups[person.user_id] = {
                "role": role, "department": person.department.name, "topic": topic,
            }  # fmt: skip
    found.legal = pairs[9].mentor.person.user_id
    found.privacy = pairs[11].mentee.person.user_id
    values = itertools.cycle([3, 4, 5, 4])
    for i, pair in enumerate(pairs[:13]):
        for user in (pair.mentor.person.user, pair.mentee.person.user):
            if i == 11 and user == pair.mentor.person.user:
                continue  # T's mentor never answers: T is alone in the topic
            value = 1 if user.pk == found.legal else 2 if user.pk == found.privacy else next(values)
            _answer_last_month(found, user, pair, value)
    publication_catch_up(program=running_program)
    found.later = pairs[13:16]
    return found


def _place_one(person: Person, department: str) -> None:
    unit, _ = Department.objects.get_or_create(name=department)
    Person.objects.filter(pk=person.pk).update(department=unit)


# --- reading every surface -------------------------------------------------------------


@dataclass
class Reading:
    """Everything published at one moment, through every door."""

    api: dict  # type: ignore[type-arg]
    sponsor_api: dict  # type: ignore[type-arg]
    html: str
    sponsor_html: str
    csv: str


def read_everything(client: Client, bearer_for, population: Population) -> Reading:  # type: ignore[no-untyped-def]
    program, owner = population.program, population.owner
    sponsor = UserFactory(role=Role.SPONSOR)
    coordinator, viewer = Client(), Client()
    coordinator.force_login(owner)
    viewer.force_login(sponsor)
    page = f"/programs/{program.slug}/dashboard/"
    return Reading(
        api=report(client, bearer_for, owner, program),
        sponsor_api=report(client, bearer_for, sponsor, program),
        html=coordinator.get(page).content.decode(),
        sponsor_html=viewer.get(page).content.decode(),
        csv=coordinator.get(f"/programs/{program.slug}/report.csv").content.decode(),
    )


def published_sets(reading: Reading, population: Population, question: str) -> list[set[int]]:
    """The set of people behind every figure of `question` the reading shows, checked
    against the figure's n: the attacker's model is exact."""
    body = reading.api
    [entry] = [q for q in body["checkins"] if q["question"] == question]
    overall_people = population.answered[: entry["overall"]["n"]]
    sets = [set(overall_people)]
    for point in body["checkin_trend"]:
        [figure] = [f["figure"] for f in point["figures"] if f["question"] == question]
        if not figure["suppressed"]:
            sets.append(set(population.answered[: figure["n"]]))
    released = population.answered[: entry["by_role"]["total"]["n"] or 0]
    for dimension in ("role", "department", "topic"):
        breakdown = entry[f"by_{dimension}"]
        if not breakdown["total"]["suppressed"]:
            sets.append(set(released))
        for cell in breakdown["cells"]:
            if not cell["suppressed"]:
                members = population.members(dimension, cell["label"], released)
                assert len(members) == cell["n"], (dimension, cell)
                sets.append(members)
    return sets


def assert_no_figure_singles_anyone_out(reading: Reading) -> None:
    """Every n shown on a page or in the CSV is at least k; every mean of 1.00 would be
    L's answer alone (nobody else answered 1)."""
    for html in (reading.html, reading.sponsor_html):
        shown = [int(n) for n in re.findall(r"\(n = (\d+)", html)]
        assert shown and min(shown) >= K
        assert "1.00 (n =" not in html
    for line in reading.csv.splitlines()[1:]:
        section, _, _, n, value, *_ = line.split(",")
        if section not in ("funnel", "sessions") and n:
            assert int(n) >= K and value != "1.0", line


# --- the attacks ------------------------------------------------------------------------


def test_one_reading_of_every_surface_reveals_nobodys_answer(
    client: Client, bearer_for, population: Population
) -> None:  # type: ignore[no-untyped-def]
    reading = read_everything(client, bearer_for, population)
    assert reading.api == reading.sponsor_api
    entry = reading.api["checkins"][0]
    assert entry["overall"]["n"] == 25
    # The small groups show "not enough responses", on every surface.
    departments = {c["label"]: c for c in entry["by_department"]["cells"]}
    assert departments["Legal"]["suppressed"] and departments["Sales"]["suppressed"]
    topics = {c["label"]: c for c in entry["by_topic"]["cells"]}
    assert topics["Data privacy habits"]["suppressed"]
    for html in (reading.html, reading.sponsor_html):
        legal_row = re.search(r"<td>Legal</td>(.*?)</tr>", html)
        assert legal_row is not None and legal_row.group(1).count(SUPPRESSED) == 3
    assert "check-in by department,usefulness,Legal,,not enough responses" in reading.csv
    # Total minus the shown cells never leaves 1 to k − 1 people.
    for dimension in ("role", "department", "topic"):
        breakdown = entry[f"by_{dimension}"]
        rest = breakdown["total"]["n"] - sum(c["n"] or 0 for c in breakdown["cells"])
        assert rest == 0 or rest >= K, dimension
    assert_no_figure_singles_anyone_out(reading)
    # The exact attack: no combination of the figures gives L, T or any group under k.
    everyone = sorted(population.answered)
    for question in ("usefulness", "openness", "balance"):
        sets = published_sets(reading, population, question)
        assert not derivable(sets, population.legal, everyone)
        assert not derivable(sets, population.privacy, everyone)
        assert smallest_separable(sets, everyone, K) is None


def test_the_attack_succeeds_against_unsuppressed_breakdowns(population: Population) -> None:
    """The attacker has teeth: with every department and topic shown (no suppression),
    L's answer is simply the Legal figure, and T's is total − the other topics."""
    everyone = sorted(population.answered)
    sets = [set(everyone)]
    for dimension in ("role", "department", "topic"):
        labels = {population.groups[p][dimension] for p in everyone}
        sets += [population.members(dimension, label, everyone) for label in labels]
    assert derivable(sets, population.legal, everyone)
    assert derivable(sets, population.privacy, everyone)


def test_reading_again_after_each_new_answer_reveals_nobodys_answer(
    client: Client, bearer_for, population: Population
) -> None:  # type: ignore[no-untyped-def]
    before = read_everything(client, bearer_for, population)
    # A second Legal person answers, alone: nothing moves (the batch is not closed).
    second_legal, *others = population.later
    session = held(second_legal)
    legal_user = second_legal.mentor.person.user
    check_in(client, bearer_for, legal_user, session, 1)
    population.answered.append(legal_user.pk)
    after_one = read_everything(client, bearer_for, population)
    assert after_one.api == before.api and after_one.csv == before.csv
    assert _figures(after_one.html) == _figures(before.html)
    # Four more close the batch: the overall figure moves by five people; the breakdowns
    # stay as released last month (a batch may hold one person of a department).
    for pair in others:
        session = held(pair)
        for user in (pair.mentor.person.user, pair.mentee.person.user):
            if len(population.answered) < 30:
                check_in(client, bearer_for, user, session, 4)
                population.answered.append(user.pk)
    after_batch = read_everything(client, bearer_for, population)
    moved, kept = after_batch.api["checkins"][0], before.api["checkins"][0]
    assert moved["overall"]["n"] == kept["overall"]["n"] + K
    for dimension in ("role", "department", "topic"):
        assert moved[f"by_{dimension}"] == kept[f"by_{dimension}"]
    assert after_batch.api["checkin_breakdowns_as_of"] == before.api["checkin_breakdowns_as_of"]
    assert_no_figure_singles_anyone_out(after_batch)
    # The exact attack on everything read so far, together.
    everyone = sorted(population.answered)
    for question in ("usefulness", "openness", "balance"):
        sets = [s for r in (before, after_one, after_batch)
                for s in published_sets(r, population, question)]  # fmt: skip
        assert not derivable(sets, population.legal, everyone)
        assert not derivable(sets, legal_user.pk, everyone)
        assert not derivable(sets, population.privacy, everyone)
        assert smallest_separable(sets, everyone, K) is None


def _figures(html: str) -> list[str]:
    return re.findall(r"\d\.\d\d \(n = \d+[^)]*\)|" + SUPPRESSED, html)


def test_the_survey_hides_the_mean_after_when_it_would_give_one_persons_answers_away(
    client: Client, bearer_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    """Ten leaders answer before (2); ten answer after (4), one of them new. Before × 10 −
    change × 9 − after × 10 would be the first leader's answer before less the new
    leader's after — two people, fewer than k: the mean after is hidden, and what is
    shown leaves no way to it."""
    from upward.feedback.catalogue import ITEMS
    from upward.programs.models import ProgramStatus
    from upward.programs.services import program_transition

    pairs = make_pairs(running_program, program_owner, 11)
    items = [item for item, _ in ITEMS["mentee"]]
    leaders = [pair.mentee for pair in pairs]
    for leader in leaders[:10]:
        services.survey_submit(enrollment=leader, by=leader.person.user, phase="pre",
                               answers=dict.fromkeys(items, 2))  # fmt: skip
    for pair in pairs[:4]:  # mentors answer their own items, in their own batches
        answers = {item: 3 for item, _ in ITEMS["mentor"]}
        services.survey_submit(enrollment=pair.mentor, by=pair.mentor.person.user, phase="pre",
                               answers=answers)  # fmt: skip
    program_transition(program=running_program, to=ProgramStatus.MATCHING)
    program_transition(program=running_program, to=ProgramStatus.RUNNING)
    for leader in leaders[1:]:
        leader.program.refresh_from_db()
        services.survey_submit(enrollment=leader, by=leader.person.user, phase="post",
                               answers=dict.fromkeys(items, 4))  # fmt: skip
    body = report(client, bearer_for, program_owner, running_program)
    first = next(s for s in body["survey"] if s["role"] == "mentee")
    assert first["before"]["n"] == 10 and first["change"]["n"] == 9
    assert first["after"]["suppressed"]
    # Four mentors are fewer than k: a batch of their own never closed.
    assert next(s for s in body["survey"] if s["role"] == "mentor")["before"]["suppressed"]
    # The attacker's unknowns: each leader's answer before and after.
    people = [leader.person_id for leader in leaders]
    units = [(p, phase) for p in people for phase in ("pre", "post")]
    shown = {
        "before": {(p, "pre"): 1.0 for p in people[:10]},
        "change": {**{(p, "post"): 1.0 for p in people[1:10]},
                   **{(p, "pre"): -1.0 for p in people[1:10]}},
    }  # fmt: skip
    rows = np.array([[weights.get(u, 0.0) for u in units] for weights in shown.values()])
    two = {(people[0], "pre"): 1.0, (people[10], "post"): -1.0}
    pair_of_answers = np.array([[two.get(u, 0.0) for u in units]])
    assert _rank(np.vstack([rows, pair_of_answers])) > _rank(rows)
    # Had "after" been shown, the two people's answers would follow.
    after = np.array([[1.0 if u[1] == "post" and u[0] in people[1:] else 0.0 for u in units]])
    assert _rank(np.vstack([rows, after, pair_of_answers])) == _rank(np.vstack([rows, after]))


def test_a_batch_of_other_roles_does_not_move_one_roles_survey_figures(
    client: Client, bearer_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    """Leaders and mentors answer different items; a batch of five holding one leader
    and four mentors would move the leaders' figures by that one leader's answers.
    Each role's answers are therefore published in batches of k people of that role."""
    from upward.feedback.catalogue import ITEMS

    pairs = make_pairs(running_program, program_owner, 6)
    items = [item for item, _ in ITEMS["mentee"]]
    for pair in pairs[:5]:
        services.survey_submit(enrollment=pair.mentee, by=pair.mentee.person.user,
                               phase="pre", answers=dict.fromkeys(items, 2))  # fmt: skip
    before = report(client, bearer_for, program_owner, running_program)["survey"]
    services.survey_submit(enrollment=pairs[5].mentee, by=pairs[5].mentee.person.user,
                           phase="pre", answers=dict.fromkeys(items, 5))  # fmt: skip
    for pair in pairs[:4]:
        answers = {item: 3 for item, _ in ITEMS["mentor"]}
        services.survey_submit(enrollment=pair.mentor, by=pair.mentor.person.user, phase="pre",
                               answers=answers)  # fmt: skip
    after = report(client, bearer_for, program_owner, running_program)["survey"]
    assert after == before
    leaders = next(s for s in after if s["role"] == "mentee")
    assert leaders["before"]["n"] == 5 and leaders["before"]["mean"] == 2.0
