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
