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

from upward.matching.candidates import NO_THRESHOLD, eligible_block
from upward.matching.instance import Instance
from upward.matching.model import FIT_SCALE
from upward.matching.scan import PairScan

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


def _pack(owner: IntArray, fit: IntArray, other: IntArray) -> IntArray:
    """Sort key: owner ascending, then fit descending, then the other side's index ascending."""
    return (owner << 42) | ((FIT_SCALE - fit) << 21) | other


def _more_options(
    instance: Instance, mentees: IntArray, last_fit: IntArray, last_mentor: IntArray, k: int
) -> tuple[IntArray, IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Each mentee's next k eligible mentors after (last_fit, last_mentor) in her order.

    Returns (mentee, mentor, fit) sorted by mentee then preference, and per given
    mentee whether that was everything left.
    """
    n_m = instance.n_mentors
    all_m = np.arange(n_m, dtype=np.int64)
    out_e, out_m, out_f = [], [], []
    done = np.zeros(mentees.size, dtype=bool)
    step = max(1, (1 << 21) // max(1, n_m))
    for start in range(0, mentees.size, step):
        rows = mentees[start : start + step]
        scores = instance.block_fits(rows, all_m).astype(np.int64)
        ok = eligible_block(instance, rows, all_m) & (scores >= instance.min_fit)
        lf = last_fit[start : start + step, None]
        lm = last_mentor[start : start + step, None]
        ok &= (scores < lf) | ((scores == lf) & (all_m[None, :] > lm))
        left = ok.sum(axis=1)
        done[start : start + step] = left <= k
        # Preference as one integer per pair (higher is better), then the k-th best per row.
        value = np.where(ok, scores * (n_m + 1) + (n_m - all_m[None, :]), -1)
        if n_m > k:
            kth = np.partition(value, n_m - k, axis=1)[:, n_m - k]
            value[value < np.maximum(kth, 0)[:, None]] = -1
        r, c = np.nonzero(value >= 0)
        keys = np.sort(_pack(r, scores[r, c], c))
        r = keys >> 42
        out_e.append(rows[r])
        out_m.append(keys & ((1 << 21) - 1))
        out_f.append(FIT_SCALE - ((keys >> 21) & ((1 << 21) - 1)))
    return np.concatenate(out_e), np.concatenate(out_m), np.concatenate(out_f), done


def deferred_acceptance(
    instance: Instance,
    locked_mate: IntArray,
    *,
    list_mentee: IntArray,
    list_mentor: IntArray,
    list_fit: IntArray,
    complete: npt.NDArray[np.bool_],
    k: int,
) -> IntArray:
    """Mentees propose down their lists by fit; mentors keep their best by fit.

    With both sides ranking pairs by the same fit (ties by index), this is the
    unique stable matching — the same as taking the best remaining pair first over
    all eligible pairs — and it is stable by construction: a mentee only stops
    below a mentor she prefers after that mentor has turned her down for better.
    Lists are the exact top-k by fit (`list_*`, sorted by mentee then preference);
    a mentee who runs out before the end of her eligible mentors (`complete`
    false) is given her next k, scored in full. The outcome does not depend on
    the order of proposals, so rounds are vectorised (every free mentee proposes
    at once), mentees who run out wait and are extended together, and the long
    tail of single rejections runs as a plain loop.
    """
    n_e, n_m = instance.n_mentees, instance.n_mentors
    locked = locked_mate >= 0
    room = instance.capacity - np.bincount(locked_mate[locked], minlength=n_m)
    width = max(1, int(room.max(initial=1)))
    # Each mentor's current holders (mentee, fit), best first; −1 marks an empty place.
    held_e = np.full((n_m, width), -1, dtype=np.int64)
    held_f = np.full((n_m, width), -1, dtype=np.int64)
    lm, lf = list_mentor.copy(), list_fit.copy()
    starts = np.searchsorted(list_mentee, np.arange(n_e + 1))
    ptr, end = starts[:-1].copy(), starts[1:].copy()
    finished = complete.copy()
    waiting = np.flatnonzero(~locked)

    def extend(stuck: IntArray) -> None:
        nonlocal lm, lf
        stuck = np.sort(stuck)  # the new entries come back sorted by mentee
        last = np.maximum(end[stuck] - 1, 0)
        has = end[stuck] > starts[stuck]
        last_fit = np.where(has, lf[last], FIT_SCALE + 1)
        last_mentor = np.where(has, lm[last], -1)
        e2, m2, f2, done = _more_options(instance, stuck, last_fit, last_mentor, k)
        finished[stuck[done]] = True
        base = lm.size
        starts[stuck] = base + np.searchsorted(e2, stuck)
        ptr[stuck] = starts[stuck]
        end[stuck] = base + np.searchsorted(e2, stuck, side="right")
        lm = np.concatenate([lm, m2])
        lf = np.concatenate([lf, f2])

    while True:
        proposers = waiting[ptr[waiting] < end[waiting]]
        stuck = waiting[(ptr[waiting] >= end[waiting]) & ~finished[waiting]]
        if proposers.size == 0:
            if stuck.size == 0:
                break
            extend(stuck)
            waiting = stuck
            continue
        if proposers.size < 64:
            waiting = _tail(proposers, stuck, ptr, end, lm, lf, held_e, held_f, room)
            if waiting.size == 0:
                break
            continue
        to = lm[ptr[proposers]]
        fit = lf[ptr[proposers]]
        ptr[proposers] += 1
        mentors = np.unique(to)
        he = held_e[mentors].ravel()
        hf = held_f[mentors].ravel()
        hm = np.repeat(mentors, width)
        present = he >= 0
        cand_e = np.concatenate([he[present], proposers])
        cand_m = np.concatenate([hm[present], to])
        cand_f = np.concatenate([hf[present], fit])
        keys = np.sort(_pack(cand_m, cand_f, cand_e))
        km = keys >> 42
        first = np.flatnonzero(np.r_[True, km[1:] != km[:-1]])
        counts = np.diff(np.r_[first, km.size])
        rank = np.arange(km.size) - np.repeat(first, counts)
        ke = keys & ((1 << 21) - 1)
        kf = FIT_SCALE - ((keys >> 21) & ((1 << 21) - 1))
        keep = rank < room[km]
        held_e[mentors] = -1
        held_f[mentors] = -1
        held_e[km[keep], rank[keep]] = ke[keep]
        held_f[km[keep], rank[keep]] = kf[keep]
        waiting = np.concatenate([ke[~keep], stuck])
    mate = locked_mate.copy()
    rows, slots = np.nonzero(held_e >= 0)
    mate[held_e[rows, slots]] = rows
    return mate


def _tail(
    proposers: IntArray,
    stuck: IntArray,
    ptr: IntArray,
    end: IntArray,
    lm: IntArray,
    lf: IntArray,
    held_e: IntArray,
    held_f: IntArray,
    room: IntArray,
) -> IntArray:
    """Few proposers left: one at a time in plain Python. Returns who ran out of list."""
    queue = proposers.tolist()
    out = stuck.tolist()
    while queue:
        e = queue.pop()
        p, stop = int(ptr[e]), int(end[e])
        placed = False
        while p < stop:
            m, f = int(lm[p]), int(lf[p])
            p += 1
            places = int(room[m])
            if places <= 0:
                continue
            worst = places - 1
            we, wf = int(held_e[m, worst]), int(held_f[m, worst])
            # Better than the weakest held place (fit desc, then lower index)?
            if we >= 0 and (f < wf or (f == wf and e > we)):
                continue
            # Insert in order, pushing the weakest out.
            row_e = held_e[m].tolist()[:places]
            row_f = held_f[m].tolist()[:places]
            i = 0
            while (
                i < places and row_e[i] >= 0 and (row_f[i] > f or (row_f[i] == f and row_e[i] < e))
            ):
                i += 1
            row_e.insert(i, e)
            row_f.insert(i, f)
            bumped = row_e.pop()
            row_f.pop()
            held_e[m, :places] = row_e
            held_f[m, :places] = row_f
            if bumped >= 0:
                queue.append(bumped)
            placed = True
            break
        ptr[e] = p
        if not placed:
            out.append(e)
    return np.array(out, dtype=np.int64)


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
    mentee_lists: int,
    k: int,
) -> tuple[IntArray, Blocking]:
    """The stable matching (best pair first over every eligible pair), and its blocking pairs.

    The first `mentee_lists` edges are the mentees' exact top-k lists by fit; the
    blocking pairs are counted independently over all eligible pairs, as a check.
    """
    locked = locked_mate >= 0
    if complete:
        order = np.sort(_pack(edge_mentee, edge_fit, edge_mentor))
        le = order >> 42
        lm = order & ((1 << 21) - 1)
        lf = FIT_SCALE - ((order >> 21) & ((1 << 21) - 1))
        whole = np.ones(instance.n_mentees, dtype=bool)
    else:
        le = edge_mentee[:mentee_lists]
        lm = edge_mentor[:mentee_lists]
        lf = edge_fit[:mentee_lists]
        whole = mentee_threshold == NO_THRESHOLD
    mate = deferred_acceptance(
        instance,
        locked_mate,
        list_mentee=le,
        list_mentor=lm,
        list_fit=lf,
        complete=whole,
        k=k,
    )
    free = ~locked[edge_mentee]
    blocking = blocking_pairs(
        instance,
        mate,
        locked,
        edge_mentee=edge_mentee[free],
        edge_mentor=edge_mentor[free],
        edge_fit=edge_fit[free],
        mentee_threshold=mentee_threshold,
        mentor_threshold=mentor_threshold,
        complete=complete,
    )
    return mate, blocking
