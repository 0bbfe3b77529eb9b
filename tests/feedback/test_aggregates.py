"""No combination of published figures reveals a group smaller than the threshold."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.feedback.aggregates import (
    Answer,
    Cell,
    Step,
    batch_ends,
    breakdown,
    cells_of,
    exposure,
    linked_suppression,
    paired_change,
    per_person,
    published_until,
    release_exposure,
    release_suppression,
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


# --- Breakdowns shown together, and released over time (rules 7 and 8) -------------


def _rank(matrix: np.ndarray) -> int:
    return 0 if matrix.size == 0 else int(np.linalg.matrix_rank(matrix))


def _isolated(columns: list[object], rows: list[list[float]], owner: list[object], k: int):  # type: ignore[no-untyped-def]
    """By brute force: a set of fewer than k people (owners of columns) on whom alone some
    combination of `rows` is non-zero, or None."""
    matrix = np.array(rows)
    full = _rank(matrix)
    people = sorted(set(owner), key=repr)
    for size in range(1, k):
        for group in itertools.combinations(people, size):
            keep = [j for j in range(len(columns)) if owner[j] not in group]
            if _rank(matrix[:, keep]) < full:
                return group
    return None


def _static_leak(people: dict[int, frozenset[Cell]], shown: frozenset[Cell], k: int):  # type: ignore[no-untyped-def]
    order = sorted(people)
    rows = [[1.0] * len(order)]
    rows += [[1.0 if cell in people[p] else 0.0 for p in order] for cell in sorted(shown)]
    return _isolated(list(order), rows, list(order), k)


groups = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["mentor", "mentee"]),
        "department": st.sampled_from("ABC"),
        "topic": st.frozensets(st.sampled_from("xyz"), max_size=2),
    }
)


def test_a_difference_between_a_department_and_a_topic_is_caught() -> None:
    """Department A and topic x share five people; A adds p, x adds q. A − x = p − q:
    two people, so one of the two cells must go."""
    people = {i: cells_of({"department": "A", "topic": ["x"]}) for i in range(5)}
    people[5] = cells_of({"department": "A", "topic": []})  # p
    people[6] = cells_of({"department": "B", "topic": ["x"]})  # q
    people |= {i: cells_of({"department": "B", "topic": []}) for i in range(7, 13)}
    both = {("department", "A"), ("topic", "x")}
    found = exposure(people, both, threshold=K)
    assert found is not None and found.people == 2
    shown = linked_suppression(people, dimensions=("department", "topic"), threshold=K)
    assert not both <= shown and exposure(people, shown, threshold=K) is None


@settings(max_examples=120, deadline=None)
@given(st.lists(groups, max_size=11), st.integers(2, 4))
def test_no_combination_of_breakdowns_isolates_fewer_than_k_people(members, k) -> None:  # type: ignore[no-untyped-def]
    """Role, department and (overlapping) topic shown together: no sum and difference of
    the shown figures rests on 1 to k − 1 people — checked by brute force."""
    people = {i: cells_of(g) for i, g in enumerate(members)}
    shown = linked_suppression(people, dimensions=("role", "department", "topic"), threshold=k)
    if len(people) < k:
        assert shown == frozenset()
        return
    assert _static_leak(people, shown, k) is None


@settings(max_examples=120, deadline=None)
@given(st.lists(groups, min_size=2, max_size=10), st.integers(2, 4), st.randoms())
def test_exposure_finds_exactly_the_combinations_brute_force_finds(members, k, rng) -> None:  # type: ignore[no-untyped-def]
    people = {i: cells_of(g) for i, g in enumerate(members)}
    cells = sorted({c for mine in people.values() for c in mine})
    shown = frozenset(c for c in cells if rng.random() < 0.6)
    found = exposure(people, shown, threshold=k)
    assert (found is None) == (_static_leak(people, shown, k) is None)


def _temporal_leak(history: list[tuple[dict[int, frozenset[Cell]], set[int]]], plans, k):  # type: ignore[no-untyped-def]
    """Brute force over every figure of every release: one unknown per person and release
    they changed at; a figure of cell C at release r sums C's unknowns up to r."""
    units = [(p, t) for t, (_, changed) in enumerate(history) for p in sorted(changed)]
    rows = []
    for r, plan in enumerate(plans):
        people = history[r][0]
        rows.append([1.0 if t <= r else 0.0 for _, t in units])
        rows += [
            [1.0 if t <= r and c in people[p] else 0.0 for p, t in units] for c in sorted(plan)
        ]
    return _isolated(units, rows, [p for p, _ in units], k)


