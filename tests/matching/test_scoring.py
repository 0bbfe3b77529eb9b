"""Fit: the documented weighted sum, computed identically by every code path."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching.brute import instances
from upward.matching.instance import build_instance
from upward.matching.model import FIT_SCALE, FitWeights, MatchRules, Mentee, Mentor
from upward.matching.scoring import Units, fit_parts, fit_units, overlap_minutes


def test_full_coverage_same_zone_different_department_scores_all_but_reciprocity() -> None:
    mentor = Mentor(
        id="M", level=2, department="Data", timezone="Europe/Paris", expertise={"ai": 3, "video": 3}
    )
    mentee = Mentee(
        id="E",
        level=8,
        department="Sales",
        timezone="Europe/Paris",
        interests={"ai": 3, "video": 1},
    )
    parts = fit_parts(mentor, mentee, Units.from_weights(FitWeights()))
    assert 0.9999 < parts.coverage <= 1.0
    assert parts.reciprocity == 0.0
    assert parts.different_department
    assert parts.overlap_hours == 8
    # 0.50 coverage + 0.10 department + 0.25 overlap, each term rounded down to a millionth
    assert 0.85 - 5e-6 <= parts.fit <= 0.85


def test_weights_are_relative_and_fit_stays_within_zero_and_one() -> None:
    mentor = Mentor(id="M", level=2, expertise={"ai": 3}, wants_to_learn={"budget": 2})
    mentee = Mentee(id="E", level=8, interests={"ai": 3}, offers={"budget": 3})
    double = FitWeights(coverage=2, reciprocity=2, department=2, timezone=2)
    single = FitWeights(coverage=1, reciprocity=1, department=1, timezone=1)
    assert fit_units(mentor, mentee, Units.from_weights(double)) == fit_units(
        mentor, mentee, Units.from_weights(single)
    )
    assert 0 <= fit_units(mentor, mentee, Units.from_weights(single)) <= FIT_SCALE


def test_priority_weighs_coverage() -> None:
    units = Units.from_weights(FitWeights(coverage=1, reciprocity=0, department=0, timezone=0))
    mentee = Mentee(id="E", level=8, interests={"ai": 3, "video": 1})
    knows_ai = Mentor(id="A", level=2, expertise={"ai": 3})
    knows_video = Mentor(id="V", level=2, expertise={"video": 3})
    # Per-point units are rounded down, so each covered topic may lose a few millionths.
    assert 750_000 - 3 <= fit_units(knows_ai, mentee, units) <= 750_000
    assert 250_000 - 3 <= fit_units(knows_video, mentee, units) <= 250_000


def test_working_hours_overlap_follows_daylight_saving_time() -> None:
    assert overlap_minutes("Europe/London", "Europe/London") == 480
    # London–New York: 3 h in both halves of the year (both observe DST).
    assert overlap_minutes("Europe/London", "America/New_York") == 180
    # London–Tokyo: 0 h in January (UTC+0 vs +9), 0 h in July (UTC+1 vs +9).
    assert overlap_minutes("Europe/London", "Asia/Tokyo") == 0
    # Overlap is symmetric.
    assert overlap_minutes("Asia/Kolkata", "Europe/Berlin") == overlap_minutes(
        "Europe/Berlin", "Asia/Kolkata"
    )


def test_unknown_department_earns_no_bonus() -> None:
    units = Units.from_weights(FitWeights())
    mentor = Mentor(id="M", level=2, department="")
    mentee = Mentee(id="E", level=8, department="Sales")
    assert not fit_parts(mentor, mentee, units).different_department


@settings(max_examples=40, deadline=None)
@given(instances(), st.sampled_from([FitWeights(), FitWeights(0.2, 0.3, 0.3, 0.2)]))
def test_matrix_product_equals_the_per_pair_reference(case, weights: FitWeights) -> None:  # type: ignore[no-untyped-def]
    mentors, mentees, _, people = case
    instance = build_instance(mentors, mentees, rules=MatchRules(), weights=weights, people=people)
    units = Units.from_weights(weights)
    rows = np.arange(instance.n_mentees)
    cols = np.arange(instance.n_mentors)
    block = instance.block_fits(rows, cols)
    for i, mentee in enumerate(instance.mentees):
        for j, mentor in enumerate(instance.mentors):
            expected = fit_units(mentor, mentee, units)
            assert int(block[i, j]) == expected
            assert int(instance.fits(np.array([i]), np.array([j]))[0]) == expected
