"""Page forms for programs, topics, enrolment and training.

Forms only read and shape input; the services decide what is allowed. When a
service refuses, `add_domain_error` puts its sentence next to the input at fault.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.forms.boundfield import BoundField

from upward.core.errors import DomainError
from upward.programs.catalogue import CATEGORY_LABELS
from upward.programs.models import (
    KINDS_FOR_ROLE,
    EnrollmentRole,
    Program,
    ProgramStatus,
    Topic,
    TopicCategory,
    TopicKind,
    Weekday,
)
from upward.programs.services import RULE_FIELDS, parse_topic_list

#: How each kind of topic weight reads to the person choosing it.
WEIGHT_LABELS: dict[str, tuple[str, str, str]] = {
    TopicKind.EXPERTISE: ("1 · I know the basics", "2 · I use it well", "3 · I could teach it"),
    TopicKind.WANTS_TO_LEARN: ("1 · A little", "2 · Quite a lot", "3 · Very much"),
    TopicKind.INTEREST: ("1 · Nice to have", "2 · Important", "3 · Top priority"),
    TopicKind.OFFERS: ("1 · A little", "2 · Quite a lot", "3 · A great deal"),
}

#: Matching rules a running or closed program keeps (the service refuses changes).
FROZEN_RULES = ("min_level_gap", "mentor_capacity", "min_fit", "training_required")


class DomainErrorForm(forms.Form):
    """A form that can show a service's `DomainError` on the input it names."""

    #: The service's field name → this form's field, where they differ.
    field_aliases: ClassVar[dict[str, str]] = {}
    #: Groups of inputs (a fieldset) that carry an error of their own, e.g. "weights".
    groups: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels sit above their inputs, no colon needed
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, list[str]] = {}

    def add_domain_error(self, exc: DomainError) -> None:
        name = self.field_aliases.get(exc.field or "", exc.field or "")
        group = name.rpartition(".")[2]
        if name in self.fields:
            self.add_error(name, exc.message)
        elif group in self.groups:
            self.group_errors.setdefault(group, []).append(exc.message)
        else:
            self.add_error(None, exc.message)

    @property
    def has_problems(self) -> bool:
        return bool(self.errors or self.group_errors)


def _topic_groups(
    field: BoundField, category_of: dict[str, str]
) -> list[tuple[str, str, list[Any]]]:
    """Checkbox options of a topic field grouped by category, in the taxonomy's order."""
    grouped: dict[str, list[Any]] = {key: [] for key in CATEGORY_LABELS}
    for option in field:
        grouped[category_of[str(option.data["value"])]].append(option)
    return [(key, CATEGORY_LABELS[key], options) for key, options in grouped.items() if options]


# --- topics -----------------------------------------------------------------------------------


def _prompt_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class TopicForm(DomainErrorForm):
    """Add a topic, or rename and re-describe one (the category and slug stay)."""

    name = forms.CharField(max_length=120)
    category = forms.ChoiceField(choices=TopicCategory.choices)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    prompts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Open conversation questions for session agendas, one per line (at most 8).",
    )

    def __init__(self, *args: Any, topic: Topic | None = None, **kwargs: Any) -> None:
        if topic is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": topic.name,
                    "category": topic.category,
                    "description": topic.description,
                    "prompts": "\n".join(topic.prompts),
                },
            )
        super().__init__(*args, **kwargs)
        if topic is not None:
            # The category places a topic for everyone who declared it; it does not move.
            del self.fields["category"]

    def clean_prompts(self) -> list[str]:
        return _prompt_lines(self.cleaned_data["prompts"])


# --- programs ---------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"


def _weight_field(label: str, initial: float) -> forms.FloatField:
    return forms.FloatField(
        min_value=0, initial=initial, label=label, widget=forms.NumberInput({"step": "0.05"})
    )


