"""`upward demo`: a deterministic organisation and a sign-in per role, safe to run twice."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client

from upward.core.demo import demo_people_csv
from upward.core.models import Role, User
from upward.people.models import Person

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_demo_loads_the_organisation_and_prints_sign_ins() -> None:
    output = run_demo()
    assert "created 300, updated 0, unchanged 0, deactivated 0" in output
    for role in ("coordinator", "sponsor", "admin", "mentee", "mentor"):
        assert f"  {role} " in output
    assert Person.objects.count() == 300
    assert User.objects.get(email="coordinator@demo.upward.example").role == Role.COORDINATOR
    assert User.objects.get(email="admin@demo.upward.example").is_superuser


def test_demo_organisation_is_realistic() -> None:
    run_demo()
    people = list(Person.objects.all())
    levels = Counter(p.level for p in people)
    assert min(levels) == 1 and max(levels) == 12
    assert levels[12] == 1  # one chief executive at the top
    assert sum(levels[level] for level in (1, 2, 3)) > len(people) / 2  # most people are junior
    continents = {p.timezone.split("/")[0] for p in people}
    assert len(continents) >= 3
    assert 6 <= len({p.department_id for p in people}) <= 10
    top = [p for p in people if p.manager_id is None]
    assert len(top) == 1
    # Everyone reports to someone more senior.
    by_id = {p.employee_id: p for p in people}
    assert all(by_id[p.manager_id].level > p.level for p in people if p.manager_id)


def test_demo_is_deterministic_and_seeded() -> None:
    assert demo_people_csv(people=50, seed=1) == demo_people_csv(people=50, seed=1)
    assert demo_people_csv(people=50, seed=1) != demo_people_csv(people=50, seed=2)


def test_running_the_demo_twice_is_safe() -> None:
    run_demo("--people", "80")
    output = run_demo("--people", "80")
    assert "created 0, updated 0, unchanged 80, deactivated 0" in output
    assert Person.objects.count() == 80
    assert User.objects.filter(email="coordinator@demo.upward.example").count() == 1


def test_printed_sign_ins_work() -> None:
    output = run_demo("--people", "60")
    for line in output.splitlines():
        if "password:" not in line:
            continue
        _, email, _, password, *_ = line.split()
        client = Client()
        assert client.login(email=email, password=password), line
    mentee_line = next(line for line in output.splitlines() if line.split()[:1] == ["mentee"])
    mentee = User.objects.get(email=mentee_line.split()[1])
    assert mentee.person.level >= 7
    # Everyone else in the running program has an account without a password (answers belong
    # to a person), so only the printed sign-ins can sign in.
    printed = {
        line.split()[1]
        for line in output.splitlines()
        if line.split()[:1] in (["mentee"], ["mentor"])
    }
    people = User.objects.filter(person__isnull=False)
    assert people.count() > len(printed)
    assert {u.email for u in people if u.has_usable_password()} == printed


def test_demo_has_a_running_program_with_accepted_pairs_and_one_open_for_enrolment() -> None:
    from upward.mentoring.models import Pair, PairStatus
    from upward.programs.models import Program, ProgramStatus, TrainingCompletion

    output = run_demo()
    running = Program.objects.get(slug="digital-leaders-2026")
    enrolling = Program.objects.get(slug="culture-values-2027")
    assert (running.status, enrolling.status) == (ProgramStatus.RUNNING, ProgramStatus.ENROLLING)
    pairs = Pair.objects.filter(program=running)
    assert pairs.count() >= 5
    assert set(pairs.values_list("status", flat=True)) == {PairStatus.ACTIVE}
    assert all(p.reasons for p in pairs)
    assert TrainingCompletion.objects.filter(person__enrollments__program=running).exists()
    assert enrolling.enrollments.filter(status="applied").exists()
    # The demo mentee and mentor sign in and find each other.
    mentee = User.objects.get(
        email__in=[line.split()[1] for line in output.splitlines() if " mentee " in line]
    )
    mine = Pair.objects.get(mentee__person__user=mentee)
    assert mine.mentor.person.user is not None
    assert "running with" in output
    assert "already loaded" in run_demo()
    assert Program.objects.count() == 3  # the two above and the closed pilot


def test_demo_pilot_is_closed_and_its_report_shows_a_measured_change() -> None:
    from upward.feedback.models import SurveyPhase, SurveyResponse
    from upward.feedback.selectors import pairs_needing_attention, survey_report
    from upward.mentoring.models import PairStatus
    from upward.programs.models import Program, ProgramStatus

    run_demo()
    pilot = Program.objects.get(slug="digital-managers-pilot-2026")
    assert pilot.status == ProgramStatus.CLOSED
    assert set(pilot.pairs.values_list("status", flat=True)) == {PairStatus.ENDED}
    assert pairs_needing_attention(program=pilot).total == 0  # over, not neglected
    # Nobody in the pilot is in another demo program.
    others = Program.objects.exclude(pk=pilot.pk)
    assert not pilot.enrollments.filter(person__enrollments__program__in=others).exists()
    # The closing survey belongs at the end: answered after the starting one, by most.
    responses = SurveyResponse.objects.filter(enrollment__program=pilot)
    pre = responses.filter(phase=SurveyPhase.PRE)
    post = responses.filter(phase=SurveyPhase.POST)
    assert max(r.submitted_at for r in pre) < min(r.submitted_at for r in post)
    assert pilot.anonymity_threshold <= post.count() < pre.count()

    report = survey_report(program=pilot)
    shown = [s for s in report if not s.change.suppressed]
    assert shown, "every pre→post change is suppressed"
    assert all(s.change.n is not None and s.change.n >= pilot.anonymity_threshold for s in shown)
    # A modest improvement with noise: up on average, never a jump across the whole scale.
    changes = [s.change.mean for s in shown if s.change.mean is not None]
    assert 0 < sum(changes) / len(changes) < 1.5
    assert len(set(changes)) > 1


def test_demo_pilot_dashboard_shows_the_change_to_the_coordinator() -> None:
    from upward.feedback.selectors import survey_report
    from upward.programs.models import Program

    run_demo()
    client = Client()
    assert client.login(email="coordinator@demo.upward.example", password="demo-coordinator")
    pilot = Program.objects.get(slug="digital-managers-pilot-2026")
    html = client.get(f"/programs/{pilot.slug}/dashboard/").content.decode()
    survey = html[html.index('id="survey"') :]
    change = next(s.change for s in survey_report(program=pilot) if not s.change.suppressed)
    assert f"{change.mean:.2f} (n = {change.n}" in survey
