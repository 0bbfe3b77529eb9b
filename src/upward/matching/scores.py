"""Bring your own scores: the same objective and report on a coordinator's own numbers.

`scores` lists allowed pairs with a score each (a pair without a row is not
allowed); capacities come from the mentors file or one number for everyone.
The objective is unchanged — most mentees matched, then the highest total
score — and every allowed pair is in the graph, so the solution is exact.
Scores are compared in millionths (they are rounded to 6 decimals first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from upward.matching.model import (
    FIT_SCALE,
    InputIssue,
    MatchInputError,
    MatchReport,
    MatchResult,
    OptimalityCertificate,
    Pair,
    Unmatched,
)
from upward.matching.solver import greedy_stable, solve_optimal

IntArray = npt.NDArray[np.int64]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _blocking(
    mate: IntArray,
    locked: npt.NDArray[np.bool_],
    capacity: IntArray,
    e: IntArray,
    m: IntArray,
    w: IntArray,
) -> int:
    """Allowed pairs whose mentee and mentor both prefer each other (strictly) to what they got."""
    n_e = mate.size
    own = np.full(n_e, np.iinfo(np.int64).min, dtype=np.int64)
    is_own = mate[e] == m
    own[e[is_own]] = w[is_own]
    load = np.bincount(mate[mate >= 0], minlength=capacity.size)
    bar = np.full(capacity.size, np.iinfo(np.int64).max, dtype=np.int64)
    held = np.flatnonzero((mate >= 0) & ~locked)
    np.minimum.at(bar, mate[held], own[held])
    bar[load < capacity] = np.iinfo(np.int64).min
    return int(((~locked[e]) & (w > own[e]) & (w > bar[m])).sum())


def match_scores(
    scores: Sequence[tuple[str, str, float]],
    capacities: Mapping[str, int],
    *,
    locks: Sequence[tuple[str, str]] = (),
    blocks: frozenset[tuple[str, str]] = frozenset(),
    min_score: float | None = None,
    stable: bool = False,
) -> MatchResult:
    """Pair mentees with mentors on given (mentor_id, mentee_id, score) rows.

    `capacities` covers every mentor id in the scores. Raises `MatchInputError`
    for locks that are not allowed pairs, over capacity, or doubled.
    """
    mentor_ids = sorted(set(capacities) | {s[0] for s in scores})
    mentee_ids = sorted({s[1] for s in scores} | {lock[1] for lock in locks})
    mentor_of = {pid: j for j, pid in enumerate(mentor_ids)}
    mentee_of = {pid: i for i, pid in enumerate(mentee_ids)}
    issues: list[InputIssue] = []
    missing = sorted(pid for pid in mentor_ids if pid not in capacities)
    issues.extend(
        InputIssue("mentor has no capacity (not in the mentors file)", "mentor", pid, "mentor_id")
        for pid in missing
    )
    capacity = np.array([capacities.get(pid, 0) for pid in mentor_ids], dtype=np.int64)
    kept = [
        (mentee_of[b], mentor_of[a], round(score * FIT_SCALE))
        for a, b, score in scores
        if (a, b) not in blocks and (min_score is None or score >= min_score)
    ]
    e = np.array([k[0] for k in kept], dtype=np.int64)
    m = np.array([k[1] for k in kept], dtype=np.int64)
    w = np.array([k[2] for k in kept], dtype=np.int64)
    allowed = {(int(a), int(b)): int(c) for a, b, c in zip(e, m, w, strict=True)}
    locked_mate = np.full(len(mentee_ids), -1, dtype=np.int64)
    for mentor_id, mentee_id in locks:
        label = f"lock {mentor_id}:{mentee_id}"
        if mentor_id not in mentor_of:
            issues.append(InputIssue(f"{label}: unknown mentor id"))
            continue
        i, j = mentee_of[mentee_id], mentor_of[mentor_id]
        if (mentor_id, mentee_id) in blocks:
            issues.append(InputIssue(f"{label} is also blocked", "mentee", mentee_id, "mentee_id"))
        elif (i, j) not in allowed:
            issues.append(
                InputIssue(
                    f"{label} is not an allowed pair (no row in the scores file, or below "
                    "the minimum score)",
                    "mentee",
                    mentee_id,
                    "mentee_id",
                )
            )
        elif locked_mate[i] >= 0 and locked_mate[i] != j:
            issues.append(
                InputIssue(
                    f"mentee {mentee_id} is locked to two mentors", "mentee", mentee_id, "mentee_id"
                )
            )
        else:
            locked_mate[i] = j
    locked = locked_mate >= 0
    load = np.bincount(locked_mate[locked], minlength=len(mentor_ids))
    for j in np.flatnonzero(load > capacity).tolist():
        issues.append(
            InputIssue(
                f"mentor {mentor_ids[j]} has {load[j]} locked mentees but capacity {capacity[j]}",
                "mentor",
                mentor_ids[j],
                "capacity",
            )
        )
    if issues:
        raise MatchInputError(issues)

    room = capacity - load
    free = ~locked[e] if e.size else np.zeros(0, dtype=bool)
    mate = solve_optimal(len(mentee_ids), len(mentor_ids), room, e[free], m[free], w[free])
    mate = np.where(locked, locked_mate, mate)
    optimum_matched = optimum_total = None
    if stable:
        optimum_matched = int((mate >= 0).sum())
        optimum_total = sum(allowed[(i, int(mate[i]))] for i in np.flatnonzero(mate >= 0).tolist())
        top = int(w.max()) if w.size else 0
        mate = greedy_stable(
            len(mentee_ids), capacity, e[free], m[free], w[free], top, preassigned=locked_mate
        )
    blocking = _blocking(mate, locked, capacity, e, m, w)

    # Each mentee's allowed mentors, best first, for ranks and alternatives.
    order = np.lexsort((m, -w, e))
    per_mentee: dict[int, list[tuple[int, int]]] = {}
    for i, j, value in zip(e[order].tolist(), m[order].tolist(), w[order].tolist(), strict=True):
        per_mentee.setdefault(i, []).append((j, value))
    holders: dict[int, list[int]] = {}
    for i in np.flatnonzero(mate >= 0).tolist():
        holders.setdefault(int(mate[i]), []).append(i)
    pairs: list[Pair] = []
    for i in np.flatnonzero(mate >= 0).tolist():
        j = int(mate[i])
        options = per_mentee[i]
        rank = next(r for r, (jj, _) in enumerate(options, 1) if jj == j)
        value = allowed[(i, j)]
        reasons = (
            f"score {value / FIT_SCALE:g} from the scores file; the mentee's {_ordinal(rank)} "
            f"choice of {len(options)} allowed mentor{'s' if len(options) != 1 else ''}"
        )
        if locked[i]:
            reasons = "locked by the coordinator; " + reasons
        pairs.append(
            Pair(mentor_ids[j], mentee_ids[i], value / FIT_SCALE, reasons, bool(locked[i]))
        )
    pairs.sort(key=lambda p: (p.mentor_id, p.mentee_id))
    unmatched: list[Unmatched] = []
    for i in np.flatnonzero(mate < 0).tolist():
        options = per_mentee.get(i, [])
        if not options:
            unmatched.append(
                Unmatched(
                    "mentee", mentee_ids[i], "no_eligible", "no allowed mentor in the scores file"
                )
            )
            continue
        j, value = options[0]
        who = ", ".join(mentee_ids[h] for h in holders.get(j, [])) or "nobody"
        unmatched.append(
            Unmatched(
                "mentee",
                mentee_ids[i],
                "lost_to_others",
                f"lost to others: their best allowed mentor {mentor_ids[j]} "
                f"(score {value / FIT_SCALE:g}) is paired with {who}, and every other allowed "
                "mentor is taken too",
                mentor_ids[j],
                value / FIT_SCALE,
            )
        )
    served = np.bincount(mate[mate >= 0], minlength=len(mentor_ids))
    for j in np.flatnonzero((served == 0) & (capacity > 0)).tolist():
        rows = np.flatnonzero(m == j)
        if rows.size == 0:
            unmatched.append(
                Unmatched(
                    "mentor", mentor_ids[j], "no_eligible", "no allowed mentee in the scores file"
                )
            )
            continue
        best = rows[np.lexsort((e[rows], -w[rows]))[0]]
        i = int(e[best])
        partner = int(mate[i])
        where = f"is paired with {mentor_ids[partner]}" if partner >= 0 else "is unmatched"
        unmatched.append(
            Unmatched(
                "mentor",
                mentor_ids[j],
                "not_needed",
                f"not needed: their best allowed mentee {mentee_ids[i]} "
                f"(score {w[best] / FIT_SCALE:g}) {where}",
                mentee_ids[i],
                float(w[best]) / FIT_SCALE,
            )
        )
    values = np.array(
        [allowed[(mentee_of[p.mentee_id], mentor_of[p.mentor_id])] for p in pairs], dtype=np.int64
    )
    total = int(values.sum())
    # Every allowed pair is in the graph, so the flow optimum is the optimum.
    certificate = OptimalityCertificate(
        upper_bound_fit=total / FIT_SCALE,
        gap=0.0,
        relative_gap=0.0,
        cardinality_proven=True,
        pricing_rounds=0,
        priced_pairs=0,
    )
    report = MatchReport(
        mentees=len(mentee_ids),
        mentors=len(mentor_ids),
        capacity=int(capacity.sum()),
        matched=len(pairs),
        locked=int(locked.sum()),
        total_fit=total / FIT_SCALE,
        mean_fit=total / len(pairs) / FIT_SCALE if pairs else None,
        min_fit=int(values.min()) / FIT_SCALE if pairs else None,
        blocking_pairs=blocking,
        unmatched_mentees=int((mate < 0).sum()),
        unmatched_mentors=int(((served == 0) & (capacity > 0)).sum()),
        candidate_pairs=int(e.size),
        stable=stable,
        certificate=certificate if not stable else None,
        optimum_matched=optimum_matched,
        optimum_total_fit=None if optimum_total is None else optimum_total / FIT_SCALE,
        fit_given_up=None if optimum_total is None else (optimum_total - total) / FIT_SCALE,
    )
    return MatchResult(pairs=tuple(pairs), unmatched=tuple(unmatched), report=report)
