"""`upward match-csv`: files in, pairs and report out; bad input located, exit 1, nothing written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from upward.matching.synthetic import generate_organisation, write_csv_files

MENTORS = """employee_id,department,level,timezone,manager_employee_id,expertise,wants_to_learn,capacity
M1,Data,2,Europe/Paris,L1,generative-ai:3;short-video:2,negotiation:2,1
M2,Sales,3,America/New_York,,podcasting:3,,2
"""
MENTEES = """employee_id,department,level,timezone,manager_employee_id,interests,offers,goal
E1,Legal,8,Europe/Berlin,,generative-ai:3;short-video,negotiation,Use AI at work
E2,Data,7,America/Chicago,,podcasting:2,,
L1,Data,6,Europe/Paris,E2,generative-ai,,
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("match_csv", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _fails(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("match_csv", *args, stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 1
    return err.getvalue()


def test_writes_pairs_with_reasons_and_a_report(tmp_path: Path) -> None:
    mentors = _write(tmp_path, "mentors.csv", MENTORS)
    mentees = _write(tmp_path, "mentees.csv", MENTEES)
    out, report = tmp_path / "pairs.csv", tmp_path / "report.json"
    stdout, _ = _run(
        "--mentors", str(mentors), "--mentees", str(mentees), "--out", str(out),
        "--report", str(report),
    )  # fmt: skip
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["mentor_id", "mentee_id", "fit", "reasons"]
    pairs = {(r["mentor_id"], r["mentee_id"]) for r in rows}
    # M1 sits under L1, who reports to E2: M1 may not mentor L1 or E2.
    assert ("M1", "E1") in pairs and ("M1", "L1") not in pairs and ("M1", "E2") not in pairs
    m1 = next(r for r in rows if r["mentor_id"] == "M1")
    assert "covers generative ai (priority 3, proficiency 3)" in m1["reasons"]
    assert "offers negotiation back" in m1["reasons"]
    data = json.loads(report.read_text())
    assert data["matched"] == len(rows)
    assert data["certificate"]["gap"] == 0
    assert {u["id"] for u in data["unmatched"]} >= set()
    assert "matched" in stdout


def test_people_file_supplies_chains_across_the_organisation(tmp_path: Path) -> None:
    mentors = _write(tmp_path, "mentors.csv", MENTORS.replace(",L1,", ",,"))
    mentees = _write(tmp_path, "mentees.csv", MENTEES)
    people = _write(
        tmp_path,
        "people.csv",
        "employee_id,full_name,manager_employee_id,level\nE1,A,,9\nX1,B,E1,5\nM1,C,X1,2\n",
    )
    out = tmp_path / "pairs.csv"
    _run("--mentors", str(mentors), "--mentees", str(mentees), "--people", str(people),
         "--out", str(out))  # fmt: skip
    pairs = {(r["mentor_id"], r["mentee_id"]) for r in csv.DictReader(out.open())}
    assert ("M1", "E1") not in pairs  # E1 is M1's manager's manager


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        (
            "mentors",
            lambda t: (
                t.replace("capacity\n", "capacity,shoe_size\n")
                .replace(",1\n", ",1,42\n")
                .replace(",2\n", ",2,43\n")
            ),
            "line 1, column shoe_size: unknown column",
        ),
        (
            "mentees",
            lambda t: t.replace("podcasting:2", "podcasting:7"),
            "line 3, column interests: 'podcasting:7': the weight after ':' must be 1, 2 or 3",
        ),
        (
            "mentees",
            lambda t: t.replace("generative-ai:3;short-video", "generative ai;short-video"),
            "line 2, column interests: 'generative ai' is not a topic",
        ),
        (
            "mentors",
            lambda t: t.replace("M2,Sales", "M1,Sales"),
            "line 3, column employee_id: duplicate employee id 'M1' (first on line 2)",
        ),
        (
            "mentees",
            lambda t: t.replace("America/Chicago", "Chicago"),
            "line 3, column timezone: 'Chicago' is not a known IANA time zone",
        ),
    ],
)
def test_bad_input_is_located_and_nothing_is_written(
    tmp_path: Path, file: str, edit, expected: str
) -> None:  # type: ignore[no-untyped-def]
    texts = {"mentors": MENTORS, "mentees": MENTEES}
    texts[file] = edit(texts[file])
    mentors = _write(tmp_path, "mentors.csv", texts["mentors"])
    mentees = _write(tmp_path, "mentees.csv", texts["mentees"])
    out, report = tmp_path / "pairs.csv", tmp_path / "report.json"
    err = _fails("--mentors", str(mentors), "--mentees", str(mentees), "--out", str(out),
                 "--report", str(report))  # fmt: skip
    assert expected in err
    assert not out.exists() and not report.exists()


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    mentees = MENTEES.replace("Legal,8", "Legal,eight").replace("podcasting:2", "podcasting:0")
    err = _fails(
        "--mentors", str(_write(tmp_path, "mentors.csv", MENTORS)),
        "--mentees", str(_write(tmp_path, "mentees.csv", mentees)),
        "--out", str(tmp_path / "pairs.csv"),
    )  # fmt: skip
    assert "line 2, column level: 'eight' is not a whole number" in err
    assert "line 3, column interests:" in err


def test_lock_that_breaks_a_rule_points_at_the_mentee_row(tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    err = _fails(
        "--mentors", str(_write(tmp_path, "mentors.csv", MENTORS)),
        "--mentees", str(_write(tmp_path, "mentees.csv", MENTEES)),
        "--out", str(out), "--lock", "M1:L1",
    )  # fmt: skip
    assert "line 4, column manager_employee_id: lock M1:L1 pairs two people in the same" in err
    assert not out.exists()
    err = _fails(
        "--mentors", str(_write(tmp_path, "mentors.csv", MENTORS)),
        "--mentees", str(_write(tmp_path, "mentees.csv", MENTEES)),
        "--out", str(out), "--lock", "M2:E2", "--min-gap", "5",
    )  # fmt: skip
    assert "line 3, column level: lock M2:E2 breaks the seniority rule" in err


def test_locks_and_blocks_are_obeyed(tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    _run(
        "--mentors", str(_write(tmp_path, "mentors.csv", MENTORS)),
        "--mentees", str(_write(tmp_path, "mentees.csv", MENTEES)),
        "--out", str(out), "--lock", "M2:E1", "--block", "M1:E1",
    )  # fmt: skip
    rows = list(csv.DictReader(out.open()))
    locked = next(r for r in rows if r["mentee_id"] == "E1")
    assert locked["mentor_id"] == "M2"
    assert locked["reasons"].startswith("locked by the coordinator")


def test_malformed_lock_argument(tmp_path: Path) -> None:
    err = _fails(
        "--mentors", str(_write(tmp_path, "mentors.csv", MENTORS)),
        "--mentees", str(_write(tmp_path, "mentees.csv", MENTEES)),
        "--out", str(tmp_path / "pairs.csv"), "--lock", "M1-E1",
    )  # fmt: skip
    assert "expected MENTOR_ID:MENTEE_ID" in err


def test_scores_mode_with_capacity(tmp_path: Path) -> None:
    scores = _write(
        tmp_path,
        "scores.csv",
        "mentor_id,mentee_id,score\nM1,E1,0.9\nM1,E2,0.8\nM2,E2,0.1\nM2,E3,0.5\n",
    )
    out, report = tmp_path / "pairs.csv", tmp_path / "report.json"
    _run("--scores", str(scores), "--capacity", "1", "--out", str(out), "--report", str(report))
    rows = list(csv.DictReader(out.open()))
    # Two can be matched either way; the higher total (0.9 + 0.5) wins.
    assert {(r["mentor_id"], r["mentee_id"]) for r in rows} == {("M1", "E1"), ("M2", "E3")}
    data = json.loads(report.read_text())
    assert data["matched"] == 2
    (e2,) = [u for u in data["unmatched"] if u["role"] == "mentee"]
    assert e2["id"] == "E2" and e2["best_alternative"] == "M1"


def test_scores_mode_rejects_duplicate_rows_and_unknown_mentors(tmp_path: Path) -> None:
    scores = _write(
        tmp_path, "scores.csv", "mentor_id,mentee_id,score\nM1,E1,0.9\nM1,E1,0.3\nM9,E2,x\n"
    )
    err = _fails("--scores", str(scores), "--out", str(tmp_path / "pairs.csv"))
    assert "line 3, column mentee_id: duplicate pair 'M1:E1' (first on line 2)" in err
    assert "line 4, column score: 'x' is not a number" in err
    mentors = _write(tmp_path, "mentors.csv", "employee_id,capacity\nM1,2\n")
    scores = _write(tmp_path, "scores.csv", "mentor_id,mentee_id,score\nM1,E1,1\nM2,E1,2\n")
    err = _fails(
        "--scores", str(scores), "--mentors", str(mentors), "--out", str(tmp_path / "p.csv")
    )
    assert "line 3, column mentor_id: mentor 'M2' is not in" in err


def test_stable_option_reports_what_it_gives_up(tmp_path: Path) -> None:
    org = generate_organisation(60, 50, seed=5)
    paths = write_csv_files(org, tmp_path)
    out, report = tmp_path / "pairs.csv", tmp_path / "report.json"
    stdout, _ = _run(
        "--mentors", str(paths["mentors"]), "--mentees", str(paths["mentees"]),
        "--people", str(paths["people"]), "--out", str(out), "--report", str(report), "--stable",
    )  # fmt: skip
    data = json.loads(report.read_text())
    assert data["stable"] is True
    assert data["blocking_pairs"] == 0
    assert data["fit_given_up"] >= 0
    assert data["optimum_total_fit"] >= data["total_fit"]
    assert "stable matching: gives up" in stdout
