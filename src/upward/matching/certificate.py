"""Proof that a matching is optimal over *all* eligible pairs, not just the candidates.

The solver only sees the sparse candidate graph. Linear-programming duality
closes the gap: give every mentor a price v ≥ 0 and every mentee a share
u ≥ 0 with u(e) + v(m) ≥ W(e, m) for every eligible pair; then no matching
weighs more than Σ u + Σ room · v. With W = B + fit and B larger than any
total fit, the weight counts matched mentees first and fit second, exactly as
the objective does.

`minimal_prices` gives such a dual for the candidate edges. For the pairs left
out, the candidate lists themselves say how good they can be: a pair outside
mentee e's list has fit − p̂(m) ≤ τ(e) (e's k-th best reduced fit under the
estimated prices p̂ the lists were ranked by), and a pair outside mentor m's
list has fit ≤ s(m). So the pair is covered as soon as

    v(m) − p̂(m) ≥ B + τ(e) − u(e)        (prices moved less than e's margin)

which is a comparison between one number per mentor and one per mentee.
Whatever the numbers cannot settle is checked exactly, row by row for the
mentees with the largest requirement and column by column for the mentors
whose price fell most, choosing the cheaper mix. Pairs that would improve the
matching join the graph and the problem is solved again; the lists' bounds stay
valid, so no second pass over all pairs is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from upward.matching.candidates import NO_THRESHOLD
from upward.matching.instance import Instance
from upward.matching.model import FIT_SCALE
from upward.matching.scan import map_both_cores

IntArray = npt.NDArray[np.int64]


def lexicographic_base(n_mentees: int) -> int:
    """B: more than any total fit, so one more matched mentee outweighs all fit."""
    return FIT_SCALE * (n_mentees + 1)


@dataclass
class Violations:
    """Eligible pairs outside the graph that the dual does not cover, with their excess."""

    mentee: IntArray
    mentor: IntArray
    fit: IntArray
    excess: IntArray  # B + fit − u − v > 0
    checked_rows: int
    checked_cols: int
    checked_pairs: int


def check(
    instance: Instance,
    *,
    mentees: IntArray,
    mentors: IntArray,
    u: IntArray,
    v: IntArray,
    base: int,
    mentee_threshold: IntArray,
    mentor_threshold: IntArray,
    prices: IntArray,
    complete: bool,
    margin: int = 0,
) -> Violations:
    """Every eligible pair of the residual problem (mentees × mentors) against the dual.

    A pair outside the graph is covered when v(m) − p̂(m) ≥ B + τ(e) − u(e) (the
    mentee's list bound) or u(e) ≥ B + s(m) − v(m) (the mentor's). Mentors are
    sorted by the first margin, so the pairs the first test cannot settle form a
    staircase — a prefix of that order per mentee — and only the staircase is
    scored, block by block, with the second test as a mask. Scored pairs within
    `margin` of violating are returned too (with excess ≤ 0): adding them to the
    graph saves later rounds. The tests themselves never use the margin, so
    every pair not returned with a positive excess is proven covered.
    """
    empty = np.zeros(0, dtype=np.int64)
    if complete or mentees.size == 0 or mentors.size == 0:
        return Violations(empty, empty, empty, empty, 0, 0, 0)
    rows = mentees[mentee_threshold[mentees] != NO_THRESHOLD]
    cols = mentors[mentor_threshold[mentors] != NO_THRESHOLD]
    if rows.size == 0 or cols.size == 0:
        return Violations(empty, empty, empty, empty, 0, 0, 0)
    need = base + mentee_threshold[rows] - u[rows]
    slack = v[cols] - prices[cols]
    order = np.argsort(slack, kind="stable")
    cols, slack = cols[order], slack[order]
    require = base + mentor_threshold[cols] - v[cols]
    reach = np.searchsorted(slack, need, side="left")  # mentee i: cols[:reach[i]] are open
    by_reach = np.argsort(-reach, kind="stable")
    rows, reach = rows[by_reach], reach[by_reach]
    rows, reach = rows[reach > 0], reach[reach > 0]
    x = instance.features.mentee_x
    # Mentors in staircase order, gathered once: each block reads a contiguous prefix.
    yt = np.ascontiguousarray(instance.features.mentor_y[cols[: int(reach.max(initial=0))]].T)
    # Float32 holds integers up to 2**24 exactly. Clipping prices up and shares down only
    # lets more pairs through the mask; every pair through it is settled in exact integers.
    clip = np.int64(1 << 24)
    v_col = np.minimum(v[cols[: int(reach.max(initial=0))]], clip).astype(np.float32)
    block = 256

    def settle(start: int) -> tuple[int, tuple[IntArray, IntArray, IntArray, IntArray] | None]:
        r = rows[start : start + block]
        width = int(reach[start])
        c = cols[:width]
        scores = x[r] @ yt[:, :width]
        # Within `margin` of violating: score − v > u − B − margin, before any rule lookup.
        limit = np.clip(u[r] - base - margin, -clip, clip).astype(np.float32)
        open_ = (scores - v_col[None, :width]) > limit[:, None]
        open_ &= np.arange(width)[None, :] < reach[start : start + block, None]
        open_ &= require[None, :width] > u[r][:, None]
        open_ &= scores >= instance.min_fit
        i, j = np.nonzero(open_)
        if i.size == 0:
            return r.size * width, None
        fit = scores[i, j].astype(np.int64)
        excess = base + fit - u[r[i]] - v[c[j]]
        keep = excess > -margin
        i, j, fit, excess = i[keep], j[keep], fit[keep], excess[keep]
        ok = instance.rules_ok(r[i], c[j])
        return r.size * width, (r[i[ok]], c[j[ok]], fit[ok], excess[ok])

    settled = map_both_cores(settle, range(0, rows.size, block))
    pairs = sum(n for n, _ in settled)
    found = [part for _, part in settled if part is not None]
    if not found:
        return Violations(empty, empty, empty, empty, int(rows.size), 0, pairs)
    return Violations(
        np.concatenate([f[0] for f in found]),
        np.concatenate([f[1] for f in found]),
        np.concatenate([f[2] for f in found]),
        np.concatenate([f[3] for f in found]),
        int(rows.size),
        int(cols.size),
        pairs,
    )


def upper_bound(
    u: IntArray,
    v: IntArray,
    violations: Violations,
    *,
    mentees: IntArray,
    mentors: IntArray,
    room: IntArray,
) -> int:
    """Σ u + Σ room · v over the residual problem, shares raised to cover any violation."""
    shares = u.copy()
    if violations.mentee.size:
        raise_by = np.zeros_like(shares)
        np.maximum.at(raise_by, violations.mentee, np.maximum(violations.excess, 0))
        shares += raise_by
    return int(shares[mentees].sum()) + int((room[mentors] * v[mentors]).sum())
