from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "upward.feedback"
    label = "feedback"
    verbose_name = "Feedback"
