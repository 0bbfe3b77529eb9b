"""Candidate lists are exactly each person's k best, whatever the prices; thresholds are exact."""

from __future__ import annotations

import numpy as np
import pytest

from upward.matching.candidates import NO_THRESHOLD, top_candidates
from upward.matching.instance import build_instance
from upward.matching.model import FitWeights, MatchRules
from upward.matching.synthetic import generate_organisation


@pytest.mark.parametrize("priced", [False, True])
def test_top_lists_and_thresholds_equal_a_full_sort(priced: bool) -> None:
    org = generate_organisation(260, 240, seed=3, capacity=[1, 2])
    instance = build_instance(
        org.mentors, org.mentees, rules=MatchRules(min_fit=0.1), weights=FitWeights(),
        people=org.managers,
    )  # fmt: skip
    rng = np.random.default_rng(0)
    prices = rng.integers(0, 200_000, instance.n_mentors) if priced else None
    k = 7
    cand = top_candidates(instance, k, prices=prices)
    price = np.zeros(instance.n_mentors, dtype=np.int64) if prices is None else prices
    rows = np.repeat(np.arange(instance.n_mentees), instance.n_mentors)
    cols = np.tile(np.arange(instance.n_mentors), instance.n_mentees)
    fits = instance.fits(rows, cols)
    ok = instance.rules_ok(rows, cols) & (fits >= instance.min_fit)
    listed = set(zip(cand.mentee.tolist(), cand.mentor.tolist(), strict=True))
    for i in range(instance.n_mentees):
        mine = ok & (rows == i)
        order = np.lexsort((cols[mine], -(fits[mine] - price[cols[mine]])))
        best = cols[mine][order][:k]
        assert {(i, int(j)) for j in best} <= listed
        if mine.sum() >= k:
            assert cand.mentee_threshold[i] == (fits[mine] - price[cols[mine]])[order][k - 1]
        else:
            assert cand.mentee_threshold[i] == NO_THRESHOLD
    for j in range(instance.n_mentors):
        mine = ok & (cols == j)
        order = np.lexsort((rows[mine], -fits[mine]))
        best = rows[mine][order][:k]
        assert {(int(i), j) for i in best} <= listed
        if mine.sum() >= k:
            assert cand.mentor_threshold[j] == fits[mine][order][k - 1]
    # Every listed pair is eligible, listed once, with its exact fit.
    keys = cand.mentee * instance.n_mentors + cand.mentor
    assert np.unique(keys).size == keys.size
    assert (instance.fits(cand.mentee, cand.mentor) == cand.fit).all()
    assert cand.contains(cand.mentee, cand.mentor, cand.fit).all()


def test_one_sided_lists_equal_that_side_of_both() -> None:
    org = generate_organisation(260, 240, seed=4, capacity=[1, 2])
    instance = build_instance(
        org.mentors, org.mentees, rules=MatchRules(min_fit=0.1), weights=FitWeights(),
        people=org.managers,
    )  # fmt: skip
    both = top_candidates(instance, 6)
    mentees = top_candidates(instance, 6, side="mentees")
    mentors = top_candidates(instance, 6, side="mentors")
    n = both.mentee_lists
    assert mentees.mentee_lists == n
    assert (mentees.mentee[:n] == both.mentee[:n]).all()
    assert (mentees.mentor[:n] == both.mentor[:n]).all()
    assert (mentees.mentee_threshold == both.mentee_threshold).all()
    assert mentors.mentee_lists == 0 and both.mentor_lists and mentors.mentor_lists
    for mine, theirs in zip(mentors.mentor_lists, both.mentor_lists, strict=True):
        assert (mine == theirs).all()
    assert (mentors.mentor_threshold == both.mentor_threshold).all()
    # The side not built claims nothing: its bound lies above every fit.
    assert (mentees.mentor_threshold > 1_000_000).all()
    assert (mentors.mentee_threshold > 1_000_000).all()


def test_plain_lists_beside_priced_ones_equal_a_plain_scan() -> None:
    """One scan serves the optimum (fit − price) and the stable matching (plain fit)."""
    org = generate_organisation(300, 280, seed=5, capacity=[1, 2])
    instance = build_instance(
        org.mentors, org.mentees, rules=MatchRules(min_fit=0.1), weights=FitWeights(),
        people=org.managers,
    )  # fmt: skip
    prices = np.random.default_rng(1).integers(0, 300_000, instance.n_mentors)
    priced = top_candidates(instance, 8, prices=prices, plain_k=5)
    alone = top_candidates(instance, 8, prices=prices)
    plain = top_candidates(instance, 5, side="mentees")
    assert priced.plain is not None and alone.plain is None
    # The priced lists are untouched by the extra test …
    assert (priced.mentee == alone.mentee).all() and (priced.mentor == alone.mentor).all()
    assert (priced.mentee_threshold == alone.mentee_threshold).all()
    # … and the plain lists are exactly what a plain scan finds.
    n = plain.mentee_lists
    assert priced.plain.mentee_lists == n
    assert (priced.plain.mentee == plain.mentee[:n]).all()
    assert (priced.plain.mentor == plain.mentor[:n]).all()
    assert (priced.plain.fit == plain.fit[:n]).all()
    assert (priced.plain.mentee_threshold == plain.mentee_threshold).all()
    assert (priced.plain.mentee_last == plain.mentee_last).all()
