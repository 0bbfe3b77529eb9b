"""Charts as plain SVG geometry, computed here and drawn by templates: no JavaScript,
nothing to download, printable, and readable by screen readers (every chart also
has its numbers in a table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not enough responses
    text: str
    x: float
    y: float
    width: float
    height: float
    low: float | None = None  # whisker ends (confidence interval), in chart units
    high: float | None = None


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    horizontal: bool
    #: Columns: every how many columns a label is written under the axis.
    label_every: int = 4
    #: Columns: the value written above each column.
    values_shown: bool = False
    #: Bars either side of zero: where zero is (a vertical line is drawn there).
    zero: float | None = None


def hbars(
    title: str,
    rows: Sequence[tuple[str, float | None, str]],
    *,
    scale_max: float | None = None,
    intervals: Sequence[tuple[float | None, float | None]] | None = None,
    width: int = 560,
    row_height: int = 26,
) -> Chart:
    """Horizontal bars, one row each: (label, value, text shown at the bar's end)."""
    # Room on the right for the longest text at a full bar's end, e.g. "4.00 (n = 12)".
    label_w, pad = 190, 110
    top = max((v for _, v, _ in rows if v is not None), default=0.0)
    span = scale_max or top or 1.0
    usable = width - label_w - pad
    bars = []
    for i, (label, value, text) in enumerate(rows):
        w = 0.0 if value is None else usable * max(value, 0.0) / span
        low = high = None
        if intervals is not None and intervals[i][0] is not None and intervals[i][1] is not None:
            low = label_w + usable * max(intervals[i][0] or 0.0, 0.0) / span
            high = label_w + usable * min(intervals[i][1] or 0.0, span) / span
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=label_w,
                y=i * row_height + 4,
                width=round(w, 1),
                height=row_height - 8,
                low=low,
                high=high,
            )  # fmt: skip
        )
    return Chart(title=title, bars=tuple(bars), width=width, height=len(rows) * row_height + 8,
                 horizontal=True)  # fmt: skip


def change_bars(
    title: str,
    rows: Sequence[tuple[str, float | None, str, float | None, float | None]],
    *,
    width: int = 560,
    row_height: int = 26,
) -> Chart:
    """Bars either side of zero: (label, change, text, interval low, interval high).

    A change on a 1–5 scale lies within ±4; the scale is symmetric around zero, as wide
    as the largest interval end, so a fall reads as clearly as a rise.
    """
    label_w, pad = 190, 110
    ends = [abs(x) for _, v, _, lo, hi in rows for x in (v, lo, hi) if x is not None]
    span = max(ends, default=1.0) or 1.0
    half = (width - label_w - pad) / 2
    zero = label_w + half

    def at(value: float) -> float:
        return round(zero + half * max(-span, min(value, span)) / span, 1)

    bars = []
    for i, (label, value, text, low, high) in enumerate(rows):
        start = zero if value is None else min(zero, at(value))
        end = zero if value is None else max(zero, at(value))
        whisker = low is not None and high is not None and value is not None
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=start,
                y=i * row_height + 4,
                width=round(end - start, 1),
                height=row_height - 8,
                low=at(low) if whisker and low is not None else None,
                high=at(high) if whisker and high is not None else None,
            )  # fmt: skip
        )
    return Chart(title=title, bars=tuple(bars), width=width, height=len(rows) * row_height + 8,
                 horizontal=True, zero=zero)  # fmt: skip


#: The widest a column's slot gets (in chart units), however few the columns.
MAX_SLOT = 70.0
#: Chart units kept free right of the last column, for its label.
LABEL_ROOM = 40


def columns(
    title: str,
    rows: Sequence[tuple[str, float | None, str]],
    *,
    scale_min: float = 0.0,
    scale_max: float | None = None,
    width: int = 560,
    height: int = 160,
    label_every: int = 4,
    values_shown: bool = False,
) -> Chart:
    """Vertical columns (a time series): (label, value, text); a value of None (not
    enough responses) leaves its slot empty, with the text in its tooltip. A 1–5 scale
    starts at 1 (`scale_min`): a column of 0 height means the lowest answer."""
    top = scale_max or max((v for _, v, _ in rows if v is not None), default=0.0) or 1.0
    span = (top - scale_min) or 1.0
    n = max(len(rows), 1)
    # The last label ("24 Nov") starts at its column and needs room to the right.
    slot = min((width - LABEL_ROOM) / n, MAX_SLOT)  # a few months stay columns, not slabs
    room = height - 30 - (12 if values_shown else 0)
    bars = []
    for i, (label, value, text) in enumerate(rows):
        share = 0.0 if value is None else min(max(value - scale_min, 0.0), span) / span
        h = room * share
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=round(i * slot + 2, 1),
                y=round(height - 20 - h, 1),
                width=round(slot - 4, 1),
                height=round(h, 1),
            )  # fmt: skip
        )
    return Chart(
        title=title,
        bars=tuple(bars),
        width=width,
        height=height,
        horizontal=False,
        label_every=label_every,
        values_shown=values_shown,
    )
