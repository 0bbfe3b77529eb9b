"""Chart geometry: every bar, whisker and label stays inside the drawing."""

from __future__ import annotations

from upward.insights import charts

#: A generous width per character of chart text, in chart units (the CSS uses ~12 px text).
CHAR = 7


def test_the_text_at_a_full_bars_end_fits_inside_the_chart() -> None:
    chart = charts.hbars(
        "Check-ins (1–5)",
        [("Useful", 5.0, "5.00 (n = 12)"), ("Open", 2.5, "2.50 (n = 12)")],
        scale_max=5,
        intervals=[(4.2, 5.0), (2.0, 3.0)],
    )
    for bar in chart.bars:
        assert bar.x + bar.width + 6 + CHAR * len(bar.text) <= chart.width
        assert bar.high is not None and bar.high <= chart.width


def test_the_last_columns_label_fits_inside_the_chart() -> None:
    rows = [(f"{day:02d} Nov", float(day), f"{day} held") for day in range(1, 27)]
    chart = charts.columns("Sessions held per week", rows, label_every=1)
    last = chart.bars[-1]
    assert last.x + CHAR * len(last.label) <= chart.width
    assert all(bar.x >= 0 and bar.x + bar.width <= chart.width for bar in chart.bars)


def test_a_suppressed_figure_draws_no_bar() -> None:
    chart = charts.hbars("Check-ins", [("Useful", None, "not enough responses")], scale_max=5)
    assert chart.bars[0].width == 0 and chart.bars[0].value is None


def test_a_fall_and_a_rise_sit_either_side_of_zero_with_their_intervals() -> None:
    chart = charts.change_bars(
        "Change per statement",
        [("Confidence", 1.0, "+1.00 (n = 6)", 0.5, 1.5),
         ("Understanding", -0.5, "-0.50 (n = 6)", -1.0, 0.0),
         ("Hidden", None, "not enough responses", None, None)],
    )  # fmt: skip
    rise, fall, hidden = chart.bars
    assert chart.zero is not None
    assert rise.x == chart.zero and rise.width > 0
    assert fall.x + fall.width == chart.zero and fall.width > 0
    assert abs(rise.width - 2 * fall.width) < 0.2  # +1.00 against −0.50, on one scale
    assert rise.low is not None and rise.high is not None and rise.low < rise.x + rise.width
    assert fall.high == chart.zero
    assert hidden.width == 0 and hidden.low is None
    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width + 6 + CHAR * len(bar.text) <= chart.width
