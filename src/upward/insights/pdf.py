"""The program report as a PDF: the sponsor's report, to download, print or forward.

Built from `report_context(program)` — the same aggregates the dashboard shows — and
nothing else, so it holds no names, notes, comments or single answers whoever
downloads it: a PDF travels further than a page behind a login.

The report is a list of sections (`SECTIONS`), each a small function that draws one
part from the context and draws nothing when its key is absent, so a new figure in the
context is one new function. Charts are plain rectangles and labels, drawn here.

Text uses the PDF core fonts (nothing to install, no font file to ship); they cover
Windows-1252 only, so `plain` spells other characters (→, ≥, CJK, …) in ASCII.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from upward.feedback.aggregates import Breakdown, Figure
from upward.feedback.catalogue import CHECKIN_QUESTIONS
from upward.insights.charts import Chart
from upward.insights.views import report_context, reportable_program

SUPPRESSED = "not enough responses"
#: Group labels as people read them (the roles are stored as "mentee" and "mentor").
GROUP_NAMES = {"All": "Everyone", "mentee": "Leaders (mentees)", "mentor": "Mentors"}
QUESTION_NAMES = dict(CHECKIN_QUESTIONS)

# Geometry in millimetres (A4 portrait, 15 mm margins: 180 mm to draw in).
MARGIN = 15.0
ROW = 6.0  # one bar of a horizontal chart
LABEL_W = 58.0  # the labels left of horizontal bars
COLUMNS_H = 38.0  # the drawing height of a column chart

INK = (33, 37, 41)
MUTED = (108, 117, 125)
BAR = (46, 94, 140)
BAR_LIGHT = (173, 196, 219)
WHISKER = (20, 20, 20)
RULE = (206, 212, 218)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(233, 236, 239))

_ASCII = str.maketrans(
    {
        "→": "->", "←": "<-", "↔": "<->", "≥": ">=", "≤": "<=", "≠": "!=", "≈": "~",
        "−": "-", "✓": "v", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": "",
    }
)  # fmt: skip


def plain(text: str) -> str:
    """`text` in the core fonts' Windows-1252, the rest spelled in ASCII.

    Known symbols get their ASCII spelling; other letters lose their accents if that
    makes them Windows-1252 (ő → o), and anything still outside becomes "?" — a topic or
    program name in another script must not make the download fail.
    """
    out = []
    for char in text.translate(_ASCII):
        try:
            char.encode("windows-1252")
        except UnicodeEncodeError:
            stripped = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(stripped or "?")
        else:
            out.append(char)
    return "".join(out)


class ReportPDF(FPDF):
    """A4 pages with the program's name and the page number in the footer."""

    def __init__(self, *, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        # WinAnsiEncoding, which the core fonts are declared with: "–", "…", "€" print.
        self.core_fonts_encoding = "windows-1252"
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)
        self.set_text_color(*INK)

    def normalize_text(self, text: str) -> str:
        # Every string drawn or measured passes here: one place for the character set.
        return super().normalize_text(plain(text))

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font("Helvetica", size=7)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(MARGIN)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)


@dataclass(frozen=True)
class Bar:
    """One bar: its value (None when suppressed), the text beside it, its interval."""

    label: str
    value: float | None
    text: str
    low: float | None = None
    high: float | None = None


# --- drawing primitives ---------------------------------------------------------------


def _room(pdf: FPDF, height: float) -> None:
    """Start a new page unless `height` fits: rectangles do not break pages themselves."""
    if pdf.will_page_break(height):
        pdf.add_page()


def _heading(pdf: FPDF, text: str, *, follows: float = 20.0) -> None:
    """A section heading, kept on one page with the first `follows` mm under it."""
    _room(pdf, 12 + follows)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(2)


def _paragraph(pdf: FPDF, text: str, *, size: float = 9, muted: bool = False) -> None:
    pdf.set_font("Helvetica", size=size)
    if muted:
        pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut with "..." to `width` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "...") > width:
        text = text[:-1]
    return text.rstrip() + "..."


