"""The dashboard and report: charts of aggregates, for coordinators and sponsors only,
with the same number of queries whatever the program's size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from tests.feedback.conftest import make_pairs
from tests.feedback.test_api import held
from upward.core.models import Role, User
from upward.feedback import selectors as feedback_selectors
from upward.feedback import services
from upward.mentoring.models import Pair
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
    # Funnel, sessions, check-ins, coverage; three months-by-month; by department, topic …
    # … pair health and the survey's change per statement.
    assert html.count("<svg") == 11 and 'id="attention"' in html
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


def test_pair_health_is_counted_by_reason_for_the_sponsor_and_named_for_the_coordinator(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    *_, quiet = make_pairs(running_program, program_owner, 4)
    Pair.objects.filter(pk=quiet.pk).update(activated_at=timezone.now() - dt.timedelta(days=60))
    url = f"/programs/{running_program.slug}/dashboard/"
    title = "Pair health: 1 of 4 active pairs need attention"
    sponsor = client_for(UserFactory(role=Role.SPONSOR)).get(url).content.decode()
    assert title in sponsor and "No recent session" in sponsor
    assert quiet.mentor.person.full_name not in sponsor
    coordinator = client_for(program_owner).get(url).content.decode()
    assert title in coordinator and quiet.mentor.person.full_name in coordinator
    # Names are fetched only for the pairs shown; the counts cover every pair.
    counted = feedback_selectors.pairs_needing_attention(program=running_program, limit=0)
    assert counted.total == 1 and counted.pairs == [] and counted.by_reason["quiet"] == 1


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


def _answered_last_month(program: Program, owner: User, departments: list[str]) -> None:
    """One pair per entry of `departments` (both members in it) checked in last month,
    every answer 4 except the openness of people in "Small" (2)."""
    from django.utils import timezone

    from upward.feedback.models import CheckIn
    from upward.feedback.publication import publication_catch_up
    from upward.people.models import Department, Person

    start = timezone.now().replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    for i, (pair, department) in enumerate(
        zip(make_pairs(program, owner, len(departments)), departments, strict=True)
    ):
        unit, _ = Department.objects.get_or_create(name=department)
        Person.objects.filter(pk__in=[pair.mentor.person_id, pair.mentee.person_id]).update(
            department=unit
        )
        session = pair.sessions.get(pk=held(pair))
        for j, (user, role) in enumerate(
            ((pair.mentor.person.user, "mentor"), (pair.mentee.person.user, "mentee"))
        ):
            checkin = CheckIn.objects.create(session=session, respondent=user, role=role,
                                             usefulness=4, balance=4,
                                             openness=2 if department == "Small" else 4)  # fmt: skip
            CheckIn.objects.filter(pk=checkin.pk).update(
                created_at=start - dt.timedelta(days=10, minutes=-(2 * i + j))
            )
    publication_catch_up(program=program)


def test_the_dashboard_shows_check_ins_by_department_and_topic_and_month_by_month(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    _answered_last_month(running_program, program_owner, ["Finance"] * 6 + ["Sales"] * 4)
    html = client_for(program_owner).get(f"/programs/{running_program.slug}/dashboard/")
    page = html.content.decode()
    groups = page[page.index('id="checkin-groups"') : page.index('id="survey"')]
    # Finance (12 people) and Sales (8): neither gives the other away.
    assert "<td>Finance</td><td>4.00 (n = 12)</td>" in groups
    assert "<td>Sales</td><td>4.00 (n = 8)</td>" in groups
    assert "By topic" in groups and "Generative AI assistants" in groups
    trend = page[page.index('id="checkin-trend"') : page.index('id="checkin-groups"')]
    today = dt.datetime.now(dt.UTC).date()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%b %Y")
    assert f"<td>{last_month}</td><td>4.00 (n = 20)</td>" in trend
    assert "so far" in trend


def test_a_small_department_shows_not_enough_responses_everywhere(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    _answered_last_month(running_program, program_owner, ["Small"] + ["Finance"] * 4)
    client = client_for(program_owner)
    page = client.get(f"/programs/{running_program.slug}/dashboard/").content.decode()
    row = page[page.index("<td>Small</td>") :].split("</tr>")[0]
    assert row.count("not enough responses") == 3 and "2.00" not in page
    # Finance is hidden too: with the total it would give Small away.
    assert page[page.index("<td>Finance</td>") :].split("</tr>")[0].count("not enough") == 3
    text = client.get(f"/programs/{running_program.slug}/report.csv").content.decode()
    assert "check-in by department,openness,Small,,not enough responses" in text
    assert "check-in by department,openness,Finance,,not enough responses" in text


def test_the_csv_holds_breakdowns_trend_and_release_day(
    client_for, running_program: Program, program_owner: User
) -> None:  # type: ignore[no-untyped-def]
    _answered_last_month(running_program, program_owner, ["Finance"] * 6 + ["Sales"] * 4)
    text = client_for(program_owner).get(f"/programs/{running_program.slug}/report.csv").content
    rows = [line.split(",") for line in text.decode().splitlines()]
    assert rows[0][-1] == "as_of"
    sales = next(r for r in rows if r[:3] == ["check-in by department", "usefulness", "Sales"])
    assert sales[3:5] == ["8", "4.0"] and sales[7] != ""
    months = [r for r in rows if r[0] == "check-in by month" and r[1] == "usefulness"]
    assert months and months[-1][2].endswith("so far")
