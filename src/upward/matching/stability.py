"""Blocking pairs and the stable matching.

A *blocking pair* is a mentee and a mentor who both prefer each other, by
fit, to what they got: the mentee's fit with that mentor is higher than with
their own (or they have none), and the mentor has room or would rather have
this mentee than their weakest current one. Locked mentees cannot move and a
mentor's locked places are not up for grabs, so neither counts.

Counting them over all eligible pairs needs no full scan: a pair outside the
candidate graph has fit at most min(t(e), s(m)) — each side's k-th best — so
it can only block when the mentee got less than their k-th best *and* the
mentor's weakest partner is below theirs. Only those "at risk" people are
scanned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from upward.matching.candidates import NO_THRESHOLD
from upward.matching.instance import Instance
from upward.matching.model import FIT_SCALE
from upward.matching.scan import PairScan
from upward.matching.solver import greedy_stable

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Progress = Callable[[int], None]
_NEVER = 1 << 40


@dataclass
class Blocking:
    """Blocking pairs of a matching: how many, and those outside the candidate graph."""

    count: int
    outside_mentee: IntArray
    outside_mentor: IntArray
    outside_fit: IntArray
    scanned_pairs: int


def _standing(instance: Instance, mate: IntArray, locked: BoolArray) -> tuple[IntArray, IntArray]:
    """Each mentee's current fit (−1 if none) and each mentor's bar (−1 with room)."""
    n_e, n_m = instance.n_mentees, instance.n_mentors
    matched = np.flatnonzero(mate >= 0)
    fit_e = np.full(n_e, -1, dtype=np.int64)
    fit_e[matched] = instance.fits(matched, mate[matched])
    load = np.bincount(mate[matched], minlength=n_m)
    bar = np.full(n_m, _NEVER, dtype=np.int64)
    free = matched[~locked[matched]]
    np.minimum.at(bar, mate[free], fit_e[free])
    bar[load < instance.capacity] = -1
    return fit_e, bar


def blocking_pairs(
    instance: Instance,
    mate: IntArray,
    locked: BoolArray,
    *,
    edge_mentee: IntArray,
    edge_mentor: IntArray,
    edge_fit: IntArray,
    mentee_threshold: IntArray,
    mentor_threshold: IntArray,
    complete: bool,
    prices: IntArray | None = None,
    progress: Progress | None = None,
) -> Blocking:
    """Count blocking pairs over all eligible pairs (see module doc)."""
    fit_e, bar = _standing(instance, mate, locked)
    e, m, f = edge_mentee, edge_mentor, edge_fit
    inside = (~locked[e]) & (f > fit_e[e]) & (f > bar[m])
    count = int(inside.sum())
    empty = np.zeros(0, dtype=np.int64)
    if complete:
        return Blocking(count, empty, empty.copy(), empty.copy(), 0)
    # A pair left out has fit ≤ mentee_threshold + price(mentor) and ≤ mentor_threshold.
    top_price = int(prices.max(initial=0)) if prices is not None else 0
    risky_e = np.flatnonzero(
        (~locked) & (mentee_threshold != NO_THRESHOLD) & (fit_e < mentee_threshold + top_price)
    )
    risky_m = np.flatnonzero((mentor_threshold != NO_THRESHOLD) & (bar < mentor_threshold))
    if risky_e.size == 0 or risky_m.size == 0:
        return Blocking(count, empty, empty.copy(), empty.copy(), 0)
    scan = PairScan(instance, risky_e, risky_m)
    known = np.sort(e * instance.n_mentors + m)
    out_e: list[IntArray] = []
    out_m: list[IntArray] = []
    out_f: list[IntArray] = []
    for hits in scan.scan(
        row_threshold=fit_e + 1,
        col_threshold=np.minimum(bar, FIT_SCALE) + 1,
        mode="and",
        progress=progress,
    ):
        if hits.mentee.size == 0:
            continue
        he, hm, hf = hits.mentee, hits.mentor, hits.value
        ok = (hf >= instance.min_fit) & instance.rules_ok(he, hm)
        keys = he * instance.n_mentors + hm
        if known.size:
            pos = np.minimum(np.searchsorted(known, keys), known.size - 1)
            ok &= known[pos] != keys
        out_e.append(he[ok])
        out_m.append(hm[ok])
        out_f.append(hf[ok])
    oe = np.concatenate(out_e) if out_e else empty
    om = np.concatenate(out_m) if out_m else empty.copy()
    of = np.concatenate(out_f) if out_f else empty.copy()
    return Blocking(count + int(oe.size), oe, om, of, scan.pairs)


def stable_matching(
    instance: Instance,
    locked_mate: IntArray,
    *,
    edge_mentee: IntArray,
    edge_mentor: IntArray,
    edge_fit: IntArray,
    mentee_threshold: IntArray,
    mentor_threshold: IntArray,
    complete: bool,
    prices: IntArray | None = None,
    max_rounds: int = 20,
) -> tuple[IntArray, Blocking, int]:
    """Best-pair-first over all eligible pairs, computed on the candidates and verified.

    Any blocking pair found outside the candidates joins them and the greedy
    runs again, so the result is the greedy over *every* eligible pair.
    Returns (mate, blocking of the result, rounds).
    """
    locked = locked_mate >= 0
    e, m, f = edge_mentee, edge_mentor, edge_fit
    free = ~locked[e]
    e, m, f = e[free], m[free], f[free]
    for rounds in range(1, max_rounds + 1):
        mate = greedy_stable(
            instance.n_mentees, instance.capacity, e, m, f, FIT_SCALE, preassigned=locked_mate
        )
        blocking = blocking_pairs(
            instance,
            mate,
            locked,
            edge_mentee=e,
            edge_mentor=m,
            edge_fit=f,
            mentee_threshold=mentee_threshold,
            mentor_threshold=mentor_threshold,
            complete=complete,
            prices=prices,
        )
        if blocking.outside_mentee.size == 0:
            return mate, blocking, rounds
        e = np.concatenate([e, blocking.outside_mentee])
        m = np.concatenate([m, blocking.outside_mentor])
        f = np.concatenate([f, blocking.outside_fit])
    return mate, blocking, max_rounds
