from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared ground: users and roles, API tokens, permissions, field encryption."""

    name = "upward.core"
