from django.apps import AppConfig


class MentoringConfig(AppConfig):
    """The pair workspace: pairs, and (later) agreements, goals, sessions, notes, insights."""

    name = "upward.mentoring"
