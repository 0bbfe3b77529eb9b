from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Pairing mentors and mentees: the pure engine and its doors."""

    name = "upward.matching"
