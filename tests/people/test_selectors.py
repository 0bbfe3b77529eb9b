"""Directory reads answer in a fixed number of queries, whatever the depth."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory
from upward.people.models import Person
from upward.people.selectors import (
    people_in_same_chain,
    person_managers,
    person_reports,
    person_search,
)

pytestmark = pytest.mark.django_db


def test_same_chain_is_one_query_at_any_depth(small_org: dict[str, Person]) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert people_in_same_chain(employee_id_a="JR1", employee_id_b="CEO")
        assert people_in_same_chain(employee_id_a="CEO", employee_id_b="JR1")
        assert people_in_same_chain(employee_id_a="LEAD1", employee_id_b="JR1")
        assert not people_in_same_chain(employee_id_a="JR1", employee_id_b="AN1")
        assert not people_in_same_chain(employee_id_a="VP1", employee_id_b="VP2")
        assert not people_in_same_chain(employee_id_a="JR1", employee_id_b="NOPE")
    assert len(queries) == 6


def test_model_knows_chain_membership_without_queries(small_org: dict[str, Person]) -> None:
    junior, ceo, analyst = small_org["junior"], small_org["ceo"], small_org["analyst"]
    with CaptureQueriesContext(connection) as queries:
        assert junior.shares_chain_with(ceo) and ceo.shares_chain_with(junior)
        assert not junior.shares_chain_with(analyst)
        assert junior.depth == 3
    assert len(queries) == 0


def test_managers_and_reports(small_org: dict[str, Person]) -> None:
    with CaptureQueriesContext(connection) as queries:
        chain = person_managers(person=small_org["junior"])
    assert [p.employee_id for p in chain] == ["CEO", "VP1", "LEAD1"]
    assert len(queries) == 1
    assert {p.employee_id for p in person_reports(person=small_org["ceo"])} == {"VP1", "VP2"}
    everyone_below = person_reports(person=small_org["ceo"], direct_only=False)
    assert {p.employee_id for p in everyone_below} == {"VP1", "LEAD1", "JR1", "VP2", "AN1"}


def test_chain_check_scales_without_a_query_per_level(db: None) -> None:
    boss = PersonFactory(employee_id="L0")
    for depth in range(1, 40):
        boss = PersonFactory(employee_id=f"L{depth}", manager=boss)
    with CaptureQueriesContext(connection) as queries:
        assert people_in_same_chain(employee_id_a="L39", employee_id_b="L0")
    assert len(queries) == 1


def test_search_matches_every_word_across_fields(small_org: dict[str, Person]) -> None:
    assert [p.employee_id for p in person_search(q="jamie")] == ["JR1"]
    assert [p.employee_id for p in person_search(q="JR1")] == ["JR1"]
    assert list(person_search(q="vice valerie").values_list("employee_id", flat=True)) == ["VP2"]
    department = small_org["junior"].department.name
    assert person_search(department=department.upper()).filter(employee_id="JR1").exists()
