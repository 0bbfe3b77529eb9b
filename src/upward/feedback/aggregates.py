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
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

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


def _figure(label: str, values: list[float]) -> Figure:
    n = len(values)
    mean = sum(values) / n
    if n > 1:
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
        half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    else:  # pragma: no cover - never published: n ≥ k ≥ 2
        half = 0.0
    return Figure(label=label, n=n, mean=round(mean, 3), low=round(mean - half, 3),
                  high=round(mean + half, 3))  # fmt: skip


def summarise(answers: Iterable[Answer], *, threshold: int, label: str = "All") -> Figure:
    """The mean of everyone's answers, if at least `threshold` people gave them."""
    values = list(per_person(answers).values())
    if len(values) < max(threshold, 2):
        return _hidden(label)
    return _figure(label, values)


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
    hidden = {label for label in labels if len(members[label]) < k}
    # Complements: the rest of the program must be 0 or at least k people too.
    hidden |= {label for label in labels if 0 < total_n - len(members[label]) < k}
    # Secondary suppression: the hidden cells together hold 0 or at least k people.
    while 0 < sum(len(members[label]) for label in hidden) < k:
        shown = sorted((len(members[label]), label) for label in labels if label not in hidden)
        if not shown:  # pragma: no cover - the total has at least k people
            break
        hidden.add(shown[0][1])
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
