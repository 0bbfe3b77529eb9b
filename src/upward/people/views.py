"""Directory pages for coordinators and admins; htmx swaps just the results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from upward.core import permissions
from upward.people.models import Department, Person
from upward.people.selectors import person_managers, person_reports, person_search

PAGE_SIZE = 25


def _ensure_directory_access(request: HttpRequest) -> None:
    if not permissions.can_view_directory(request.user):
        raise PermissionDenied("The people directory is open to coordinators and admins only.")


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Search by name, e-mail, id, title, place or department; 25 to a page."""
    _ensure_directory_access(request)
    q = request.GET.get("q", "").strip()[:200]
    department = request.GET.get("department", "").strip()[:200]
    include_inactive = request.GET.get("inactive") == "1"
    people = person_search(q=q, department=department, include_inactive=include_inactive)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "department": department,
        "include_inactive": include_inactive,
        "departments": Department.objects.values_list("name", flat=True),
    }
    template = "people/_results.html" if request.htmx else "people/directory.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, employee_id: str) -> HttpResponse:
    """One person with their reporting chain and direct reports."""
    _ensure_directory_access(request)
    person = get_object_or_404(
        Person.objects.select_related("department", "manager"), employee_id=employee_id
    )
    context = {
        "person": person,
        "managers": person_managers(person=person),
        "reports": person_reports(person=person).select_related("department"),
    }
    return render(request, "people/person_detail.html", context)
