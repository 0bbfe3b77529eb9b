"""Match runs in the app: proposals a coordinator reviews, compares and publishes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.programs.models import Enrollment, Program


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class MatchRun(models.Model):
    """One run of the engine over a program's approved, trained, unpaired people."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    number = models.PositiveIntegerField(help_text="1, 2, 3… within the program")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    stable = models.BooleanField(default=False, help_text="Stable matching instead of optimal")
    #: 0–100, updated by the background worker for large runs.
    progress = models.PositiveSmallIntegerField(default=0)
    #: The rules and weights the run used, so a later change of rules can't rewrite history.
    rules = models.JSONField(default=dict)
    #: The engine's report: counts, fits, blocking pairs, unmatched people with reasons.
    report = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="match_run_number"),
        ]

    def __str__(self) -> str:
        return f"{self.program} run {self.number} ({self.status})"


class Proposal(models.Model):
    """A pair the run proposes, with its fit and reasons."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    fit = models.FloatField()
    reasons = models.TextField(blank=True)
    locked = models.BooleanField(default=False)
    #: Things a coordinator should look at (e.g. a low fit), never blocking.
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-fit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposal_mentee_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} → {self.mentee_id} ({self.fit:.2f})"


class PairRuleKind(models.TextChoices):
    LOCK = "lock", "Lock (always pair)"
    BLOCK = "block", "Block (never pair)"


class PairRule(models.Model):
    """A coordinator's instruction to the engine for one mentor–mentee combination."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pair_rules")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=PairRuleKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="pair_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.mentor_id}–{self.mentee_id}"
