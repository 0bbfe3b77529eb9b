"""The sparse candidate graph: each mentee's k best eligible mentors, found exactly.

Why not score every pair and keep them? At 50,000 × 50,000 that is 2.5 billion
numbers. Why not sort each row? Selecting in 50,000 numbers per mentee costs
more than computing them. Instead each block of mentees is scored against all
mentors as one exact integer matrix product (see `scoring`), and only entries
at or above a per-mentee *threshold* are kept — a single comparison per pair.

The threshold comes from the same product: the first columns are a random
sample of mentors split into `SAMPLE_GROUPS` groups, and the threshold is the
smallest of the group maxima. Each group maximum is a distinct entry, so at
least `SAMPLE_GROUPS` entries lie at or above it; in expectation a couple of
hundred do. A mentee with at least k eligible survivors therefore has its exact
top-k among them (everything above the k-th best was kept); the rare mentee
with fewer is scored again in full. Nothing is approximate: the top-k lists and
each mentee's k-th best fit (`threshold`) are exact, which is what the
optimality certificate relies on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from upward.matching.instance import Instance
from upward.matching.model import FIT_SCALE
from upward.matching.scan import PairScan

IntArray = npt.NDArray[np.int64]
Progress = Callable[[int], None]

#: Sample groups; the threshold is the minimum of their maxima.
SAMPLE_GROUPS = 8
#: Expected rank of each group maximum; ~1 % of mentees need a full second look at k = 50.
SAMPLE_RANK = 60
ROW_BLOCK = 2048
_FIT_BITS = 20
_COL_BITS = 21


@dataclass
class Candidates:
    """Candidate edges sorted by mentee, best first, plus each side's exact k-th best fit.

    `mentee_threshold[i]` is the fit of mentee i's k-th best eligible mentor, so
    no eligible pair outside the candidates has a higher fit; −1 means every
    eligible mentor of i is a candidate. `mentor_threshold` is the same for
    mentors, or `FIT_SCALE` where it is unknown (no mentor-side lists).
    """

    mentee: IntArray
    mentor: IntArray
    fit: IntArray
    mentee_threshold: IntArray
    mentor_threshold: IntArray
    #: every eligible pair is among the candidates (small instances).
    complete: bool
    #: the first `mentee_lists` edges are the mentees' own top-k lists, sorted by mentee, best
    #: first; the rest come from the mentors' lists.
    mentee_lists: int = 0

    @property
    def size(self) -> int:
        return int(self.mentee.size)


def _top_k(
    rows: IntArray, cols: IntArray, fits: IntArray, k: int | None, *, unique: bool = False
) -> tuple[IntArray, IntArray, IntArray]:
    """Each row's k best entries (fit desc, then column asc), sorted by row.

    One int64 sort of packed (row, fit, column) keys: numpy sorts plain integers
    several times faster than it argsorts them, and the key decodes back.
    """
    if rows.size == 0:
        return rows, cols, fits
    if int(rows.max()) >= 1 << (63 - _FIT_BITS - _COL_BITS) or int(cols.max()) >= 1 << _COL_BITS:
        raise ValueError("too many people for the packed candidate keys")
    key = (rows << (_FIT_BITS + _COL_BITS)) | ((FIT_SCALE - fits) << _COL_BITS) | cols
    key.sort()
    if unique and key.size:
        key = key[np.r_[True, key[1:] != key[:-1]]]
    rows = key >> (_FIT_BITS + _COL_BITS)
    if k is not None:
        first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        counts = np.diff(np.r_[first, rows.size])
        rank = np.arange(rows.size) - np.repeat(first, counts)
        key = key[rank < k]
        rows = key >> (_FIT_BITS + _COL_BITS)
    fits = FIT_SCALE - ((key >> _COL_BITS) & ((1 << _FIT_BITS) - 1))
    cols = key & ((1 << _COL_BITS) - 1)
    return rows, cols, fits


def _eligible(instance: Instance, rows: IntArray, cols: IntArray, fits: IntArray) -> npt.NDArray[np.bool_]:
    ok = fits >= instance.min_fit
    ok &= instance.rules_ok(rows, cols)
    return ok


def eligible_block(instance: Instance, rows: IntArray, cols: IntArray) -> npt.NDArray[np.bool_]:
    """Hard rules (gap, chain, blocks) for every rows × cols combination, by broadcasting."""
    ok = (instance.mentee_level[rows, None] - instance.mentor_level[None, cols]) >= instance.min_gap
    ok &= instance.capacity[None, cols] > 0
    le, re = instance.mentee_left[rows, None], instance.mentee_right[rows, None]
    lm, rm = instance.mentor_left[None, cols], instance.mentor_right[None, cols]
    ok &= ~(((le <= lm) & (lm <= re)) | ((lm <= le) & (le <= rm)))
    if instance.blocked.size:
        n_m = instance.n_mentors
        b_e, b_m = instance.blocked // n_m, instance.blocked % n_m
        row_pos = np.full(instance.n_mentees, -1, dtype=np.int64)
        row_pos[rows] = np.arange(rows.size)
        col_pos = np.full(n_m, -1, dtype=np.int64)
        col_pos[cols] = np.arange(cols.size)
        inside = (row_pos[b_e] >= 0) & (col_pos[b_m] >= 0)
        ok[row_pos[b_e[inside]], col_pos[b_m[inside]]] = False
    return ok


def _dense(
    instance: Instance, rows: IntArray, cols: IntArray, keep: int | None, by_row: bool
) -> tuple[IntArray, IntArray, IntArray]:
    """Eligible pairs of a rows × cols block, optionally only each row's (or column's) best."""
    scores = instance.block_fits(rows, cols)
    scores[~eligible_block(instance, rows, cols)] = -1
    scores[scores < instance.min_fit] = -1
    if keep is not None:
        axis = 1 if by_row else 0
        width = scores.shape[axis]
        if width > keep:
            kth = np.partition(scores, width - keep, axis=axis).take(width - keep, axis=axis)
            floor = np.expand_dims(np.maximum(kth, 0), axis)
            scores[scores < floor] = -1
    hits = np.flatnonzero(scores >= 0)
    r = rows[hits // cols.size]
    c = cols[hits % cols.size]
    f = scores.ravel()[hits].astype(np.int64)
    if keep is not None:
        if by_row:
            r, c, f = _top_k(r, c, f, keep)
        else:
            c, r, f = _top_k(c, r, f, keep)
    return r, c, f


def _concat(parts: list[tuple[IntArray, IntArray, IntArray]]) -> tuple[IntArray, IntArray, IntArray]:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def dense_rows(
    instance: Instance, mentees: IntArray, *, keep: int | None
) -> tuple[IntArray, IntArray, IntArray]:
    """Every eligible mentor of each given mentee (or its `keep` best), scored in full."""
    all_m = np.arange(instance.n_mentors, dtype=np.int64)
    step = max(1, (1 << 21) // max(1, instance.n_mentors))
    return _concat(
        [
            _dense(instance, mentees[i : i + step], all_m, keep, by_row=True)
            for i in range(0, mentees.size, step)
        ]
    )


def dense_columns(
    instance: Instance, mentors: IntArray, *, keep: int | None
) -> tuple[IntArray, IntArray, IntArray]:
    """Every eligible mentee of each given mentor (or its `keep` best), as (mentee, mentor, fit)."""
    all_e = np.arange(instance.n_mentees, dtype=np.int64)
    step = max(1, (1 << 21) // max(1, instance.n_mentees))
    return _concat(
        [
            _dense(instance, all_e, mentors[i : i + step], keep, by_row=False)
            for i in range(0, mentors.size, step)
        ]
    )


def all_eligible(instance: Instance) -> Candidates:
    """Small instances: every eligible pair is a candidate."""
    rows, cols, fits = dense_rows(instance, np.arange(instance.n_mentees, dtype=np.int64), keep=None)
    return Candidates(
        mentee=rows,
        mentor=cols,
        fit=fits,
        mentee_threshold=np.full(instance.n_mentees, -1, dtype=np.int64),
        mentor_threshold=np.full(instance.n_mentors, -1, dtype=np.int64),
        complete=True,
        mentee_lists=len(rows),
    )


def _sample_thresholds(
    scores: npt.NDArray[np.float32], allowed: npt.NDArray[np.bool_], group: int, floor: int
) -> IntArray:
    """Per row: the smallest of SAMPLE_GROUPS group maxima (at least `floor`)."""
    masked = np.where(allowed, scores, np.float32(-1))
    rows = masked.shape[0]
    maxima = masked[:, : group * SAMPLE_GROUPS].reshape(rows, SAMPLE_GROUPS, group).max(axis=2)
    return np.maximum(maxima.min(axis=1).astype(np.int64), floor)


def top_candidates(
    instance: Instance,
    k: int,
    *,
    seed: int = 0,
    progress: Progress | None = None,
) -> Candidates:
    """Each mentee's k best eligible mentors and each mentor's k best eligible mentees, exactly."""
    n_e, n_m = instance.n_mentees, instance.n_mentors
    feats = instance.features
    x_full, y_full = feats.mentee_x, feats.mentor_y
    min_fit = instance.min_fit
    rng = np.random.default_rng(seed)

    # Thresholds from random samples of the other side (group maxima, see module doc).
    group_m = max(1, n_m // SAMPLE_RANK)
    sample_m = rng.permutation(n_m)[: group_m * SAMPLE_GROUPS]
    group_e = max(1, n_e // SAMPLE_RANK)
    sample_e = rng.permutation(n_e)[: group_e * SAMPLE_GROUPS]
    tau = np.full(n_e, min_fit, dtype=np.int64)
    sigma = np.full(n_m, min_fit, dtype=np.int64)
    if sample_m.size == group_m * SAMPLE_GROUPS:
        y_sample = np.ascontiguousarray(y_full[sample_m].T)
        for r0 in range(0, n_e, ROW_BLOCK):
            rows = np.arange(r0, min(n_e, r0 + ROW_BLOCK))
            allowed = (
                instance.mentee_level[rows, None] - instance.mentor_level[None, sample_m]
            ) >= instance.min_gap
            tau[rows] = _sample_thresholds(x_full[rows] @ y_sample, allowed, group_m, min_fit)
    if sample_e.size == group_e * SAMPLE_GROUPS:
        x_sample = np.ascontiguousarray(x_full[sample_e].T)
        for c0 in range(0, n_m, ROW_BLOCK):
            cols = np.arange(c0, min(n_m, c0 + ROW_BLOCK))
            allowed = (
                instance.mentee_level[None, sample_e] - instance.mentor_level[cols, None]
            ) >= instance.min_gap
            sigma[cols] = _sample_thresholds(y_full[cols] @ x_sample, allowed, group_e, min_fit)

    mentee_parts: list[tuple[IntArray, IntArray, IntArray]] = []
    mentor_parts: list[tuple[IntArray, IntArray, IntArray]] = []
    redo_rows: list[IntArray] = []
    scan = PairScan(instance)
    for hits in scan.scan(row_threshold=tau, col_threshold=sigma, mode="or", progress=progress):
        r, c, f = hits.mentee, hits.mentor, hits.value
        ok = _eligible(instance, r, c, f)
        r, c, f = r[ok], c[ok], f[ok]
        # Mentor side: keep what clears the mentor's threshold, select at the end.
        keep = f >= sigma[c]
        mentor_parts.append((r[keep], c[keep], f[keep]))
        # Mentee side: these rows are complete now.
        block = hits.rows
        counts = np.bincount(r[f >= tau[r]], minlength=n_e)[block]
        redo = block[(counts < k) & (tau[block] > min_fit)]
        if redo.size:
            redo_rows.append(redo)
            drop = np.isin(r, redo)
            r, c, f = r[~drop], c[~drop], f[~drop]
        mentee_parts.append(_top_k(r, c, f, k))
    if redo_rows:
        mentee_parts.append(dense_rows(instance, np.concatenate(redo_rows), keep=k))
    me_r, me_c, me_f = _top_k(*_concat(mentee_parts), k)
    # Mentor side: exact where at least k survivors clear the mentor's threshold.
    mo_r, mo_c, mo_f = _concat(mentor_parts)
    counts = np.bincount(mo_c, minlength=n_m)
    redo_cols = np.flatnonzero((counts < k) & (sigma > min_fit))
    if redo_cols.size:
        drop = np.isin(mo_c, redo_cols)
        mo_r, mo_c, mo_f = _concat(
            [(mo_r[~drop], mo_c[~drop], mo_f[~drop]), dense_columns(instance, redo_cols, keep=k)]
        )
    mo_c, mo_r, mo_f = _top_k(mo_c, mo_r, mo_f, k)

    mentee_threshold, last_mentor = _kth(me_r, me_c, me_f, n_e, k)
    mentor_threshold, _ = _kth(mo_c, mo_r, mo_f, n_m, k)
    # Union: a mentor-side entry is already listed on the mentee side exactly when it
    # ranks within that mentee's k best (fit desc, then mentor asc) — no sort needed.
    t = mentee_threshold[mo_r]
    listed = (t < 0) | (mo_f > t) | ((mo_f == t) & (mo_c <= last_mentor[mo_r]))
    return Candidates(
        mentee=np.concatenate([me_r, mo_r[~listed]]),
        mentor=np.concatenate([me_c, mo_c[~listed]]),
        fit=np.concatenate([me_f, mo_f[~listed]]),
        mentee_threshold=mentee_threshold,
        mentor_threshold=mentor_threshold,
        complete=False,
        mentee_lists=len(me_r),
    )


def _kth(
    owner: IntArray, other: IntArray, fits: IntArray, n: int, k: int
) -> tuple[IntArray, IntArray]:
    """Per owner (lists sorted best first): fit and partner of the k-th entry, or −1 with fewer."""
    out = np.full(n, -1, dtype=np.int64)
    partner = np.full(n, -1, dtype=np.int64)
    counts = np.bincount(owner, minlength=n)
    last = np.cumsum(counts) - 1
    full = counts >= k
    out[full] = fits[last[full]]
    partner[full] = other[last[full]]
    return out, partner
