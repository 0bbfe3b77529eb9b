"""A deterministic synthetic organisation, for the demo, tests and benchmarks.

Real HR data never leaves the customer, so everything that needs an
organisation (the demo, the import benchmark) generates one from a seed: the
same seed always gives the same people, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from upward.people.hris import PersonRecord

DEPARTMENTS = (
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "People & Culture",
    "Operations",
    "Customer Success",
    "Legal",
)
# Offices on four continents, with the IANA zone people there work in.
OFFICES = (
    ("London", "Europe/London"),
    ("Paris", "Europe/Paris"),
    ("Berlin", "Europe/Berlin"),
    ("New York", "America/New_York"),
    ("Chicago", "America/Chicago"),
    ("São Paulo", "America/Sao_Paulo"),
    ("Singapore", "Asia/Singapore"),
    ("Bangalore", "Asia/Kolkata"),
    ("Tokyo", "Asia/Tokyo"),
    ("Sydney", "Australia/Sydney"),
)
FIRST_NAMES = (
    "Aisha", "Ben", "Chloé", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kemi", "Liam", "Maya", "Noah", "Olga", "Priya", "Quentin", "Rosa", "Sven", "Tara",
    "Umar", "Valentina", "Wei", "Ximena", "Yusuf", "Zoë", "Amara", "Bruno", "Carmen", "Dev",
    "Emeka", "Freya", "Gabriel", "Hana", "Ivan", "Julia", "Kofi", "Leila", "Mateo", "Nadia",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Bauer", "Chen", "Dubois", "Evans", "Fernández", "García", "Hoffmann",
    "Ito", "Jensen", "Kowalski", "Lopez", "Müller", "Nakamura", "Okafor", "Patel",
    "Quinn", "Rossi", "Silva", "Tanaka", "Ueda", "Virtanen", "Wang", "Xu", "Yilmaz",
    "Zhang", "Andersson", "Brown", "Costa", "Dimitrov", "Eriksen", "Fischer", "Gupta",
)  # fmt: skip
TITLES = {
    12: "Chief Executive Officer",
    11: "Chief Officer",
    10: "Senior Vice President",
    9: "Vice President",
    8: "Director",
    7: "Senior Manager",
    6: "Manager",
    5: "Team Lead",
    4: "Senior Specialist",
    3: "Specialist",
    2: "Associate",
    1: "Graduate Trainee",
}
DOMAIN = "demo.upward.example"


@dataclass
class _Slot:
    employee_id: str
    depth: int
    department: str
    manager: str | None
    office: tuple[str, str]
    level: int = 12


def _span(depth: int, rng: random.Random) -> int:
    """How many reports someone has: a wide executive team, team-sized spans below."""
    return rng.randint(7, 9) if depth == 0 else rng.randint(3, 8)


def synthetic_people(count: int = 300, *, seed: int = 7) -> Iterator[PersonRecord]:
    """`count` people in a realistic tree: one CEO at level 12 down to trainees at 1.

    The tree is grown breadth-first with realistic spans of control; levels then
    fall with depth so the leaves (most people, as in a real company) sit at
    levels 1-3 whatever the size. Departments are inherited from the executive
    a branch starts under; offices span Europe, the Americas, Asia and Oceania,
    mostly inherited from the manager so teams cluster.
    """
    rng = random.Random(seed)
    width = max(5, len(str(count)))
    slots: list[_Slot] = [_Slot(f"E{1:0{width}d}", 0, "Operations", None, OFFICES[0])]
    frontier = 0
    while len(slots) < count:
        boss = slots[frontier]
        frontier += 1
        for index in range(_span(boss.depth, rng)):
            if len(slots) >= count:
                break
            department = (
                DEPARTMENTS[index % len(DEPARTMENTS)] if boss.depth == 0 else boss.department
            )
            office = boss.office if rng.random() < 0.75 else rng.choice(OFFICES)
            slots.append(
                _Slot(
                    f"E{len(slots) + 1:0{width}d}",
                    boss.depth + 1,
                    department,
                    boss.employee_id,
                    office,
                )
            )
    deepest = max(slot.depth for slot in slots) or 1
    by_id = {slot.employee_id: slot for slot in slots}
    for slot in slots[1:]:  # breadth-first order: a manager's level is set before theirs
        boss_level = by_id[slot.manager].level if slot.manager else 12
        target = round(12 - slot.depth * 11 / deepest + rng.uniform(-1.0, 1.8))
        slot.level = max(1, min(boss_level - 1, target))
    used_emails: set[str] = set()
    for slot in slots:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower().replace(" ", "")
        local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
        email = f"{local}@{DOMAIN}"
        if email in used_emails:
            email = f"{local}.{slot.employee_id.lower()}@{DOMAIN}"
        used_emails.add(email)
        age = 22 + (slot.level - 1) * 3 + rng.randint(0, 6)
        tenure_days = rng.randint(30, max(60, (age - 21) * 365))
        yield PersonRecord(
            line=0,
            employee_id=slot.employee_id,
            full_name=f"{first} {last}",
            email=email,
            title=TITLES[slot.level] if slot.level != 11 else f"Chief {slot.department} Officer",
            level=slot.level,
            department=slot.department,
            manager_employee_id=slot.manager,
            location=slot.office[0],
            timezone=slot.office[1],
            hire_date=dt.date(2026, 1, 1) - dt.timedelta(days=tenure_days),
            birth_year=2026 - age if rng.random() < 0.8 else None,
        )
