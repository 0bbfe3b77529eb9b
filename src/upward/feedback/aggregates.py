"""k-anonymous aggregates: every published figure rests on at least k distinct people.

Pure Python (no Django), so the rules can be proven by property tests.

Rules, applied to every figure built from check-ins and surveys:

1. **Distinct respondents.** A person who answered several times counts once: their
   answers are averaged first, so nobody weighs more than anyone else and "n" always
   means people.
2. **Primary suppression.** A group with fewer than k respondents shows
   "not enough responses": neither its mean nor its exact count.
3. **Complements.** Publishing a group next to the whole would reveal the rest by
   subtraction, so a group is also suppressed when the others number between 1 and
   k − 1.
4. **Secondary suppression.** In a breakdown (a partition shown with its total), the
   suppressed cells together must hold at least k people, or none: otherwise total
   minus the shown cells gives them away. The smallest shown cells are suppressed
   until that holds.
5. **Changes.** A pre→post change is computed on the people who answered both, and
   follows the same threshold.
6. **Publication in batches.** Answers arrive one at a time, so comparing a report
   before and after one new answer would reveal it. Answers are therefore published
   in batches: a batch closes once it holds answers from at least k distinct people,
   and only closed batches count. Any difference between two reports spans whole
   batches — at least k people.
7. **Breakdowns shown together.** Breakdowns by role, department and topic are cut
   from the same people, so one can be subtracted from another: no combination of the
   figures shown together may rest on fewer than k people (`linked_suppression`, exact
   linear algebra, see `exposure`). Overlapping groups (one person in several topics)
   are handled the same way.
8. **Breakdowns over time.** A batch of k people may hold one person of a small
   department, so breakdowns are not re-cut at every batch: they are released monthly,
   and the change from one release to the next must pass rule 7 on the people who
   changed (`release_suppression`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from scipy import stats

Respondent = Hashable
T = TypeVar("T", bound="dt.datetime")


@dataclass(frozen=True)
class Answer:
    """One answer on a 1–5 scale, with the groups its respondent belongs to."""

    respondent: Respondent
    value: float
    groups: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Figure:
    """A mean over n people with a 95 % confidence interval, or suppressed."""

    label: str
    n: int | None
    mean: float | None
    low: float | None
    high: float | None

    @property
    def suppressed(self) -> bool:
        return self.mean is None


@dataclass(frozen=True)
class Breakdown:
    total: Figure
    cells: tuple[Figure, ...]

    def as_json(self) -> dict[str, object]:
        return {"total": vars(self.total), "cells": [vars(cell) for cell in self.cells]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Breakdown:
        return cls(
            total=Figure(**data["total"]), cells=tuple(Figure(**cell) for cell in data["cells"])
        )


def _hidden(label: str) -> Figure:
    return Figure(label=label, n=None, mean=None, low=None, high=None)


def published_until(stamps: Iterable[tuple[Respondent, T]], *, threshold: int) -> T | None:
    """The time up to which answers are published (rule 6), or None if no batch is closed.

    `stamps` are (respondent, time) of every answer. Batches close in time order as soon
    as they hold answers from `threshold` distinct people; answers after the last closed
    batch wait for the next.
    """
    cut: T | None = None
    batch: set[Respondent] = set()
    for respondent, at in sorted(stamps, key=lambda s: s[1]):
        batch.add(respondent)
        if len(batch) >= max(threshold, 2):
            cut, batch = at, set()
    return cut


def per_person(answers: Iterable[Answer]) -> dict[Respondent, float]:
    """Each respondent's own mean: one voice per person."""
    sums: dict[Respondent, float] = {}
    counts: dict[Respondent, int] = {}
    for answer in answers:
        sums[answer.respondent] = sums.get(answer.respondent, 0.0) + answer.value
        counts[answer.respondent] = counts.get(answer.respondent, 0) + 1
    return {r: sums[r] / counts[r] for r in sums}


@functools.lru_cache(maxsize=4096)
def _t975(degrees: int) -> float:
    """Student's t for a 95 % interval (a report asks for the same few dozen often)."""
    return float(stats.t.ppf(0.975, degrees))