def _hbars(pdf: FPDF, bars: Sequence[Bar], *, scale_max: float | None = None) -> None:
    """Horizontal bars with their label on the left and their text at the end; a
    suppressed bar is drawn as its muted text, and an interval as a line across."""
    if not bars:
        return
    pdf.set_font("Helvetica", size=8)
    text_w = max(pdf.get_string_width(b.text) for b in bars) + 3
    span = scale_max or max((b.value for b in bars if b.value is not None), default=0) or 1.0
    x0 = pdf.l_margin + LABEL_W
    usable = max(pdf.epw - LABEL_W - text_w, 30.0)

    def at(value: float) -> float:
        return x0 + usable * min(max(value, 0.0), span) / span

    _room(pdf, ROW * len(bars) + 2)
    for bar in bars:
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.set_font("Helvetica", size=8)
        pdf.cell(LABEL_W - 2, ROW, _fit(pdf, bar.label, LABEL_W - 4), align="R")
        if bar.value is None:
            pdf.set_text_color(*MUTED)
            pdf.set_xy(x0, y)
            pdf.cell(0, ROW, bar.text)
            pdf.set_text_color(*INK)
        else:
            end = at(bar.value)
            pdf.set_fill_color(*BAR)
            pdf.rect(x0, y + 1, max(end - x0, 0.4), ROW - 2, style="F")
            if bar.low is not None and bar.high is not None:
                mid, tick = y + ROW / 2, 1.2
                pdf.set_draw_color(*WHISKER)
                pdf.set_line_width(0.35)
                pdf.line(at(bar.low), mid, at(bar.high), mid)
                pdf.line(at(bar.low), mid - tick, at(bar.low), mid + tick)
                pdf.line(at(bar.high), mid - tick, at(bar.high), mid + tick)
                end = max(end, at(bar.high))
            pdf.set_xy(end + 1, y)
            pdf.cell(text_w, ROW, bar.text)
        pdf.set_y(y + ROW)
    pdf.ln(1)


