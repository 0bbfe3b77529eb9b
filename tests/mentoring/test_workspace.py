"""The pair workspace, service by service: agreement, goals, sessions and calendars,
notes and their encryption, insights, and the audit trail."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from icalendar import Calendar

from upward.core.crypto import decrypt_text
from upward.core.errors import Conflict, DomainError
from upward.core.models import AuditEvent, User
from upward.core.zones import describe, zone_named
from upward.mentoring import agreements, calendar, goals, insights, notes, sessions
from upward.mentoring.models import Agreement, Goal, Note, Pair, Session
from upward.mentoring.services import pair_end

pytestmark = pytest.mark.django_db


def _set_zone(user: User, zone: str) -> None:
    user.person.timezone = zone
    user.person.save(update_fields=["timezone"])


# --- agreement ---------------------------------------------------------------------------------


def _sign_both(pair: Pair, mentor: User, mentee: User) -> Agreement:
    version = agreements.agreement_of(pair).version
    agreements.agreement_sign(pair=pair, by=mentor, version=version)
    return agreements.agreement_sign(pair=pair, by=mentee, version=version)


def test_the_agreement_is_drafted_from_the_program_and_signed_by_both(
    active_pair: Pair, mentor_user: User, mentee_user: User
) -> None:
    draft = agreements.agreement_of(active_pair)
    assert draft.purpose == active_pair.program.purpose and not draft.is_signed
    signed = _sign_both(active_pair, mentor_user, mentee_user)
    assert signed.is_signed and signed.version == 1


def test_a_change_after_signing_needs_both_signatures_again(
    active_pair: Pair, mentor_user: User, mentee_user: User
) -> None:
    _sign_both(active_pair, mentor_user, mentee_user)
    changed = agreements.agreement_update(
        pair=active_pair, by=mentor_user, purpose="Learn AI tools, both ways",
        cadence="weekly", channel="Video call", confidentiality="",
    )  # fmt: skip
    assert changed.version == 2
    assert not changed.is_signed and not changed.signed_by_mentor and not changed.signed_by_mentee
    event = AuditEvent.objects.filter(action="agreement.changed").get()
    assert event.detail == {"version": 2, "signatures_reset": True}
    # Signing the text you read before the change is refused: it is not what is agreed now.
    with pytest.raises(Conflict):
        agreements.agreement_sign(pair=active_pair, by=mentee_user, version=1)
    _sign_both(active_pair, mentor_user, mentee_user)
    assert Agreement.objects.get(pair=active_pair).is_signed


def test_saving_the_same_text_changes_nothing(active_pair: Pair, mentor_user: User) -> None:
    draft = agreements.agreement_of(active_pair)
    same = agreements.agreement_update(
        pair=active_pair, by=mentor_user, purpose=draft.purpose, cadence=draft.cadence,
        channel=draft.channel, confidentiality=draft.confidentiality,
    )  # fmt: skip
    assert same.version == 1
    assert not AuditEvent.objects.filter(action="agreement.changed").exists()


def test_a_bad_agreement_change_names_the_field_and_saves_nothing(
    active_pair: Pair, mentor_user: User
) -> None:
    with pytest.raises(DomainError) as caught:
        agreements.agreement_update(
            pair=active_pair, by=mentor_user, purpose="x", cadence="hourly", channel="",
            confidentiality="",
        )  # fmt: skip
    assert caught.value.field == "cadence"
    assert agreements.agreement_of(active_pair).version == 1


def test_the_pair_page_shows_the_agreement_first_until_both_sign(
    active_pair: Pair, mentor_user: User, mentee_user: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for(mentor_user)
    page = client.get(f"/pairs/{active_pair.pk}/").content.decode()
    assert 'id="agreement-first"' in page
    assert page.index("agreement-first") < page.index("Your workspace")
    _sign_both(active_pair, mentor_user, mentee_user)
    assert 'id="agreement-first"' not in client.get(f"/pairs/{active_pair.pk}/").content.decode()


# --- goals -------------------------------------------------------------------------------------


def test_both_members_update_both_sides_goals(
    active_pair: Pair, mentor_user: User, mentee_user: User
) -> None:
    goal = goals.goal_create(
        pair=active_pair, by=mentee_user, owner="mentor", title="Learn how budgets are set"
    )
    updated = goals.goal_update(goal=goal, by=mentor_user, progress=40)
    assert updated.progress == 40
    done = goals.goal_update(goal=goal, by=mentee_user, status="achieved")
    assert (done.status, done.progress) == ("achieved", 100)


def test_goals_are_suggested_from_the_pairs_topics(active_pair: Pair) -> None:
    suggestions = goals.goal_suggestions(active_pair)
    assert [s.topic.slug for s in suggestions] == ["generative-ai"]
    assert suggestions[0].owner == "mentee"


def test_an_impossible_progress_is_refused_and_nothing_saved(
    active_pair: Pair, mentor_user: User
) -> None:
    goal = goals.goal_create(pair=active_pair, by=mentor_user, owner="mentee", title="Prompting")
    with pytest.raises(DomainError) as caught:
        goals.goal_update(goal=goal, by=mentor_user, progress=140)
    assert caught.value.field == "progress"
    assert Goal.objects.get(pk=goal.pk).progress == 0


# --- sessions, time zones and calendars --------------------------------------------------------


def test_a_session_is_stored_in_utc_and_shown_in_each_viewers_zone(
    active_pair: Pair, mentor_user: User, mentee_user: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    _set_zone(mentor_user, "Europe/London")
    _set_zone(mentee_user, "Asia/Tokyo")
    session = sessions.session_schedule(
        pair=active_pair, by=mentor_user, day=dt.date(2027, 7, 5), time=dt.time(10, 0)
    )
    # 10:00 in London in July is 09:00 UTC (summer time) and 18:00 in Tokyo.
    assert session.starts_at == dt.datetime(2027, 7, 5, 9, 0, tzinfo=dt.UTC)
    mentee_page = client_for(mentee_user).get(f"/pairs/{active_pair.pk}/sessions/{session.pk}/")
    text = mentee_page.content.decode()
    assert describe(session.starts_at, zone_named("Asia/Tokyo")) in text
    assert "18:00 (Asia/Tokyo)" in text and "10:00 (Europe/London)" in text


def test_the_api_gives_each_viewer_their_local_time(
    active_pair: Pair, mentor_user: User, mentee_user: User, client: Client, bearer_for
) -> None:  # type: ignore[no-untyped-def]
    _set_zone(mentee_user, "America/New_York")
    session = sessions.session_schedule(
        pair=active_pair, by=mentor_user, day=dt.date(2027, 1, 12), time=dt.time(15, 30)
    )
    body = client.get(f"/api/sessions/{session.pk}", headers=bearer_for(mentee_user)).json()
    assert body["timezone"] == "America/New_York"
    assert body["starts_at_local"].startswith("2027-01-12T10:30:00-05:00")


def test_a_time_skipped_by_the_clock_change_is_refused(
    active_pair: Pair, mentor_user: User
) -> None:
    _set_zone(mentor_user, "Europe/London")
    with pytest.raises(DomainError) as caught:
        sessions.session_schedule(
            pair=active_pair, by=mentor_user, day=dt.date(2027, 3, 28), time=dt.time(1, 30)
        )
    assert caught.value.field == "time"
    assert not Session.objects.exists()


def test_the_agenda_is_drafted_from_open_goals_and_topic_prompts(
    active_pair: Pair, mentor_user: User
) -> None:
    goals.goal_create(
        pair=active_pair, by=mentor_user, owner="mentee", title="Write better prompts"
    )
    agenda = sessions.draft_agenda(active_pair)
    assert "Write better prompts" in agenda
    prompt = active_pair.program.topics.get(slug="generative-ai").prompts[0]
    assert prompt in agenda


def test_the_ics_invite_parses_back_to_the_same_session(
    active_pair: Pair, mentor_user: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    session = sessions.session_schedule(
        pair=active_pair, by=mentor_user, day=dt.date(2027, 2, 3), time=dt.time(14, 0),
        minutes=60, location="https://meet.example/abc", agenda="Our private agenda",
    )  # fmt: skip
    response = client_for(mentor_user).get(
        f"/pairs/{active_pair.pk}/sessions/{session.pk}/invite.ics"
    )
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=60)
    assert str(event["uid"]) == f"session-{session.pk}@upward"
    assert str(event["location"]) == "https://meet.example/abc"
    # The calendar provider never gets the pair's content.
    assert b"Our private agenda" not in response.content


def test_the_private_feed_lists_my_sessions_and_a_new_address_kills_the_old(
    active_pair: Pair, mentor_user: User, mentee_user: User, client: Client
) -> None:
    soon = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
    sessions.session_schedule(pair=active_pair, by=mentor_user, day=soon, time=dt.time(9, 0))
    old = calendar.feed_regenerate(user=mentee_user)
    feed = client.get(f"/calendar/{old}.ics")
    assert feed.status_code == 200
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == 1
    new = calendar.feed_regenerate(user=mentee_user)
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_logging_records_each_members_learning_on_their_side(
    active_pair: Pair, mentor_user: User, mentee_user: User
) -> None:
    session = sessions.session_schedule(
        pair=active_pair, by=mentor_user, day=dt.date(2026, 1, 5), time=dt.time(9, 0)
    )
    sessions.session_log(session=session, by=mentor_user, status="held", summary="Good start",
                         learned="How budgets get approved")  # fmt: skip
    logged = sessions.session_log(session=session, by=mentee_user, status="held",
                                  learned="Three prompting patterns")  # fmt: skip
    assert logged.summary == "Good start"
    assert logged.mentor_learned == "How budgets get approved"
    assert logged.mentee_learned == "Three prompting patterns"


def test_a_future_session_cannot_be_logged_as_held(active_pair: Pair, mentor_user: User) -> None:
    session = sessions.session_schedule(
        pair=active_pair, by=mentor_user, day=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30),
        time=dt.time(9, 0),
    )  # fmt: skip
    with pytest.raises(DomainError):
        sessions.session_log(session=session, by=mentor_user, status="held")
    assert Session.objects.get(pk=session.pk).status == "scheduled"


# --- notes: encryption, rotation, dumps ------------------------------------------------------------


def _raw_bodies() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM mentoring_note ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_a_database_dump_shows_no_plaintext_of_a_private_note(
    active_pair: Pair, mentor_user: User
) -> None:
    secret = "I worry the VP will not listen to me"
    notes.note_create(pair=active_pair, by=mentor_user, body=secret, visibility="private")
    [raw] = _raw_bodies()
    assert secret not in raw and "worry" not in raw
    assert decrypt_text(raw) == secret
    if connection.vendor == "sqlite":
        dump = "\n".join(connection.connection.iterdump())
        assert "worry" not in dump and "mentoring_note" in dump


def test_rotate_keys_re_encrypts_every_note_under_the_newest_key(
    active_pair: Pair, mentor_user: User, settings
) -> None:  # type: ignore[no-untyped-def]
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_KEYS = [old]
    for i in range(3):
        notes.note_create(pair=active_pair, by=mentor_user, body=f"note {i}", visibility="private")
    before = _raw_bodies()
    settings.FIELD_KEYS = [new, old]
    # Old ciphertext stays readable while both keys are configured.
    assert [n.body for n in Note.objects.order_by("id")] == ["note 0", "note 1", "note 2"]
    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "mentoring.Note: 3 re-encrypted" in out.getvalue()
    after = _raw_bodies()
    assert all(a != b for a, b in zip(after, before, strict=True))
    settings.FIELD_KEYS = [new]
    assert [n.body for n in Note.objects.order_by("id")] == ["note 0", "note 1", "note 2"]
    with override_settings(FIELD_KEYS=[old]), pytest.raises(InvalidToken):
        decrypt_text(after[0])


def test_every_note_read_is_audited_without_its_content(
    active_pair: Pair, mentor_user: User, mentee_user: User
) -> None:
    shared = notes.note_create(
        pair=active_pair, by=mentor_user, body="Shared idea", visibility="shared"
    )
    notes.note_create(pair=active_pair, by=mentor_user, body="Mine only", visibility="private")
    assert [n.pk for n in notes.notes_readable(pair=active_pair, user=mentee_user)] == [shared.pk]
    notes.note_read(note=shared, user=mentee_user)
    reads = AuditEvent.objects.filter(action="note.read", actor=mentee_user)
    assert reads.count() == 2 and {e.object_id for e in reads} == {shared.pk}
    assert all("idea" not in str(e.detail).lower() for e in AuditEvent.objects.all())
    assert reads.first().program_id == active_pair.program_id  # type: ignore[union-attr]


# --- insights and ended pairs ------------------------------------------------------------------------


def test_the_leader_records_what_became_of_an_idea_and_the_mentor_sees_it(
    active_pair: Pair, mentor_user: User, mentee_user: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    idea = insights.insight_raise(
        pair=active_pair, by=mentor_user, title="Use short video for town halls",
        description="Two-minute clips reach people who skip the long call.",
    )  # fmt: skip
    with pytest.raises(DomainError) as caught:
        insights.insight_decide(insight=idea, by=mentee_user, outcome="acted_on")
    assert caught.value.field == "detail"
    insights.insight_decide(insight=idea, by=mentee_user, outcome="acted_on",
                            detail="We piloted clips for the Q3 all-hands.")  # fmt: skip
    page = client_for(mentor_user).get(f"/pairs/{active_pair.pk}/insights/").content.decode()
    assert "We piloted clips for the Q3 all-hands." in page and "Acted on" in page


def test_an_ended_pairings_workspace_is_read_only(
    active_pair: Pair, mentor_user: User, mentee_user: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    goals.goal_create(pair=active_pair, by=mentor_user, owner="mentee", title="Prompting")
    pair_end(pair=active_pair, by=mentee_user)
    active_pair.refresh_from_db()
    with pytest.raises(Conflict):
        goals.goal_create(pair=active_pair, by=mentor_user, owner="mentee", title="More")
    page = client_for(mentor_user).get(f"/pairs/{active_pair.pk}/goals/")
    assert page.status_code == 200 and 'id="read-only"' in page.content.decode()
    assert Goal.objects.count() == 1


def test_every_page_renders_stored_times_in_the_viewers_zone(
    active_pair: Pair, mentor_user: User, mentee_user: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    """A note written at 23:30 UTC is already tomorrow in Tokyo."""
    _set_zone(mentee_user, "Asia/Tokyo")
    note = notes.note_create(pair=active_pair, by=mentor_user, body="Shared", visibility="shared")
    Note.objects.filter(pk=note.pk).update(
        created_at=dt.datetime(2027, 3, 1, 23, 30, tzinfo=dt.UTC)
    )
    page = client_for(mentee_user).get(f"/pairs/{active_pair.pk}/notes/").content.decode()
    assert "2 Mar 2027 08:30" in page


def test_a_member_moves_a_session_from_the_page_in_their_own_time(
    active_pair: Pair, mentor_user: User, mentee_user: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    _set_zone(mentee_user, "Asia/Tokyo")
    session = sessions.session_schedule(
        pair=active_pair, by=mentor_user, day=dt.date(2027, 2, 3), time=dt.time(10, 0)
    )
    response = client_for(mentee_user).post(
        f"/pairs/{active_pair.pk}/sessions/{session.pk}/",
        {"reschedule": "1", "date": "2027-02-04", "time": "20:00", "minutes": "30",
         "location": "Video", "agenda": "Short one"},
    )  # fmt: skip
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2027, 2, 4, 11, 0, tzinfo=dt.UTC)  # 20:00 Tokyo
    assert (session.minutes, session.sequence) == (30, 1)


def test_a_goals_words_are_edited_from_the_page(
    active_pair: Pair, mentor_user: User, mentee_user: User, client_for
) -> None:  # type: ignore[no-untyped-def]
    goal = goals.goal_create(pair=active_pair, by=mentor_user, owner="mentee", title="AI")
    client_for(mentee_user).post(
        f"/pairs/{active_pair.pk}/goals/{goal.pk}/",
        {"status": "open", "progress": "10", "title": "Draft my board memo with AI",
         "why": "", "success": "A memo I am proud of", "target_date": "2027-03-01"},
    )  # fmt: skip
    goal.refresh_from_db()
    assert (goal.title, goal.success, goal.progress) == (
        "Draft my board memo with AI", "A memo I am proud of", 10,
    )  # fmt: skip
    assert goal.target_date == dt.date(2027, 3, 1)


def test_dumpdata_carries_only_ciphertext_and_loads_back(
    active_pair: Pair, mentor_user: User
) -> None:
    secret = "Only I may read this"
    note = notes.note_create(pair=active_pair, by=mentor_user, body=secret, visibility="private")
    out = StringIO()
    call_command("dumpdata", "mentoring.note", stdout=out)
    assert secret not in out.getvalue() and "gAAAAA" in out.getvalue()
    Note.objects.filter(pk=note.pk).delete()
    fixture = StringIO(out.getvalue())
    for obj in serializers.deserialize("json", fixture):
        obj.save()
    assert Note.objects.get(pk=note.pk).body == secret
    assert decrypt_text(_raw_bodies()[0]) == secret
