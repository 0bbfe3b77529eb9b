"""The pair's topics: what the leader wants to learn that the mentor knows, and back.

Goals are suggested from them and session agendas draw on their prompts.
"""

from __future__ import annotations

from dataclasses import dataclass

from upward.mentoring.models import Pair
from upward.programs.models import EnrollmentTopic, Topic, TopicKind


@dataclass(frozen=True)
class PairTopics:
    #: The leader's interests the mentor has expertise in, highest priority first.
    for_mentee: tuple[Topic, ...]
    #: What the mentor wants to learn that the leader offers.
    for_mentor: tuple[Topic, ...]


def _declared(enrollment_id: int, kind: str) -> dict[int, tuple[int, Topic]]:
    rows = EnrollmentTopic.objects.filter(enrollment_id=enrollment_id, kind=kind).select_related(
        "topic"
    )
    return {row.topic_id: (row.weight, row.topic) for row in rows if not row.topic.is_retired}


def pair_topics(pair: Pair) -> PairTopics:
    interests = _declared(pair.mentee_id, TopicKind.INTEREST)
    expertise = _declared(pair.mentor_id, TopicKind.EXPERTISE)
    wants = _declared(pair.mentor_id, TopicKind.WANTS_TO_LEARN)
    offers = _declared(pair.mentee_id, TopicKind.OFFERS)
    for_mentee = sorted(
        (interests[t] for t in interests.keys() & expertise.keys()),
        key=lambda wt: (-wt[0], wt[1].name),
    )
    for_mentor = sorted(
        (wants[t] for t in wants.keys() & offers.keys()), key=lambda wt: (-wt[0], wt[1].name)
    )
    # A leader whose interests the mentor does not list still has their interests.
    if not for_mentee:
        for_mentee = sorted(interests.values(), key=lambda wt: (-wt[0], wt[1].name))
    return PairTopics(
        for_mentee=tuple(t for _, t in for_mentee), for_mentor=tuple(t for _, t in for_mentor)
    )
