"""The engine against brute force: same optimum, every hard rule kept, deterministic.

Each property runs twice: on the small-instance path (every eligible pair in
the graph) and on the large-instance path forced onto tiny inputs (top-k lists
of 2, miniature-market prices, the certificate's exact checks and column
generation), which is what runs at 100,000 people.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.matching.brute import (
    allowed,
    blocking_pairs,
    brute_force,
    chain_map,
    greedy,
    instances,
    locks_valid,
)
from upward.matching import engine
from upward.matching.engine import match
from upward.matching.model import (
    FIT_SCALE,
    FitWeights,
    MatchInputError,
    MatchRules,
    Mentee,
    Mentor,
    SolverOptions,
)
from upward.matching.scoring import Units, fit_units
from upward.matching.synthetic import generate_organisation

WEIGHTS = FitWeights()
PATHS = {
    "every-pair": SolverOptions(),
    "sparse": SolverOptions(dense_limit=0, candidates=2, price_estimate_pairs=0),
}
PROPERTY = settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_rules(result, mentors, mentees, rules, people) -> None:  # type: ignore[no-untyped-def]
    units = Units.from_weights(WEIGHTS)
    managers = chain_map(mentors, mentees, people)
    by_id = {m.id: m for m in mentors}
    mentee_by_id = {e.id: e for e in mentees}
    load: dict[str, int] = {}
    seen: set[str] = set()
    for pair in result.pairs:
        mentor, mentee = by_id[pair.mentor_id], mentee_by_id[pair.mentee_id]
        assert pair.mentee_id not in seen, "a mentee is matched twice"
        seen.add(pair.mentee_id)
        load[mentor.id] = load.get(mentor.id, 0) + 1
        assert allowed(mentor, mentee, rules, units, managers), pair
        assert pair.fit == fit_units(mentor, mentee, units) / FIT_SCALE
    for mentor_id, count in load.items():
        assert count <= by_id[mentor_id].capacity
    matched = {(p.mentor_id, p.mentee_id) for p in result.pairs}
    assert set(rules.locks) <= matched


@pytest.mark.parametrize("path", PATHS)
@PROPERTY
@given(instances())
def test_optimum_matches_brute_force(path: str, case) -> None:  # type: ignore[no-untyped-def]
    mentors, mentees, rules, people = case
    if not locks_valid(mentors, mentees, rules, WEIGHTS, people):
        with pytest.raises(MatchInputError):
            match(mentors, mentees, rules=rules, people=people, options=PATHS[path])
        return
    result = match(mentors, mentees, rules=rules, people=people, options=PATHS[path])
    best = brute_force(mentors, mentees, rules, WEIGHTS, people)
    assert result.report.matched == best.matched
    assert round(result.report.total_fit * FIT_SCALE) == best.total
    _check_rules(result, mentors, mentees, rules, people)
    certificate = result.report.certificate
    assert certificate is not None and certificate.gap == 0
    assert certificate.cardinality_proven
    pairs = {p.mentee_id: p.mentor_id for p in result.pairs}
    assert result.report.blocking_pairs == blocking_pairs(
        mentors, mentees, pairs, rules, WEIGHTS, people
    )


@pytest.mark.parametrize("path", PATHS)
@PROPERTY
@given(instances())
def test_stable_matching_has_no_blocking_pair(path: str, case) -> None:  # type: ignore[no-untyped-def]
    mentors, mentees, rules, people = case
    if not locks_valid(mentors, mentees, rules, WEIGHTS, people):
        return
    result = match(mentors, mentees, rules=rules, people=people, stable=True, options=PATHS[path])
    _check_rules(result, mentors, mentees, rules, people)
    pairs = {p.mentee_id: p.mentor_id for p in result.pairs}
    assert blocking_pairs(mentors, mentees, pairs, rules, WEIGHTS, people) == 0
    assert result.report.blocking_pairs == 0
    best = brute_force(mentors, mentees, rules, WEIGHTS, people)
    assert result.report.optimum_matched == best.matched
    assert result.report.optimum_total_fit is not None
    assert round(result.report.optimum_total_fit * FIT_SCALE) == best.total
    assert result.report.fit_given_up is not None
    given_up = best.total - round(result.report.total_fit * FIT_SCALE)
    assert round(result.report.fit_given_up * FIT_SCALE) == given_up


@pytest.mark.parametrize("path", PATHS)
@PROPERTY
@given(instances())
def test_stable_matching_is_best_pair_first_over_every_allowed_pair(path: str, case) -> None:  # type: ignore[no-untyped-def]
    mentors, mentees, rules, people = case
    if not locks_valid(mentors, mentees, rules, WEIGHTS, people):
        return
    result = match(mentors, mentees, rules=rules, people=people, stable=True, options=PATHS[path])
    pairs = {p.mentee_id: p.mentor_id for p in result.pairs}
    assert pairs == greedy(mentors, mentees, rules, WEIGHTS, people)


@settings(max_examples=30, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_row_order(case, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    mentors, mentees, rules, people = case
    if not locks_valid(mentors, mentees, rules, WEIGHTS, people):
        return
    first = match(mentors, mentees, rules=rules, people=people)
    shuffled_mentors, shuffled_mentees = list(mentors), list(mentees)
    rng.shuffle(shuffled_mentors)
    rng.shuffle(shuffled_mentees)
    second = match(shuffled_mentors, shuffled_mentees, rules=rules, people=people)
    assert first.pairs == second.pairs
    assert first.unmatched == second.unmatched


def test_same_input_gives_the_same_pairs_on_the_large_path() -> None:
    org = generate_organisation(300, 260, seed=7, capacity=[1, 2])
    options = SolverOptions(dense_limit=0, candidates=8, price_estimate_pairs=0)
    runs = [match(org.mentors, org.mentees, people=org.managers, options=options) for _ in range(2)]
    assert runs[0].pairs == runs[1].pairs
    assert runs[0].unmatched == runs[1].unmatched


def test_large_path_finds_the_same_optimum_as_every_pair() -> None:
    org = generate_organisation(220, 180, seed=11, capacity=[1, 2, 1])
    rules = MatchRules(min_gap=2, min_fit=0.2)
    dense = match(org.mentors, org.mentees, rules=rules, people=org.managers)
    sparse = match(
        org.mentors,
        org.mentees,
        rules=rules,
        people=org.managers,
        options=SolverOptions(dense_limit=0, candidates=10, price_estimate_pairs=0),
    )
    assert sparse.report.matched == dense.report.matched
    assert sparse.report.total_fit == dense.report.total_fit
    assert sparse.report.certificate is not None and sparse.report.certificate.gap == 0
    # Optimal pairings may differ where fits tie; each one's blocking pairs must be right.
    for result in (dense, sparse):
        pairs = {p.mentee_id: p.mentor_id for p in result.pairs}
        expected = blocking_pairs(org.mentors, org.mentees, pairs, rules, WEIGHTS, org.managers)
        assert result.report.blocking_pairs == expected


def test_a_stable_run_solving_in_a_child_process_reports_what_one_in_process_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Large stable runs solve the optimum in a child process (OR-Tools holds the GIL)."""
    org = generate_organisation(240, 200, seed=13, capacity=[1, 2])
    options = SolverOptions(dense_limit=0, candidates=8, price_estimate_pairs=0)
    here = match(org.mentors, org.mentees, people=org.managers, stable=True, options=options)
    monkeypatch.setattr(engine, "SOLVER_PROCESS_PAIRS", 0)
    started = engine._solver_process
    children: list[int] = []

    @contextmanager
    def recorded() -> Iterator[engine.Solver]:
        with started() as solve:
            children.append(1)
            yield solve

    monkeypatch.setattr(engine, "_solver_process", recorded)
    there = match(org.mentors, org.mentees, people=org.managers, stable=True, options=options)
    assert children == [1]
    assert there.pairs == here.pairs
    assert there.report.optimum_total_fit == here.report.optimum_total_fit
    assert there.report.fit_given_up == here.report.fit_given_up
    assert there.report.blocking_pairs == 0