def _columns(
    pdf: FPDF,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], tuple[int, int, int]]],
    *,
    texts: Sequence[str] | None = None,
) -> None:
    """Stacked columns over time: each series is (name, one value per label, colour),
    with each column's text (by default its total) above it and a legend when there
    are several series."""
    if not labels:
        return
    totals = [sum(values[i] for _, values, _ in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1.0
    _room(pdf, COLUMNS_H + 16)
    x0, y0 = pdf.l_margin, pdf.get_y() + 4
    base = y0 + COLUMNS_H
    slot = pdf.epw / len(labels)
    pdf.set_font("Helvetica", size=7)
    label_every = max(1, int((pdf.get_string_width(max(labels, key=len)) + 2) // slot) + 1)
    for i, label in enumerate(labels):
        x, y = x0 + i * slot + slot * 0.15, base
        for _, values, colour in series:
            h = COLUMNS_H * values[i] / top
            if h > 0:
                pdf.set_fill_color(*colour)
                pdf.rect(x, y - h, slot * 0.7, h, style="F")
                y -= h
        text = f"{totals[i]:g}" if texts is None else texts[i]
        if totals[i]:
            pdf.set_xy(x0 + i * slot, y - 4)
            pdf.cell(slot, 4, _fit(pdf, text, slot - 1), align="C")
        if i % label_every == 0:
            pdf.set_xy(x0 + i * slot, base + 0.5)
            pdf.cell(slot, 4, label, align="C")
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.3)
    pdf.line(x0, base, x0 + pdf.epw, base)
    pdf.set_xy(x0, base + 5)
    if len(series) > 1:
        for name, _, colour in series:
            pdf.set_fill_color(*colour)
            pdf.rect(pdf.get_x(), pdf.get_y() + 1, 3, 3, style="F")
            pdf.set_x(pdf.get_x() + 4)
            pdf.cell(pdf.get_string_width(name) + 6, 5, name)
        pdf.ln(5)
    pdf.ln(1)


def _table(pdf: FPDF, rows: Sequence[Sequence[str]], *, col_widths: Sequence[float]) -> None:
    """A table whose first row is its headings."""
    pdf.set_font("Helvetica", size=8)
    pdf.set_fill_color(255, 255, 255)  # cells take the current fill: not the last bar's
    pdf.set_draw_color(*RULE)
    with pdf.table(
        col_widths=tuple(col_widths), text_align="LEFT", line_height=4.2, padding=1,
        borders_layout="HORIZONTAL_LINES", headings_style=HEADINGS,
    ) as table:  # fmt: skip
        for row in rows:
            table.row(list(row))
    pdf.ln(2)


# --- figures in words -----------------------------------------------------------------


def _mean_text(figure: Figure, *, signed: bool = False, interval: bool = True) -> str:
    """A figure in words: "3.40 (n = 6, 95 % CI 2.90 to 3.90)" or "not enough responses";
    a change is signed ("+0.40") so a fall cannot be read as a level."""
    if figure.suppressed or figure.mean is None:
        return SUPPRESSED
    sign = "+" if signed else ""
    ci = ""
    if interval and figure.low is not None and figure.high is not None:
        ci = f", 95 % CI {figure.low:{sign}.2f} to {figure.high:{sign}.2f}"
    return f"{figure.mean:{sign}.2f} (n = {figure.n}{ci})"


def _figure_bar(figure: Figure, *, label: str | None = None) -> Bar:
    return Bar(
        label=GROUP_NAMES.get(figure.label, figure.label) if label is None else label,
        value=figure.mean,
        text=_mean_text(figure),
        low=figure.low,
        high=figure.high,
    )


def _label(key: object) -> str:
    """A readable label for a key of a breakdown: a question, group, date or number."""
    if isinstance(key, str):
        words = key.replace("_", " ")
        return QUESTION_NAMES.get(key) or GROUP_NAMES.get(key) or words[:1].upper() + words[1:]
    if isinstance(key, dt.date):
        return f"{key:%d %b %Y}"
    if isinstance(key, int | float):
        return str(key)
    return ""  # an unknown object is never printed: it might not be an aggregate


def _figure_groups(value: object, heading: str = "") -> list[tuple[str, list[Bar]]]:
    """(heading, bars) from a Figure, a Breakdown, or mappings and lists of them keyed by
    label, however deep; anything else is left out rather than printed.

    Lets the report draw check-in breakdowns whose exact shape may still change: only
    `Figure`s are drawn, and a Figure is k-anonymous by construction.
    """
    if isinstance(value, Figure):
        return [(heading, [_figure_bar(value)])]
    if isinstance(value, Breakdown):
        total = _figure_bar(value.total, label=GROUP_NAMES["All"])
        return [(heading, [total, *(_figure_bar(cell) for cell in value.cells)])]
    pairs: list[tuple[object, object]]
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, list | tuple):
        pairs = [p if isinstance(p, tuple) and len(p) == 2 else ("", p) for p in value]
    else:
        return []
    direct = [_figure_bar(v, label=_label(k) or None) for k, v in pairs if isinstance(v, Figure)]
    groups = [(heading, direct)] if direct else []
    for key, nested in pairs:
        if not isinstance(nested, Figure):
            sub = ": ".join(part for part in (heading, _label(key)) if part)
            groups += _figure_groups(nested, sub)
    return groups


def _draw_groups(pdf: FPDF, groups: Iterable[tuple[str, list[Bar]]]) -> None:
    for heading, bars in groups:
        if heading:
            _room(pdf, 6 + ROW * len(bars))
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(0, 6, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _hbars(pdf, bars, scale_max=5)


def _chart_bars(chart: Chart) -> list[Bar]:
    return [Bar(label=b.label, value=b.value, text=b.text) for b in chart.bars]


# --- sections -------------------------------------------------------------------------

Context = Mapping[str, Any]
Section = Callable[[FPDF, Context], None]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _title(pdf: FPDF, context: Context) -> None:
    program = context["program"]
    threshold = context.get("threshold", program.anonymity_threshold)
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, program.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=10)
    generated = timezone.localdate()
    pdf.cell(
        0, 6, f"Program report, generated {_day(generated)}",
        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )  # fmt: skip
    pdf.cell(
        0, 6, f"Runs {_day(program.starts_on)} – {_day(program.ends_on)}",
        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )  # fmt: skip
    pdf.cell(0, 6, f"Anonymity threshold: k = {threshold}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    _paragraph(
        pdf,
        f"Figures from check-ins and surveys rest on at least {threshold} people each and "
        f'appear in batches of at least {threshold}; smaller groups show "{SUPPRESSED}". '
        "This report names nobody and holds no answer, comment or note.",
        muted=True,
    )


def _funnel(pdf: FPDF, context: Context) -> None:
    chart, funnel = context.get("funnel_chart"), context.get("funnel")
    if chart is None and funnel is None:
        return
    _heading(pdf, "Enrolment and matching")
    if chart is not None:
        _hbars(pdf, _chart_bars(chart))
    if funnel is not None:
        _paragraph(pdf, f"Pairs ended or declined: {funnel.ended}.", muted=True)


def _sessions(pdf: FPDF, context: Context) -> None:
    weeks: list[tuple[dt.date, int, int]] | None = context.get("weeks")
    if not weeks:
        return
    _heading(pdf, "Sessions per week", follows=COLUMNS_H + 16)
    _columns(
        pdf,
        [f"{week:%d %b}" for week, _, _ in weeks],
        [
            ("Held", [held for _, held, _ in weeks], BAR),
            ("Cancelled or missed", [missed for _, _, missed in weeks], BAR_LIGHT),
        ],
    )
    held, missed = sum(w[1] for w in weeks), sum(w[2] for w in weeks)
    _paragraph(
        pdf,
        f"{len(weeks)} weeks from {_day(weeks[0][0])}: {held} sessions held, "
        f"{missed} cancelled or missed.",
        muted=True,
    )


def _coverage(pdf: FPDF, context: Context) -> None:
    coverage: list[tuple[str, int, int]] | None = context.get("coverage")
    if coverage is None:
        return
    _heading(pdf, "Leaders' interests covered by their mentor")
    if not coverage:
        _paragraph(pdf, "No active pairs yet.", muted=True)
        return
    shown = coverage[:10]
    _hbars(
        pdf,
        [Bar(label=name, value=covered, text=f"{covered} of {n}") for name, n, covered in shown],
        scale_max=max(n for _, n, _ in shown) or 1,
    )
    if len(coverage) > len(shown):
        _paragraph(pdf, f"The ten most wanted of {len(coverage)} topics.", muted=True)


def _goals(pdf: FPDF, context: Context) -> None:
    goals = context.get("goals")
    if goals is None:
        return
    _heading(pdf, "Goals", follows=12)
    rows = [["Status", "Goals"]]
    rows += [[status.capitalize(), str(n)] for status, n in sorted(goals.by_status.items())]
    if len(rows) == 1:
        rows.append(["Goals", "none yet"])
    mean = goals.mean_progress_open
    rows.append(["Mean progress of open goals", "–" if mean is None else f"{mean} %"])
    _table(pdf, rows, col_widths=(3, 1))


def _checkins(pdf: FPDF, context: Context) -> None:
    checkins = context.get("checkins")
    if checkins is None:
        return
    _heading(pdf, "Check-ins after sessions (1–5), overall and by role", follows=30)
    respondents = checkins.respondents
    _paragraph(
        pdf,
        f"Respondents: {respondents if respondents else SUPPRESSED + ' yet'}. "
        "Bars: mean; lines: 95 % confidence interval." + _released(context),
        muted=True,
    )
    _draw_groups(
        pdf,
        (
            (text, [_figure_bar(checkins.overall[q], label=GROUP_NAMES["All"])]
             + [_figure_bar(cell) for cell in checkins.by_role[q].cells])
            for q, text in checkins.questions
        ),
    )  # fmt: skip


def _released(context: Context) -> str:
    """Groups are published monthly, the overall figure batch by batch (see
    `feedback.selectors`): say which day the groups stand at."""
    as_of = context.get("checkin_as_of")
    if as_of is None:
        return ""
    return (
        f" Groups (role, department, topic) as released on {as_of:%d %b %Y}; the overall "
        "figure moves with every batch of answers."
    )


def _checkin_breakdowns(pdf: FPDF, context: Context) -> None:
    groups = _figure_groups(context.get("checkin_breakdowns"))
    if groups:
        _heading(pdf, "Check-ins by group (1–5)", follows=30)
        if context.get("checkin_as_of") is not None:
            _paragraph(pdf, _released(context).strip(), muted=True)
        _draw_groups(pdf, groups)


def _survey(pdf: FPDF, context: Context) -> None:
    survey = context.get("survey")
    if survey is None:
        return
    _heading(pdf, "Before and after: survey (1–5), change per item")
    _paragraph(pdf, "The change is measured on the people who answered both surveys.", muted=True)
    rows = [["Statement", "Before", "After", "Change (same people)"]]
    for s in survey:
        who = "leaders" if s.role == "mentee" else "mentors"
        rows.append([
            f"{s.text} ({who})",
            _mean_text(s.before, interval=False),
            _mean_text(s.after, interval=False),
            _mean_text(s.change, signed=True),
        ])  # fmt: skip
    _table(pdf, rows, col_widths=(5, 2, 2, 3.4))


#: Context keys drawn by the sections above; any other `Chart` in the context is drawn
#: by `_other_charts`, so a chart added to the dashboard reaches the PDF too.
DRAWN = {"funnel_chart", "weeks_chart", "coverage_chart", "checkin_chart"}


def _other_charts(pdf: FPDF, context: Context) -> None:
    for key, chart in context.items():
        if key in DRAWN or not isinstance(chart, Chart):
            continue
        if chart.horizontal:
            _heading(pdf, chart.title, follows=ROW * min(len(chart.bars), 5))
            _hbars(pdf, _chart_bars(chart))
        else:
            _heading(pdf, chart.title, follows=COLUMNS_H + 16)
            values = [b.value or 0.0 for b in chart.bars]
            _columns(
                pdf,
                [b.label for b in chart.bars],
                [(chart.title, values, BAR)],
                texts=[b.text for b in chart.bars],
            )


SECTIONS: tuple[Section, ...] = (
    _title,
    _funnel,
    _sessions,
    _checkins,
    _checkin_breakdowns,
    _survey,
    _coverage,
    _goals,
    _other_charts,
)


def render_report_pdf(context: Mapping[str, Any]) -> bytes:
    """The program report (`report_context`) as PDF bytes; no database queries."""
    program = context["program"]
    pdf = ReportPDF(footer_text=f"{program.name}: program report (aggregates only)")
    pdf.set_title(f"{program.name}: program report")
    pdf.set_creator("Upward")
    pdf.add_page()
    for section in SECTIONS:
        section(pdf, context)
    return bytes(pdf.output())


@login_required
@require_GET
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The report as a PDF download: the same aggregates for coordinators and sponsors,
    because a file is forwarded beyond whoever downloaded it."""
    program = reportable_program(request, slug)
    body = render_report_pdf(report_context(program))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{program.slug}-report.pdf"'
    return response
