"""The built-in catalogue: topic taxonomy and training modules, read as a specification.

Plain functions over pure data; no database and no Django settings needed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import get_args

import pytest

from upward.programs.catalogue import (
    CATEGORY_LABELS,
    TOPICS,
    TRAINING_MODULES,
    Category,
    Role,
    TopicSeed,
    TrainingModule,
    module_by_slug,
    modules_for,
    topic_by_slug,
)

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REQUIRED_MODULES: dict[str, set[str]] = {
    "mentor": {"candid-upward-feedback", "explaining-without-jargon", "confidentiality-mentor"},
    "mentee": {
        "active-listening",
        "asking-open-questions",
        "receiving-feedback-from-junior",
        "confidentiality-mentee",
    },
}
BULLET = "• "


def words(module: TrainingModule) -> int:
    """Words a participant reads: headings and paragraphs, bullets not counted as words."""
    texts = [text for s in module.sections for text in (s.heading, *s.paragraphs)]
    return sum(len(text.removeprefix(BULLET).split()) for text in texts)


def topic_id(topic: TopicSeed) -> str:
    return topic.slug


def module_id(module: TrainingModule) -> str:
    return module.slug


# --- Topics ------------------------------------------------------------------------------------


def test_there_are_at_least_thirty_topics() -> None:
    assert len(TOPICS) >= 30


def test_every_category_has_a_label_and_at_least_six_topics() -> None:
    per_category = Counter(topic.category for topic in TOPICS)
    assert set(CATEGORY_LABELS) == set(get_args(Category))
    for category in get_args(Category):
        assert per_category[category] >= 6, category


def test_topic_slugs_are_unique_lowercase_hyphenated_and_short() -> None:
    slugs = [topic.slug for topic in TOPICS]
    assert len(slugs) == len(set(slugs)), [s for s, n in Counter(slugs).items() if n > 1]
    for slug in slugs:
        assert SLUG.match(slug), slug
        assert len(slug) <= 50, slug


def test_topic_names_are_unique() -> None:
    names = [topic.name.casefold() for topic in TOPICS]
    assert len(names) == len(set(names)), [n for n, c in Counter(names).items() if c > 1]


@pytest.mark.parametrize("topic", TOPICS, ids=topic_id)
def test_a_topic_has_a_description_and_three_to_five_open_prompts(topic: TopicSeed) -> None:
    assert topic.name.strip()
    assert topic.description.strip()
    assert topic.category in get_args(Category)
    assert 3 <= len(topic.prompts) <= 5
    assert len(set(topic.prompts)) == len(topic.prompts)
    for prompt in topic.prompts:
        assert prompt.endswith("?"), prompt
        assert prompt == prompt.strip() and "  " not in prompt, prompt


def test_the_examples_from_the_brief_are_in_the_taxonomy() -> None:
    for slug in [
        "generative-ai",
        "short-video-platforms",
        "collaboration-tools",
        "data-privacy-habits",
        "async-first-work",
        "chat-etiquette",
        "hybrid-meetings",
        "sustainability",
        "wellbeing-at-work",
        "inclusion",
        "strategy",
        "decisions-under-uncertainty",
        "stakeholder-management",
        "career-navigation",
    ]:
        topic_by_slug(slug)


def test_topic_by_slug_finds_a_topic() -> None:
    topic = topic_by_slug("generative-ai")
    assert topic.name == "Generative AI assistants"
    assert topic.category == "digital_tools"


def test_topic_by_slug_names_an_unknown_slug_in_the_key_error() -> None:
    with pytest.raises(KeyError, match="no-such-topic"):
        topic_by_slug("no-such-topic")


def test_topics_are_frozen() -> None:
    with pytest.raises(AttributeError):
        TOPICS[0].slug = "renamed"  # type: ignore[misc]


# --- Training modules --------------------------------------------------------------------------


@pytest.mark.parametrize("role", get_args(Role))
def test_each_role_has_its_required_modules(role: Role) -> None:
    assert {module.slug for module in modules_for(role)} == REQUIRED_MODULES[role]


def test_module_slugs_are_unique_and_well_formed() -> None:
    slugs = [module.slug for module in TRAINING_MODULES]
    assert len(slugs) == len(set(slugs))
    for slug in slugs:
        assert SLUG.match(slug), slug
        assert len(slug) <= 50, slug


@pytest.mark.parametrize("role", get_args(Role))
def test_modules_for_a_role_returns_only_that_roles_modules(role: Role) -> None:
    modules = modules_for(role)
    assert modules
    assert all(module.role == role for module in modules)


def test_modules_for_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="coordinator"):
        modules_for("coordinator")  # type: ignore[arg-type]


def test_module_by_slug_finds_a_module_and_names_an_unknown_slug() -> None:
    assert module_by_slug("active-listening").role == "mentee"
    with pytest.raises(KeyError, match="no-such-module"):
        module_by_slug("no-such-module")


@pytest.mark.parametrize("module", TRAINING_MODULES, ids=module_id)
def test_a_module_is_about_five_minutes_in_three_to_five_sections(module: TrainingModule) -> None:
    assert 3 <= len(module.sections) <= 5
    assert 450 <= words(module) <= 1100, words(module)
    assert 4 <= module.minutes <= 7


@pytest.mark.parametrize("module", TRAINING_MODULES, ids=module_id)
def test_a_module_has_a_title_summary_and_private_reflection_question(
    module: TrainingModule,
) -> None:
    assert module.title.strip()
    assert module.summary.strip().endswith(".")
    assert module.reflection_prompt.endswith("?")


@pytest.mark.parametrize("module", TRAINING_MODULES, ids=module_id)
def test_module_text_is_plain_text_without_markup(module: TrainingModule) -> None:
    for section in module.sections:
        assert section.heading.strip()
        assert section.paragraphs
        for paragraph in section.paragraphs:
            assert paragraph == paragraph.strip() and paragraph, paragraph
            assert not re.search(r"</?[a-z]+>|\*\*|^#|^- |^\* ", paragraph), paragraph
            if paragraph.startswith("•"):
                assert paragraph.startswith(BULLET), paragraph


@pytest.mark.parametrize("slug", ["confidentiality-mentor", "confidentiality-mentee"])
def test_confidentiality_modules_state_the_promises_of_the_design(slug: str) -> None:
    text = " ".join(p for s in module_by_slug(slug).sections for p in s.paragraphs)
    for promise in [
        "encrypted",  # private notes, encrypted at rest
        "only you, their author, can read them",  # ... readable by their author only
        "visible to the two of you in the pair, and to nobody else",  # shared notes, summaries
        "metadata and aggregates",  # what the coordinator sees
        "never see what your notes say or how you answered an individual check-in",
        "No rating of your",  # nothing reaches management
        "end the pairing without blame",  # no-fault exit
        "ask the coordinator for support",  # the support route ...
        "handled in confidence",  # ... is confidential
    ]:
        assert promise in text, promise