@pytest.mark.parametrize("seed", range(4))
def test_no_combination_across_releases_isolates_fewer_than_k_people(seed: int) -> None:
    """Breakdowns released again and again as people answer (100 random histories per
    seed): no combination of any figures of any releases rests on 1 to k − 1 people —
    checked by brute force."""
    rng = random.Random(seed)
    for _ in range(100):
        k = rng.randint(2, 3)
        cells = {
            i: cells_of({"role": rng.choice("ab"), "department": rng.choice("AB"),
                         "topic": rng.sample("xyz", rng.randint(0, 2))})
            for i in range(9)
        }  # fmt: skip
        history: list[tuple[dict[int, frozenset[Cell]], set[int]]] = []
        seen: set[int] = set()
        for _ in range(rng.randint(1, 4)):
            changed = set(rng.sample(range(9), rng.randint(k, 7)))
            seen |= changed
            history.append(({p: cells[p] for p in seen}, changed))
        steps = [Step.of(people, changed) for people, changed in history]
        plans = release_suppression(steps, dimensions=("role", "department", "topic"), threshold=k)
        assert _temporal_leak(history, plans, k) is None, (k, cells, history, plans)


def test_a_department_shown_for_the_first_time_cannot_reveal_its_past() -> None:
    """First release: Finance has five people, Sales one — both hidden (Finance would
    give away Sales as the rest of the total). Next month five new people answer, all in
    Sales. Finance did not move, so showing it now would show its first figure after
    all: first total − Finance = the lone Sales person's first answer."""
    first = {i: cells_of({"department": "Finance"}) for i in range(5)}
    first[5] = cells_of({"department": "Sales"})
    second = first | {i: cells_of({"department": "Sales"}) for i in range(6, 11)}
    steps = [Step.of(first, first), Step.of(second, range(6, 11))]
    finance = ("department", "Finance")
    assert linked_suppression(second, dimensions=("department",), threshold=K) >= {finance}
    assert release_exposure(steps, [frozenset(), frozenset({finance})], threshold=K) is not None
    plans = release_suppression(steps, dimensions=("department",), threshold=K)
    assert plans == [frozenset(), frozenset()]


def test_a_group_hidden_once_is_not_shown_again() -> None:
    """A group that had to be hidden is retired: shown again later, its figure would
    carry the months it was hidden in one sum, next to month-by-month totals."""
    people = {i: cells_of({"department": "A" if i < 6 else "B"}) for i in range(12)}
    steps = [
        Step.of(people, range(12)),  # everyone: both shown
        Step.of(people, [0, 1, 2, 3, 4, 6]),  # one person of B changed: B must hide
        Step.of(people, range(12)),  # everyone again
    ]
    plans = release_suppression(steps, dimensions=("department",), threshold=K)
    assert ("department", "B") in plans[0]
    assert ("department", "B") not in plans[1] and ("department", "B") not in plans[2]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=60), st.integers(2, 6), st.integers(1, 3))
def test_batch_ends_are_the_published_cuts(people, k, spread) -> None:  # type: ignore[no-untyped-def]
    """`batch_ends` returns, as positions, the cuts `published_until` gives after each
    answer (answers at the same instant published together)."""
    base = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    stamps = [(p, base + dt.timedelta(minutes=i // spread)) for i, p in enumerate(people)]
    cuts = sorted(
        {c for n in range(len(stamps) + 1) if (c := published_until(stamps[:n], threshold=k))}
    )
    ends = batch_ends([p for p, _ in stamps], [at for _, at in stamps], threshold=k)
    assert [stamps[e - 1][1] for e in ends] == cuts
    assert all(e == len(stamps) or stamps[e][1] > stamps[e - 1][1] for e in ends)
