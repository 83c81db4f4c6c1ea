"""A case from report to closing: every state, who and when, the messages each step sends."""

import datetime
import uuid

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from zaireen.cases import selectors, services
from zaireen.cases.models import Case, CaseEvent, CaseState
from zaireen.cases.services import CaseInput
from zaireen.core import sms
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.notifications.models import Message, MessageStatus

S = CaseState


def messages_about(case, topic=None):
    with scopes_disabled():
        rows = Message.objects.filter(about_id=str(case.uid))
        if topic:
            rows = rows.filter(topic=topic)
        return list(rows.order_by("created_at", "id").prefetch_related("deliveries"))


def open_case(w, **fields):
    case, created = services.case_open(
        actor=w.staff, member_uid=w.missing.uid, data=CaseInput(**fields)
    )
    assert created
    return case


# Two walks cover every state: the outcomes are alternatives.
WALKS = [
    [
        ("leader", S.SEARCHING, ""),
        ("consul", S.ESCALATED, "Consulate informed the police"),
        ("consul", S.HOSPITAL, "At Al-Hussein hospital, ward 3"),
        ("staff", S.FOUND, "Discharged"),
        ("staff", S.CLOSED, "Back with the group"),
    ],
    [
        ("staff", S.SEARCHING, ""),
        ("leader", S.DETAINED, "Held at a checkpoint"),
        ("consul", S.FOUND, "Released"),
        ("consul", S.CLOSED, "Back with the group"),
    ],
    [
        ("leader", S.SEARCHING, ""),
        ("leader", S.DECEASED, "Identified at the hospital"),
        ("staff", S.CLOSED, "Repatriation arranged"),
    ],
]


@pytest.mark.parametrize("walk", WALKS, ids=["hospital", "detained", "deceased"])
def test_a_case_walks_through_its_states_and_every_step_is_notified(
    people, walk, django_capture_on_commit_callbacks
):
    w = people
    actors = {"leader": w.leaders[0], "consul": w.consul, "staff": w.staff}
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(w, description="Green shalwar kameez", tell_next_of_kin=True)
    assert case.state == S.REPORTED and case.reference.startswith("MP-")
    opened = messages_about(case, "cases.opened")
    # Both leaders by SMS, the admin and the office by email, the consul by email; staff "Sana"
    # has neither phone nor email. The next of kin get their own message.
    assert sorted(m.address for m in opened) == sorted(
        ["+923001234561", "+923001234562", "admin@zgo-a.example",
         w.organiser.email, "consul@mofa.example"]
    )  # fmt: skip
    assert {m.status for m in opened} == {MessageStatus.SENT}
    [kin] = messages_about(case, "cases.kin_update")
    assert kin.address == w.missing.profile.next_of_kin_phone and kin.language == "ur"
    for who, to, note in walk:
        with django_capture_on_commit_callbacks(execute=True):
            event = services.case_update(actor=actors[who], uid=case.uid, to=to, note=note)
        assert (event.by, event.to_state, event.note) == (actors[who], to, note)
    case.refresh_from_db()
    assert case.state == S.CLOSED and case.closed_at is not None
    with scopes_disabled():
        steps = list(CaseEvent.objects.filter(case=case, kind="state").order_by("at", "id"))
    assert [e.to_state for e in steps] == [to for _w, to, _n in walk]
    assert [e.from_state for e in steps] == [S.REPORTED, *[to for _w, to, _n in walk][:-1]]
    assert all(e.at and e.by_id for e in steps)
    changes = messages_about(case, "cases.state_changed")
    assert len(changes) == 5 * len(walk)  # five addresses per step
    assert all(m.status == MessageStatus.SENT and m.deliveries.all()[0].outcome == "sent"
               for m in changes)  # fmt: skip
    last = [m for m in changes if m.address == "consul@mofa.example"][-1]
    assert last.subject.endswith(": Closed") and walk[-1][2] in last.body
    assert len(messages_about(case, "cases.kin_update")) == 1 + len(walk)
    # Never an identifier in any message.
    cnic = w.people[2].cnic.replace("-", "")
    for message in messages_about(case):
        text = (message.subject + message.body).replace("-", "")
        assert cnic not in text and w.people[2].passport_number not in text
    assert sms.outbox and mail.outbox


