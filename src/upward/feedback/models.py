"""Check-ins, pre/post surveys and support requests.

Individual answers are never shown to anyone but their author (DESIGN.md §4); they
feed aggregates only, suppressed below the program's anonymity threshold. Free text
(check-in comments, support requests) is encrypted at rest.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from upward.core.fields import EncryptedTextField
from upward.mentoring.models import Pair, Session
from upward.programs.models import Enrollment, Program


def _on_scale(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5}), name=name
    )


class CheckIn(models.Model):
    """A member's 30-second pulse after a logged session: about the relationship, not a person."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="checkins")
    #: The session's program, kept here so a report reads its check-ins from one index in
    #: time order (measured at 199,028 check-ins on PostgreSQL: 0.11 s, against 0.36 s
    #: joining sessions and pairs and sorting). Filled from the session on save.
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    #: "mentor" or "mentee": the side answering (for aggregates by role).
    role = models.CharField(max_length=6)
    usefulness = models.PositiveSmallIntegerField()
    openness = models.PositiveSmallIntegerField(help_text="I could speak openly.")
    balance = models.PositiveSmallIntegerField(help_text="We both learned something.")
    comment = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "respondent"], name="one_checkin_per_session"
            ),
            _on_scale("usefulness", "checkin_usefulness_1_5"),
            _on_scale("openness", "checkin_openness_1_5"),
            _on_scale("balance", "checkin_balance_1_5"),
        ]
        indexes = [
            # Covering: a report reads every published check-in's respondent and answers
            # in time order from the index alone (no visit to the table per row: 0.07 s
            # against 0.17 s for 200,000 check-ins on PostgreSQL, half on SQLite).
            models.Index(
                fields=[
                    "program", "created_at", "id", "respondent", "usefulness", "openness",
                    "balance",
                ],
                name="checkin_program_time",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Check-in {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.program_id is None:
            self.program_id = self.session.pair.program_id
        super().save(*args, **kwargs)


class SurveyPhase(models.TextChoices):
    PRE = "pre", "Before the program"
    POST = "post", "After the program"


class SurveyResponse(models.Model):
    """One enrolled person's answers at one phase."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="survey_responses"
    )
    phase = models.CharField(max_length=4, choices=SurveyPhase.choices)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "phase"], name="one_survey_per_phase")
        ]

    def __str__(self) -> str:
        return f"Survey {self.phase} of enrolment {self.enrollment_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            _on_scale("value", "survey_answer_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.item}"


class SupportStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class SupportRequest(models.Model):
    """A confidential request to the program's coordinators — never to the other member."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="support_requests")
    pair = models.ForeignKey(
        Pair, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField()
    status = models.CharField(
        max_length=6, choices=SupportStatus.choices, default=SupportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: The coordinator who marked it handled: shown to the other coordinators, not the author.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: An optional word back to the author ("we found you a new mentor"), read by the same
    #: people as the request itself.
    reply = EncryptedTextField(blank=True)

    class Meta:
        # Open requests first (newest first), then the handled ones, most recently closed first.
        ordering = [models.F("closed_at").desc(nulls_first=True), "-created_at"]

    def __str__(self) -> str:
        return f"Support request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == SupportStatus.OPEN


class Publication(models.Model):
    """Up to when a program's answers of one kind are published (aggregates rule 6).

    Advanced by `publication.publication_advance` as answers arrive, a whole batch of at
    least k people at a time, so a report never has to replay every answer.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    #: "checkins", or "survey-<phase>-<role>": each role answers its own survey items, so a
    #: batch must hold k people *of that role* (see `publication.KINDS`).
    kind = models.CharField(max_length=24)
    until = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="one_publication_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of program {self.program_id} until {self.until:%Y-%m-%d %H:%M}"


class Release(models.Model):
    """Breakdowns as released (rule 8 of `aggregates`), kept so every report shows them
    unchanged until the next release.

    A release's audit and group means need every published answer and everyone's groups:
    computed by the first report after the release and kept here, later reports read
    them back. Groups are taken as they are at that moment, so someone who changes
    department moves their answers at the next release, never between two page views.
    Holds aggregates only, each already k-anonymous.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    #: "checkins", or "change-<role>" for a role's survey change by department.
    kind = models.CharField(max_length=24)
    #: The time of the last answer the release counts...
    until = models.DateTimeField()
    #: ...and how many answers it counts up to then: a deleted answer makes a new release.
    answers = models.PositiveIntegerField()
    threshold = models.PositiveSmallIntegerField()
    #: `publication.RELEASE_FORMAT` of the code that made it.
    version = models.PositiveSmallIntegerField()
    #: {dimension or item: {question: breakdown}}, see `publication.release_of`.
    breakdowns = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind", "until", "answers", "threshold", "version"],
                name="one_release_per_cut",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of program {self.program_id} released at {self.until:%Y-%m-%d}"
