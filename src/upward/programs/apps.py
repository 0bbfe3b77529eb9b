from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Programs, the topic taxonomy, enrolment and training."""

    name = "upward.programs"
