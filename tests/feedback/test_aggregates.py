"""No combination of published figures reveals a group smaller than the threshold."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.feedback.aggregates import (
    Answer,
    breakdown,
    paired_change,
    per_person,
    published_until,
    summarise,
)

K = 5


def answers(rows: list[tuple[int, int, str]]) -> list[Answer]:
    return [Answer(respondent=r, value=v, groups={"dept": d}) for r, v, d in rows]


def test_below_the_threshold_nothing_is_shown() -> None:
    figure = summarise(answers([(i, 4, "A") for i in range(4)]), threshold=K)
    assert figure.suppressed and figure.n is None


def test_at_the_threshold_the_mean_and_interval_are_shown() -> None:
    figure = summarise(answers([(i, v, "A") for i, v in enumerate([3, 4, 5, 4, 4])]), threshold=K)
    assert (figure.n, figure.mean) == (5, 4.0)
    assert figure.low is not None and figure.high is not None and figure.low < 4.0 < figure.high


def test_a_person_who_answers_often_counts_once() -> None:
    rows = [(1, 1, "A")] * 10 + [(i, 5, "A") for i in range(2, 5)]
    assert per_person(answers(rows))[1] == 1
    # 13 answers, but only 4 people: not enough.
    assert summarise(answers(rows), threshold=K).suppressed
    rows.append((5, 5, "A"))
    figure = summarise(answers(rows), threshold=K)
    assert figure.n == 5 and figure.mean == pytest.approx((1 + 4 * 5) / 5, abs=1e-3)


def test_a_small_department_is_hidden_together_with_the_next_smallest() -> None:
    """Total minus the shown cells would otherwise give away the one small cell."""
    rows = [(i, 5, "A") for i in range(6)] + [(10 + i, 3, "B") for i in range(7)]
    rows += [(20, 1, "C")]  # one person alone in C
    result = breakdown(answers(rows), by="dept", threshold=K)
    shown = {c.label: c for c in result.cells}
    assert shown["C"].suppressed and shown["A"].suppressed and not shown["B"].suppressed
    assert result.total.n == 14


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(1, 5), st.sampled_from("ABCD")),
        min_size=0,
        max_size=120,
    ),
    st.integers(3, 8),
)
def test_no_breakdown_isolates_fewer_than_k_people(rows, k) -> None:  # type: ignore[no-untyped-def]
    """Every shown cell, the total, and total − shown cells each rest on ≥ k people."""
    data = answers(rows)
    result = breakdown(data, by="dept", threshold=k)
    people = per_person(data)
    group_of: dict[int, str] = {}
    for r, _, d in rows:
        group_of.setdefault(r, d)
    sizes = {
        label: sum(1 for p in people if group_of[p] == label) for label in set(group_of.values())
    }
    if result.total.suppressed:
        assert len(people) < k and all(c.suppressed for c in result.cells)
        return
    assert result.total.n == len(people) >= k
    for cell in result.cells:
        if not cell.suppressed:
            assert cell.n == sizes[cell.label] >= k
            rest = len(people) - sizes[cell.label]
            assert rest == 0 or rest >= k
    hidden = sum(sizes[c.label] for c in result.cells if c.suppressed)
    assert hidden == 0 or hidden >= k


def test_change_uses_only_people_who_answered_both_times() -> None:
    before = answers([(i, 2, "A") for i in range(7)])
    after = answers([(i, 4, "A") for i in range(3, 10)])  # 4 people in both: below 5
    assert paired_change(before, after, threshold=K).suppressed
    after += answers([(1, 5, "A")])
    change = paired_change(before, after, threshold=K)
    assert change.n == 5 and change.mean == pytest.approx((2 * 4 + 3) / 5, abs=1e-3)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), max_size=60), st.integers(2, 6))
def test_reports_change_only_by_batches_of_k_people(people, k) -> None:  # type: ignore[no-untyped-def]
    """However the answers trickle in, two successive reports differ by ≥ k people's answers."""
    base = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    stamps = [(p, base + dt.timedelta(minutes=i)) for i, p in enumerate(people)]
    cuts = [published_until(stamps[:n], threshold=k) for n in range(len(stamps) + 1)]
    distinct_cuts = sorted({c for c in cuts if c is not None})
    previous = None
    for cut in distinct_cuts:
        batch = {p for p, at in stamps if (previous is None or at > previous) and at <= cut}
        assert len(batch) >= k
        previous = cut
