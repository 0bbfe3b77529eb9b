"""Programs, the topic taxonomy, enrolment and training completion."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from upward.core.fields import EncryptedTextField
from upward.people.models import Person

WEIGHT_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3)]


class TopicCategory(models.TextChoices):
    DIGITAL_TOOLS = "digital_tools", "Digital tools"
    COMMUNICATION = "communication", "Communication trends"
    SOCIAL_VALUES = "social_values", "Social values"
    LEADERSHIP = "leadership", "Leadership perspective"


class Topic(models.Model):
    """Something one side can teach the other. Retired topics stay for history."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120, unique=True)
    category = models.CharField(max_length=20, choices=TopicCategory.choices)
    description = models.TextField(blank=True)
    #: Open questions used to draft session agendas.
    prompts = models.JSONField(default=list, blank=True)
    is_retired = models.BooleanField(default=False)
    is_builtin = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ENROLLING = "enrolling", "Enrolling"
    MATCHING = "matching", "Matching"
    RUNNING = "running", "Running"
    CLOSED = "closed", "Closed"


#: The only moves a program may make. Matching may reopen enrolment for late
#: joiners; a running program re-matches people freed by a no-fault exit
#: without changing status.
PROGRAM_TRANSITIONS: dict[str, frozenset[str]] = {
    ProgramStatus.DRAFT: frozenset({ProgramStatus.ENROLLING}),
    ProgramStatus.ENROLLING: frozenset({ProgramStatus.MATCHING}),
    ProgramStatus.MATCHING: frozenset({ProgramStatus.ENROLLING, ProgramStatus.RUNNING}),
    ProgramStatus.RUNNING: frozenset({ProgramStatus.CLOSED}),
    ProgramStatus.CLOSED: frozenset(),
}


class Program(models.Model):
    """A cohort with a purpose, dates, a cadence, topics and matching rules."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    purpose = models.TextField(help_text="The stated aims, shown to everyone who enrols.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    cadence_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    status = models.CharField(
        max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    topics = models.ManyToManyField(Topic, related_name="programs", blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_programs", blank=True
    )
    # Matching rules (DESIGN.md §5).
    min_level_gap = models.PositiveSmallIntegerField(default=2)
    mentor_capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_fit = models.FloatField(
        default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    weight_coverage = models.FloatField(default=0.50, validators=[MinValueValidator(0.0)])
    weight_reciprocity = models.FloatField(default=0.15, validators=[MinValueValidator(0.0)])
    weight_department = models.FloatField(default=0.10, validators=[MinValueValidator(0.0)])
    weight_timezone = models.FloatField(default=0.25, validators=[MinValueValidator(0.0)])
    training_required = models.BooleanField(
        default=True, help_text="Participants finish their training before they can be matched."
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(3)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="program_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def can_move_to(self, status: str) -> bool:
        return status in PROGRAM_TRANSITIONS[self.status]


class EnrollmentRole(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class EnrollmentStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Weekday(models.TextChoices):
    MON = "mon", "Monday"
    TUE = "tue", "Tuesday"
    WED = "wed", "Wednesday"
    THU = "thu", "Thursday"
    FRI = "fri", "Friday"


class Enrollment(models.Model):
    """A person's place in a program as a mentor or a mentee (never both)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrollments")
    role = models.CharField(max_length=10, choices=EnrollmentRole.choices)
    status = models.CharField(
        max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.APPLIED
    )
    #: Mentor: a short introduction for the leader they are matched with.
    introduction = models.TextField(blank=True, max_length=2000)
    #: Mentee: what they want to get out of the program, in their words.
    goal = models.TextField(blank=True, max_length=2000)
    #: Weekdays they can usually meet, e.g. ["mon", "wed"].
    availability = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["program", "role", "person__full_name"]
        constraints = [
            # One place per person per program: nobody mentors and is mentored in the same cohort.
            models.UniqueConstraint(
                fields=["program", "person"], name="enrollment_once_per_program"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} as {self.role} in {self.program}"


class TopicKind(models.TextChoices):
    EXPERTISE = "expertise", "Expertise (mentor)"
    WANTS_TO_LEARN = "wants_to_learn", "Wants to learn (mentor)"
    INTEREST = "interest", "Interest (mentee)"
    OFFERS = "offers", "Can offer back (mentee)"


#: Which topic kinds each role declares.
KINDS_FOR_ROLE: dict[str, tuple[str, str]] = {
    EnrollmentRole.MENTOR: (TopicKind.EXPERTISE, TopicKind.WANTS_TO_LEARN),
    EnrollmentRole.MENTEE: (TopicKind.INTEREST, TopicKind.OFFERS),
}


class EnrollmentTopic(models.Model):
    """A topic an enrolled person declares, with a weight from 1 (a little) to 3 (a lot)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=TopicKind.choices)
    weight = models.PositiveSmallIntegerField(default=2, validators=WEIGHT_VALIDATORS)

    class Meta:
        ordering = ["kind", "-weight", "topic__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "topic", "kind"], name="enrollment_topic_once"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=3), name="enrollment_topic_weight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.kind}, {self.weight})"


class TrainingCompletion(models.Model):
    """A finished training module; the reflection is private to the person and encrypted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="trainings")
    module_slug = models.SlugField(max_length=60)
    completed_at = models.DateTimeField(auto_now_add=True)
    reflection = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "module_slug"], name="training_once"),
        ]

    def __str__(self) -> str:
        return f"{self.module_slug} by {self.person_id}"
