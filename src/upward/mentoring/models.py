"""Pairs: a mentor and a mentee brought together by a published match."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.core.fields import EncryptedTextField
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


# --- The pair workspace: agreement, goals, sessions, notes, insights ----------------------------
#
# Content here belongs to the two members (DESIGN.md §4): coordinators see only that records
# exist, their dates, counts and statuses. Access is decided in `core.permissions`; note
# bodies are encrypted at rest with the installation's field keys.


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every month"


#: Days between sessions for each cadence (the health early-warning reads this).
CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 30}


class Agreement(models.Model):
    """The pair's mentoring agreement. Both sign; any change after a signature needs both again."""

    pair = models.OneToOneField(Pair, on_delete=models.CASCADE, related_name="agreement")
    purpose = models.TextField(max_length=2000)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    channel = models.CharField(
        max_length=200, help_text="Where you meet: in person, a video tool, a call."
    )
    confidentiality = models.TextField(max_length=2000)
    #: Raised by every change, so a signature always names the text it agreed to.
    version = models.PositiveIntegerField(default=1)
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    mentor_signed_version = models.PositiveIntegerField(null=True, blank=True)
    mentee_signed_at = models.DateTimeField(null=True, blank=True)
    mentee_signed_version = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Agreement of pair {self.pair_id} (v{self.version})"

    @property
    def signed_by_mentor(self) -> bool:
        return self.mentor_signed_version == self.version

    @property
    def signed_by_mentee(self) -> bool:
        return self.mentee_signed_version == self.version

    @property
    def is_signed(self) -> bool:
        """Both members signed the current text."""
        return self.signed_by_mentor and self.signed_by_mentee


class GoalOwner(models.TextChoices):
    MENTEE = "mentee", "The leader's goal"
    MENTOR = "mentor", "The mentor's goal"


class GoalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Set aside"


class Goal(models.Model):
    """A goal of one side of the pair; both members see and update both sides' goals."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="goals")
    owner = models.CharField(max_length=6, choices=GoalOwner.choices)
    title = models.CharField(max_length=200)
    why = models.TextField(max_length=2000, blank=True, help_text="Why it matters.")
    success = models.TextField(
        max_length=2000, blank=True, help_text="How you will recognise success."
    )
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent, 0–100.")
    topic = models.ForeignKey(
        "programs.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner", "status", "target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="goal_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


class Session(models.Model):
    """One meeting. Times are stored in UTC and shown in each viewer's own time zone."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(help_text="UTC.")
    minutes = models.PositiveSmallIntegerField(default=45)
    location = models.CharField(max_length=300, blank=True, help_text="A place or a video link.")
    agenda = models.TextField(max_length=5000, blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    summary = models.TextField(max_length=5000, blank=True, help_text="Shared by both members.")
    mentor_learned = models.TextField(max_length=2000, blank=True)
    mentee_learned = models.TextField(max_length=2000, blank=True)
    next_actions = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    #: Bumped on every change so calendar clients replace the event (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_at"]
        # With the status, pair health counts each pair's sessions from the index alone.
        indexes = [
            models.Index(fields=["pair", "starts_at", "status"], name="session_pair_time_status")
        ]

    def __str__(self) -> str:
        return f"Session of pair {self.pair_id} at {self.starts_at:%Y-%m-%d %H:%M} UTC"


class NoteVisibility(models.TextChoices):
    SHARED = "shared", "Shared with my partner"
    PRIVATE = "private", "Private (only me)"


class Note(models.Model):
    """A note in the workspace. Private notes are the author's alone; every body is encrypted."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(max_length=7, choices=NoteVisibility.choices)
    body = EncryptedTextField()
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.visibility} note {self.pk} of pair {self.pair_id}"


class InsightOutcome(models.TextChoices):
    OPEN = "open", "Waiting for the leader"
    CONSIDERING = "considering", "Considering"
    ACTED_ON = "acted_on", "Acted on"
    NOT_NOW = "not_now", "Not now"


class Insight(models.Model):
    """An idea the mentor raises for the leader's area, and what became of it."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="insights")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        max_length=12, choices=InsightOutcome.choices, default=InsightOutcome.OPEN
    )
    #: What was done (acted on) or why not now; the mentor sees it.
    outcome_detail = models.TextField(max_length=5000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A member's private calendar subscription: only the token's digest is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
