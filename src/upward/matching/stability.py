"""Blocking pairs and the stable matching.

A *blocking pair* is a mentee and a mentor who both prefer each other, by
fit, to what they got: the mentee's fit with that mentor is higher than with
their own (or they have none), and the mentor has room or would rather have
this mentee than their weakest current one. Locked mentees cannot move and a
mentor's locked places are not up for grabs, so neither counts.

Counting them over all eligible pairs needs no full scan: a pair outside the
candidate lists has fit at most t(e) + p(m) (the mentee's k-th best fit less
price, plus the mentor's price) and at most s(m) (the mentor's k-th best), so
it can only block when p(m) > fit(e) − t(e) and the mentor's weakest partner is
below s(m). With mentors sorted by price, each mentee's possible partners are a
prefix — a staircase — and only the staircase is scanned.

The stable matching itself is the greedy "best remaining pair first"; see
`stable_matching` for how it avoids ordering every pair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from upward.matching.candidates import (
    NO_THRESHOLD,
    Candidates,
    Side,
    all_eligible,
    top_candidates,
    with_mentor_lists,
)
from upward.matching.instance import Instance, sub_instance
from upward.matching.model import FIT_SCALE
from upward.matching.scan import PairScan, map_both_cores

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Progress = Callable[[int], None]
_NEVER = 1 << 40
#: Slices of the staircase of mentees at risk: more hug it closer, each costs a layout.
STAIRCASE_STEPS = 16


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
    # A pair left out has fit ≤ mentee_threshold + price(mentor) and ≤ mentor_threshold, so
    # it can only block where fit(e) − mentee_threshold(e) < price(m) and bar(m) < that.
    price = prices if prices is not None else np.zeros(instance.n_mentors, dtype=np.int64)
    rows = np.flatnonzero((~locked) & (mentee_threshold != NO_THRESHOLD))
    cols = np.flatnonzero((mentor_threshold != NO_THRESHOLD) & (bar < mentor_threshold))
    if rows.size == 0 or cols.size == 0:
        return Blocking(count, empty, empty.copy(), empty.copy(), 0)
    # Mentors by price, dearest first: each mentee's open mentors are a prefix (a staircase).
    cols = cols[np.argsort(-price[cols], kind="stable")]
    reach = np.searchsorted(-price[cols], mentee_threshold[rows] - fit_e[rows], side="left")
    by_reach = np.argsort(-reach, kind="stable")
    rows, reach = rows[by_reach], reach[by_reach]
    rows, reach = rows[reach > 0], reach[reach > 0]
    if rows.size == 0:
        return Blocking(count, empty, empty.copy(), empty.copy(), 0)
    position = np.full(instance.n_mentors, -1, dtype=np.int64)
    position[cols] = np.arange(cols.size)
    known = np.sort(e * instance.n_mentors + m)

    # Rows in slices of similar reach, each scanned against its widest prefix tile by tile.
    def slice_scan(chunk: IntArray) -> tuple[int, list[tuple[IntArray, IntArray, IntArray]]]:
        r, open_to = rows[chunk], reach[chunk]
        scan = PairScan(instance, r, cols[: int(open_to[0])])
        limit = np.zeros(instance.n_mentees, dtype=np.int64)
        limit[r] = open_to
        found = []
        for hits in scan.scan(
            row_threshold=fit_e + 1,
            col_threshold=np.minimum(bar, FIT_SCALE) + 1,
            mode="and",
        ):
            if hits.mentee.size == 0:
                continue
            he, hm, hf = hits.mentee, hits.mentor, hits.value
            ok = (position[hm] < limit[he]) & (hf >= instance.min_fit)
            ok &= instance.rules_ok(he, hm)
            keys = he * instance.n_mentors + hm
            if known.size:
                pos = np.minimum(np.searchsorted(known, keys), known.size - 1)
                ok &= known[pos] != keys
            found.append((he[ok], hm[ok], hf[ok]))
        return scan.pairs, found

    slices = np.array_split(np.arange(rows.size), min(STAIRCASE_STEPS, rows.size))
    scanned = 0
    out_e: list[IntArray] = []
    out_m: list[IntArray] = []
    out_f: list[IntArray] = []
    for pairs, found in map_both_cores(slice_scan, slices):
        scanned += pairs
        for he, hm, hf in found:
            out_e.append(he)
            out_m.append(hm)
            out_f.append(hf)
    if progress is not None:
        progress(int(rows.size))
    oe = np.concatenate(out_e) if out_e else empty
    om = np.concatenate(out_m) if out_m else empty.copy()
    of = np.concatenate(out_f) if out_f else empty.copy()
    return Blocking(count + int(oe.size), oe, om, of, scanned)


def _pack(owner: IntArray, fit: IntArray, other: IntArray) -> IntArray:
    """Sort key: owner ascending, then fit descending, then the other side's index ascending."""
    return (owner << 42) | ((FIT_SCALE - fit) << 21) | other


