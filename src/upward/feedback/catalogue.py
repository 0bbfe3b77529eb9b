"""Survey items, the same before and after, so change is measured item by item.

Each is a statement answered on a 1–5 agreement scale (1 = strongly disagree,
5 = strongly agree). Leaders and mentors answer their own set.
"""

from __future__ import annotations

SCALE = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neutral"),
    (4, "Agree"),
    (5, "Strongly agree"),
)

ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "mentee": (
        ("tools_confidence", "I feel confident using the digital tools this program covers."),
        ("tools_use", "I use those tools in my own work without asking for help."),
        (
            "younger_expectations",
            "I understand what younger colleagues expect from work and from leaders.",
        ),
        ("open_to_challenge", "I am comfortable being challenged by a more junior colleague."),
    ),
    "mentor": (
        ("senior_confidence", "I feel confident speaking with senior leaders."),
        ("decision_understanding", "I understand how decisions are made in this organisation."),
        ("voice_heard", "I believe my ideas can influence decisions here."),
        ("strategy_context", "I understand the strategy behind my own work."),
    ),
}

#: The three check-in questions, asked after every logged session.
CHECKIN_QUESTIONS = (
    ("usefulness", "This session was useful to me."),
    ("openness", "I could speak openly."),
    ("balance", "We both learned something."),
)


def item_text(role: str, item: str) -> str:
    return dict(ITEMS[role])[item]
