from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """The people directory: departments, people, reporting chains, HRIS import."""

    name = "upward.people"
