"""Estimated mentor prices: who is in demand, before the big problem is solved.

In a market where some mentors are everyone's favourite, the optimal pairing
sends most leaders down their list. Ranking candidates by fit − price puts the
right mentors in each list; the price of a mentor is what the leaders who want
it most would give up elsewhere (the LP dual of the assignment).

Prices come from a miniature of the market: a random eighth of the mentees and
an eighth of the mentors, same capacities, so supply and demand keep their
proportions. It is solved exactly (by the same engine, recursively), which
gives every sampled mentee its profit — fit with its mentor minus that
mentor's price. Every mentor in the full market is then priced at the highest
bid among the sampled mentees: max over e of fit(e, m) − profit(e). One pass
over an eighth of the pairs.

The estimate only decides which pairs are candidates; the certificate checks
the final answer against every pair, so a poor estimate costs time, never
correctness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from upward.matching.candidates import with_seniority
from upward.matching.instance import Instance, sub_instance
from upward.matching.model import FIT_SCALE
from upward.matching.scan import map_both_cores

IntArray = npt.NDArray[np.int64]
#: Share of each side in the miniature market.
SAMPLE_FRACTION = 1 / 6


def extend_prices(instance: Instance, mentees: IntArray, profit: IntArray) -> IntArray:
    """Price of every mentor: the best bid fit(e, m) − profit(e) over the given mentees."""
    price = np.zeros(instance.n_mentors, dtype=np.int64)
    if mentees.size == 0:
        return price
    # Ruled-out pairs score far below zero, so they never set a price (see `with_seniority`).
    x, y, folded = with_seniority(instance)
    yt = np.ascontiguousarray(y.T)
    levels = instance.mentor_level
    step = max(1, (1 << 22) // max(1, instance.n_mentors))

    def best_bids(start: int) -> IntArray:
        rows = mentees[start : start + step]
        bids = x[rows] @ yt
        bids -= profit[start : start + step].astype(np.float32)[:, None]
        if not folded:
            allowed = (instance.mentee_level[rows, None] - levels[None, :]) >= instance.min_gap
            bids = np.where(allowed, bids, 0)
        return bids.max(axis=0).astype(np.int64)

    for bids in map_both_cores(best_bids, range(0, mentees.size, step)):
        np.maximum(price, bids, out=price)
    return np.clip(price, 0, FIT_SCALE)


def estimate_prices(
    instance: Instance,
    solve: Callable[[Instance], tuple[IntArray, IntArray, int]],
    *,
    seed: int = 0,
    min_pairs: int = 4_000_000,
) -> IntArray | None:
    """Mentor prices from a solved miniature market, or None when the market is small.

    `solve(instance) -> (mate, u, base)` solves a miniature exactly and returns
    its matching and mentee shares.
    """
    n_e, n_m = instance.n_mentees, instance.n_mentors
    if n_e * n_m <= min_pairs or min(n_e, n_m) < 2:
        return None
    rng = np.random.default_rng(seed)
    take_e = max(1, round(n_e * SAMPLE_FRACTION))
    take_m = max(1, round(n_m * SAMPLE_FRACTION))
    sample_e = np.sort(rng.choice(n_e, size=take_e, replace=False)).astype(np.int64)
    sample_m = np.sort(rng.choice(n_m, size=take_m, replace=False)).astype(np.int64)
    mate, u, base = solve(sub_instance(instance, sample_e, sample_m))
    profit = u - base
    # Unmatched sample mentees bid nothing; shares far below the base mark mentees whose
    # mentor is needed for the count, whose profit says nothing about fit.
    useful = (mate >= 0) & (profit > -FIT_SCALE)
    return extend_prices(instance, sample_e[useful], profit[useful])