def test_illegal_steps_are_refused_with_the_reason(people):
    w = people
    case = open_case(w)
    with pytest.raises(ValidationFailed) as caught:
        services.case_update(actor=w.staff, uid=case.uid, to=S.HOSPITAL, note="x")
    assert "cannot become" in caught.value.errors["state"][0]
    assert "Searching" in caught.value.errors["state"][0]  # names the allowed steps
    services.case_update(actor=w.staff, uid=case.uid, to=S.SEARCHING)
    with pytest.raises(ValidationFailed) as caught:
        services.case_update(actor=w.staff, uid=case.uid, to=S.DECEASED)
    assert caught.value.errors == {"note": ["say what happened"]}
    with pytest.raises(ValidationFailed) as caught:
        services.case_update(actor=w.staff, uid=case.uid, to="vanished")
    assert "state" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.case_update(actor=w.staff, uid=case.uid)
    assert "note" in caught.value.errors
    services.case_update(actor=w.staff, uid=case.uid, to=S.FOUND)
    with pytest.raises(NotAllowed):  # a leader records, the office or the consulate closes
        services.case_update(actor=w.leaders[0], uid=case.uid, to=S.CLOSED, note="ok")
    with pytest.raises(NotAllowed):  # the ministry reads only
        services.case_update(actor=w.ministry, uid=case.uid, note="seen")
    services.case_update(actor=w.consul, uid=case.uid, to=S.CLOSED, note="ok")
    with pytest.raises(ValidationFailed) as caught:
        services.case_update(actor=w.staff, uid=case.uid, to=S.SEARCHING)
    assert caught.value.errors == {"state": ["the case is closed"]}
    case.refresh_from_db()
    assert case.state == S.CLOSED


def test_notes_and_places_are_updates_without_a_state_change(people):
    w = people
    case = open_case(w)
    event = services.case_update(actor=w.leaders[1], uid=case.uid, note="Seen near mawkib",
                                 pole="578", place="Mawkib Ahl al-Basra")  # fmt: skip
    assert event.kind == "note" and event.pole == 578
    case.refresh_from_db()
    assert case.state == S.REPORTED and case.pole == 578
    assert "pole 578" in services.location_text(case)
    assert not messages_about(case, "cases.state_changed")


@pytest.mark.parametrize("pole", ["0", "1453", "abc", "-3", "12.5"])
def test_a_pole_off_the_gazetteer_is_refused(people, pole):
    w = people
    with pytest.raises(ValidationFailed) as caught:
        services.case_open(actor=w.staff, member_uid=w.missing.uid, data=CaseInput(pole=pole))
    assert list(caught.value.errors) == ["pole"]
    with scopes_disabled():
        assert not Case.objects.exists()


def test_a_resent_request_opens_one_case_and_applies_one_step(people):
    w = people
    request = uuid.uuid4()
    first, created = services.case_open(actor=w.staff, member_uid=w.missing.uid,
                                        data=CaseInput(), request_uid=request)  # fmt: skip
    again, created_again = services.case_open(actor=w.staff, member_uid=w.missing.uid,
                                              data=CaseInput(), request_uid=request)  # fmt: skip
    assert (created, created_again) == (True, False) and first.pk == again.pk
    # Another request for a person with an open case joins that case.
    other, created = services.case_open(actor=w.leaders[0], member_uid=w.missing.uid,
                                        data=CaseInput())  # fmt: skip
    assert other.pk == first.pk and not created
    step = uuid.uuid4()
    one = services.case_update(actor=w.staff, uid=first.uid, to=S.SEARCHING, request_uid=step)
    two = services.case_update(actor=w.staff, uid=first.uid, to=S.SEARCHING, request_uid=step)
    assert one.pk == two.pk
    with scopes_disabled():
        assert CaseEvent.objects.filter(case=first, kind="state").count() == 1
    assert len(messages_about(first, "cases.opened")) == 5
    assert len(messages_about(first, "cases.state_changed")) == 5


def test_who_sees_a_case(people):
    w = people
    case = open_case(w)
    for reader in (w.staff, w.admin, w.leaders[0], w.leaders[1], w.consul, w.ministry):
        assert selectors.case_get_for(actor=reader, uid=case.uid).pk == case.pk
        assert list(selectors.case_list_for(actor=reader)) == [case]
    with pytest.raises(NotFound):
        selectors.case_get_for(actor=w.other_staff, uid=case.uid)
    assert not selectors.case_list_for(actor=w.other_staff).exists()
    with pytest.raises(NotAllowed):
        selectors.case_list_for(actor=w.pilgrim_user)
    with pytest.raises(NotFound):  # another organiser may not even learn the member exists
        services.case_open(actor=w.other_staff, member_uid=w.missing.uid, data=CaseInput())
    with pytest.raises(NotAllowed):
        services.case_open(actor=w.consul, member_uid=w.missing.uid, data=CaseInput())
    with pytest.raises(ValidationFailed) as caught:  # the organiser decides about the kin
        services.case_open(actor=w.leaders[0], member_uid=w.missing.uid,
                           data=CaseInput(tell_next_of_kin=True))  # fmt: skip
    assert list(caught.value.errors) == ["tell_next_of_kin"]