@dataclass
class _Lists:
    """Each owner's best partners, best first, in one flat array; a rescan appends new lists.

    `complete[o]`: o's list held every eligible partner that was available when it was
    scanned, so once it runs out, o has nobody left.
    """

    other: IntArray
    ptr: IntArray
    end: IntArray
    complete: BoolArray

    @classmethod
    def build(cls, n: int, owner: IntArray, other: IntArray, complete: BoolArray) -> _Lists:
        starts = np.searchsorted(owner, np.arange(n + 1))
        return cls(other.copy(), starts[:-1].copy(), starts[1:].copy(), complete.copy())

    def replace(
        self, owners: IntArray, owner: IntArray, other: IntArray, complete: BoolArray
    ) -> None:
        """New lists for `owners` (sorted); entries sorted by owner, best first."""
        base = self.other.size
        self.ptr[owners] = base + np.searchsorted(owner, owners, side="left")
        self.end[owners] = base + np.searchsorted(owner, owners, side="right")
        self.complete[owners] = complete
        self.other = np.concatenate([self.other, other])

    def front(self, owners: IntArray, available: BoolArray) -> IntArray:
        """Each owner's best still-available partner (−1 when the list has run out)."""
        p, stop = self.ptr[owners], self.end[owners]
        last = max(self.other.size - 1, 0)
        pending = np.flatnonzero(p < stop)
        while pending.size:
            gone = ~available[self.other[np.minimum(p[pending], last)]]
            pending = pending[gone]
            p[pending] += 1
            pending = pending[p[pending] < stop[pending]]
        self.ptr[owners] = p
        if self.other.size == 0:
            return np.full(owners.size, -1, dtype=np.int64)
        return np.where(p < stop, self.other[np.minimum(p, last)], -1)


def _ranked(
    cand: Candidates, n_e: int, n_m: int, *, mentees: IntArray, mentors: IntArray
) -> tuple[_Lists, _Lists]:
    """Both sides' lists from a candidate graph over `mentees` × `mentors` (instance indices).

    Preference is fit, then the lower index on the other side: one total order on pairs
    (fit desc, mentee asc, mentor asc) that both sides agree with.
    """
    if cand.complete:
        order_e = np.sort(_pack(cand.mentee, cand.fit, cand.mentor))
        le, lm = order_e >> 42, order_e & ((1 << 21) - 1)
        order_m = np.sort(_pack(cand.mentor, cand.fit, cand.mentee))
        mm, me = order_m >> 42, order_m & ((1 << 21) - 1)
        whole_e = np.ones(mentees.size, dtype=bool)
        whole_m = np.ones(mentors.size, dtype=bool)
    else:
        assert cand.mentor_lists is not None
        le, lm = cand.mentee[: cand.mentee_lists], cand.mentor[: cand.mentee_lists]
        mm, me = cand.mentor_lists[0], cand.mentor_lists[1]
        whole_e = cand.mentee_threshold == NO_THRESHOLD
        whole_m = cand.mentor_threshold == NO_THRESHOLD
    # Sub-instance indices back to the instance's (both index maps are increasing).
    e_lists = _Lists.build(mentees.size, le, mentors[lm], whole_e)
    m_lists = _Lists.build(mentors.size, mm, mentees[me], whole_m)
    return e_lists, m_lists


def _candidates(instance: Instance, k: int, dense_limit: int, side: Side = "both") -> Candidates:
    if instance.n_mentees * instance.n_mentors <= dense_limit:
        return all_eligible(instance)
    return top_candidates(instance, k, side=side)


