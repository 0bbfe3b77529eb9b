"""Bring-your-own-scores equals scipy's exact assignment on dense instances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from upward.matching.model import FIT_SCALE, MatchInputError
from upward.matching.scores import match_scores


@st.composite
def dense_scores(draw: st.DrawFn) -> tuple[np.ndarray, list[int]]:
    n_e = draw(st.integers(1, 30))
    n_m = draw(st.integers(1, 20))
    caps = draw(st.lists(st.integers(1, 3), min_size=n_m, max_size=n_m))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # Six decimals: the engine compares scores in millionths.
    scores = np.round(rng.random((n_e, n_m)) * rng.choice([1.0, 10.0, 1000.0]), 6)
    return scores, caps


def _rows(scores: np.ndarray) -> list[tuple[str, str, float]]:
    return [
        (f"M{j:02d}", f"E{i:02d}", float(scores[i, j]))
        for i in range(scores.shape[0])
        for j in range(scores.shape[1])
    ]


@settings(max_examples=60, deadline=None)
@given(dense_scores())
def test_equals_scipy_linear_sum_assignment_with_capacities(case) -> None:  # type: ignore[no-untyped-def]
    scores, caps = case
    # scipy has no capacities: a mentor with capacity c becomes c identical columns.
    expanded = np.repeat(scores, caps, axis=1)
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    expected = round(float(expanded[rows, cols].sum()) * FIT_SCALE)
    result = match_scores(_rows(scores), {f"M{j:02d}": c for j, c in enumerate(caps)})
    assert result.report.matched == len(rows) == min(scores.shape[0], sum(caps))
    assert round(result.report.total_fit * FIT_SCALE) == expected
    load: dict[str, int] = {}
    for pair in result.pairs:
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    assert all(load[m] <= caps[int(m[1:])] for m in load)


def test_missing_row_means_not_allowed() -> None:
    rows = [("M1", "E1", 0.9), ("M1", "E2", 0.8), ("M2", "E2", 0.1)]
    result = match_scores(rows, {"M1": 1, "M2": 1})
    assert {(p.mentor_id, p.mentee_id) for p in result.pairs} == {("M1", "E1"), ("M2", "E2")}
    assert result.report.matched == 2  # most matched first, even at a lower total


def test_stable_scores_give_up_total_for_stability() -> None:
    rows = [("M1", "E1", 10), ("M1", "E2", 9), ("M2", "E1", 9), ("M2", "E2", 1)]
    optimal = match_scores(rows, {"M1": 1, "M2": 1})
    stable = match_scores(rows, {"M1": 1, "M2": 1}, stable=True)
    assert optimal.report.total_fit == 18 and optimal.report.blocking_pairs == 1
    assert stable.report.total_fit == 11 and stable.report.blocking_pairs == 0
    assert stable.report.fit_given_up == 7


def test_lock_must_be_an_allowed_pair() -> None:
    with pytest.raises(MatchInputError) as caught:
        match_scores([("M1", "E1", 1.0)], {"M1": 1}, locks=[("M1", "E2")])
    assert "not an allowed pair" in str(caught.value)