def test_a_leader_sees_only_the_cases_of_trips_they_lead(people):
    from tests import factories
    from tests.test_trips import person, ready_trip
    from zaireen.accounts.services import account_bind_cnic
    from zaireen.core.roles import Role

    w = people
    other_people = [person(n) for n in range(20, 23)]
    other_trip, _profiles = ready_trip(w.staff, other_people, leaders=1)
    other_leader = factories.user("leader-x", Role.GROUP_LEADER, w.organiser)
    account_bind_cnic(actor=other_leader, cnic=other_people[0].cnic)
    case = open_case(w)
    assert not selectors.case_list_for(actor=other_leader).exists()
    with pytest.raises(NotFound):
        selectors.case_get_for(actor=other_leader, uid=case.uid)
    with pytest.raises(NotFound):
        services.case_update(actor=other_leader, uid=case.uid, note="x")
    with pytest.raises(NotFound):
        services.case_open(actor=other_leader, member_uid=w.missing.uid, data=CaseInput())
    assert other_trip


def test_the_next_of_kin_are_told_only_when_the_organiser_chooses(people):
    w = people
    case = open_case(w)
    services.case_update(actor=w.staff, uid=case.uid, to=S.SEARCHING)
    assert not messages_about(case, "cases.kin_update")
    with pytest.raises(NotAllowed):
        services.case_set_kin(actor=w.leaders[0], uid=case.uid, tell=True)
    services.case_set_kin(actor=w.staff, uid=case.uid, tell=True)
    services.case_update(actor=w.staff, uid=case.uid, to=S.FOUND)
    [kin] = messages_about(case, "cases.kin_update")
    assert kin.channel == "sms" and "مل گئے" in kin.subject
    services.case_set_kin(actor=w.staff, uid=case.uid, tell=False)
    services.case_update(actor=w.staff, uid=case.uid, to=S.CLOSED, note="home")
    assert len(messages_about(case, "cases.kin_update")) == 1


def test_reminders_come_once_per_hour_of_silence(people):
    w = people
    case = open_case(w)
    found = open_case_for_another(w)
    now = case.updated_at
    assert services.case_reminders_send(now=now + datetime.timedelta(minutes=59)) == 0
    assert services.case_reminders_send(now=now + datetime.timedelta(minutes=61)) == 1
    # Checked every minute: nothing more until another hour has passed.
    for minute in (62, 90, 120):
        assert services.case_reminders_send(now=now + datetime.timedelta(minutes=minute)) == 0
    assert services.case_reminders_send(now=now + datetime.timedelta(minutes=122)) == 1
    reminders = messages_about(case, "cases.reminder")
    assert len(reminders) == 2 * 5
    assert "no update for 61 minutes" in reminders[0].subject
    # An update restarts the hour.
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(reminded_at=None)
    services.case_update(actor=w.staff, uid=case.uid, note="still looking")
    case.refresh_from_db()
    later = case.updated_at
    assert services.case_reminders_send(now=later + datetime.timedelta(minutes=30)) == 0
    assert services.case_reminders_send(now=later + datetime.timedelta(minutes=61)) == 1
    # A case whose person is found is not searched for: no reminders.
    assert not messages_about(found, "cases.reminder")
    with scopes_disabled():
        assert CaseEvent.objects.filter(case=case, kind="reminder").count() == 3


def open_case_for_another(w):
    case, _created = services.case_open(actor=w.staff, member_uid=w.members[3].uid,
                                        data=CaseInput())  # fmt: skip
    services.case_update(actor=w.staff, uid=case.uid, to=S.FOUND)
    return case


def test_open_cases_for_profiles_answers_in_one_query(people, django_assert_num_queries):
    w = people
    case = open_case(w)
    closed = open_case_for_another(w)
    services.case_update(actor=w.staff, uid=closed.uid, to=S.CLOSED, note="ok")
    ids = [w.missing.profile_id, w.members[3].profile_id, w.members[4].profile_id]
    with django_assert_num_queries(1):
        found = selectors.open_cases_for_profiles(ids)
    assert list(found) == [w.missing.profile_id]
    [entry] = found[w.missing.profile_id]
    assert entry.reference == case.reference and entry.url.endswith(f"/cases/{case.uid}/")
    assert entry.opened_at == case.opened_at
    assert selectors.open_cases_for_profiles([]) == {}
