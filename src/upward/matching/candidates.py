"""The sparse candidate graph: each person's k best eligible partners, found exactly.

Why not score every pair and keep them? At 50,000 × 50,000 that is 2.5 billion
numbers. Why not sort each row? Selecting in 50,000 numbers per mentee costs
more than computing them. Instead every pair is scanned tile by tile (see
`scan`) and only entries at or above a per-person *threshold* are kept — one
comparison per pair and side.

The thresholds come from random samples of the other side split into
`SAMPLE_GROUPS` groups: the smallest of the group maxima. Each group maximum is
a distinct entry, so at least `SAMPLE_GROUPS` entries reach it; in expectation
a couple of hundred do. A person with at least k eligible survivors therefore
has their exact top-k among them (everything above the k-th best was kept); the
rare person with fewer is scored again in full. Nothing is approximate.

Mentees rank mentors by *reduced* fit, fit − price(mentor), when prices are
given. In a competitive market the best mentors are everyone's favourites; the
optimal pairing sends most leaders further down their list, to mentors whose
fit is high *for them* relative to what others would give up. Estimated prices
(see `prices`) put exactly those mentors into each mentee's list, and the
mentee's k-th best reduced fit bounds every pair left out — which is what the
optimality certificate uses. Mentors rank mentees by plain fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from upward.matching.instance import Instance
from upward.matching.model import FIT_SCALE
from upward.matching.scan import Hits, Mode, map_both_cores, scan_both_cores

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
Progress = Callable[[int], None]
Triple = tuple[IntArray, IntArray, IntArray]
Side = Literal["both", "mentees", "mentors"]
_SCAN_MODE: dict[Side, Mode] = {"both": "or", "mentees": "row", "mentors": "col"}
#: Threshold of a person whose every eligible partner is a candidate.
NO_THRESHOLD = -(1 << 40)

#: Subtracted from a sampled score when the seniority gap rules the pair out: below any
#: threshold, and fit − price − penalty stays within float32's exact integers (2**24).
GAP_PENALTY = 3 << 22
#: Above this many distinct mentee levels the rule is not folded into the product.
MAX_LEVEL_COLUMNS = 64
#: Sample groups; the threshold is the minimum of their maxima.
SAMPLE_GROUPS = 8
#: Expected rank of each group maximum; ~1 % of mentees need a full second look at k = 50.
SAMPLE_RANK = 60
ROW_BLOCK = 2048
_FIT_BITS = 22  # values (FIT_SCALE − reduced fit) up to 4.19 million
_COL_BITS = 21


@dataclass
class Candidates:
    """Candidate edges (mentee lists first), plus each side's exact k-th best value.

    `mentee_threshold[i]` is the reduced fit (fit − prices[mentor]) of mentee
    i's k-th best eligible mentor, so every eligible pair left out has a reduced
    fit at most that; `NO_THRESHOLD` means every eligible mentor of i is a
    candidate. `mentor_threshold[j]` is the plain fit of mentor j's k-th best
    eligible mentee, likewise.
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
    #: the mentor prices the mentee lists were ranked by (zeros: plain fit).
    prices: IntArray | None = None
    #: partner of each mentee's / mentor's k-th entry (ties at the threshold are cut by index).
    mentee_last: IntArray | None = None
    mentor_last: IntArray | None = None
    #: edges within each side's first few entries: the graph the solver starts from.
    core: npt.NDArray[np.bool_] | None = None
    #: the mentors' own top-k lists as (mentor, mentee, fit), sorted by mentor, best first.
    mentor_lists: tuple[IntArray, IntArray, IntArray] | None = None
    #: the mentees' lists ranked by plain fit, when asked for beside priced ones (`plain_k`):
    #: a mentee-side graph as `top_candidates(..., side="mentees")` builds it.
    plain: Candidates | None = None

    def contains(self, mentee: IntArray, mentor: IntArray, fit: IntArray) -> npt.NDArray[np.bool_]:
        """Whether eligible pairs are candidates, from the lists' thresholds alone (no search)."""
        if self.complete:
            return np.ones(mentee.shape, dtype=bool)
        assert self.prices is not None
        assert self.mentee_last is not None and self.mentor_last is not None
        red = fit - self.prices[mentor]
        t = self.mentee_threshold[mentee]
        on_mentee = (
            (t == NO_THRESHOLD) | (red > t) | ((red == t) & (mentor <= self.mentee_last[mentee]))
        )
        s = self.mentor_threshold[mentor]
        on_mentor = (
            (s == NO_THRESHOLD) | (fit > s) | ((fit == s) & (mentee <= self.mentor_last[mentor]))
        )
        return on_mentee | on_mentor

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