def _mentor(pid: str, **kw: object) -> Mentor:
    base: dict[str, object] = {"level": 2, "department": "Sales", "timezone": "Europe/Paris"}
    base.update(kw)
    return Mentor(id=pid, **base)  # type: ignore[arg-type]


def _mentee(pid: str, **kw: object) -> Mentee:
    base: dict[str, object] = {"level": 7, "department": "Legal", "timezone": "Europe/Paris"}
    base.update(kw)
    return Mentee(id=pid, **base)  # type: ignore[arg-type]


def test_never_pairs_someone_with_their_managers_manager() -> None:
    people = {"CEO": None, "VP": "CEO", "LEAD": "VP", "JR": "LEAD", "OTHER": "CEO"}
    mentors = [_mentor("JR", expertise={"generative-ai": 3})]
    mentees = [_mentee("VP", interests={"generative-ai": 3})]
    result = match(mentors, mentees, people=people)
    assert result.pairs == ()
    (vp,) = [u for u in result.unmatched if u.id == "VP"]
    assert vp.code == "no_eligible"
    assert "same reporting chain" in vp.reason


def test_chains_come_from_the_lists_when_no_people_file() -> None:
    mentors = [_mentor("JR", manager_id="LEAD", expertise={"generative-ai": 3})]
    mentees = [_mentee("LEAD", interests={"generative-ai": 3})]
    assert match(mentors, mentees).pairs == ()


def test_lock_that_breaks_the_seniority_rule_is_refused() -> None:
    mentors = [_mentor("M1", level=6)]
    mentees = [_mentee("E1", level=7)]
    with pytest.raises(MatchInputError) as caught:
        match(mentors, mentees, rules=MatchRules(min_gap=2, locks=(("M1", "E1"),)))
    (issue,) = caught.value.issues
    assert issue.person_id == "E1" and issue.column == "level"
    assert "minimum gap 2" in issue.message


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(MatchInputError) as caught:
        match([_mentor("M1"), _mentor("M1")], [_mentee("E1")])
    assert "appears twice" in str(caught.value)
