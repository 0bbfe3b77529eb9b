"""Pairs: a mentor and a mentee brought together by a published match."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.programs.models import Enrollment, Program


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


#: Statuses in which a pair holds its two people (they cannot be matched elsewhere).
LIVE_STATUSES = (PairStatus.PROPOSED, PairStatus.ACTIVE)


class Pair(models.Model):
    """A pairing. Both sides accept before it is active; either may end it without blame."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pairs")
    mentor = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="pairs_as_mentor")
    mentee = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="pairs_as_mentee")
    status = models.CharField(
        max_length=10, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    fit = models.FloatField(default=0.0)
    #: Why the engine proposed this pair, in the coordinator's words (shown to both members).
    reasons = models.TextField(blank=True)
    match_run = models.ForeignKey(
        "matching.MatchRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: Who declined or ended it. Never shown to the other member: no blame, no reason.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            # A mentee has one live pairing at a time; mentor capacity is checked by the service.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="pair_one_live_per_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.person.full_name} ↔ {self.mentee.person.full_name} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES
