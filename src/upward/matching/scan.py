"""Scanning every mentee × mentor pair without storing any of them.

Several questions need a look at all pairs — each person's best k, whether any
pair could improve the matching at the current prices, which pairs block a
matching — and each has the same shape: "which pairs have a fit at or above a
per-mentee and/or per-mentor threshold?". This module answers it tile by tile:
an exact integer matrix product (see `scoring`) of a few hundred mentees with
a thousand or so mentors, one or two comparisons, and only the hits leave the
tile. Tiles stay in cache, so the comparison costs little more than the product.

Both sides are laid out by time zone. Within a tile the working-hours part of
fit is a single number, so it moves into the thresholds instead of costing a
column of arithmetic per zone, and tiles whose best possible fit cannot reach
a threshold are skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt
from threadpoolctl import ThreadpoolController

from upward.matching.instance import Instance

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
Progress = Callable[[int], None]
Mode = Literal["or", "and", "row", "col"]
T = TypeVar("T")
R = TypeVar("R")

#: Tile of the product: small enough to stay in cache between the product and the tests.
TILE_ROWS = 768
TILE_COLS = 1536
#: Thresholds are clipped to this magnitude so float32 holds them exactly.
_CLIP = 1 << 23


@dataclass
class Hits:
    """Pairs found in one block of mentee rows: indices and the scanned value (fit or reduced)."""

    mentee: IntArray
    mentor: IntArray
    value: IntArray
    rows: IntArray  # the mentees of this block (all of them, hits or not)


class PairScan:
    """A subset of mentees × a subset of mentors, laid out for scanning."""

    def __init__(
        self,
        instance: Instance,
        mentees: IntArray | None = None,
        mentors: IntArray | None = None,
    ) -> None:
        feats = instance.features
        zone0 = feats.zone_offset
        e_all = np.arange(instance.n_mentees) if mentees is None else np.asarray(mentees)
        m_all = np.arange(instance.n_mentors) if mentors is None else np.asarray(mentors)
        ze, zm = feats.mentee_zone[e_all], feats.mentor_zone[m_all]
        self.mentees = e_all[np.lexsort((e_all, ze))].astype(np.int64)
        self.mentors = m_all[np.lexsort((m_all, zm))].astype(np.int64)
        self.zone_e = feats.mentee_zone[self.mentees]
        self.zone_m = feats.mentor_zone[self.mentors]
        self.table = feats.zone_units
        # One spare column carries a per-mentor offset (prices) when a scan needs one.
        self.x = np.zeros((self.mentees.size, zone0 + 1), dtype=np.float32)
        self.x[:, :zone0] = feats.mentee_x[self.mentees, :zone0]
        self.x[:, zone0] = 1
        self.yt = np.zeros((zone0 + 1, self.mentors.size), dtype=np.float32)
        self.yt[:zone0] = feats.mentor_y[self.mentors, :zone0].T
        self._x_bound = self.x[:, :zone0] @ (
            self.yt[:zone0].max(axis=1) if self.mentors.size else np.zeros(zone0, np.float32)
        )
        self._y_bound = (
            self.x[:, :zone0].max(axis=0) if self.mentees.size else np.zeros(zone0, np.float32)
        ) @ self.yt[:zone0]
        self.e_edges = np.flatnonzero(np.r_[True, self.zone_e[1:] != self.zone_e[:-1], True])
        self.m_edges = np.flatnonzero(np.r_[True, self.zone_m[1:] != self.zone_m[:-1], True])
        if self.mentees.size == 0:
            self.e_edges = np.zeros(1, dtype=np.int64)
        if self.mentors.size == 0:
            self.m_edges = np.zeros(1, dtype=np.int64)

    @property
    def pairs(self) -> int:
        return int(self.mentees.size) * int(self.mentors.size)

    def scan(
        self,
        *,
        row_threshold: IntArray | None = None,
        col_threshold: IntArray | None = None,
        mode: Mode = "or",
        col_offset: IntArray | None = None,
        plain_row_threshold: IntArray | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Hits]:
        """Yield, per block of mentees, the pairs whose value passes the thresholds.

        Thresholds are given per mentee / per mentor (indexed by instance index)
        and compared with ≥. The value is fit, minus `col_offset[mentor]` when
        given (clipped to [0, 2**22]: a larger offset can only hide pairs that
        the caller re-checks in exact integers anyway). `mode` "or": either
        threshold; "and": both; "row": the mentee threshold alone; "col": the mentor's alone.
        `plain_row_threshold` (modes "or" and "row") adds a third test, on the value *plus*
        the offset — plain fit when the offset is a price — so one product serves a list
        ranked by reduced fit and one ranked by plain fit.
        """
        big = np.int64(_CLIP)
        row_t = (
            np.clip(row_threshold[self.mentees], -big, big)
            if row_threshold is not None
            else np.full(self.mentees.size, big, dtype=np.int64)
        )
        col_t = (
            np.clip(col_threshold[self.mentors], -big, big)
            if col_threshold is not None
            else np.full(self.mentors.size, big, dtype=np.int64)
        )
        offset = (
            np.clip(col_offset[self.mentors], 0, 1 << 22)
            if col_offset is not None
            else np.zeros(self.mentors.size, dtype=np.int64)
        )
        offset_f = offset.astype(np.float32)
        self.yt[-1] = -offset_f
        plain = plain_row_threshold is not None
        if plain and mode not in ("or", "row"):
            raise ValueError("a plain row threshold widens the hits: modes 'or' and 'row' only")
        plain_t = (
            np.clip(plain_row_threshold[self.mentees], -big, big)
            if plain_row_threshold is not None
            else np.full(self.mentees.size, big, dtype=np.int64)
        )
        plain_slack = self._x_bound.astype(np.int64) - plain_t
        row_slack = self._x_bound.astype(np.int64) - row_t
        col_slack = self._y_bound.astype(np.int64) - offset - col_t
        min_offset = int(offset.min()) if offset.size else 0
        out_buf = np.empty(TILE_ROWS * TILE_COLS, dtype=np.float32)
        row_buf = np.empty(TILE_ROWS * TILE_COLS, dtype=bool)
        col_buf = np.empty(TILE_ROWS * TILE_COLS, dtype=bool)
        plain_buf = np.empty(TILE_ROWS * TILE_COLS, dtype=bool) if plain else col_buf
        bar_buf = np.empty(TILE_ROWS * TILE_COLS, dtype=np.float32) if plain else out_buf
        use_rows = mode in ("or", "and", "row")
        use_cols = mode in ("or", "and", "col")
        for a0, a1 in zip(self.e_edges[:-1], self.e_edges[1:], strict=True):
            za = int(self.zone_e[a0])
            for r0 in range(int(a0), int(a1), TILE_ROWS):
                r1 = min(int(a1), r0 + TILE_ROWS)
                nr = r1 - r0
                xb = self.x[r0:r1]
                found_r: list[IntArray] = []
                found_c: list[IntArray] = []
                found_v: list[IntArray] = []
                row_best = int(row_slack[r0:r1].max())
                plain_best = int(plain_slack[r0:r1].max())
                for b0, b1 in zip(self.m_edges[:-1], self.m_edges[1:], strict=True):
                    shift = int(self.table[za, self.zone_m[b0]])
                    row_ok = row_best + shift - min_offset >= 0
                    t_row = (row_t[r0:r1] - shift).astype(np.float32)[:, None]
                    plain_ok = plain and plain_best + shift >= 0
                    t_plain = (plain_t[r0:r1] - shift).astype(np.float32)[:, None]
                    for c0 in range(int(b0), int(b1), TILE_COLS):
                        c1 = min(int(b1), c0 + TILE_COLS)
                        nc = c1 - c0
                        col_ok = int(col_slack[c0:c1].max()) + shift >= 0
                        if mode == "or" and not (row_ok or col_ok or plain_ok):
                            continue
                        if mode == "and" and not (row_ok and col_ok):
                            continue
                        if mode == "row" and not (row_ok or plain_ok):
                            continue
                        if mode == "col" and not col_ok:
                            continue
                        s = out_buf[: nr * nc].reshape(nr, nc)
                        np.matmul(xb, self.yt[:, c0:c1], out=s)
                        hr = row_buf[: nr * nc].reshape(nr, nc)
                        if use_rows:
                            np.greater_equal(s, t_row, out=hr)
                        if use_cols:
                            hc = col_buf[: nr * nc].reshape(nr, nc)
                            t_col = (col_t[c0:c1] - shift).astype(np.float32)[None, :]
                            np.greater_equal(s, t_col, out=hc)
                            if mode == "col":
                                hr = hc
                            elif mode == "or":
                                np.logical_or(hr, hc, out=hr)
                            else:
                                np.logical_and(hr, hc, out=hr)
                        if plain_ok:
                            # value + offset ≥ t  ⟺  value ≥ t − offset
                            bar = bar_buf[: nr * nc].reshape(nr, nc)
                            np.subtract(t_plain, offset_f[None, c0:c1], out=bar)
                            hp = plain_buf[: nr * nc].reshape(nr, nc)
                            np.greater_equal(s, bar, out=hp)
                            np.logical_or(hr, hp, out=hr)
                        hits = np.flatnonzero(hr)
                        if hits.size == 0:
                            continue
                        found_r.append(r0 + hits // nc)
                        found_c.append(c0 + hits % nc)
                        found_v.append(s.ravel()[hits].astype(np.int64) + shift)
                rows = self.mentees[r0:r1]
                if found_r:
                    yield Hits(
                        mentee=self.mentees[np.concatenate(found_r)],
                        mentor=self.mentors[np.concatenate(found_c)],
                        value=np.concatenate(found_v),
                        rows=rows,
                    )
                else:
                    empty = np.zeros(0, dtype=np.int64)
                    yield Hits(mentee=empty, mentor=empty.copy(), value=empty.copy(), rows=rows)
                if progress is not None:
                    progress(nr)


class _SingleThreadedBlas:
    """BLAS held to one thread while any two-core loop runs, restored after the last one.

    threadpoolctl's limit is process-wide, so two loops on different threads (the stable
    matching runs beside the optimum) must share one limit: the first in sets it, the
    last out restores it. Finding the BLAS libraries takes a few milliseconds, so the
    controller is made once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._controller: ThreadpoolController | None = None
        self._limit: object | None = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                if self._controller is None:
                    self._controller = ThreadpoolController()
                self._limit = self._controller.limit(limits=1, user_api="blas")
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._limit is not None:
                    self._limit.restore_original_limits()  # type: ignore[attr-defined]
                    self._limit = None


