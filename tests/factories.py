"""factory_boy factories for the records tests need most."""

from __future__ import annotations

import datetime as dt

import factory

from upward.core.models import Role, User
from upward.people.models import Department, Person

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.PARTICIPANT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person at the top of their own chain unless `manager` is given."""

    class Meta:
        model = Person

    employee_id = factory.Sequence(lambda n: f"P{n:05d}")
    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    title = "Specialist"
    level = 3
    department = factory.SubFactory(DepartmentFactory)
    manager = None
    location = "London"
    timezone = "Europe/London"
    hire_date = dt.date(2020, 1, 1)
    chain_path = factory.LazyAttribute(
        lambda p: (p.manager.chain_path if p.manager else "/") + f"{p.employee_id}/"
    )
