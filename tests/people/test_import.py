"""HRIS import: all or nothing, every problem located, idempotent, never deleting."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from upward.core.demo import demo_people_csv
from upward.core.tabular import TableError
from upward.people.models import Department, Person
from upward.people.services import people_export, people_import

HEADER = "employee_id,full_name,email,title,level,department,manager_employee_id,location,timezone,hire_date,birth_year"
CEO = "E1,Cara Exec,cara@example.org,CEO,12,Operations,,London,Europe/London,2010-03-01,1970"
VP = "E2,Victor Vice,victor@example.org,VP Sales,10,Sales,E1,New York,America/New_York,2015-06-15,"
JUNIOR = "E3,Jamie Junior,jamie@example.org,Associate,2,Sales,E2,Tokyo,Asia/Tokyo,2024-09-01,2001"

pytestmark = pytest.mark.django_db
THIS_YEAR = dt.date.today().year  # noqa: DTZ011


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def problems_of(text: str, **options: bool) -> list[str]:
    with pytest.raises(TableError) as caught:
        people_import(source=text, **options)
    return [str(p) for p in caught.value.problems]


def test_valid_file_creates_people_departments_and_chains() -> None:
    # The junior comes before their manager: order in the file does not matter.
    result = people_import(source=csv_text(JUNIOR, VP, CEO))
    assert result.summary() == "created 3, updated 0, unchanged 0, deactivated 0"
    junior = Person.objects.get(employee_id="E3")
    assert junior.manager_id == "E2"
    assert junior.chain_path == "/E1/E2/E3/"
    assert junior.birth_year == 2001
    assert junior.timezone == "Asia/Tokyo"
    assert set(Department.objects.values_list("name", flat=True)) == {"Operations", "Sales"}


def test_bom_semicolons_and_header_case_are_accepted() -> None:
    text = csv_text(CEO, VP, header=HEADER.upper()).replace(",", ";")
    result = people_import(source=("\ufeff" + text).encode())
    assert result.created == 2


def test_optional_birth_year_column_may_be_absent() -> None:
    header = HEADER.removesuffix(",birth_year")
    result = people_import(source=csv_text(CEO.removesuffix(",1970"), header=header))
    assert result.created == 1
    assert Person.objects.get().birth_year is None


def test_importing_the_same_file_again_changes_nothing() -> None:
    people_import(source=csv_text(CEO, VP, JUNIOR))
    before = list(Person.objects.order_by("pk").values())
    result = people_import(source=csv_text(CEO, VP, JUNIOR))
    assert result.summary() == "created 0, updated 0, unchanged 3, deactivated 0"
    assert list(Person.objects.order_by("pk").values()) == before


def test_changed_rows_are_updated_in_place() -> None:
    people_import(source=csv_text(CEO, VP, JUNIOR))
    pk = Person.objects.get(employee_id="E3").pk
    promoted = JUNIOR.replace("Associate,2", "Specialist,3")
    result = people_import(source=csv_text(CEO, VP, promoted))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    junior = Person.objects.get(employee_id="E3")
    assert (junior.pk, junior.title, junior.level) == (pk, "Specialist", 3)


def test_moving_a_manager_moves_their_whole_subtree_even_people_not_in_the_file() -> None:
    people_import(source=csv_text(CEO, VP, JUNIOR))
    second_vp = "E4,Valerie Vice,valerie@example.org,VP,10,Sales,E1,Paris,Europe/Paris,2016-01-01,"
    moved_vp = VP.replace(",E1,", ",E4,")
    people_import(source=csv_text(CEO, second_vp, moved_vp))  # E3 is not in this file
    assert Person.objects.get(employee_id="E3").chain_path == "/E1/E4/E2/E3/"


def test_deactivate_missing_marks_absent_people_inactive_and_deletes_no_one() -> None:
    people_import(source=csv_text(CEO, VP, JUNIOR))
    result = people_import(source=csv_text(CEO, VP), deactivate_missing=True)
    assert result.summary() == "created 0, updated 0, unchanged 2, deactivated 1"
    assert Person.objects.count() == 3
    assert not Person.objects.get(employee_id="E3").is_active
    # Coming back in a later file reactivates them.
    again = people_import(source=csv_text(CEO, VP, JUNIOR), deactivate_missing=True)
    assert (again.updated, again.deactivated) == (1, 0)
    assert Person.objects.get(employee_id="E3").is_active


def test_without_the_flag_absent_people_stay_active() -> None:
    people_import(source=csv_text(CEO, VP, JUNIOR))
    result = people_import(source=csv_text(CEO))
    assert result.deactivated == 0
    assert Person.objects.filter(is_active=True).count() == 3


def test_two_people_may_swap_email_addresses() -> None:
    people_import(source=csv_text(CEO, VP))
    swapped_ceo = CEO.replace("cara@", "victor@")
    swapped_vp = VP.replace("victor@", "cara@")
    result = people_import(source=csv_text(swapped_ceo, swapped_vp))
    assert result.updated == 2
    assert Person.objects.get(employee_id="E1").email == "victor@example.org"


def test_dry_run_reports_counts_and_writes_nothing() -> None:
    result = people_import(source=csv_text(CEO, VP, JUNIOR), dry_run=True)
    assert (
        result.summary()
        == "created 3, updated 0, unchanged 0, deactivated 0 (dry run: nothing was written)"
    )
    assert not Person.objects.exists()
    assert not Department.objects.exists()


# --- every class of problem, located by line and column ------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [CEO, VP.replace("victor@example.org", "")],
            "line 3, column email: a value is required",
        ),
        (
            [CEO, VP.replace("victor@example.org", "victor@@example")],
            "line 3, column email: 'victor@@example' is not a valid e-mail address",
        ),
        (
            [CEO, VP.replace("E2,", "E1,", 1)],
            "line 3, column employee_id: employee id 'E1' already appears on line 2",
        ),
        (
            [CEO, VP.replace("victor@", "cara@")],
            "line 3, column email: e-mail 'cara@example.org' already appears on line 2",
        ),
        (
            [CEO, VP.replace(",10,", ",senior,")],
            "line 3, column level: 'senior' is not a whole number from 1 to 99",
        ),
        (
            [CEO, VP.replace("America/New_York", "Mars/Olympus")],
            "line 3, column timezone: 'Mars/Olympus' is not a known IANA time zone (e.g. Europe/Paris)",
        ),
        (
            [CEO, VP.replace("2015-06-15", "2015-02-30")],
            "line 3, column hire_date: '2015-02-30' is not a valid date (use YYYY-MM-DD)",
        ),
        (
            [CEO, VP.replace(",E1,", ",E99,")],
            "line 3, column manager_employee_id: manager 'E99' is neither in this file nor in the directory",
        ),
        (
            [CEO, VP.replace(",E1,", ",E2,")],
            "line 3, column manager_employee_id: a person cannot be their own manager",
        ),
        (
            [CEO.replace(",1970", ",1870")],
            f"line 2, column birth_year: '1870' is not a year from 1900 to {THIS_YEAR}",
        ),
        (
            [CEO.replace("E1,", "E 1,", 1)],
            "line 2, column employee_id: 'E 1' may contain only letters, digits, '.', '_' and '-' "
            "(at most 64 characters)",
        ),
    ],
)
def test_each_problem_is_reported_with_line_and_column(rows: list[str], expected: str) -> None:
    assert expected in problems_of(csv_text(*rows))
    assert not Person.objects.exists()


def test_missing_required_column_is_reported_on_the_header_line() -> None:
    header = HEADER.replace("timezone,", "")
    row = CEO.replace("Europe/London,", "")
    assert problems_of(csv_text(row, header=header)) == [
        "line 1, column timezone: required column is missing"
    ]


def test_manager_cycle_is_reported_on_every_line_in_the_loop() -> None:
    a = "A1,Ann,ann@example.org,,5,Ops,A2,,UTC,2020-01-01,"
    b = "A2,Bob,bob@example.org,,5,Ops,A3,,UTC,2020-01-01,"
    c = "A3,Cy,cy@example.org,,5,Ops,A1,,UTC,2020-01-01,"
    loop = "manager cycle: A1 → A2 → A3 → A1"
    assert problems_of(csv_text(CEO, a, b, c)) == [
        f"line 3, column manager_employee_id: {loop}",
        f"line 4, column manager_employee_id: {loop}",
        f"line 5, column manager_employee_id: {loop}",
    ]


def test_cycle_through_someone_already_in_the_directory_is_caught() -> None:
    people_import(source=csv_text(CEO, VP, JUNIOR))
    ceo_under_junior = CEO.replace(",,London", ",E3,London")
    problems = problems_of(csv_text(ceo_under_junior))
    assert problems == ["line 2, column manager_employee_id: manager cycle: E1 → E3 → E2 → E1"]


def test_email_held_by_another_existing_person_is_refused() -> None:
    people_import(source=csv_text(CEO, VP))
    newcomer = JUNIOR.replace("jamie@", "victor@").replace(",E2,", ",E1,")
    assert problems_of(csv_text(newcomer)) == [
        "line 2, column email: e-mail 'victor@example.org' belongs to another person (E2) who is not in this file"
    ]


def test_manager_outside_the_file_is_refused_when_they_would_be_deactivated() -> None:
    people_import(source=csv_text(CEO, VP))
    assert problems_of(csv_text(VP, JUNIOR), deactivate_missing=True) == [
        "line 2, column manager_employee_id: manager 'E1' is not in this file, so "
        "--deactivate-missing would deactivate them"
    ]


def test_every_problem_in_the_file_is_listed_not_just_the_first() -> None:
    bad_level = VP.replace(",10,", ",ten,")
    bad_everything = "E3,,not-an-email,,0,Sales,E1,,Nowhere,yesterday,1800"
    assert problems_of(csv_text(CEO, bad_level, bad_everything)) == [
        "line 3, column level: 'ten' is not a whole number from 1 to 99",
        f"line 4, column birth_year: '1800' is not a year from 1900 to {THIS_YEAR}",
        "line 4, column email: 'not-an-email' is not a valid e-mail address",
        "line 4, column full_name: a value is required",
        "line 4, column hire_date: 'yesterday' is not a valid date (use YYYY-MM-DD)",
        "line 4, column level: '0' is not a whole number from 1 to 99",
        "line 4, column timezone: 'Nowhere' is not a known IANA time zone (e.g. Europe/Paris)",
    ]


def test_a_bad_row_means_nothing_is_written_and_existing_people_are_untouched() -> None:
    people_import(source=csv_text(CEO))
    before = list(Person.objects.values())
    new_title = CEO.replace(",CEO,", ",Chair,")
    with pytest.raises(TableError):
        people_import(source=csv_text(new_title, VP, JUNIOR.replace("Asia/Tokyo", "Asia/Nowhere")))
    assert list(Person.objects.values()) == before
    assert set(Department.objects.values_list("name", flat=True)) == {"Operations"}


def test_overlong_values_are_refused_before_reaching_the_database() -> None:
    long_name = CEO.replace("Cara Exec", "C" * 201)
    assert problems_of(csv_text(long_name)) == [
        "line 2, column full_name: is longer than 200 characters"
    ]


# --- export and round trip ----------------------------------------------------------------


def test_export_then_import_round_trips_with_no_change() -> None:
    source = demo_people_csv(people=120, seed=3)
    people_import(source=source)
    exported = io.StringIO()
    assert people_export(stream=exported) == 120
    assert exported.getvalue().splitlines()[0] == HEADER
    result = people_import(source=exported.getvalue())
    assert result.summary() == "created 0, updated 0, unchanged 120, deactivated 0"
    assert sorted(exported.getvalue().splitlines()) == sorted(source.splitlines())


# --- the command line ------------------------------------------------------------------------


def test_command_prints_counts_and_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(csv_text(CEO, VP, JUNIOR))
    out = io.StringIO()
    call_command("import_people", str(path), stdout=out)
    assert out.getvalue().strip() == "created 3, updated 0, unchanged 0, deactivated 0"
    out = io.StringIO()
    call_command("import_people", str(path), stdout=out)
    assert out.getvalue().strip() == "created 0, updated 0, unchanged 3, deactivated 0"


def test_command_lists_every_problem_and_exits_one(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        csv_text(CEO, VP.replace(",10,", ",x,"), JUNIOR.replace("jamie@example.org", "jamie"))
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_people", str(path), stderr=err)
    assert caught.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "line 3, column level: 'x' is not a whole number from 1 to 99",
        "line 4, column email: 'jamie' is not a valid e-mail address",
    ]
    assert "2 problems; nothing was imported" in str(caught.value)
    assert not Person.objects.exists()


def test_command_dry_run_and_deactivate_flags(tmp_path: Path) -> None:
    full, partial = tmp_path / "full.csv", tmp_path / "partial.csv"
    full.write_text(csv_text(CEO, VP, JUNIOR))
    partial.write_text(csv_text(CEO, VP))
    call_command("import_people", str(full), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_people", str(partial), "--deactivate-missing", "--dry-run", stdout=out)
    assert "deactivated 1 (dry run" in out.getvalue()
    assert Person.objects.filter(is_active=True).count() == 3


def test_command_reports_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_people", str(tmp_path / "missing.csv"))


def test_export_command_writes_the_import_format(tmp_path: Path) -> None:
    people_import(source=csv_text(CEO, VP, JUNIOR))
    target = tmp_path / "out.csv"
    out = io.StringIO()
    call_command("export_people", str(target), stdout=out)
    assert "exported 3 people" in out.getvalue()
    assert target.read_text().splitlines() == [HEADER, CEO, VP, JUNIOR]
