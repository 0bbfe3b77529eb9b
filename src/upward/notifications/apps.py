from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail now; calendar files and reminders as background tasks later."""

    name = "upward.notifications"
