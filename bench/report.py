"""Benchmark: the program dashboard and report at 10,000 participants, SQLite and PostgreSQL.

    .venv/bin/python bench/report.py [--participants 10000] [--postgres URL | --no-postgres]

For each database, in a fresh child process, it generates a running program:
  - half mentors and half mentees, all paired and active, each pair with a signed agreement
    and three goals; people spread over twelve departments of very different sizes, each
    leader with three interests and each mentor with three areas of expertise out of ten
    topics (so the report breaks check-ins down by role, department and topic);
  - a year of fortnightly sessions, about a tenth of them cancelled;
  - check-ins from both members after most held sessions, dated two hours after the
    session (so the report releases its breakdowns and trend month by month);
  - starting surveys from everyone and closing surveys from most.
It gathers planner statistics and, on PostgreSQL, vacuums (as a live database's
autovacuum would), then times the coordinator's dashboard page, the aggregate CSV and
the JSON report (the median of 5 requests each) and counts their queries. It also times
the first view after a release on its own: that view audits and cuts the breakdowns and
keeps them (`feedback.models.Release`), which happens once a month. The baseline, in
the same process, is the same pages for a 100-person program: the ratio shows how time
grows with size, and the query counts must be equal (independent of size).
Figures are printed, never asserted: this is not a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from _shared import ensure_postgres_database, run_child

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/upward_bench"
TARGET_SECONDS = 1.0


def _generate(participants: int, slug: str, owner: object, seed: int) -> object:
    import datetime as dt
    import random

    from django.db.models import DateTimeField, ExpressionWrapper, OuterRef, Subquery

    from upward.core.models import Role, User
    from upward.feedback.catalogue import ITEMS
    from upward.feedback.models import CheckIn, SurveyAnswer, SurveyResponse
    from upward.mentoring.models import Agreement, Goal, Pair, Session
    from upward.people.models import Department, Person
    from upward.programs.models import (
        Enrollment,
        EnrollmentTopic,
        Program,
        ProgramStatus,
        Topic,
        TopicKind,
    )

    rng = random.Random(seed)
    program = Program.objects.create(
        name=f"Bench {slug}", slug=slug, purpose="Learn both ways",
        starts_on=dt.date(2025, 11, 1), ends_on=dt.date(2026, 11, 1),
        status=ProgramStatus.RUNNING,
    )  # fmt: skip
    program.coordinators.add(owner)
    departments = [
        Department.objects.get_or_create(name=f"Bench department {d + 1}")[0] for d in range(12)
    ]
    # Sizes from about a quarter of everyone down to a few dozen: a long tail, as in life.
    sizes = [1 / (d + 1) for d in range(len(departments))]
    topics = [
        Topic.objects.get_or_create(
            slug=f"bench-topic-{t}",
            defaults={"name": f"Bench topic {t}", "category": "digital_tools"},
        )[0]
        for t in range(10)
    ]
    program.topics.set(topics)
    people = Person.objects.bulk_create(
        [
            Person(
                employee_id=f"{slug}-{i}",
                full_name=f"Person {i}",
                email=f"{slug}-{i}@bench.example",
                level=2 if i % 2 == 0 else 9,
                department=rng.choices(departments, weights=sizes)[0],
                timezone="Europe/London",
                hire_date=dt.date(2020, 1, 1),
                chain_path=f"/{slug}-{i}/",
            )  # fmt: skip
            for i in range(participants)
        ],
        batch_size=2000,
    )
    users = User.objects.bulk_create(
        [User(email=p.email, role=Role.PARTICIPANT) for p in people],
        batch_size=2000,
    )
    for person, user in zip(people, users, strict=True):
        person.user = user
    Person.objects.bulk_update(people, ["user"], batch_size=2000)
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                program=program,
                person=p,
                role="mentor" if i % 2 == 0 else "mentee",
                status="approved",
            )  # fmt: skip
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    EnrollmentTopic.objects.bulk_create(
        [
            EnrollmentTopic(
                enrollment=e,
                topic=topic,
                kind=TopicKind.EXPERTISE if e.role == "mentor" else TopicKind.INTEREST,
            )
            for e in enrollments
            for topic in rng.sample(topics, 3)
        ],
        batch_size=5000,
    )
    # A year of fortnightly sessions up to this week, as a program in full swing has.
    start = dt.datetime.now(dt.UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    start -= dt.timedelta(weeks=52)
    pairs = Pair.objects.bulk_create(
        [
            Pair(
                program=program,
                mentor=enrollments[i],
                mentee=enrollments[i + 1],
                status="active",
                activated_at=start,
                mentor_accepted_at=start,
                mentee_accepted_at=start,
            )  # fmt: skip
            for i in range(0, participants - 1, 2)
        ],
        batch_size=2000,
    )
    Agreement.objects.bulk_create(
        [
            Agreement(
                pair=p,
                purpose="x",
                channel="video",
                confidentiality="x",
                mentor_signed_version=1,
                mentee_signed_version=1,
            )  # fmt: skip
            for p in pairs
        ],
        batch_size=2000,
    )
    Goal.objects.bulk_create(
        [
            Goal(
                pair=p,
                owner=owner_side,
                title="Goal",
                progress=rng.choice((0, 25, 50, 100)),
                status=rng.choice(("open", "open", "achieved")),
            )  # fmt: skip
            for p in pairs
            for owner_side in ("mentee", "mentee", "mentor")
        ],
        batch_size=5000,
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                pair=p,
                starts_at=start + dt.timedelta(days=14 * k),
                minutes=45,
                status="cancelled" if rng.random() < 0.1 else "held",
            )  # fmt: skip
            for p in pairs
            for k in range(26)
        ],
        batch_size=5000,
    )
    by_pair = {p.pk: p for p in pairs}
    checkins = []
    for s in sessions:
        if s.status != "held":
            continue
        pair = by_pair[s.pair_id]
        for role, enrollment in (("mentor", pair.mentor), ("mentee", pair.mentee)):
            if rng.random() < 0.85:
                checkins.append(
                    CheckIn(
                        session=s,
                        program=program,
                        respondent_id=enrollment.person.user_id,
                        role=role,
                        usefulness=rng.randint(2, 5),
                        openness=rng.randint(1, 5),
                        balance=rng.randint(2, 5),
                    )  # fmt: skip
                )
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    # Answered two hours after the session (bulk creation stamps them all "now").
    session_start = Session.objects.filter(pk=OuterRef("session_id")).values("starts_at")[:1]
    CheckIn.objects.filter(program=program).update(
        created_at=ExpressionWrapper(
            Subquery(session_start) + dt.timedelta(hours=2), output_field=DateTimeField()
        )
    )
    responses = SurveyResponse.objects.bulk_create(
        [SurveyResponse(enrollment=e, phase="pre") for e in enrollments]
        + [SurveyResponse(enrollment=e, phase="post") for e in enrollments if rng.random() < 0.8],
        batch_size=5000,
    )
    role_of = {e.pk: e.role for e in enrollments}
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(
                response=r,
                item=item,
                value=rng.randint(1, 5) if r.phase == "pre" else rng.randint(2, 5),
            )  # fmt: skip
            for r in responses
            for item, _ in ITEMS[role_of[r.enrollment_id]]
        ],
        batch_size=5000,
    )
    from upward.feedback.publication import publication_catch_up

    publication_catch_up(program=program)  # answers were bulk-loaded, not submitted one by one
    return program


def child(participants: int, baseline: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from upward.core.models import Role, User
    from upward.core.services import api_token_create

    call_command("migrate", verbosity=0, interactive=False)
    owner = User.objects.create_user(
        email="owner@bench.example", password=None, role=Role.COORDINATOR
    )
    figures: dict[str, float] = {}
    start = time.perf_counter()
    big = _generate(participants, "big", owner, seed=1)
    figures["generate_seconds"] = time.perf_counter() - start
    small = _generate(baseline, "small", owner, seed=2)
    # Bulk loading leaves the planner without statistics, and on PostgreSQL the bulk
    # re-dating of check-ins leaves a dead copy of every row; a live database has neither
    # (autovacuum on PostgreSQL, `PRAGMA optimize` on SQLite), so tidy up once. Nor is a
    # live database still writing out a bulk load: a checkpoint, so the timings below do
    # not share the disk with it.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(owner)
    _, token = api_token_create(user=owner)
    api = {"Authorization": f"Bearer {token}"}
    pages = {
        "dashboard": ("/programs/{slug}/dashboard/", {}),
        "csv": ("/programs/{slug}/report.csv", {}),
        "api_report": ("/api/programs/{slug}/report", api),
    }
    from upward.feedback.models import Release

    # A server process that has served a page before: templates compiled, code loaded.
    for url, headers in pages.values():
        client.get(url.format(slug=small.slug), headers=headers)  # type: ignore[attr-defined]
    for name, (url, headers) in pages.items():
        for label, program in (("big", big), ("small", small)):
            path = url.format(slug=program.slug)  # type: ignore[attr-defined]
            # The first view after a release makes it (audits and cuts the breakdowns);
            # later views read it back. Time that first view on its own.
            Release.objects.filter(program=program).delete()
            t = time.perf_counter()
            assert client.get(path, headers=headers).status_code == 200
            figures[f"{name}_{label}_first_seconds"] = time.perf_counter() - t
            times = []
            for _ in range(5):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    client.get(path, headers=headers)
                    times.append(time.perf_counter() - t)
            figures[f"{name}_{label}_seconds"] = statistics.median(times)
            figures[f"{name}_{label}_queries"] = len(queries.captured_queries)
    from upward.feedback.models import CheckIn
    from upward.mentoring.models import Session

    figures["sessions"] = Session.objects.filter(pair__program=big).count()
    figures["checkins"] = CheckIn.objects.filter(program=big).count()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.participants, args.baseline)))
        return
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"))
        if not args.no_postgres and ensure_postgres_database(args.postgres):
            targets.append(("PostgreSQL", args.postgres))
        print(f"Program report at {args.participants:,} participants "
              f"(baseline: {args.baseline} participants, same process)")  # fmt: skip
        header = (
            f"{'database':<11} {'page':<11} {'seconds':>8} {'queries':>8} {'release':>8} | "
            f"{'baseline s':>10} {'queries':>8} {'time ratio':>10}"
        )
        print(header)
        print("-" * len(header))
        for label, url in targets:
            f = run_child(
                __file__,
                url,
                "--participants",
                str(args.participants),
                "--baseline",
                str(args.baseline),
            )
            for page in ("dashboard", "csv", "api_report"):
                big, small = f[f"{page}_big_seconds"], f[f"{page}_small_seconds"]
                print(
                    f"{label:<11} {page:<11} {big:>8.3f} {f[f'{page}_big_queries']:>8.0f} "
                    f"{f[f'{page}_big_first_seconds']:>8.3f} | "
                    f"{small:>10.3f} {f[f'{page}_small_queries']:>8.0f} {big / small:>9.1f}x"
                )
            print(f"{'':<11} data: {f['sessions']:,.0f} sessions, {f['checkins']:,.0f} check-ins "
                  f"(generated in {f['generate_seconds']:.1f} s)")  # fmt: skip
        print(
            "seconds: median of 5 views; release: the first view after a release, which "
            "makes it (once a month)"
        )
        print(f"target: each page under {TARGET_SECONDS:.0f} s; query count independent of size")
    if not args.no_postgres:
        ensure_postgres_database(args.postgres)


if __name__ == "__main__":
    main()