def _eligible(
    instance: Instance, rows: IntArray, cols: IntArray, fits: IntArray
) -> npt.NDArray[np.bool_]:
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
    instance: Instance,
    rows: IntArray,
    cols: IntArray,
    keep: int | None,
    *,
    by_row: bool,
    prices: IntArray | None = None,
) -> tuple[IntArray, IntArray, IntArray]:
    """Eligible pairs of a rows × cols block as (mentee, mentor, fit).

    With `keep`, only each row's (or column's) best: rows rank by fit − prices,
    columns by fit.
    """
    scores = instance.block_fits(rows, cols).astype(np.int64)
    bad = ~eligible_block(instance, rows, cols) | (scores < instance.min_fit)
    offset = prices[cols][None, :] if (prices is not None and by_row) else 0
    value = scores - offset
    floor = np.iinfo(np.int64).min
    value[bad] = floor
    if keep is not None:
        axis = 1 if by_row else 0
        width = value.shape[axis]
        if width > keep:
            kth = np.partition(value, width - keep, axis=axis).take(width - keep, axis=axis)
            value[value < np.expand_dims(kth, axis)] = floor
    hits = np.flatnonzero(value > floor)
    r = rows[hits // cols.size]
    c = cols[hits % cols.size]
    v = value.ravel()[hits]
    if keep is not None:
        if by_row:
            r, c, v = _top_k(r, c, v, keep)
        else:
            c, r, v = _top_k(c, r, v, keep)
    fit = v + (prices[c] if (prices is not None and by_row) else 0)
    return r, c, fit


def _concat(
    parts: list[tuple[IntArray, IntArray, IntArray]],
) -> tuple[IntArray, IntArray, IntArray]:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def dense_rows(
    instance: Instance,
    mentees: IntArray,
    *,
    keep: int | None,
    prices: IntArray | None = None,
) -> tuple[IntArray, IntArray, IntArray]:
    """Every eligible mentor of each given mentee (or its `keep` best by fit − prices)."""
    all_m = np.arange(instance.n_mentors, dtype=np.int64)
    step = max(1, (1 << 21) // max(1, instance.n_mentors))
    return _concat(
        [
            _dense(instance, mentees[i : i + step], all_m, keep, by_row=True, prices=prices)
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


def all_eligible(instance: Instance, *, core: int | None = None) -> Candidates:
    """Small instances: every eligible pair is a candidate; each side's best `core` start."""
    rows, cols, fits = dense_rows(
        instance, np.arange(instance.n_mentees, dtype=np.int64), keep=None
    )
    in_core = np.ones(len(rows), dtype=bool)
    if core is not None and rows.size:
        # Rank every pair within its mentee's and its mentor's list (fit desc, index asc).
        key_e = (rows << (_FIT_BITS + _COL_BITS)) | ((FIT_SCALE - fits) << _COL_BITS) | cols
        order_e = np.argsort(key_e, kind="stable")
        rank_e = np.empty(rows.size, dtype=np.int64)
        rank_e[order_e] = _rank(rows[order_e])
        key_m = (cols << (_FIT_BITS + _COL_BITS)) | ((FIT_SCALE - fits) << _COL_BITS) | rows
        order_m = np.argsort(key_m, kind="stable")
        rank_m = np.empty(rows.size, dtype=np.int64)
        rank_m[order_m] = _rank(cols[order_m])
        in_core = (rank_e < core) | (rank_m < core)
    return Candidates(
        mentee=rows,
        mentor=cols,
        fit=fits,
        mentee_threshold=np.full(instance.n_mentees, NO_THRESHOLD, dtype=np.int64),
        mentor_threshold=np.full(instance.n_mentors, NO_THRESHOLD, dtype=np.int64),
        complete=True,
        mentee_lists=len(rows),
        prices=np.zeros(instance.n_mentors, dtype=np.int64),
        core=in_core,
    )


def _sample_thresholds(scores: npt.NDArray[np.float32], group: int, floor: int) -> IntArray:
    """Per row: the smallest of SAMPLE_GROUPS group maxima (at least `floor`)."""
    rows = scores.shape[0]
    maxima = scores[:, : group * SAMPLE_GROUPS].reshape(rows, SAMPLE_GROUPS, group).max(axis=2)
    return np.maximum(maxima.min(axis=1).astype(np.int64), floor)


def with_seniority(instance: Instance) -> tuple[FloatArray, FloatArray, bool]:
    """Both sides' fit vectors with the seniority rule folded into the product.

    Mentees get a one-hot column per level, mentors a matching row that is 0 where the
    gap is wide enough and −GAP_PENALTY where it is not, so a ruled-out pair scores far
    below any threshold without a mask. With too many distinct levels the vectors come
    back plain (and the flag False): callers that need the rule then apply it as a mask;
    samples simply include ruled-out pairs, which costs a few more rows scored in full,
    never a wrong list.
    """
    x, y = instance.features.mentee_x, instance.features.mentor_y
    levels, code = np.unique(instance.mentee_level, return_inverse=True)
    if levels.size > MAX_LEVEL_COLUMNS:
        return x, y, False
    one_hot = np.zeros((instance.n_mentees, levels.size), dtype=np.float32)
    one_hot[np.arange(instance.n_mentees), code] = 1
    allowed = (levels[None, :] - instance.mentor_level[:, None]) >= instance.min_gap
    penalty = np.where(allowed, 0, -GAP_PENALTY).astype(np.float32)
    return np.hstack([x, one_hot]), np.hstack([y, penalty]), True


def top_candidates(
    instance: Instance,
    k: int,
    *,
    prices: IntArray | None = None,
    core: int | None = None,
    mentee_k: int | None = None,
    side: Side = "both",
    plain_k: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> Candidates:
    """Each mentee's k best eligible mentors by fit − prices, each mentor's k best by fit.

    `core` marks the edges within each side's first `core` entries (all when None);
    `mentee_k` makes the mentees' lists longer than the mentors' (default k). With
    `side` "mentees" or "mentors" only that side's lists are built (the other side's
    come back empty, with the vacuous threshold FIT_SCALE + 1): half the work when only
    one is needed. With `prices` and `plain_k`, the same products also give each mentee's
    `plain_k` best by plain fit (`Candidates.plain`), which the stable matching ranks by:
    one scan where two would cost nearly twice as much.
    """
    k_e = k if mentee_k is None else mentee_k
    n_e, n_m = instance.n_mentees, instance.n_mentors
    x_full, y_full, _ = with_seniority(instance)  # only the samples use these
    min_fit = instance.min_fit
    price = (
        np.zeros(n_m, dtype=np.int64)
        if prices is None
        else np.clip(prices, 0, FIT_SCALE).astype(np.int64)
    )
    # Below this reduced fit no eligible pair can lie: a mentee at the floor keeps everyone.
    row_floor = min_fit - int(price.max(initial=0))
    rng = np.random.default_rng(seed)
    plain = plain_k is not None and prices is not None and side == "both"
    tau_plain = np.full(n_e, min_fit, dtype=np.int64)

    # Thresholds from random samples of the other side (group maxima, see module doc).
    group_m = max(1, n_m * k // (SAMPLE_RANK * k_e))  # deeper lists need a lower threshold
    sample_m = rng.permutation(n_m)[: group_m * SAMPLE_GROUPS]
    group_e = max(1, n_e // SAMPLE_RANK)
    sample_e = rng.permutation(n_e)[: group_e * SAMPLE_GROUPS]
    tau = np.full(n_e, row_floor, dtype=np.int64)
    sigma = np.full(n_m, min_fit, dtype=np.int64)
    if side == "mentors":
        tau[:] = FIT_SCALE + 1  # above any reduced fit: no mentee side
    if side == "mentees":
        sigma[:] = 2 * FIT_SCALE + 1  # above any fit, even with the price offset: no mentor side
    if sample_m.size == group_m * SAMPLE_GROUPS and side != "mentors":
        y_sample = np.ascontiguousarray(y_full[sample_m].T)
        p_sample = price[sample_m].astype(np.float32)[None, :]

        def row_thresholds(r0: int) -> None:
            rows = np.arange(r0, min(n_e, r0 + ROW_BLOCK))
            product = x_full[rows] @ y_sample
            if plain:
                tau_plain[rows] = _sample_thresholds(product, group_m, min_fit)
            tau[rows] = _sample_thresholds(product - p_sample, group_m, row_floor)

        map_both_cores(row_thresholds, range(0, n_e, ROW_BLOCK))
    if sample_e.size == group_e * SAMPLE_GROUPS and side != "mentees":
        x_sample = np.ascontiguousarray(x_full[sample_e].T)

        def column_thresholds(c0: int) -> None:
            cols = np.arange(c0, min(n_m, c0 + ROW_BLOCK))
            sigma[cols] = _sample_thresholds(y_full[cols] @ x_sample, group_e, min_fit)

        map_both_cores(column_thresholds, range(0, n_m, ROW_BLOCK))

    mentee_parts: list[tuple[IntArray, IntArray, IntArray]] = []
    mentor_parts: list[tuple[IntArray, IntArray, IntArray]] = []
    redo_rows: list[IntArray] = []
    is_redo = np.zeros(n_e, dtype=bool)
    plain_parts: list[tuple[IntArray, IntArray, IntArray]] = []
    plain_redo: list[IntArray] = []
    is_plain_redo = np.zeros(n_e, dtype=bool)

    def consume_plain(r: IntArray, c: IntArray, f: IntArray, block: IntArray) -> None:
        assert plain_k is not None
        keep = f >= tau_plain[r]
        counts = np.bincount(r[keep], minlength=n_e)[block]
        redo = block[(counts < plain_k) & (tau_plain[block] > min_fit)]
        if redo.size:
            plain_redo.append(redo)
            is_plain_redo[redo] = True
        keep &= ~is_plain_redo[r]
        plain_parts.append(_top_k(r[keep], c[keep], f[keep], plain_k))

    def consume(hits: Hits) -> None:
        r, c = hits.mentee, hits.mentor
        reduced = hits.value
        f = reduced + price[c]
        ok = _eligible(instance, r, c, f)
        r, c, f, reduced = r[ok], c[ok], f[ok], reduced[ok]
        if plain:
            consume_plain(r, c, f, hits.rows)
        # Mentor side: keep what clears the mentor's threshold, select at the end.
        if side != "mentees":
            keep = f >= sigma[c]
            mentor_parts.append((r[keep], c[keep], f[keep]))
        if side == "mentors":
            return
        # Mentee side: these rows are complete now.
        block = hits.rows
        counts = np.bincount(r[reduced >= tau[r]], minlength=n_e)[block]
        redo = block[(counts < k_e) & (tau[block] > row_floor)]
        if redo.size:
            redo_rows.append(redo)
            is_redo[redo] = True  # rows of one block: the two scanning threads never share
            drop = is_redo[r]
            r, c, reduced = r[~drop], c[~drop], reduced[~drop]
        mentee_parts.append(_top_k(r, c, reduced, k_e))

    scan_both_cores(
        instance,
        consume,
        row_threshold=tau,
        col_threshold=sigma - price,
        col_offset=price,
        mode=_SCAN_MODE[side],
        plain_row_threshold=tau_plain if plain else None,
        progress=progress,
    )
    # Mentor side: exact where at least k survivors clear the mentor's threshold.
    counts = np.zeros(n_m, dtype=np.int64)
    for part in mentor_parts:
        counts += np.bincount(part[1], minlength=n_m)
    redo_col = (counts < k) & (sigma > min_fit) & (side != "mentees")
    redo_mentors = np.flatnonzero(redo_col)

    # The selections left are independent sorts (numpy releases the GIL): run them on both
    # cores — each half of the mentors, the mentees, and the plain lists.
    def finish_mentees() -> Triple:
        parts = mentee_parts
        if redo_rows:
            r, c, f = dense_rows(instance, np.concatenate(redo_rows), keep=k_e, prices=price)
            parts = [*parts, (r, c, f - price[c])]
        return _top_k(*_concat(parts), k_e)

    def finish_plain() -> Triple:
        assert plain_k is not None
        parts = plain_parts
        if plain_redo:
            parts = [*parts, dense_rows(instance, np.concatenate(plain_redo), keep=plain_k)]
        return _top_k(*_concat(parts), plain_k)

    def finish_mentors(low: int, high: int) -> Triple:
        parts = []
        for r, c, f in mentor_parts:
            mine = (c >= low) & (c < high) & ~redo_col[c]
            parts.append((r[mine], c[mine], f[mine]))
        redo = redo_mentors[(redo_mentors >= low) & (redo_mentors < high)]
        if redo.size:
            parts.append(dense_columns(instance, redo, keep=k))
        mo_r, mo_c, mo_f = _concat(parts)
        return _top_k(mo_c, mo_r, mo_f, k)  # (mentor, mentee, fit)

    half = n_m // 2
    tasks: list[Callable[[], Triple]] = [
        lambda: finish_mentors(0, half),
        lambda: finish_mentors(half, n_m),
        finish_mentees,
    ]
    if plain:
        tasks.append(finish_plain)
    finished = map_both_cores(lambda task: task(), tasks)
    me_r, me_c, me_red = finished[2]
    mo_c, mo_r, mo_f = (np.concatenate(pair) for pair in zip(finished[0], finished[1], strict=True))

    mentee_threshold, last_mentor = _kth(me_r, me_c, me_red, n_e, k_e)
    mentor_threshold, last_mentee = _kth(mo_c, mo_r, mo_f, n_m, k)
    # A side not built knows nothing: its bound is the vacuous one, above any fit.
    if side == "mentors":
        mentee_threshold[:] = FIT_SCALE + 1
    if side == "mentees":
        mentor_threshold[:] = FIT_SCALE + 1
    # Union: a mentor-side entry is already listed on the mentee side exactly when it
    # ranks within that mentee's k best (reduced fit desc, then mentor asc) — no sort needed.
    t = mentee_threshold[mo_r]
    mo_red = mo_f - price[mo_c]
    listed = (t == NO_THRESHOLD) | (mo_red > t) | ((mo_red == t) & (mo_c <= last_mentor[mo_r]))
    depth = max(k, k_e) if core is None else min(core, k)
    me_core = _rank(me_r) < depth
    mo_core = _rank(mo_c) < depth
    # A mentor's core entry that is listed on the mentee side is marked there instead.
    mo_core_listed = mo_core & listed
    if mo_core_listed.any():
        # Find those entries by sorting packed (pair key, position) integers.
        bits = max(1, int(me_r.size).bit_length())
        packed = np.sort(((me_r * n_m + me_c) << bits) | np.arange(me_r.size))
        keys = packed >> bits
        wanted = mo_r[mo_core_listed] * n_m + mo_c[mo_core_listed]
        me_core[packed[np.searchsorted(keys, wanted)] & ((1 << bits) - 1)] = True
    plain_lists = None
    if plain:
        assert plain_k is not None
        pl_r, pl_c, pl_f = finished[3]
        pl_threshold, pl_last = _kth(pl_r, pl_c, pl_f, n_e, plain_k)
        plain_lists = Candidates(
            mentee=pl_r,
            mentor=pl_c,
            fit=pl_f,
            mentee_threshold=pl_threshold,
            mentor_threshold=np.full(n_m, FIT_SCALE + 1, dtype=np.int64),
            complete=False,
            mentee_lists=len(pl_r),
            prices=np.zeros(n_m, dtype=np.int64),
            mentee_last=pl_last,
            mentor_last=np.full(n_m, -1, dtype=np.int64),
        )
    return Candidates(
        mentee=np.concatenate([me_r, mo_r[~listed]]),
        mentor=np.concatenate([me_c, mo_c[~listed]]),
        fit=np.concatenate([me_red + price[me_c], mo_f[~listed]]),
        mentee_threshold=mentee_threshold,
        mentor_threshold=mentor_threshold,
        complete=False,
        mentee_lists=len(me_r),
        prices=price,
        mentee_last=last_mentor,
        mentor_last=last_mentee,
        core=np.concatenate([me_core, mo_core[~listed]]),
        mentor_lists=(mo_c, mo_r, mo_f),
        plain=plain_lists,
    )


def with_mentor_lists(mentee_side: Candidates, donor: Candidates) -> Candidates:
    """Mentee lists of one graph joined with the mentor lists of another.

    Mentors rank by plain fit in every graph, so the optimum's mentor lists serve the
    stable matching too, which then only builds its mentees' plain lists
    (`top_candidates(..., side="mentees")`). Mentor entries already on the mentee side
    are dropped, as in `top_candidates`.
    """
    assert donor.mentor_lists is not None and donor.mentor_last is not None
    assert mentee_side.mentee_last is not None and mentee_side.prices is not None
    mo_c, mo_r, mo_f = donor.mentor_lists
    n = mentee_side.mentee_lists
    me_r, me_c, me_f = mentee_side.mentee[:n], mentee_side.mentor[:n], mentee_side.fit[:n]
    t = mentee_side.mentee_threshold[mo_r]
    red = mo_f - mentee_side.prices[mo_c]
    last = mentee_side.mentee_last[mo_r]
    listed = (t == NO_THRESHOLD) | (red > t) | ((red == t) & (mo_c <= last))
    return replace(
        mentee_side,
        mentee=np.concatenate([me_r, mo_r[~listed]]),
        mentor=np.concatenate([me_c, mo_c[~listed]]),
        fit=np.concatenate([me_f, mo_f[~listed]]),
        mentor_threshold=donor.mentor_threshold,
        mentor_last=donor.mentor_last,
        core=None,
        mentor_lists=donor.mentor_lists,
    )


def _rank(owner: IntArray) -> IntArray:
    """Position of each entry within its owner's run (lists sorted by owner)."""
    if owner.size == 0:
        return owner
    first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    counts = np.diff(np.r_[first, owner.size])
    return np.arange(owner.size) - np.repeat(first, counts)


def _kth(
    owner: IntArray, other: IntArray, values: IntArray, n: int, k: int
) -> tuple[IntArray, IntArray]:
    """Per owner (lists sorted best first): value and partner of the k-th entry.

    `NO_THRESHOLD` (and partner −1) for owners with fewer than k entries.
    """
    out = np.full(n, NO_THRESHOLD, dtype=np.int64)
    partner = np.full(n, -1, dtype=np.int64)
    counts = np.bincount(owner, minlength=n)
    last = np.cumsum(counts) - 1
    full = counts >= k
    out[full] = values[last[full]]
    partner[full] = other[last[full]]
    return out, partner
