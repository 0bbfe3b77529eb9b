"""The program report as PDF: the sponsor's aggregates for whoever may read them, with
no names, notes, comments or answers, and a fixed number of queries at any size."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from tests.factories import UserFactory
from tests.feedback.conftest import leaders_surveyed, make_pairs
from tests.feedback.test_api import held
from upward.core.models import Role, User
from upward.feedback import services
from upward.feedback.aggregates import Answer, breakdown
from upward.insights import charts
from upward.insights.pdf import plain, render_report_pdf
from upward.insights.views import report_context
from upward.mentoring.models import Pair
from upward.mentoring.notes import note_create
from upward.programs.models import Program

pytestmark = pytest.mark.django_db


def _fill(program: Program, owner: User, pairs: int) -> list[Pair]:
    """`pairs` active pairs, each with a held session both members checked in on."""
    made = make_pairs(program, owner, pairs)
    for pair in made:
        session = pair.sessions.get(pk=held(pair))
        for user in (pair.mentor.person.user, pair.mentee.person.user):
            services.checkin_submit(session=session, by=user, usefulness=4, openness=4, balance=5,
                                    comment="private words")  # fmt: skip
    return made


def _url(program: Program) -> str:
    return f"/programs/{program.slug}/report.pdf"


def _text(body: bytes) -> str:
    """The PDF's text, whitespace collapsed so phrases match across line breaks."""
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_the_coordinator_downloads_a_pdf_with_the_funnel(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    _fill(running_program, program_owner, 1)
    response = client_for(program_owner).get(_url(running_program))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{running_program.slug}-report.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert "Pairs Cohort" in text and "Anonymity threshold: k = 5" in text
    # Two people enrolled, approved and matched into one active pair.
    for label, figure in [("Enrolled", 2), ("Approved", 2), ("Matched (pairs)", 1),
                          ("Active pairs", 1)]:  # fmt: skip
        assert re.search(rf"{re.escape(label)} {figure}\b", text), label
    # Two respondents are fewer than five: no figure, only the words.
    assert "not enough responses" in text and "(n = " not in text


def test_the_sponsor_gets_the_means_once_enough_people_answered(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    _fill(running_program, program_owner, 3)
    response = client_for(UserFactory(role=Role.SPONSOR)).get(_url(running_program))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _text(response.content)
    # Six people answered; the first batch of five is published.
    assert "This session was useful to me." in text and "4.00 (n = 5" in text
    assert "5.00 (n = 5" in text  # "we both learned something"


def test_the_pdf_names_nobody_and_holds_no_comment_or_note(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    pairs = _fill(running_program, program_owner, 3)
    for pair in pairs:
        note_create(pair=pair, by=pair.mentor.person.user, body="shared secret plans",
                    visibility="shared")  # fmt: skip
    for user in (program_owner, UserFactory(role=Role.SPONSOR)):
        text = _text(client_for(user).get(_url(running_program)).content)
        assert "private words" not in text and "shared secret plans" not in text
        for pair in pairs:
            for person in (pair.mentor.person, pair.mentee.person):
                assert person.full_name not in text
                assert person.user.email not in text


def test_the_pdf_shows_the_change_per_survey_item_with_its_interval(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    pairs = make_pairs(running_program, program_owner, 6)
    leaders_surveyed(running_program, pairs, before=2, after=4)
    text = _text(client_for(program_owner).get(_url(running_program)).content)
    assert "+2.00 (n = 5, 95 % CI +2.00 to +2.00)" in text
    assert "2.00 (n = 5)" in text and "4.00 (n = 5)" in text
    # The mentors answered nothing: their items show no figure.
    assert "not enough responses" in text


def test_names_outside_the_core_fonts_do_not_break_the_download(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    running_program.name = "Cohort → 2027 ≥ five 東京"
    running_program.save(update_fields=["name"])
    response = client_for(program_owner).get(_url(running_program))
    assert response.status_code == 200
    assert "Cohort -> 2027 >= five ??" in _text(response.content)


def test_the_core_font_text_helper_spells_other_characters_in_ascii() -> None:
    assert plain("Check-ins (1–5) → n ≥ 5, Zoë, Győr") == "Check-ins (1–5) -> n >= 5, Zoë, Gyor"
    assert plain("東京") == "??"


def test_figures_added_to_the_report_context_are_drawn_when_present(
    running_program: Program,
) -> None:
    """Breakdowns and charts that the dashboard gains later reach the PDF without a
    change here; a context without them still renders."""
    answers = [Answer(i, 3 + i % 2, {"department": "Finance" if i < 6 else "Sales"})
               for i in range(12)]  # fmt: skip
    context = report_context(running_program)
    context["checkin_breakdowns"] = {
        "department": {"usefulness": breakdown(answers, by="department", threshold=5)}
    }
    context["trend_chart"] = charts.columns("Check-ins over time", [("Jan", 3.5, "3.50")])
    text = _text(render_report_pdf(context))
    assert "Check-ins by group" in text and "Department: This session was useful to me." in text
    assert re.search(r"Finance 3\.50 \(n = 6, 95 % CI", text)
    assert "Check-ins over time" in text
    assert "Pairs Cohort" in _text(render_report_pdf({"program": running_program}))


def test_participants_other_coordinators_and_visitors_get_no_pdf(
    client_for, running_program: Program, program_owner: User, admin_user: User
) -> None:  # type: ignore[no-untyped-def]
    [pair] = make_pairs(running_program, program_owner, 1)
    url = _url(running_program)
    assert client_for(pair.mentor.person.user).get(url).status_code == 403
    assert client_for(pair.mentee.person.user).get(url).status_code == 403
    assert client_for(UserFactory(role=Role.COORDINATOR)).get(url).status_code == 404
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(admin_user).get(url).status_code == 200


def test_the_query_count_does_not_grow_with_the_program(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(program_owner)
    url = _url(running_program)
    _fill(running_program, program_owner, 3)  # above the threshold: figures are published
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _fill(running_program, program_owner, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
