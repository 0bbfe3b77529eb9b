"""Program pages: who may see and do what, forms that refuse bad input inline, training privacy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, UserFactory
from tests.programs.conftest import enrol, linked_person, make_program
from upward.core.models import Role, User
from upward.people.models import Person
from upward.programs.catalogue import modules_for
from upward.programs.models import (
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramStatus,
    Topic,
    TrainingCompletion,
)
from upward.programs.services import training_complete

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


def body(response: Any) -> str:
    return response.content.decode()


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def program_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Future of Work",
        "purpose": "Leaders learn how younger colleagues work.",
        "starts_on": "2027-02-01",
        "ends_on": "2027-07-31",
        "cadence_days": "14",
        "session_minutes": "45",
        "topics": ["generative-ai", "hybrid-meetings"],
        "min_level_gap": "3",
        "mentor_capacity": "2",
        "min_fit": "0.2",
        "weight_coverage": "0.5",
        "weight_reciprocity": "0.15",
        "weight_department": "0.1",
        "weight_timezone": "0.25",
        "training_required": "on",
        "anonymity_threshold": "5",
    }
    data.update(overrides)
    return data


# --- who may see what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("admin", 200),
        ("other_coordinator", 404),
        ("participant", 200),
        ("sponsor", 200),
        ("anonymous", 302),
    ],
)
def test_enrolling_program_page_by_role(
    who: str, status: int, client_as: ClientAs, cohort: Program
) -> None:
    response = client_as(who).get(f"/programs/{cohort.slug}/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    if status == 200:
        page = body(response)
        runs_it = who in ("owner", "admin")
        assert ("Bulk enrolment" in page) is runs_it
        assert ("Open enrolment" in page or "start matching" in page) is runs_it
        assert "Generative AI assistants" in page


@pytest.mark.parametrize("status", [ProgramStatus.RUNNING, ProgramStatus.CLOSED])
def test_the_sponsor_finds_running_and_closed_programs_and_their_report(
    status: str, client_as: ClientAs, cohort_owner: User
) -> None:
    """Sponsors read every published program's aggregate report (DESIGN §4), so they
    must be able to find it — not only programs still open for enrolment."""
    program = make_program(cohort_owner, name="Data Fluency", status=status)
    sponsor = client_as("sponsor")
    assert "Data Fluency" in body(sponsor.get("/programs/"))
    assert sponsor.get(f"/programs/{program.slug}/").status_code == 200
    assert sponsor.get(f"/programs/{program.slug}/dashboard/").status_code == 200
    # Seeing the program is not running it.
    assert sponsor.get(f"/programs/{program.slug}/edit/").status_code == 403
    assert client_as("participant").get(f"/programs/{program.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("admin", 200),
        ("other_coordinator", 404),
        ("participant", 404),
        ("sponsor", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("suffix", ["", "apply/", "edit/"])
def test_a_draft_does_not_exist_for_those_who_may_not_see_it(
    who: str, status: int, suffix: str, client_as: ClientAs, draft: Program
) -> None:
    response = client_as(who).get(f"/programs/{draft.slug}/{suffix}")
    assert response.status_code == status
    if status == 404:
        assert "Quiet Draft" not in body(response)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("admin", 200),
        ("other_coordinator", 404),
        ("participant", 403),
        ("sponsor", 403),
        ("anonymous", 302),
    ],
)
def test_editing_a_visible_program_is_for_its_coordinators(
    who: str, status: int, client_as: ClientAs, cohort: Program
) -> None:
    assert client_as(who).get(f"/programs/{cohort.slug}/edit/").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_coordinator", 404), ("participant", 403), ("sponsor", 403), ("anonymous", 302)],
)
def test_coordinator_actions_are_refused_and_change_nothing(
    who: str, status: int, client_as: ClientAs, cohort: Program, junior: tuple[User, Person]
) -> None:
    enrollment = enrol(cohort, junior[1], "mentor", by=junior[0])
    client = client_as(who)
    base = f"/programs/{cohort.slug}"
    PersonFactory(employee_id="NEW1", level=2)
    csv = SimpleUploadedFile("people.csv", b"employee_id,role,topics\nNEW1,mentor,generative-ai\n")
    attempts = [
        client.post(f"{base}/status/", {"to": "matching"}),
        client.post(f"{base}/edit/", program_form(name="Hijacked")),
        client.post(f"{base}/enrol/", {"employee_id": "NEW1", "role": "mentor", "topics": "x"}),
        client.post(f"{base}/enrol/bulk/", {"file": csv}),
        client.post(f"{base}/enrolments/{enrollment.pk}/decision/", {"decision": "approve"}),
    ]
    assert [r.status_code for r in attempts] == [status] * len(attempts)
    cohort.refresh_from_db()
    assert (cohort.status, cohort.name) == (ProgramStatus.ENROLLING, "Digital Leaders")
    assert Enrollment.objects.get().status == EnrollmentStatus.APPLIED


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("admin", 200),
        ("other_coordinator", 200),
        ("participant", 403),
        ("sponsor", 403),
        ("anonymous", 302),
    ],
)
def test_new_program_page_by_role(who: str, status: int, client_as: ClientAs) -> None:
    assert client_as(who).get("/programs/new/").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("admin", 200),
        ("participant", 403),
        ("sponsor", 403),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("path", ["/topics/", "/topics/strategy/edit/"])
def test_topic_pages_by_role(who: str, status: int, path: str, client_as: ClientAs) -> None:
    assert client_as(who).get(path).status_code == status


def test_topic_changes_are_refused_to_participants(client_as: ClientAs) -> None:
    client = client_as("participant")
    assert client.post("/topics/new/", {"name": "X", "category": "leadership"}).status_code == 403
    assert client.post("/topics/strategy/retire/", {"retired": "1"}).status_code == 403
    assert client.post("/topics/strategy/edit/", {"name": "Strat"}).status_code == 403
    strategy = Topic.objects.get(slug="strategy")
    assert (strategy.name, strategy.is_retired) == ("Strategy", False)
    assert not Topic.objects.filter(name="X").exists()


@pytest.mark.parametrize("who", ["owner", "admin", "participant", "sponsor"])
def test_everyone_signed_in_has_programs_and_training_pages(
    who: str, client_as: ClientAs, cohort: Program
) -> None:
    client = client_as(who)
    for path in ("/programs/", "/training/", "/training/active-listening/"):
        assert client.get(path).status_code == 200, path
    assert client_as("anonymous").get("/programs/").status_code == 302


def test_program_list_shows_what_each_role_may_see(
    client_as: ClientAs, cohort: Program, draft: Program
) -> None:
    owner_page = body(client_as("owner").get("/programs/"))
    assert "Digital Leaders" in owner_page and "Quiet Draft" in owner_page
    assert "New program" in owner_page
    participant_page = body(client_as("participant").get("/programs/"))
    assert "Digital Leaders" in participant_page and "Quiet Draft" not in participant_page
    assert "New program" not in participant_page
    other_page = body(client_as("other_coordinator").get("/programs/"))
    assert "Elsewhere" in other_page and "Digital Leaders" not in other_page


def test_navigation_offers_programs_to_all_and_topics_to_coordinators(
    client_as: ClientAs,
) -> None:
    participant_nav = body(client_as("participant").get("/"))
    assert 'href="/programs/"' in participant_nav and 'href="/training/"' in participant_nav
    assert 'href="/topics/"' not in participant_nav
    assert 'href="/topics/"' in body(client_as("owner").get("/"))


def test_program_list_counts_each_approved_enrolment_once(
    client_as: ClientAs, cohort: Program, cohort_owner: User
) -> None:
    for level in (2, 2, 3):
        enrol(cohort, PersonFactory(level=level), "mentor", by=cohort_owner, approve=True)
    enrol(cohort, PersonFactory(level=9), "mentee", by=cohort_owner, approve=True)
    enrol(cohort, PersonFactory(level=9), "mentee", by=cohort_owner)  # applied: not counted
    for who in ("participant", "owner"):
        (listed,) = client_as(who).get("/programs/").context["page"].object_list
        assert (listed.mentor_count, listed.mentee_count) == (3, 1), who


def test_program_list_query_count_does_not_grow_with_programs(
    client_for: Callable[[User | None], Client], cohort_owner: User, junior: tuple[User, Person]
) -> None:
    user, person = junior
    client = client_for(user)
    make_program(cohort_owner, name="One")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/programs/").status_code == 200
        return len(queries)

    few = count()
    for n in range(6):
        program = make_program(cohort_owner, name=f"Cohort {n}")
        enrol(program, person if n == 0 else PersonFactory(level=2), "mentor", by=cohort_owner)
        enrol(program, PersonFactory(level=9), "mentee", by=cohort_owner, approve=True)
    assert count() == few


# --- creating and editing ---------------------------------------------------------------------


def test_coordinator_creates_a_program_with_topics_and_rules(
    coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(coordinator).post("/programs/new/", program_form(), follow=True)
    program = Program.objects.get()
    assert response.redirect_chain[-1][0] == f"/programs/{program.slug}/"
    assert (program.status, program.min_level_gap, program.mentor_capacity) == ("draft", 3, 2)
    assert (program.min_fit, program.training_required) == (0.2, True)
    assert sorted(t.slug for t in program.topics.all()) == ["generative-ai", "hybrid-meetings"]
    assert list(program.coordinators.all()) == [coordinator]
    assert "saved as a draft" in body(response)


def test_new_program_form_groups_topics_by_category(
    coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    page = body(client_for(coordinator).get("/programs/new/"))
    for legend in ("Digital tools", "Communication trends", "Social values", "Leadership"):
        assert f"<legend>{legend}" in page
    assert '<label for="id_min_fit">Minimum fit' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2027-01-01"}, "ends_on", "The program must end on or after its start."),
        ({"min_fit": "1.5"}, "min_fit", "less than or equal to 1"),
        ({"mentor_capacity": "9"}, "mentor_capacity", "less than or equal to 5"),
        ({"anonymity_threshold": "2"}, "anonymity_threshold", "greater than or equal to 3"),
        ({"name": ""}, "name", "This field is required."),
        ({"topics": ["not-a-topic"]}, "topics", "not one of the available choices"),
    ],
)
def test_bad_program_input_is_shown_on_its_field_and_nothing_is_saved(
    overrides: dict[str, object],
    field: str,
    message: str,
    coordinator: User,
    client_for: Callable[[User | None], Client],
) -> None:
    response = client_for(coordinator).post("/programs/new/", program_form(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = body(response)
    assert f'id="id_{field}_error"' in page and "Nothing was saved" in page
    assert not Program.objects.exists()


def test_fit_weights_summing_to_zero_are_refused_on_the_weights_group(
    coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    zero = {f"weight_{w}": "0" for w in ("coverage", "reciprocity", "department", "timezone")}
    response = client_for(coordinator).post("/programs/new/", program_form(**zero))
    page = body(response)
    assert '<ul class="errorlist" id="weights_error">' in page
    assert "Fit weights must be non-negative with a positive sum." in page
    assert not Program.objects.exists()


def test_a_program_named_new_does_not_hide_the_new_program_page(
    coordinator: User, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(coordinator)
    client.post("/programs/new/", program_form(name="New"))
    program = Program.objects.get()
    assert program.slug == "new-2"
    assert client.get("/programs/new-2/").context["program"] == program
    assert "<h1>New program</h1>" in body(client.get("/programs/new/"))


def test_owner_edits_description_and_topics(
    client_as: ClientAs, cohort: Program, cohort_owner: User
) -> None:
    form = program_form(name="Digital Leaders 2027", topics=["strategy", "generative-ai"])
    response = client_as("owner").post(f"/programs/{cohort.slug}/edit/", form)
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Digital Leaders 2027"
    assert sorted(t.slug for t in cohort.topics.all()) == ["generative-ai", "strategy"]


def test_a_running_programs_rules_are_shown_fixed_and_its_purpose_still_edits(
    client_as: ClientAs, cohort_owner: User
) -> None:
    running = make_program(cohort_owner, name="Running", status=ProgramStatus.RUNNING)
    client = client_as("owner")
    form = client.get(f"/programs/{running.slug}/edit/").context["form"]
    assert form.fields["min_level_gap"].disabled and form.fields["training_required"].disabled
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        purpose="A sharper purpose.",
        starts_on="2027-01-11",
        ends_on="2027-06-30",
        min_level_gap="7",  # disabled: ignored, the saved value stays
    )
    data.pop("training_required")
    response = client.post(f"/programs/{running.slug}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    running.refresh_from_db()
    assert (running.purpose, running.min_level_gap, running.training_required) == (
        "A sharper purpose.",
        2,
        True,
    )


# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (ProgramStatus.DRAFT, ["Open enrolment"]),
        (ProgramStatus.ENROLLING, ["Close enrolment and start matching"]),
        (ProgramStatus.MATCHING, ["Reopen enrolment", "Start the program"]),
        (ProgramStatus.RUNNING, ["Close the program"]),
        (ProgramStatus.CLOSED, []),
    ],
)
def test_only_valid_transitions_are_offered(
    status: str, offered: list[str], client_as: ClientAs, cohort_owner: User
) -> None:
    program = make_program(cohort_owner, name="Walk", status=status)
    response = client_as("owner").get(f"/programs/{program.slug}/")
    assert [label for _, label in response.context["transitions"]] == offered
    page = body(response)
    for label in (
        "Open enrolment",
        "Close enrolment and start matching",
        "Reopen enrolment",
        "Start the program",
        "Close the program",
    ):
        assert (f">{label}</button>" in page) == (label in offered), label


def test_owner_opens_enrolment(client_as: ClientAs, draft: Program) -> None:
    response = client_as("owner").post(
        f"/programs/{draft.slug}/status/", {"to": "enrolling"}, follow=True
    )
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.ENROLLING
    assert "Quiet Draft is now Enrolling." in messages_of(response)


@pytest.mark.parametrize("to", ["running", "closed", "draft", "bogus"])
def test_an_invalid_transition_is_refused_with_a_message_and_no_change(
    to: str, client_as: ClientAs, draft: Program
) -> None:
    response = client_as("owner").post(f"/programs/{draft.slug}/status/", {"to": to}, follow=True)
    draft.refresh_from_db()
    assert draft.status == ProgramStatus.DRAFT
    (message,) = messages_of(response)
    assert "cannot become" in message or "Choose one of the offered" in message


def test_enrolment_does_not_open_without_topics(client_as: ClientAs, cohort_owner: User) -> None:
    bare = make_program(cohort_owner, name="Bare", status=ProgramStatus.DRAFT, topics=())
    response = client_as("owner").post(
        f"/programs/{bare.slug}/status/", {"to": "enrolling"}, follow=True
    )
    assert messages_of(response) == ["Offer at least one topic before opening enrolment."]
    bare.refresh_from_db()
    assert bare.status == ProgramStatus.DRAFT


# --- the enrolment table, decisions ------------------------------------------------------------


def test_enrolment_table_shows_topics_weights_and_training_counts(
    client_as: ClientAs, cohort: Program, junior: tuple[User, Person], cohort_owner: User
) -> None:
    enrollment = enrol(cohort, junior[1], "mentor", by=cohort_owner)
    training_complete(
        person=junior[1],
        module_slug="candid-upward-feedback",
        reflection="I hold back when the room is senior; I will say it anyway.",
    )
    page = body(client_as("owner").get(f"/programs/{cohort.slug}/"))
    assert f'id="enrolment-{enrollment.pk}"' in page
    assert "Jo Junior" in page and "Generative AI assistants" in page
    assert "1/3" in page  # one of the mentor's three modules
    assert "I hold back" not in page


def test_owner_approves_with_htmx_and_only_the_row_comes_back(
    client_as: ClientAs, cohort: Program, junior: tuple[User, Person], cohort_owner: User
) -> None:
    enrollment = enrol(cohort, junior[1], "mentor", by=cohort_owner)
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/enrolments/{enrollment.pk}/decision/",
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    fragment = body(response)
    assert fragment.lstrip().startswith(f'<tr id="enrolment-{enrollment.pk}"')
    assert "<html" not in fragment
    assert "Approved" in fragment and "Decline" in fragment
    assert ">Approve<" not in fragment
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.decided_by) == (EnrollmentStatus.APPROVED, cohort_owner)


def test_owner_declines_without_javascript(
    client_as: ClientAs, cohort: Program, leader: tuple[User, Person], cohort_owner: User
) -> None:
    enrollment = enrol(cohort, leader[1], "mentee", by=cohort_owner)
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/enrolments/{enrollment.pk}/decision/",
        {"decision": "decline"},
        follow=True,
    )
    assert "Lee Leader: declined." in messages_of(response)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.DECLINED


def test_a_decision_needs_a_known_verb_and_an_enrolment_of_this_program(
    client_as: ClientAs, cohort: Program, cohort_owner: User, junior: tuple[User, Person]
) -> None:
    elsewhere = make_program(cohort_owner, name="Elsewhere Too")
    enrollment = enrol(elsewhere, junior[1], "mentor", by=cohort_owner)
    client = client_as("owner")
    wrong_program = f"/programs/{cohort.slug}/enrolments/{enrollment.pk}/decision/"
    assert client.post(wrong_program, {"decision": "approve"}).status_code == 404
    right = f"/programs/{elsewhere.slug}/enrolments/{enrollment.pk}/decision/"
    assert client.post(right, {"decision": "maybe"}).status_code == 400
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.APPLIED


def test_program_page_query_count_does_not_grow_with_enrolments(
    client_as: ClientAs, cohort: Program, cohort_owner: User
) -> None:
    client = client_as("owner")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/programs/{cohort.slug}/").status_code == 200
        return len(queries)

    enrol(cohort, PersonFactory(level=2), "mentor", by=cohort_owner)
    few = count()
    for _ in range(8):
        person = PersonFactory(level=2)
        enrol(cohort, person, "mentor", by=cohort_owner, approve=True)
        training_complete(person=person, module_slug="candid-upward-feedback", reflection="x" * 30)
        enrol(cohort, PersonFactory(level=9), "mentee", by=cohort_owner)
    assert count() == few


# --- enrolling someone, bulk upload -----------------------------------------------------------


def test_owner_enrols_someone_by_employee_id(
    client_as: ClientAs, cohort: Program, junior: tuple[User, Person]
) -> None:
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/enrol/",
        {"employee_id": junior[1].employee_id, "role": "mentor", "topics": "generative-ai:3"},
        follow=True,
    )
    assert "Jo Junior is enrolled as mentor." in messages_of(response)
    enrollment = Enrollment.objects.get()
    assert (enrollment.status, enrollment.role) == (EnrollmentStatus.APPROVED, "mentor")
    assert [(t.topic.slug, t.kind, t.weight) for t in enrollment.topics.all()] == [
        ("generative-ai", "expertise", 3)
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"employee_id": "NOPE"}, "employee_id", "No person has the employee id 'NOPE'."),
        ({"employee_id": "GONE"}, "employee_id", "is not an active employee."),
        ({"topics": "generative-ai:9"}, "topics", "must be 1, 2 or 3"),
        ({"topics": "strategy"}, "topics", "'strategy' is not a topic of this program."),
        ({"role": "coach"}, "role", "Select a valid choice."),
    ],
)
def test_enrolling_someone_shows_problems_inline(
    data: dict[str, str], field: str, message: str, client_as: ClientAs, cohort: Program
) -> None:
    PersonFactory(employee_id="J1", level=2)
    PersonFactory(employee_id="GONE", level=2, is_active=False)
    form = {"employee_id": "J1", "role": "mentor", "topics": "generative-ai"} | data
    response = client_as("owner").post(f"/programs/{cohort.slug}/enrol/", form)
    assert response.status_code == 200
    errors = response.context["enrol_form"].errors[field]
    assert any(message in e for e in errors), errors
    assert f'id="id_{field}_error"' in body(response)
    assert not Enrollment.objects.exists()


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


def test_bulk_upload_enrols_everyone_in_the_file(client_as: ClientAs, cohort: Program) -> None:
    PersonFactory(employee_id="J1", level=2)
    PersonFactory(employee_id="L1", level=9)
    csv = (
        "employee_id,role,topics,goal\n"
        "J1,mentor,generative-ai:3;hybrid-meetings,\n"
        "L1,mentee,generative-ai:2,Use AI with my team\n"
    )
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/enrol/bulk/", {"file": upload(csv)}, follow=True
    )
    assert "Enrolled 2 people." in messages_of(response)
    assert sorted(Enrollment.objects.values_list("person__employee_id", "role", "status")) == [
        ("J1", "mentor", "approved"),
        ("L1", "mentee", "approved"),
    ]
    assert Enrollment.objects.get(role="mentee").goal == "Use AI with my team"


def test_bulk_upload_lists_every_problem_and_writes_nothing(
    client_as: ClientAs, cohort: Program
) -> None:
    PersonFactory(employee_id="J1", level=2)
    PersonFactory(employee_id="J3", level=2)
    csv = (
        "employee_id,role,topics\n"
        "J1,mentor,generative-ai:3\n"
        "NOPE,mentor,generative-ai\n"
        "J3,coach,generative-ai\n"
        "J1,mentor,generative-ai:7\n"
    )
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/enrol/bulk/", {"file": upload(csv)}
    )
    assert response.status_code == 200
    assert response.context["bulk_problems"] == [
        "line 3, column employee_id: no person with employee id 'NOPE'",
        "line 4, column role: 'coach' is not mentor or mentee",
        "line 5, column employee_id: 'J1' already appears on line 2",
    ]
    page = body(response)
    assert "Nobody was enrolled: the file has 3 problems." in page
    assert "line 4, column role: &#x27;coach&#x27; is not mentor or mentee" in page
    assert not Enrollment.objects.exists()


def test_bulk_upload_rolls_back_when_a_later_line_breaks_a_rule(
    client_as: ClientAs, cohort: Program
) -> None:
    PersonFactory(employee_id="J1", level=2)
    PersonFactory(employee_id="J2", level=2)
    csv = "employee_id,role,topics\nJ1,mentor,generative-ai\nJ2,mentor,strategy\n"
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/enrol/bulk/", {"file": upload(csv)}
    )
    assert response.context["bulk_problems"] == [
        "line 3, column topics: 'strategy' is not a topic of this program."
    ]
    assert not Enrollment.objects.exists()


def test_bulk_upload_of_a_file_with_a_wrong_header(client_as: ClientAs, cohort: Program) -> None:
    response = client_as("owner").post(
        f"/programs/{cohort.slug}/enrol/bulk/", {"file": upload("id,role\nJ1,mentor\n")}
    )
    problems = response.context["bulk_problems"]
    assert "line 1, column topics: required column is missing" in problems
    assert not Enrollment.objects.exists()


# --- applying ---------------------------------------------------------------------------------


def test_junior_applies_as_mentor(
    client_for: Callable[[User | None], Client], cohort: Program, junior: tuple[User, Person]
) -> None:
    user, person = junior
    client = client_for(user)
    form = client.get(f"/programs/{cohort.slug}/apply/")
    page = body(form)
    assert '<label for="id_expertise__generative-ai">Generative AI assistants</label>' in page
    assert "id_wants_to_learn__strategy" in page  # any topic, not only the offered ones
    assert "id_expertise__strategy" not in page  # expertise only in what the program offers
    response = client.post(
        f"/programs/{cohort.slug}/apply/",
        {
            "role": "mentor",
            "expertise__generative-ai": "3",
            "expertise__chat-etiquette": "2",
            "wants_to_learn__strategy": "2",
            "interest__hybrid-meetings": "3",  # the other role's section: ignored
            "availability": ["mon", "thu"],
            "introduction": "I build prompts for a living.",
            "goal": "ignored for mentors",
        },
        follow=True,
    )
    assert "you have applied to Digital Leaders as a mentor" in " ".join(messages_of(response))
    enrollment = Enrollment.objects.get(person=person)
    assert (enrollment.role, enrollment.status) == ("mentor", EnrollmentStatus.APPLIED)
    assert (enrollment.availability, enrollment.goal) == (["mon", "thu"], "")
    assert enrollment.introduction == "I build prompts for a living."
    assert sorted((t.kind, t.topic.slug, t.weight) for t in enrollment.topics.all()) == [
        ("expertise", "chat-etiquette", 2),
        ("expertise", "generative-ai", 3),
        ("wants_to_learn", "strategy", 2),
    ]
    assert "Status: <span" in body(response) and "Applied" in body(response)


def test_leader_applies_as_mentee_and_sees_the_level_gap_warning(
    client_for: Callable[[User | None], Client], cohort: Program, leader: tuple[User, Person]
) -> None:
    user, person = leader
    response = client_for(user).post(
        f"/programs/{cohort.slug}/apply/",
        {
            "role": "mentee",
            "interest__hybrid-meetings": "3",
            "offers__strategy": "2",
            "goal": "Run meetings that work for people at home.",
        },
        follow=True,
    )
    shown = messages_of(response)
    assert any("applied to Digital Leaders as a mentee" in m for m in shown)
    assert any("No mentor enrolled so far is at least 2 levels junior" in m for m in shown)
    enrollment = Enrollment.objects.get(person=person)
    assert enrollment.goal == "Run meetings that work for people at home."
    assert sorted((t.kind, t.topic.slug) for t in enrollment.topics.all()) == [
        ("interest", "hybrid-meetings"),
        ("offers", "strategy"),
    ]


def test_no_warning_when_a_junior_enough_mentor_is_enrolled(
    client_for: Callable[[User | None], Client],
    cohort: Program,
    leader: tuple[User, Person],
    junior: tuple[User, Person],
    cohort_owner: User,
) -> None:
    enrol(cohort, junior[1], "mentor", by=cohort_owner)
    response = client_for(leader[0]).post(
        f"/programs/{cohort.slug}/apply/",
        {"role": "mentee", "interest__generative-ai": "2"},
        follow=True,
    )
    assert [m for m in messages_of(response) if "No mentor" in m] == []


def test_a_mentor_must_choose_some_expertise(
    client_for: Callable[[User | None], Client], cohort: Program, junior: tuple[User, Person]
) -> None:
    response = client_for(junior[0]).post(
        f"/programs/{cohort.slug}/apply/", {"role": "mentor", "wants_to_learn__strategy": "2"}
    )
    assert response.status_code == 200
    page = body(response)
    assert (
        '<ul class="errorlist" id="expertise_error"><li>Choose at least one area of expertise.'
        in page
    )
    assert 'aria-describedby="expertise_error"' in page
    assert not Enrollment.objects.exists()


def test_a_role_must_be_chosen(
    client_for: Callable[[User | None], Client], cohort: Program, junior: tuple[User, Person]
) -> None:
    response = client_for(junior[0]).post(
        f"/programs/{cohort.slug}/apply/", {"expertise__generative-ai": "2"}
    )
    assert response.context["form"].errors["role"] == ["This field is required."]
    assert not Enrollment.objects.exists()


def test_nobody_applies_as_both_mentor_and_mentee(
    client_for: Callable[[User | None], Client],
    cohort: Program,
    junior: tuple[User, Person],
    cohort_owner: User,
) -> None:
    user, person = junior
    enrol(cohort, person, "mentor", by=cohort_owner)
    client = client_for(user)
    notice = body(client.get(f"/programs/{cohort.slug}/apply/"))
    assert "You are already enrolled in Digital Leaders as a mentor" in notice
    assert '<form method="post" class="stack apply-form">' not in notice
    response = client.post(
        f"/programs/{cohort.slug}/apply/", {"role": "mentee", "interest__generative-ai": "2"}
    )
    errors = response.context["form"].errors["role"]
    assert any("nobody can be both mentor and mentee in one program" in e for e in errors)
    assert 'id="id_role_error"' in body(response)
    assert Enrollment.objects.get().role == "mentor"


def test_an_inactive_person_cannot_apply(
    client_for: Callable[[User | None], Client], cohort: Program
) -> None:
    user, person = linked_person(level=2, full_name="Gone Away", is_active=False)
    response = client_for(user).post(
        f"/programs/{cohort.slug}/apply/", {"role": "mentor", "expertise__generative-ai": "2"}
    )
    assert response.context["form"].non_field_errors() == ["Gone Away is not an active employee."]
    assert "Gone Away is not an active employee." in body(response)
    assert not Enrollment.objects.exists()


def test_an_account_without_a_directory_entry_is_told_so(
    client_as: ClientAs, cohort: Program
) -> None:
    client = client_as("participant")
    assert "not linked to an employee record" in body(client.get(f"/programs/{cohort.slug}/"))
    for response in (
        client.get(f"/programs/{cohort.slug}/apply/"),
        client.post(f"/programs/{cohort.slug}/apply/", {"role": "mentor"}),
    ):
        assert "Your account is not linked to an employee record" in body(response)
        assert "form" not in response.context
    assert not Enrollment.objects.exists()


def test_applying_only_while_enrolling(
    client_for: Callable[[User | None], Client], cohort_owner: User, draft: Program
) -> None:
    admin = UserFactory(role=Role.ADMIN)
    PersonFactory(level=2, user=admin)
    client = client_for(admin)
    notice = body(client.get(f"/programs/{draft.slug}/apply/"))
    assert "Quiet Draft is not open for enrolment (draft)." in notice
    response = client.post(
        f"/programs/{draft.slug}/apply/", {"role": "mentor", "expertise__generative-ai": "2"}
    )
    assert "Quiet Draft is not open for enrolment (draft)." in body(response)
    assert not Enrollment.objects.exists()


def test_participant_program_page_links_to_apply_then_shows_the_status(
    client_for: Callable[[User | None], Client],
    cohort: Program,
    leader: tuple[User, Person],
    cohort_owner: User,
) -> None:
    client = client_for(leader[0])
    assert f'href="/programs/{cohort.slug}/apply/"' in body(client.get(f"/programs/{cohort.slug}/"))
    enrol(cohort, leader[1], "mentee", by=cohort_owner, approve=True)
    page = body(client.get(f"/programs/{cohort.slug}/"))
    assert "You applied as a <strong>mentee</strong>" in page and "Approved" in page
    assert f'href="/programs/{cohort.slug}/apply/"' not in page
    assert "Bulk enrolment" not in page and "enrolment-" not in page


# --- training ---------------------------------------------------------------------------------

SECRET = "I talk over my mentor like a marmalade-coloured steamroller and it embarrasses me."


def test_training_lists_the_modules_of_each_role_someone_is_enrolled_as(
    client_for: Callable[[User | None], Client],
    cohort: Program,
    leader: tuple[User, Person],
    cohort_owner: User,
) -> None:
    enrol(cohort, leader[1], "mentee", by=cohort_owner)
    other = make_program(cohort_owner, name="Second Cohort")
    enrol(other, leader[1], "mentor", by=cohort_owner)
    response = client_for(leader[0]).get("/training/")
    titles = [m.module.title for _, progress, _ in response.context["sections"] for m in progress]
    assert titles == [m.title for m in (*modules_for("mentor"), *modules_for("mentee"))]
    page = body(response)
    assert "As a mentor" in page and "As a mentee" in page
    assert "0 of 4 completed" in page and "0 of 3 completed" in page


def test_completing_a_module_records_it_with_a_private_reflection(
    client_for: Callable[[User | None], Client],
    cohort: Program,
    leader: tuple[User, Person],
    cohort_owner: User,
) -> None:
    user, person = leader
    enrol(cohort, person, "mentee", by=cohort_owner)
    client = client_for(user)
    module_page = body(client.get("/training/active-listening/"))
    assert "Only you can read your reflection" in module_page
    assert "Complete this module" in module_page
    response = client.post("/training/active-listening/", {"reflection": SECRET}, follow=True)
    assert response.redirect_chain[-1][0] == "/training/"
    assert "1 of 4 completed" in body(response)
    completion = TrainingCompletion.objects.get(person=person)
    assert (completion.module_slug, completion.reflection) == ("active-listening", SECRET)
    # The author reads it back (to improve it); the button says so.
    again = body(client.get("/training/active-listening/"))
    assert SECRET in again and "Update my reflection" in again


def test_a_too_short_reflection_is_refused_inline(
    client_for: Callable[[User | None], Client], leader: tuple[User, Person]
) -> None:
    response = client_for(leader[0]).post("/training/active-listening/", {"reflection": "ok"})
    assert response.status_code == 200
    assert 'id="id_reflection_error"' in body(response)
    assert "at least 20 characters" in body(response)
    assert not TrainingCompletion.objects.exists()


def test_unknown_module_is_404(client_as: ClientAs) -> None:
    assert client_as("participant").get("/training/no-such-module/").status_code == 404


def test_an_account_without_a_directory_entry_reads_but_cannot_complete(
    client_as: ClientAs,
) -> None:
    client = client_as("participant")
    assert "no training is recorded for you" in body(client.get("/training/"))
    page = body(client.get("/training/active-listening/"))
    assert "can read this module but not record completing it" in page
    response = client.post("/training/active-listening/", {"reflection": SECRET})
    assert "not linked to an employee record" in body(response)
    assert not TrainingCompletion.objects.exists()


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_coordinators_and_admins_never_see_a_reflection(
    who: str,
    client_as: ClientAs,
    cohort: Program,
    leader: tuple[User, Person],
    cohort_owner: User,
    admin_user: User,
) -> None:
    enrollment = enrol(cohort, leader[1], "mentee", by=cohort_owner)
    training_complete(person=leader[1], module_slug="active-listening", reflection=SECRET)
    # Even an admin with a directory entry of their own sees only their own (empty) reflection.
    PersonFactory(level=8, user=admin_user)
    client = client_as(who)
    pages = [
        client.get("/programs/"),
        client.get(f"/programs/{cohort.slug}/"),
        client.get(f"/programs/{cohort.slug}/?status=applied"),
        client.get("/training/"),
        client.get("/training/active-listening/"),
        client.get("/topics/"),
        client.post(
            f"/programs/{cohort.slug}/enrolments/{enrollment.pk}/decision/",
            {"decision": "approve"},
            headers={"HX-Request": "true"},
        ),
    ]
    for response in pages:
        assert response.status_code == 200
        assert SECRET not in body(response)
        assert "marmalade" not in body(response)
    # What they do see: a count.
    row = body(pages[-1])
    assert "1/4" in row


# --- topics -----------------------------------------------------------------------------------


def test_topics_page_lists_every_category_with_retired_topics_marked(
    client_as: ClientAs,
) -> None:
    Topic.objects.filter(slug="strategy").update(is_retired=True)
    page = body(client_as("owner").get("/topics/"))
    for heading in ("Digital tools", "Communication trends", "Social values", "Leadership"):
        assert heading in page
    assert 'id="topic-strategy" class="inactive"' in page
    assert "Offer again<span" in page


def test_coordinator_adds_a_topic(client_as: ClientAs) -> None:
    response = client_as("owner").post(
        "/topics/new/",
        {
            "name": "Podcasts",
            "category": "digital_tools",
            "description": "Learning on the move.",
            "prompts": "Which podcast changed your mind?\n\nWhen do you listen?\n",
        },
        follow=True,
    )
    assert "Added “Podcasts”." in messages_of(response)
    topic = Topic.objects.get(slug="podcasts")
    assert topic.prompts == ["Which podcast changed your mind?", "When do you listen?"]


def test_a_duplicate_topic_is_refused_on_the_name(client_as: ClientAs) -> None:
    before = Topic.objects.count()
    response = client_as("owner").post(
        "/topics/new/", {"name": "strategy", "category": "leadership"}
    )
    assert response.context["form"].errors["name"] == ["A topic called 'strategy' exists."]
    assert "<details" in body(response) and " open>" in body(response)
    assert Topic.objects.count() == before


def test_coordinator_renames_a_topic_and_its_slug_stays(client_as: ClientAs) -> None:
    client = client_as("owner")
    form = client.get("/topics/strategy/edit/").context["form"]
    assert "category" not in form.fields
    response = client.post(
        "/topics/strategy/edit/",
        {"name": "Strategy and direction", "description": "Where we go.", "prompts": "Why?"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="strategy")
    assert (topic.name, topic.description, topic.prompts) == (
        "Strategy and direction",
        "Where we go.",
        ["Why?"],
    )


def test_too_many_prompts_are_refused_inline(client_as: ClientAs) -> None:
    prompts = "\n".join(f"Question {i}?" for i in range(9))
    response = client_as("admin").post(
        "/topics/strategy/edit/", {"name": "Strategy", "prompts": prompts}
    )
    assert response.context["form"].errors["prompts"] == ["A topic has at most 8 prompts."]
    assert len(Topic.objects.get(slug="strategy").prompts) != 9


def test_retire_and_unretire_with_htmx(client_as: ClientAs) -> None:
    client = client_as("owner")
    retired = client.post(
        "/topics/strategy/retire/", {"retired": "1"}, headers={"HX-Request": "true"}
    )
    assert body(retired).lstrip().startswith('<tr id="topic-strategy" class="inactive">')
    assert Topic.objects.get(slug="strategy").is_retired
    back = client.post("/topics/strategy/retire/", {"retired": "0"}, follow=True)
    assert "“Strategy” is offered again." in messages_of(back)
    assert not Topic.objects.get(slug="strategy").is_retired


def test_topics_page_query_count_does_not_grow_with_topics(client_as: ClientAs) -> None:
    client = client_as("owner")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/topics/").status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        Topic.objects.create(slug=f"extra-{n}", name=f"Extra {n}", category="leadership")
    assert count() == few


def test_coordinator_shares_the_program_page_with_a_colleague(db: None) -> None:
    import datetime as dt

    from django.test import Client

    from tests.factories import UserFactory
    from upward.core.models import Role
    from upward.programs.services import program_create

    owner = UserFactory(role=Role.COORDINATOR)
    colleague = UserFactory(role=Role.COORDINATOR, email="colleague@example.org")
    program = program_create(
        by=owner, name="Shared", purpose="p", starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 2, 1), topic_slugs=["generative-ai"],
    )  # fmt: skip
    client = Client()
    client.force_login(owner)
    page = client.get(f"/programs/{program.slug}/").content.decode()
    assert "Add coordinator" in page
    response = client.post(
        f"/programs/{program.slug}/coordinators/", {"email": "colleague@example.org"}, follow=True
    )
    assert "colleague@example.org now coordinates Shared." in response.content.decode()
    assert program.coordinators.filter(pk=colleague.pk).exists()
    stranger = Client()
    stranger.force_login(UserFactory(role=Role.COORDINATOR))
    assert (
        stranger.post(f"/programs/{program.slug}/coordinators/", {"email": "x@y.org"}).status_code
        == 404
    )
