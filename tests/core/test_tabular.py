"""Reading the CSV files coordinators bring, and locating every problem in them."""

from __future__ import annotations

import pytest

from upward.core.tabular import Problem, TableError, normalise_header, read_table

REQUIRED = ("employee_id", "email")


def test_headers_are_case_and_spacing_insensitive_in_any_order() -> None:
    table = read_table(" EMAIL , Employee ID\nA@x.org,E1\n", required=REQUIRED)
    assert table.columns == ["email", "employee_id"]
    assert table.rows[0].values == {"email": "A@x.org", "employee_id": "E1"}


def test_normalise_header_maps_spaces_and_hyphens_to_underscores() -> None:
    assert normalise_header(" Hire Date ") == "hire_date"
    assert normalise_header("Manager-Employee-ID") == "manager_employee_id"


def test_semicolon_delimiter_is_detected() -> None:
    table = read_table("employee_id;email\nE1;a@x.org\n", required=REQUIRED)
    assert table.delimiter == ";"
    assert table.rows[0].values == {"employee_id": "E1", "email": "a@x.org"}


def test_utf8_bom_is_ignored() -> None:
    data = "\ufeffemployee_id,email\nE1,zoë@x.org\n".encode()
    table = read_table(data, required=REQUIRED)
    assert table.columns == ["employee_id", "email"]
    assert table.rows[0]["email"] == "zoë@x.org"


def test_non_utf8_bytes_name_the_line() -> None:
    data = b"employee_id,email\nE1,a@x.org\nE2,\xe9@x.org\n"
    with pytest.raises(TableError) as caught:
        read_table(data, required=REQUIRED)
    assert [str(p) for p in caught.value.problems] == [
        "line 3: the file is not UTF-8 text (save it as 'CSV UTF-8')"
    ]


def test_missing_and_unknown_columns_are_all_reported_on_line_1() -> None:
    with pytest.raises(TableError) as caught:
        read_table("employee_id,colour\nE1,red\n", required=REQUIRED)
    assert caught.value.problems == [
        Problem(1, "colour", "unknown column (expected: employee_id, email)"),
        Problem(1, "email", "required column is missing"),
    ]


def test_unknown_columns_can_be_allowed() -> None:
    table = read_table(
        "employee_id,email,colour\nE1,a@x.org,red\n", required=REQUIRED, allow_unknown=True
    )
    assert table.rows[0]["colour"] == "red"


def test_rows_keep_the_line_they_start_on_across_quoted_newlines_and_blank_lines() -> None:
    text = 'employee_id,email\nE1,"a@x.org"\n\n"E\n2",b@x.org\nE3,c@x.org\n'
    table = read_table(text, required=REQUIRED)
    assert [row.line for row in table] == [2, 4, 6]


def test_ragged_rows_are_reported_with_their_line() -> None:
    with pytest.raises(TableError) as caught:
        read_table("employee_id,email\nE1\nE2,b@x.org,extra\n", required=REQUIRED)
    assert [str(p) for p in caught.value.problems] == [
        "line 2: this row has 1 fields but the header has 2",
        "line 3: this row has 3 fields but the header has 2",
    ]


def test_empty_file_is_refused() -> None:
    with pytest.raises(TableError, match="line 1: the file is empty"):
        read_table(b"", required=REQUIRED)


def test_duplicate_header_is_refused() -> None:
    with pytest.raises(TableError, match="line 1, column email: the column appears twice"):
        read_table("employee_id,email,Email\n", required=REQUIRED)