def _figure(label: str, values: Sequence[float]) -> Figure:
    n = len(values)
    array = np.asarray(values, dtype=float)
    mean = float(array.mean())
    if n > 1:
        sd = float(array.std(ddof=1))
        half = _t975(n - 1) * sd / math.sqrt(n)
    else:  # pragma: no cover - never published: n ≥ k ≥ 2
        half = 0.0
    return Figure(label=label, n=n, mean=round(mean, 3), low=round(mean - half, 3),
                  high=round(mean + half, 3))  # fmt: skip


def summarise(answers: Iterable[Answer], *, threshold: int, label: str = "All") -> Figure:
    """The mean of everyone's answers, if at least `threshold` people gave them."""
    return mean_of(list(per_person(answers).values()), threshold=threshold, label=label)


def mean_of(values: Sequence[float], *, threshold: int, label: str = "All") -> Figure:
    """The mean of per-person `values` (one each), if there are at least `threshold`."""
    if len(values) < max(threshold, 2):
        return _hidden(label)
    return _figure(label, list(values))


def breakdown(answers: Iterable[Answer], *, by: str, threshold: int) -> Breakdown:
    """The total and one figure per value of group `by`, suppressed as the rules require.

    A respondent is placed by the group of their first answer (groups describe people,
    not answers).
    """
    answers = list(answers)
    means = per_person(answers)
    group_of: dict[Respondent, str] = {}
    for answer in answers:
        group_of.setdefault(answer.respondent, (answer.groups or {}).get(by, "unknown"))
    total_n = len(means)
    k = max(threshold, 2)
    if total_n < k:
        return Breakdown(total=_hidden("All"), cells=())
    members: dict[str, list[float]] = {}
    for respondent, value in means.items():
        members.setdefault(group_of[respondent], []).append(value)
    labels = sorted(members)
    hidden = _partition_hidden({label: len(members[label]) for label in labels}, total_n, k)
    cells = tuple(
        _hidden(label) if label in hidden else _figure(label, members[label]) for label in labels
    )
    return Breakdown(total=_figure("All", list(means.values())), cells=cells)


def paired_change(
    before: Iterable[Answer], after: Iterable[Answer], *, threshold: int, label: str = "Change"
) -> Figure:
    """Mean change after − before over the people who answered both (a paired design)."""
    pre, post = per_person(before), per_person(after)
    both = sorted(pre.keys() & post.keys(), key=repr)
    if len(both) < max(threshold, 2):
        return _hidden(label)
    return _figure(label, [post[r] - pre[r] for r in both])


# ----------------------------------------------------------------------------------
# Several breakdowns of one figure, shown together (rules 7 and 8).
#
# Published means, counts and confidence intervals are, for an attacker, linear
# statistics of the people in each cell: mean × n gives the sum, the interval gives the
# sum of squares. Any combination of published cells (plus and minus, with weights) is
# again such a statistic over the people where the combination is not zero — its
# *support*. Rule 7 asks that every non-zero combination of the figures shown together
# has a support of at least k people, or none; rule 8 asks the same of the changes from
# one release of a report to the next.
#
# People with the same shown cells (a *class*) are indistinguishable to any combination,
# so the question is about classes: could a combination be zero on every class except a
# few that together hold fewer than k people? Classes of k or more people can never be
# left out, so only the small classes matter; `exposure` decides it exactly by linear
# algebra (a bounded search over the small classes), and says "undecided" rather than
# guess when the search grows too large — the caller then hides more.
# ----------------------------------------------------------------------------------

#: A cell of a breakdown: (dimension, group), e.g. ("department", "Finance").
Cell = tuple[str, str]
#: The groups a person belongs to: one label per dimension, or several (overlapping).
Groups = Mapping[str, "str | Collection[str]"]
#: Nodes the exact search may visit before it gives up and reports "undecided".
SEARCH_BUDGET = 20_000
_TOLERANCE = 1e-9


def cells_of(groups: Groups) -> frozenset[Cell]:
    """The cells one person belongs to."""
    out: set[Cell] = set()
    for dimension, labels in groups.items():
        if isinstance(labels, str):
            out.add((dimension, labels))
        else:
            out.update((dimension, label) for label in labels)
    return frozenset(out)


