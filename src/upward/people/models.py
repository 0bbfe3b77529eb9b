"""The people directory: departments and employees as the HRIS knows them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from upward.people.chain import ancestors_from_path, in_same_chain


class Department(models.Model):
    """An organisational unit; departments form a tree through `parent`."""

    name = models.CharField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """An employee. Upserted by `employee_id` from the HRIS; never deleted, only deactivated."""

    employee_id = models.CharField(max_length=64, unique=True)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    title = models.CharField(max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(help_text="Grade; higher is more senior.")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="people")
    # Keyed by employee id (not the row id) so an import can link reports to a
    # manager who appears later in the file, in a single bulk insert.
    manager = models.ForeignKey(
        "self",
        to_field="employee_id",
        db_column="manager_employee_id",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    location = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(max_length=64, help_text="IANA time zone, e.g. Europe/Paris.")
    hire_date = models.DateField()
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    #: Materialised reporting chain, `/top/…/manager/self/` (see `people.chain`).
    chain_path = models.CharField(max_length=2000, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "employee_id"]
        indexes = [
            models.Index(Lower("full_name"), name="person_full_name_lower"),
            models.Index(fields=["department", "is_active"], name="person_department_active"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("employee_id")),
                name="person_not_own_manager",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_id})"

    @property
    def depth(self) -> int:
        """0 for the top of the organisation, 1 for their direct reports, …"""
        return len(ancestors_from_path(self.chain_path))

    def shares_chain_with(self, other: Person) -> bool:
        """True when one of the two is above the other at any depth (or they are one person)."""
        return in_same_chain(self.chain_path, other.chain_path)