single_threaded_blas = _SingleThreadedBlas()


def map_both_cores(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[work(item) for item in items]` on two threads, each with a single-threaded BLAS.

    For loops of products and comparisons over independent blocks: numpy releases the
    GIL in both, so the two threads keep both cores busy. Results keep the items' order.
    """
    with single_threaded_blas(), ThreadPoolExecutor(2) as pool:
        return list(pool.map(work, items))


def scan_both_cores(
    instance: Instance,
    consume: Callable[[Hits], None],
    *,
    mentees: IntArray | None = None,
    progress: Progress | None = None,
    **scan_options: object,
) -> None:
    """`PairScan(instance, mentees).scan(...)` on two cores, each hit block to `consume`.

    The mentees are dealt into two halves, each scanned by its own thread with a
    single-threaded BLAS: the products and the comparisons then both run two at a time,
    where one scan with a two-threaded BLAS leaves a core idle during the comparisons
    (measured 2.1 s against 2.7 s at 50,000 × 50,000). `consume` is called from both
    threads. Progress is reported from the calling thread only (callers may write it to
    a database): its own half as it goes, the other half at the end.
    """
    rows = np.arange(instance.n_mentees) if mentees is None else np.asarray(mentees)
    halves = (rows[0::2], rows[1::2])

    def run(half: IntArray, report: Progress | None) -> int:
        for hits in PairScan(instance, half).scan(**scan_options):  # type: ignore[arg-type]
            consume(hits)
            if report is not None:
                report(int(hits.rows.size))
        return int(half.size)

    with single_threaded_blas(), ThreadPoolExecutor(1) as helper:
        other = helper.submit(run, halves[1], None)
        run(halves[0], progress)
        done = other.result()
    if progress is not None:
        progress(done)