def stable_matching(
    instance: Instance,
    locked_mate: IntArray,
    *,
    k: int,
    dense_limit: int,
    lists: Candidates | None = None,
    progress: Progress | None = None,
) -> tuple[IntArray, Blocking]:
    """The stable matching — best remaining pair first over every eligible pair — and its
    blocking pairs, counted independently over all eligible pairs as a check.

    Both sides rank by the same fit, so taking the best remaining pair first is the
    unique stable matching. It is found without ever ordering all pairs: a pair that is
    both people's best *available* partner is the best pair around them, so the greedy
    takes it whatever order it goes in; every round takes all such mutual favourites at
    once. Each person's favourites come from a list of their k best, skipping those who
    are taken since; a person whose list runs out gets a fresh list, scored against the
    people still available only — so the lists get cheaper as the matching fills.

    `lists`, a candidate graph of the same k already built for the optimum, lends its
    mentor lists (mentors rank by plain fit there too), the mentees' plain lists when it
    holds them (`Candidates.plain`), or, when complete, everything.
    """
    n_e, n_m = instance.n_mentees, instance.n_mentors
    locked = locked_mate >= 0
    mate = locked_mate.copy()
    room = instance.capacity - np.bincount(locked_mate[locked], minlength=n_m)
    free_e = ~locked
    open_m = room > 0
    all_e = np.arange(n_e, dtype=np.int64)
    all_m = np.arange(n_m, dtype=np.int64)
    if lists is not None and lists.complete:
        cand = lists
    elif lists is not None and lists.mentor_lists is not None:
        plain = lists.plain or top_candidates(instance, k, side="mentees")
        cand = with_mentor_lists(plain, lists)
    else:
        cand = _candidates(instance, k, dense_limit)
    e_lists, m_lists = _ranked(cand, n_e, n_m, mentees=all_e, mentors=all_m)
    best_of = np.full(n_m, -1, dtype=np.int64)
    while True:
        active_e, active_m = np.flatnonzero(free_e), np.flatnonzero(open_m)
        if active_e.size == 0 or active_m.size == 0:
            break
        best_e = e_lists.front(active_e, open_m)
        best_m = m_lists.front(active_m, free_e)
        out_e, out_m = best_e < 0, best_m < 0
        # A complete list that ran out: nobody eligible is left for this person.
        dead_e = active_e[out_e & e_lists.complete[active_e]]
        dead_m = active_m[out_m & m_lists.complete[active_m]]
        free_e[dead_e] = False
        open_m[dead_m] = False
        if progress is not None:
            progress(int(dead_e.size))
        best_of[active_m] = best_m
        proposer, target = active_e[~out_e], best_e[~out_e]
        mutual = best_of[target] == proposer
        if mutual.any():
            e, m = proposer[mutual], target[mutual]  # one mentee per mentor: best_of is unique
            mate[e] = m
            free_e[e] = False
            room[m] -= 1
            open_m[m] = room[m] > 0
            if progress is not None:
                progress(int(e.size))
            continue
        if dead_e.size or dead_m.size:
            continue
        # Nobody's favourite is mutual: someone's list ran out. Score fresh lists against
        # the people still available.
        stuck_e = active_e[out_e & ~e_lists.complete[active_e]]
        stuck_m = active_m[out_m & ~m_lists.complete[active_m]]
        if stuck_e.size == 0 and stuck_m.size == 0:  # pragma: no cover - the best pair is mutual
            raise RuntimeError("greedy stalled with every list open")
        if stuck_e.size:
            pool = np.flatnonzero(open_m)
            sub = _candidates(sub_instance(instance, stuck_e, pool), k, dense_limit, "mentees")
            fresh_e, _ = _ranked(sub, stuck_e.size, pool.size, mentees=stuck_e, mentors=pool)
            owner = np.repeat(stuck_e, fresh_e.end - fresh_e.ptr)
            e_lists.replace(stuck_e, owner, fresh_e.other, fresh_e.complete)
        if stuck_m.size:
            pool = np.flatnonzero(free_e)
            sub = _candidates(sub_instance(instance, pool, stuck_m), k, dense_limit, "mentors")
            _, fresh_m = _ranked(sub, pool.size, stuck_m.size, mentees=pool, mentors=stuck_m)
            owner = np.repeat(stuck_m, fresh_m.end - fresh_m.ptr)
            m_lists.replace(stuck_m, owner, fresh_m.other, fresh_m.complete)
    edges_free = ~locked[cand.mentee]
    blocking = blocking_pairs(
        instance,
        mate,
        locked,
        edge_mentee=cand.mentee[edges_free],
        edge_mentor=cand.mentor[edges_free],
        edge_fit=cand.fit[edges_free],
        mentee_threshold=cand.mentee_threshold,
        mentor_threshold=cand.mentor_threshold,
        complete=cand.complete,
        prices=cand.prices,
    )
    return mate, blocking
