"""The dashboard and report: charts of aggregates, for coordinators and sponsors only,
with the same number of queries whatever the program's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.feedback.conftest import make_pairs
from tests.feedback.test_api import held
from upward.core.models import Role, User
from upward.feedback import services
from upward.programs.models import Program

pytestmark = pytest.mark.django_db


def _fill(program: Program, owner: User, pairs: int) -> None:
    for pair in make_pairs(program, owner, pairs):
        session_id = held(pair)
        session = pair.sessions.get(pk=session_id)
        for user in (pair.mentor.person.user, pair.mentee.person.user):
            services.checkin_submit(session=session, by=user, usefulness=4, openness=4, balance=5,
                                    comment="private words")  # fmt: skip


def test_the_coordinator_sees_charts_and_pairs_needing_attention(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    _fill(running_program, program_owner, 3)
    page = client_for(program_owner).get(f"/programs/{running_program.slug}/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == 4 and 'id="attention"' in html
    # Six people answered; the first batch of five is published, the sixth waits for more.
    assert "This session was useful to me." in html and "4.00 (n = 5" in html
    assert "private words" not in html


def test_the_sponsor_sees_the_same_figures_and_no_names(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    _fill(running_program, program_owner, 3)
    sponsor = UserFactory(role=Role.SPONSOR)
    html = client_for(sponsor).get(f"/programs/{running_program.slug}/dashboard/").content.decode()
    assert "4.00 (n = 5" in html and 'id="attention"' not in html
    for pair in running_program.pairs.all():
        assert pair.mentor.person.full_name not in html


def test_participants_and_other_coordinators_get_no_report(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    [pair] = make_pairs(running_program, program_owner, 1)
    url = f"/programs/{running_program.slug}/dashboard/"
    assert client_for(pair.mentor.person.user).get(url).status_code == 403
    assert client_for(UserFactory(role=Role.COORDINATOR)).get(url).status_code == 404


def test_the_csv_holds_aggregates_only(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    _fill(running_program, program_owner, 3)
    body = client_for(program_owner).get(f"/programs/{running_program.slug}/report.csv").content
    text = body.decode()
    assert text.startswith("section,measure,group,n,value,ci_low,ci_high")
    assert (
        "check-in,usefulness,This session was useful to me.,5,4.0" in text
        and "private words" not in text
    )


def test_the_query_count_does_not_grow_with_the_program(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(program_owner)
    url = f"/programs/{running_program.slug}/dashboard/"
    _fill(running_program, program_owner, 3)  # above the threshold: figures are published
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _fill(running_program, program_owner, 6)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
