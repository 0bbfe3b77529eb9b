"""Released breakdowns are kept: a release is audited and cut once, at the first report
after it, and every later report shows it unchanged until the next release.

Twelve pairs answer in September: North (six pairs) answers 5, South (six pairs) 2. Four
batches of k = 5 close; the last four answers (two South pairs) wait for the next.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.feedback.conftest import make_pairs
from upward.core.models import User
from upward.feedback.aggregates import Breakdown
from upward.feedback.catalogue import ITEMS
from upward.feedback.models import CheckIn, Release, SurveyAnswer, SurveyResponse
from upward.feedback.publication import (
    RELEASE_FORMAT,
    publication_advance,
    publication_catch_up,
    published_through,
)
from upward.feedback.selectors import checkin_report, survey_report
from upward.mentoring.models import Pair, Session
from upward.people.models import Department, Person
from upward.programs.models import Enrollment, Program

pytestmark = pytest.mark.django_db

SEPTEMBER = dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC)
IN_OCTOBER = dt.datetime(2026, 10, 15, tzinfo=dt.UTC)
IN_NOVEMBER = dt.datetime(2026, 11, 15, tzinfo=dt.UTC)


def _answer(pair: Pair, at: dt.datetime, value: int) -> None:
    """Both members answer `value` after a session held at `at` (dated `at`)."""
    session = Session.objects.create(pair=pair, starts_at=at, minutes=45, status="held")
    for person, role in ((pair.mentor.person, "mentor"), (pair.mentee.person, "mentee")):
        checkin = CheckIn.objects.create(session=session, respondent=person.user, role=role,
                                         usefulness=value, openness=value, balance=value)  # fmt: skip
        CheckIn.objects.filter(pk=checkin.pk).update(created_at=at)


def _department(pairs: list[Pair], name: str) -> None:
    unit, _ = Department.objects.get_or_create(name=name)
    people = [p.mentor.person_id for p in pairs] + [p.mentee.person_id for p in pairs]
    Person.objects.filter(pk__in=people).update(department=unit)


def _cells(breakdown: Breakdown) -> dict[str, tuple[int | None, float | None]]:
    return {cell.label: (cell.n, cell.mean) for cell in breakdown.cells}


@pytest.fixture
def pairs(running_program: Program, program_owner: User) -> list[Pair]:
    pairs = make_pairs(running_program, program_owner, 12)
    _department(pairs[:6], "North")
    _department(pairs[6:], "South")
    for i, pair in enumerate(pairs):
        _answer(pair, SEPTEMBER + dt.timedelta(minutes=i), 5 if i < 6 else 2)
    publication_catch_up(program=running_program)
    return pairs


def test_breakdowns_stay_as_released_when_someone_changes_department(
    running_program: Program, pairs: list[Pair]
) -> None:
    """Re-cutting groups between two page views would show the mover's answer: the
    South figure before and after one North pair joins it differs by exactly them."""
    released = checkin_report(program=running_program, now=IN_OCTOBER)
    by_department = _cells(released.by_department["usefulness"])
    assert by_department == {"North": (12, 5.0), "South": (8, 2.0)}

    _department(pairs[:1], "South")
    again = checkin_report(program=running_program, now=IN_OCTOBER)
    assert _cells(again.by_department["usefulness"]) == by_department
    assert Release.objects.filter(program=running_program, kind="checkins").count() == 1

    # What a report cut afresh would have shown (and what the kept release prevents).
    Release.objects.all().delete()
    recut = checkin_report(program=running_program, now=IN_OCTOBER)
    assert _cells(recut.by_department["usefulness"])["South"] == (10, 2.6)


def test_the_next_release_takes_the_groups_as_they_are_then(
    running_program: Program, pairs: list[Pair]
) -> None:
    checkin_report(program=running_program, now=IN_OCTOBER)
    _department(pairs[:1], "South")
    for i, pair in enumerate(pairs[6:]):  # the South people answer again in October
        _answer(pair, IN_OCTOBER + dt.timedelta(minutes=i), 2)
    publication_catch_up(program=running_program)

    november = checkin_report(program=running_program, now=IN_NOVEMBER)
    assert _cells(november.by_department["usefulness"]) == {
        "North": (10, 5.0), "South": (14, 2.429),
    }  # fmt: skip
    assert november.breakdowns_as_of == IN_OCTOBER.date()
    assert Release.objects.filter(program=running_program).count() == 2


def test_a_deleted_answer_makes_a_new_release_without_it(
    running_program: Program, pairs: list[Pair]
) -> None:
    """The release counts 20 answers; once one is gone, the 19 left are batched again
    (three batches of five: 15 people) and released afresh."""
    checkin_report(program=running_program, now=IN_OCTOBER)
    gone = pairs[0].mentor.person.user
    CheckIn.objects.filter(respondent=gone).delete()
    after = checkin_report(program=running_program, now=IN_OCTOBER)
    assert after.by_department["usefulness"].total.n == 15
    kept = Release.objects.filter(program=running_program).order_by("answers")
    assert list(kept.values_list("answers", flat=True)) == [15, 20]


def test_a_kept_release_is_read_back_without_reading_anyones_groups(
    running_program: Program, pairs: list[Pair]
) -> None:
    with CaptureQueriesContext(connection) as first:
        made = checkin_report(program=running_program, now=IN_OCTOBER)
    with CaptureQueriesContext(connection) as second:
        kept = checkin_report(program=running_program, now=IN_OCTOBER)
    assert kept == made
    groups = [q for q in second.captured_queries if "programs_enrollment" in q["sql"]]
    assert groups == [] and len(second.captured_queries) < len(first.captured_queries)


def _survey(enrollment: Enrollment, phase: str, at: dt.datetime) -> None:
    response = SurveyResponse.objects.create(enrollment=enrollment, phase=phase)
    SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=at)
    value = 2 if phase == "pre" else 4
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, item=item, value=value)
        for item, _ in ITEMS[enrollment.role]
    )


def test_a_roles_survey_change_is_released_when_that_roles_batches_publish_it(
    running_program: Program, program_owner: User
) -> None:
    """Surveys are published in batches of k people of one role (`survey_kind`), so the
    leaders' change is known once three leaders' closing surveys are published: on
    10 September. Batches that mixed roles would date it 12 September, and a leader's
    closing survey published with two mentors' would move the leaders' figures by one."""
    running_program.anonymity_threshold = 3
    running_program.save()
    pairs = make_pairs(running_program, program_owner, 3)
    _department(pairs, "North")
    august = dt.datetime(2026, 8, 1, 9, tzinfo=dt.UTC)
    for i, pair in enumerate(pairs):
        _survey(pair.mentee, "pre", august + dt.timedelta(days=i))
        _survey(pair.mentor, "pre", august + dt.timedelta(days=3 + i))
        _survey(pair.mentee, "post", SEPTEMBER.replace(day=2 + 4 * i))
        _survey(pair.mentor, "post", SEPTEMBER.replace(day=4 + 4 * i))
    publication_catch_up(program=running_program)

    report = {s.item: s for s in survey_report(program=running_program, now=IN_OCTOBER)}
    assert report["tools_confidence"].departments_as_of == dt.date(2026, 9, 10)
    assert report["senior_confidence"].departments_as_of == dt.date(2026, 9, 12)
    assert report["tools_confidence"].change.n == 3 and report["tools_confidence"].change.mean == 2


def test_a_survey_change_by_department_stays_as_released(
    running_program: Program, program_owner: User
) -> None:
    running_program.anonymity_threshold = 3
    running_program.save()
    pairs = make_pairs(running_program, program_owner, 6)
    _department(pairs[:3], "North")
    _department(pairs[3:], "South")
    for i, pair in enumerate(pairs):
        _survey(pair.mentee, "pre", SEPTEMBER + dt.timedelta(minutes=i))
        _survey(pair.mentee, "post", SEPTEMBER + dt.timedelta(days=1, minutes=i))
    publication_catch_up(program=running_program)

    def by_department() -> dict[str, tuple[int | None, float | None]]:
        report = {s.item: s for s in survey_report(program=running_program, now=IN_OCTOBER)}
        change = report["tools_confidence"].change_by_department
        assert change is not None
        return _cells(change)

    released = by_department()
    assert released == {"North": (3, 2.0), "South": (3, 2.0)}
    _department(pairs[:1], "South")
    assert by_department() == released
    Release.objects.filter(kind="change-mentee").delete()
    assert by_department() != released  # cut afresh, the move would show


def test_the_first_batch_of_a_month_has_the_worker_make_the_due_release(
    running_program: Program,
    pairs: list[Pair],
    settings,
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    """September is over once a batch closes in October: the worker releases its last
    batch, and the next report only reads it back."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(timezone, "now", lambda: IN_OCTOBER + dt.timedelta(hours=2))
    assert not Release.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for i, pair in enumerate(pairs[6:9]):
            _answer(pair, IN_OCTOBER + dt.timedelta(minutes=i), 2)
        publication_advance(program=running_program, kind="checkins")
    assert len(callbacks) == 1
    made = Release.objects.get(program=running_program, kind="checkins")
    assert (made.until, made.answers) == (SEPTEMBER + dt.timedelta(minutes=9), 20)

    with CaptureQueriesContext(connection) as report:
        checkin_report(program=running_program)
    assert Release.objects.count() == 1
    assert not [q for q in report.captured_queries if "programs_enrollment" in q["sql"]]

    # Another batch in the same month makes nothing due.
    before = published_through(program=running_program, kind="checkins")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for i, pair in enumerate(pairs[:3]):
            _answer(pair, IN_OCTOBER + dt.timedelta(hours=1, minutes=i), 5)
        publication_advance(program=running_program, kind="checkins")
    assert published_through(program=running_program, kind="checkins") != before
    assert callbacks == []


def test_a_release_made_by_other_rules_or_of_another_shape_is_made_again(
    running_program: Program, pairs: list[Pair]
) -> None:
    """After an upgrade that changed how releases are cut (`RELEASE_FORMAT`) or what
    they hold (a question added), a kept release is made again, never shown or failed on."""
    made = checkin_report(program=running_program, now=IN_OCTOBER)
    Release.objects.update(version=RELEASE_FORMAT - 1)
    assert checkin_report(program=running_program, now=IN_OCTOBER) == made
    assert Release.objects.filter(version=RELEASE_FORMAT).count() == 1

    current = Release.objects.get(version=RELEASE_FORMAT)
    current.breakdowns = {"role": current.breakdowns["role"]}  # as if "topic" were new
    current.save()
    assert checkin_report(program=running_program, now=IN_OCTOBER) == made
    current.refresh_from_db()
    assert set(current.breakdowns) == {"role", "department", "topic"}