class ProgramForm(DomainErrorForm):
    """A program's description, offered topics and matching rules."""

    name = forms.CharField(max_length=200)
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="The stated aims, shown to everyone who enrols.",
    )
    starts_on = forms.DateField(widget=DateInput, label="Starts on")
    ends_on = forms.DateField(widget=DateInput, label="Ends on")
    cadence_days = forms.IntegerField(
        min_value=1, max_value=90, initial=14, label="Meet every (days)"
    )
    session_minutes = forms.IntegerField(
        min_value=15, max_value=240, initial=45, label="Session length (minutes)"
    )
    topics = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, label="Offered topics"
    )
    min_level_gap = forms.IntegerField(
        min_value=0,
        max_value=20,
        initial=2,
        label="Minimum level gap",
        help_text="How many levels more senior a mentee must be than their mentor.",
    )
    mentor_capacity = forms.IntegerField(
        min_value=1, max_value=5, initial=1, label="Mentees per mentor (at most)"
    )
    min_fit = forms.FloatField(
        min_value=0,
        max_value=1,
        initial=0.0,
        label="Minimum fit",
        help_text="Pairs scoring below this (0 to 1) are never proposed.",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    weight_coverage = _weight_field("Topic coverage", 0.50)
    weight_reciprocity = _weight_field("Two-way benefit", 0.15)
    weight_department = _weight_field("Different department", 0.10)
    weight_timezone = _weight_field("Time-zone overlap", 0.25)
    training_required = forms.BooleanField(
        required=False,
        initial=True,
        label="Training must be finished before matching",
    )
    anonymity_threshold = forms.IntegerField(
        min_value=3,
        max_value=100,
        initial=5,
        label="Anonymity threshold",
        help_text="Reports hide any group with fewer respondents than this.",
    )

    groups = ("weights",)
    DESCRIPTION = ("name", "purpose", "starts_on", "ends_on", "cadence_days", "session_minutes")
    RULES = ("min_level_gap", "mentor_capacity", "min_fit", "training_required")
    WEIGHTS = ("weight_coverage", "weight_reciprocity", "weight_department", "weight_timezone")

    def __init__(self, *args: Any, program: Program | None = None, **kwargs: Any) -> None:
        self.program = program
        offered: list[Topic] = list(program.topics.all()) if program is not None else []
        if program is not None:
            initial = {name: getattr(program, name) for name in (*self.DESCRIPTION, *RULE_FIELDS)}
            initial["topics"] = [t.slug for t in offered]
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        # Retired topics are not offered to new programs, but one this program already
        # offers stays visible so that unticking it is a choice, not a silent loss.
        available = list(Topic.objects.filter(is_retired=False))
        available += [t for t in offered if t.is_retired]
        available.sort(key=lambda t: (t.category, t.name))
        self.category_of = {t.slug: t.category for t in available}
        topics_field = self.fields["topics"]
        assert isinstance(topics_field, forms.MultipleChoiceField)
        topics_field.choices = [
            (t.slug, f"{t.name} (retired)" if t.is_retired else t.name) for t in available
        ]
        if program is not None and program.status in (ProgramStatus.RUNNING, ProgramStatus.CLOSED):
            for name in FROZEN_RULES:
                self.fields[name].disabled = True
                self.fields[name].help_text = f"Fixed once the program is {program.status}."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The program must end on or after its start.")
        return cleaned

    def topic_groups(self) -> list[tuple[str, str, list[Any]]]:
        return _topic_groups(self["topics"], self.category_of)

    def bound(self, names: Iterable[str]) -> list[BoundField]:
        return [self[name] for name in names]

    def description_fields(self) -> list[BoundField]:
        return self.bound(self.DESCRIPTION)

    def rule_fields(self) -> list[BoundField]:
        return self.bound((*self.RULES, "anonymity_threshold"))

    def weight_fields(self) -> list[BoundField]:
        return self.bound(self.WEIGHTS)

    def service_arguments(self) -> dict[str, Any]:
        """Everything, for `program_create`."""
        data = dict(self.cleaned_data)
        data["topic_slugs"] = data.pop("topics")
        return data

    def service_changes(self) -> dict[str, Any]:
        """Only what the coordinator changed, for `program_update`: unchanged frozen rules
        of a running program must not count as a change."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data}
        if "topics" in changes:
            changes["topic_slugs"] = changes.pop("topics")
        return changes


class TransitionForm(forms.Form):
    """The status a coordinator asks the program to move to."""

    to = forms.ChoiceField(choices=ProgramStatus.choices)


# --- enrolment ----------------------------------------------------------------------------------


class EnrolSomeoneForm(DomainErrorForm):
    """A coordinator enrols one person directly (approved at once)."""

    employee_id = forms.CharField(max_length=64, label="Employee id")
    role = forms.ChoiceField(choices=EnrollmentRole.choices)
    topics = forms.CharField(
        max_length=2000,
        help_text=(
            "Expertise for a mentor, interests for a mentee: topic:weight separated by "
            "semicolons, e.g. <code>generative-ai:3; hybrid-meetings</code> "
            "(weight 1–3, default 2)."
        ),
    )

    field_aliases: ClassVar[dict[str, str]] = {
        "person": "employee_id",
        "topics.expertise": "topics",
        "topics.interest": "topics",
    }

    def clean_topics(self) -> dict[str, int]:
        try:
            return parse_topic_list(self.cleaned_data["topics"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class BulkEnrolForm(DomainErrorForm):
    """A CSV of `employee_id, role, topics[, goal, introduction]`, all or nothing."""

    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns <code>employee_id, role, topics</code>, optionally <code>goal, "
            "introduction</code>. Topics as <code>generative-ai:3;hybrid-meetings</code>. "
            "Nothing is saved unless every line is right."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB; split it into parts.")
        return bytes(upload.read())


class ApplyForm(DomainErrorForm):
    """Self-service enrolment: one role, and the topics and words that go with it.

    Each topic is a select of its weight (blank = not chosen), so every choice is
    labelled by the topic's name. Only the chosen role's sections are read.
    """

    role = forms.ChoiceField(
        choices=EnrollmentRole.choices,
        widget=forms.RadioSelect,
        label="I want to take part as",
    )
    availability = forms.MultipleChoiceField(
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Days I can usually meet",
    )
    introduction = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        label="A short introduction for your mentee",
        help_text="Who you are and what you enjoy helping with, in a few sentences.",
    )
    goal = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        label="What I want to get out of the program",
    )

    groups = tuple(TopicKind.values)
    field_aliases: ClassVar[dict[str, str]] = {"topics": "role"}

    def __init__(
        self, *args: Any, offered: Iterable[Topic], every_topic: Iterable[Topic], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offered = list(offered)
        self.every_topic = list(every_topic)
        self.topic_fields: dict[str, list[tuple[Topic, str]]] = {}
        for kind in TopicKind.values:
            # Expertise and interests come from the program's offer; what a mentor wants
            # to learn and what a leader offers back may be any topic.
            pool = (
                self.offered
                if kind in (TopicKind.EXPERTISE, TopicKind.INTEREST)
                else (self.every_topic)
            )
            labels = WEIGHT_LABELS[kind]
            self.topic_fields[kind] = []
            for topic in pool:
                name = f"{kind}__{topic.slug}"
                self.fields[name] = forms.TypedChoiceField(
                    choices=[("", "—"), *((str(i), labels[i - 1]) for i in (1, 2, 3))],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    label=topic.name,
                )
                self.topic_fields[kind].append((topic, name))

    def topic_sections(self, kind: str) -> list[tuple[str, list[tuple[Topic, BoundField]]]]:
        """(category label, [(topic, its weight select)]) for one kind, by category."""
        order = list(CATEGORY_LABELS)
        if kind in (TopicKind.WANTS_TO_LEARN, TopicKind.OFFERS):
            # What flows from leader to mentor is mostly leadership perspective: list it first.
            order.remove("leadership")
            order.insert(0, "leadership")
        grouped: dict[str, list[tuple[Topic, BoundField]]] = {key: [] for key in order}
        for topic, name in self.topic_fields[kind]:
            grouped[topic.category].append((topic, self[name]))
        return [(CATEGORY_LABELS[key], rows) for key, rows in grouped.items() if rows]

    def sections(self) -> dict[str, list[tuple[str, list[tuple[Topic, BoundField]]]]]:
        """Every kind's sections, for templates (which cannot pass arguments)."""
        return {kind: self.topic_sections(kind) for kind in TopicKind.values}

    def chosen_topics(self) -> dict[str, dict[str, int]]:
        """kind → {slug → weight}, for the chosen role's kinds only."""
        role = self.cleaned_data["role"]
        chosen: dict[str, dict[str, int]] = {}
        for kind in KINDS_FOR_ROLE[role]:
            weights = {
                topic.slug: self.cleaned_data[name]
                for topic, name in self.topic_fields[kind]
                if self.cleaned_data.get(name)
            }
            if weights:
                chosen[kind] = weights
        return chosen

    def service_arguments(self) -> dict[str, Any]:
        role = self.cleaned_data["role"]
        mentor = role == EnrollmentRole.MENTOR
        return {
            "role": role,
            "topics": self.chosen_topics(),
            "availability": self.cleaned_data["availability"],
            # A mentee's introduction and a mentor's goal are not asked for.
            "introduction": self.cleaned_data["introduction"] if mentor else "",
            "goal": "" if mentor else self.cleaned_data["goal"],
        }


# --- training -----------------------------------------------------------------------------------


class ReflectionForm(DomainErrorForm):
    reflection = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        label="Your reflection",
        help_text="Private: only you can read this. Coordinators see only that you finished.",
    )
