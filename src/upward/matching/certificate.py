"""Proof that a matching is optimal over *all* eligible pairs, not just the candidates.

The solver only sees the sparse candidate graph. Linear-programming duality
closes the gap: give every mentor a price v ≥ 0 and every mentee a share
u ≥ 0 with u(e) + v(m) ≥ W(e, m) for every eligible pair; then no matching
weighs more than Σ u + Σ capacity · v. With W = B + fit and B larger than
any total fit, the weight counts matched mentees first and fit second, as the
objective does.

`minimal_prices` gives such a dual for the candidate edges. *Pricing* checks
it against every other eligible pair in one scan (a pair "violates" when
W − v(m) > u(e)); violating pairs are added to the graph and the problem is
solved again — column generation — until none is left. At that point the
bound equals the matching's own weight: optimal, proven.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from upward.matching.candidates import eligible_block
from upward.matching.instance import Instance
from upward.matching.model import FIT_SCALE
from upward.matching.scan import PairScan
from upward.matching.solver import minimal_prices

IntArray = npt.NDArray[np.int64]
Progress = Callable[[int], None]
#: Shares and prices beyond this many millionths are checked in exact integers, not float32.
_SHALLOW = 1 << 22


@dataclass
class Pricing:
    """Outcome of one pricing pass."""

    u: IntArray
    v: IntArray
    #: eligible non-candidate pairs whose reduced weight is positive (mentee, mentor, fit)
    mentee: IntArray
    mentor: IntArray
    fit: IntArray
    gain: IntArray  # W − v − u > 0, in weight units
    rounds: int
    scanned_pairs: int


def lexicographic_base(n_mentees: int) -> int:
    """B: more than any total fit, so one more matched mentee outweighs all fit."""
    return FIT_SCALE * (n_mentees + 1)


def price(
    instance: Instance,
    *,
    mentees: IntArray,
    mentors: IntArray,
    mate: IntArray,
    edge_mentee: IntArray,
    edge_mentor: IntArray,
    edge_fit: IntArray,
    base: int,
    progress: Progress | None = None,
) -> Pricing:
    """Dual for the candidate edges, then every other eligible pair checked against it.

    `mentees`/`mentors` are the residual problem (unlocked mentees, mentors with
    room); `mate` is indexed by instance mentee index.
    """
    weight = base + edge_fit
    u, v, rounds = minimal_prices(instance.n_mentors, mate, edge_mentee, edge_mentor, weight)
    found_e: list[IntArray] = []
    found_m: list[IntArray] = []
    found_f: list[IntArray] = []

    def keep(e: IntArray, m: IntArray, f: IntArray) -> None:
        ok = (f >= instance.min_fit) & instance.rules_ok(e, m)
        gain = base + f - v[m] - u[e]
        ok &= gain > 0  # candidate edges never pass: the prices already cover them
        found_e.append(e[ok])
        found_m.append(m[ok])
        found_f.append(f[ok])

    # Mentees whose share is far below the base (unmatched, or holding a mentor whose
    # price carries the base) are checked exactly against every mentor.
    threshold = u - base + 1  # a pair violates when fit − v(m) ≥ this
    deep = mentees[threshold[mentees] <= -_SHALLOW]
    shallow = mentees[threshold[mentees] > -_SHALLOW]
    scanned = 0
    if shallow.size and mentors.size:
        scan = PairScan(instance, shallow, mentors)
        scanned += scan.pairs
        for hits in scan.scan(
            row_threshold=threshold, col_offset=v, mode="row", progress=progress
        ):
            if hits.mentee.size:
                keep(hits.mentee, hits.mentor, instance.fits(hits.mentee, hits.mentor))
    if deep.size and mentors.size:
        step = max(1, (1 << 21) // max(1, mentors.size))
        for i in range(0, deep.size, step):
            rows = deep[i : i + step]
            scores = instance.block_fits(rows, mentors).astype(np.int64)
            ok = eligible_block(instance, rows, mentors) & (scores >= instance.min_fit)
            gain = base + scores - v[mentors][None, :] - u[rows][:, None]
            r, c = np.nonzero(ok & (gain > 0))
            keep(rows[r], mentors[c], scores[r, c])
            scanned += rows.size * mentors.size
            if progress is not None:
                progress(rows.size)
    e = np.concatenate(found_e) if found_e else np.zeros(0, dtype=np.int64)
    m = np.concatenate(found_m) if found_m else np.zeros(0, dtype=np.int64)
    f = np.concatenate(found_f) if found_f else np.zeros(0, dtype=np.int64)
    return Pricing(
        u=u,
        v=v,
        mentee=e,
        mentor=m,
        fit=f,
        gain=base + f - v[m] - u[e],
        rounds=rounds,
        scanned_pairs=scanned,
    )


def upper_bound(
    pricing: Pricing, *, mentees: IntArray, mentors: IntArray, room: IntArray
) -> int:
    """Σ u + Σ room · v over the residual problem, raising shares to cover any violation."""
    u = pricing.u.copy()
    if pricing.mentee.size:
        need = np.zeros_like(u)
        np.maximum.at(need, pricing.mentee, pricing.gain)
        u += need
    return int(u[mentees].sum()) + int((room[mentors] * pricing.v[mentors]).sum())