@dataclass(frozen=True)
class Exposure:
    """A combination of shown figures resting on 1 to k − 1 people (or a search too large
    to finish: `classes` is then empty and `decided` false)."""

    classes: tuple[frozenset[Cell], ...]
    people: int
    decided: bool = True


def _basis(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal columns spanning the column space of `matrix`."""
    if matrix.size == 0:
        return np.zeros((matrix.shape[0], 0))
    u, s, _ = np.linalg.svd(matrix, full_matrices=False)
    return u[:, s > _TOLERANCE * max(matrix.shape) * max(float(s[0]), 1.0)]


class _Undecided(Exception):
    pass


#: People by the cells they belong to: how many people share each set of cells.
Profile = Counter[frozenset[Cell]]


def profile_of(
    people: Mapping[Respondent, frozenset[Cell]], only: Iterable[Respondent] | None = None
) -> Profile:
    """How many of `people` (or of those in `only`) share each set of cells."""
    if only is None:
        return Counter(people.values())
    return Counter(people[r] for r in only)


def _classes(
    profile: Profile, cells: Sequence[Cell]
) -> tuple[np.ndarray, list[int], list[frozenset[Cell]]]:
    """People grouped by the `cells` they are in: the membership matrix (row 0 the total,
    then one row per cell; one column per class), the classes' sizes and signatures."""
    row_of = {cell: 1 + i for i, cell in enumerate(cells)}
    kept = frozenset(cells)
    weights: Profile = Counter()
    for mine, n in profile.items():
        weights[mine if mine <= kept else mine & kept] += n
    # Heaviest first (the search binds sooner); ties keep their (deterministic) order.
    signatures = sorted(weights, key=weights.__getitem__, reverse=True)
    matrix = np.zeros((1 + len(cells), len(signatures)))
    matrix[0, :] = 1.0
    where = [(row_of[cell], j) for j, signature in enumerate(signatures) for cell in signature]
    if where:
        matrix[tuple(np.array(where).T)] = 1.0
    return matrix, [weights[s] for s in signatures], signatures


def exposure(
    people: Mapping[Respondent, frozenset[Cell]], shown: Collection[Cell], *, threshold: int
) -> Exposure | None:
    """A combination of the total and the `shown` cells of `people` that rests on fewer
    than `threshold` people, or None when there is none."""
    return _exposure(profile_of(people), shown, max(threshold, 2))


def _exposure(profile: Profile, shown: Collection[Cell], k: int) -> Exposure | None:
    matrix, sizes, signatures = _classes(profile, sorted(set(shown)))
    return _exposed(matrix, sizes, signatures, k)


def _exposed(
    rows: np.ndarray, sizes: list[int], signatures: list[frozenset[Cell]], k: int
) -> Exposure | None:
    """Whether some combination of `rows` (published figures as weights on classes of
    people, one column per class) is non-zero on 1 to k − 1 people only.

    A combination leaving out every class but a set T exists exactly when the columns
    outside T span less than all the columns do. Classes of at least k people are
    never in T, so the search projects them out and looks, among the small classes
    only, for a T under k people whose removal lowers the rank.
    """
    size = np.array(sizes)
    small = [j for j in range(len(sizes)) if sizes[j] < k]
    if not small or rows.size == 0:
        return None
    rest = rows[:, small]
    big = _basis(rows[:, size >= k])
    if big.shape[1]:
        rest = rest - big @ (big.T @ rest)
    span = _basis(rest)
    if span.shape[1] == 0:
        return None
    try:
        found = _lowering_set(span.T @ rest, [sizes[j] for j in small], k)
    except _Undecided:
        return Exposure(classes=(), people=0, decided=False)
    if found is None:
        return None
    return Exposure(
        classes=tuple(signatures[small[i]] for i in found),
        people=sum(sizes[small[i]] for i in found),
    )


def _lowering_set(columns: np.ndarray, weights: list[int], k: int) -> list[int] | None:
    """Indices of columns, of total weight under k, whose removal leaves the others
    spanning less than all of them do (full rank: `columns` has d independent rows).

    Depth-first over the columns: a column already in the span of those kept costs
    nothing; any other is either kept (the span grows, and must stay below d) or put in
    the set (its weight counts). Heavier columns first, so the budget binds early.
    """
    d = columns.shape[0]
    order = sorted(range(columns.shape[1]), key=lambda j: -weights[j])
    budget = [SEARCH_BUDGET]

    def in_span(vector: np.ndarray, basis: np.ndarray) -> bool:
        residual = vector - basis @ (basis.T @ vector) if basis.shape[1] else vector
        return bool(np.linalg.norm(residual) <= 1e-7 * max(1.0, float(np.linalg.norm(vector))))

    def extend(basis: np.ndarray, vector: np.ndarray) -> np.ndarray:
        residual = vector - basis @ (basis.T @ vector) if basis.shape[1] else vector
        return np.column_stack([basis, residual / np.linalg.norm(residual)])

    def search(
        position: int, basis: np.ndarray, weight: int, chosen: list[int]
    ) -> list[int] | None:
        budget[0] -= 1
        if budget[0] < 0:
            raise _Undecided
        while position < len(order) and in_span(columns[:, order[position]], basis):
            position += 1
        if position == len(order):
            return chosen  # the kept columns span less than d: `chosen` is a leak
        j = order[position]
        if weight + weights[j] < k:
            found = search(position + 1, basis, weight + weights[j], [*chosen, j])
            if found is not None:
                return found
        if basis.shape[1] + 1 < d:
            return search(position + 1, extend(basis, columns[:, j]), weight, chosen)
        return None

    return search(0, np.zeros((d, 0)), 0, [])


def _partition_hidden(
    sizes: Mapping[str, int], total: int, k: int, already: Collection[str] = ()
) -> set[str]:
    """Rules 2–4 for one partition: primary, complement and secondary suppression
    (`already` hidden cells count towards the secondary rule)."""
    labels = sorted(sizes)
    hidden = {label for label in labels if sizes[label] < k} | set(already)
    # Complements: the rest of the program must be 0 or at least k people too.
    hidden |= {label for label in labels if 0 < total - sizes[label] < k}
    # Secondary suppression: the hidden cells together hold 0 or at least k people.
    while 0 < sum(sizes[label] for label in hidden) < k:
        shown = sorted((sizes[label], label) for label in labels if label not in hidden)
        if not shown:  # pragma: no cover - the total has at least k people
            break
        hidden.add(shown[0][1])
    return hidden


def linked_suppression(
    people: Mapping[Respondent, frozenset[Cell]],
    *,
    dimensions: Sequence[str],
    threshold: int,
    allowed: Collection[Cell] | None = None,
) -> frozenset[Cell]:
    """The cells that may be shown together with the total (rule 7).

    First each dimension on its own: rules 2–4 when it is a partition (everyone in
    exactly one of its groups); primary and complement suppression when groups overlap.
    Then, while `exposure` finds a combination across dimensions resting on fewer than
    k people (or cannot decide), one more cell is hidden: among those the exposed
    people belong to, from the last dimension first (the first is the most wanted),
    smallest first. Hiding only removes figures, so it never creates an exposure, and
    with every cell hidden only the total (≥ k people) is left: the loop ends.
    """
    return _linked(profile_of(people), dimensions, max(threshold, 2), allowed)


def _linked(
    profile: Profile, dimensions: Sequence[str], k: int, allowed: Collection[Cell] | None
) -> frozenset[Cell]:
    total = sum(profile.values())
    if total < k:
        return frozenset()
    size: Counter[Cell] = Counter()
    overlapping: set[str] = set()  # dimensions where someone is in 0 or several groups
    for cells, n in profile.items():
        overlapping |= _not_one_group(cells, tuple(dimensions))
        for cell in cells:
            size[cell] += n
    shown: set[Cell] = set()
    for dimension in dimensions:
        mine = {c[1]: size[c] for c in size if c[0] == dimension}
        barred = {g for g in mine if allowed is not None and (dimension, g) not in allowed}
        if dimension not in overlapping:
            hidden = _partition_hidden(mine, total, k, barred)
        else:
            hidden = barred | {g for g, n in mine.items() if n < k or 0 < total - n < k}
        shown |= {(dimension, g) for g in mine if g not in hidden}
    while (found := _exposure(profile, shown, k)) is not None:
        _hide(shown, shown, found, dimensions, size)
    return frozenset(shown)


@functools.lru_cache(maxsize=65536)
def _not_one_group(cells: frozenset[Cell], dimensions: tuple[str, ...]) -> frozenset[str]:
    """The dimensions in which someone with these cells is in no group, or in several."""
    per_dimension = Counter(c[0] for c in cells)
    return frozenset(d for d in dimensions if per_dimension[d] != 1)


def _hide(
    shown: set[Cell],
    pool: Collection[Cell],
    found: Exposure,
    dimensions: Sequence[str],
    size: Mapping[Cell, int],
) -> None:
    """Hide one cell of `pool` against `found`: one the exposed people are in if any,
    from the last dimension first (the first is the most wanted), smallest first."""
    rank = {dimension: i for i, dimension in enumerate(dimensions)}
    touched = {c for signature in found.classes for c in signature} & set(pool)
    shown.remove(min(touched or pool, key=lambda c: (-rank[c[0]], size.get(c, 0), c[1])))


# ----------------------------------------------------------------------------------
# Releases: a breakdown shown again and again (rule 8).
# ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One release of a report: everyone it counts, and who changed since the last one
    (as profiles: how many people share each set of cells)."""

    population: Profile
    changed: Profile

    @classmethod
    def of(
        cls, people: Mapping[Respondent, frozenset[Cell]], changed: Iterable[Respondent]
    ) -> Step:
        return cls(population=profile_of(people), changed=profile_of(people, changed))


def release_exposure(
    steps: Sequence[Step], plans: Sequence[Collection[Cell]], *, threshold: int, since: int = 0
) -> tuple[int, Exposure] | None:
    """A combination of figures across releases (`plans[s]`: the cells shown at release
    s, with the total) that rests on fewer than k people, as (release, exposure).

    The people who changed at release s (`steps[s].changed`) carry one unknown each —
    their change — independent of every other release's; a figure of cell C at release
    r is the sum of C's changes over releases ≤ r. Any non-zero combination therefore
    has a last release whose part is non-zero, and rests on at least k people if that
    part does. So for each release t, from the last down: the parts at t of all
    combinations that vanish after t must be k-safe (`_exposed`). Which combinations
    vanish after t depends only on their weight per cell (a cell's figures at
    different releases all hold its changes at t alike), so the recursion runs on
    weights per cell: Y_t = what release t shows plus Z_t, the combinations from later
    releases that vanished there. Releases before `since` are not re-checked (they
    passed before, and nothing shown later reaches them: see `release_suppression`).
    """
    k = max(threshold, 2)
    universe = sorted({cell for plan in plans for cell in plan})
    index = {cell: 1 + i for i, cell in enumerate(universe)}
    carried = np.zeros((0, 1 + len(universe)))  # Z: weights per (total, cell)
    for t in range(len(plans) - 1, since - 1, -1):
        own = np.zeros((1 + len(plans[t]), 1 + len(universe)))
        own[0, 0] = 1.0
        for i, cell in enumerate(sorted(plans[t])):
            own[1 + i, index[cell]] = 1.0
        weights = _basis(np.vstack([carried, own]).T).T  # Y_t, orthonormal rows
        membership, sizes, signatures = _classes(steps[t].changed, universe)
        parts = weights @ membership
        found = _exposed(parts, sizes, signatures, k)
        if found is not None:
            return t, found
        moving = _basis(parts)
        vanish = _basis(np.eye(parts.shape[0]) - moving @ moving.T)
        carried = vanish.T @ weights
    return None


def release_suppression(
    steps: Sequence[Step], *, dimensions: Sequence[str], threshold: int
) -> list[frozenset[Cell]]:
    """The cells shown at each release, so that no combination of figures across all
    releases rests on fewer than k people (`release_exposure`).

    Each release starts from `linked_suppression` of its own population and hides
    cells while the history is exposed: a cell already shown last time can only be
    exposed at this release (its earlier parts were shown then), so it is hidden only
    for this release's part; a cell shown for the first time carries all its earlier
    changes in one figure, so the whole history is checked and the new cells are the
    ones hidden. A cell shown, then hidden, is retired for good: showing it again would
    publish its changes over the months it was hidden in one figure, next to figures
    that show them month by month.
    """
    k = max(threshold, 2)
    retired: set[Cell] = set()
    plans: list[frozenset[Cell]] = []
    for s, step in enumerate(steps):
        everyone = {c for cells in step.population for c in cells}
        shown = set(_linked(step.population, dimensions, k, everyone - retired))
        before = plans[-1] if plans else frozenset()
        size: Counter[Cell] = Counter()
        for cells, n in step.changed.items():
            for cell in cells:
                size[cell] += n
        while True:
            new = shown - before
            found = release_exposure(
                steps[: s + 1], [*plans, frozenset(shown)], threshold=k, since=0 if new else s
            )
            if found is None:
                break
            at, exposed = found
            pool = shown if at == s else new
            if not pool:  # pragma: no cover - releases hold at least k changes
                break
            _hide(shown, pool, exposed, dimensions, size)
        retired |= before - shown
        plans.append(frozenset(shown))
    return plans


def breakdowns(
    means: Mapping[Respondent, float],
    people: Mapping[Respondent, frozenset[Cell]],
    *,
    dimensions: Sequence[str],
    shown: Collection[Cell],
    threshold: int,
) -> dict[str, Breakdown]:
    """One `Breakdown` per dimension of per-person `means`, showing only `shown` cells
    (from `linked_suppression` or `release_suppression`), every other cell hidden."""
    k = max(threshold, 2)
    values = [means[r] for r in people if r in means]
    total = _figure("All", values) if len(values) >= k else _hidden("All")
    members: dict[Cell, list[float]] = {}
    for respondent, cells in people.items():
        if respondent in means:
            for cell in cells:
                members.setdefault(cell, []).append(means[respondent])
    out: dict[str, Breakdown] = {}
    for dimension in dimensions:
        labels = sorted(g for d, g in members if d == dimension)
        out[dimension] = Breakdown(
            total=total,
            cells=tuple(
                _figure(g, members[(dimension, g)])
                if (dimension, g) in shown and not total.suppressed
                else _hidden(g)
                for g in labels
            ),
        )
    return out


def batch_ends(
    respondents: Sequence[Respondent] | np.ndarray,
    instants: Sequence[object] | np.ndarray,
    *,
    threshold: int,
) -> list[int]:
    """Where each closed batch ends in answers sorted by time (who answered, when): the
    index after the last answer it publishes, the answers at its closing instant
    included — the cuts `published_until` would have returned after each answer, as
    positions.

    A year of check-ins holds some 40,000 batches, so the scan is prepared in numpy:
    whether the k answers from each position come from k people (the usual batch), and
    where each run of equal instants ends; the loop then jumps batch by batch.
    """
    k = max(threshold, 2)
    size = len(respondents)
    if size == 0:
        return []
    _, who = np.unique(np.asarray(respondents), return_inverse=True)
    who = who.reshape(-1)
    # previous[j]: the last position before j with the same respondent (-1: none).
    order = np.argsort(who, kind="stable")
    previous = np.full(size, -1, dtype=np.int64)
    same = who[order[1:]] == who[order[:-1]]
    previous[order[1:][same]] = order[:-1][same]
    # The k answers from i come from k people when none repeats one after i.
    distinct = [False] * size
    if size >= k:
        latest = np.lib.stride_tricks.sliding_window_view(previous[1:], k - 1).max(axis=1)
        distinct[: size - k + 1] = (latest < np.arange(size - k + 1)).tolist()
    moments = np.asarray(instants)
    change = np.flatnonzero(moments[1:] != moments[:-1]) + 1
    run_end = np.append(change, size)[np.searchsorted(change, np.arange(size), side="right")]
    ends: list[int] = []
    who_at, run_end_at = who.tolist(), run_end.tolist()
    batch: set[int] = set()
    instant_end = 0  # the index after the last answer at the instant last looked at
    i = 0
    while i < size:
        if not batch and distinct[i]:
            i += k - 1  # the usual case: k answers from k people close a batch at once
        else:
            batch.add(who_at[i])
            if len(batch) < k:
                i += 1
                continue
        batch.clear()
        if i >= instant_end:
            instant_end = run_end_at[i]
        if not ends or instant_end > ends[-1]:
            ends.append(instant_end)
        i += 1
    return ends
