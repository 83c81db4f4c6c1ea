"""notify: rendering per language, one message per address, sent after commit, retried."""

import pytest
from django.core import mail
from django.db import transaction
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from zaireen.core import sms
from zaireen.core.roles import Role
from zaireen.notifications import gateways, services
from zaireen.notifications.models import Delivery, Message, MessageStatus
from zaireen.notifications.services import Recipient, notify

TOPIC = "notifications.test"


@pytest.fixture(autouse=True)
def _outboxes():
    sms.outbox.clear()
    gateways.whatsapp_outbox.clear()
    yield
    sms.outbox.clear()
    gateways.whatsapp_outbox.clear()


def recipients():
    return [
        Recipient("Sana", "sms", "+923001234561"),
        Recipient("Sana again", "sms", "+92 300 1234561"),  # same number: one message
        Recipient("Ali", "email", "Ali@Example.org", language="ur"),
        Recipient("ali", "email", "ali@example.org"),  # same address: one message
        Recipient("Abbas", "whatsapp", "+9647701234567", language="ur"),
    ]


@pytest.mark.django_db(transaction=True)
def test_notify_stores_one_message_per_address_and_sends_after_commit(places):
    with transaction.atomic():
        messages = notify(
            topic=TOPIC, recipients=recipients(), context={"sender": "Hasan", "channel": "x"}
        )
        assert len(messages) == 3
        assert not sms.outbox and not mail.outbox  # nothing leaves before the commit
        with scopes_disabled():
            assert set(Message.objects.values_list("status", flat=True)) == {"queued"}
    with scopes_disabled():
        rows = {m.channel: m for m in Message.objects.all()}
    assert {m.status for m in rows.values()} == {MessageStatus.SENT}
    assert rows["sms"].subject == "Zaireen test message"
    assert "sent by Hasan" in rows["sms"].body
    assert rows["email"].language == "ur" and rows["email"].subject == "زائرین: آزمائشی پیغام"
    assert [s.to for s in sms.outbox] == ["+923001234561"]
    assert sms.outbox[0].text.startswith("Zaireen test message\n")
    assert mail.outbox[0].to == ["ali@example.org"]
    assert gateways.whatsapp_outbox[0].to == "+9647701234567"
    with scopes_disabled():
        deliveries = list(Delivery.objects.all())
    assert len(deliveries) == 3
    assert {(d.attempt, d.outcome) for d in deliveries} == {(1, "sent")}


@pytest.mark.django_db(transaction=True)
def test_nothing_is_stored_or_sent_when_the_callers_transaction_rolls_back(places):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        notify(topic=TOPIC, recipients=recipients(), context={})
        raise Abort
    with scopes_disabled():
        assert not Message.objects.exists()
    assert not sms.outbox and not mail.outbox


def test_a_language_without_its_template_falls_back_to_english(tmp_path):
    subject, body = services.render("notifications.test", "ur", {"channel": "SMS"})
    assert subject.startswith("زائرین")
    # Arabic has no file: English.
    subject, body = services.render("notifications.test", "ar", {"channel": "SMS"})
    assert subject == "Zaireen test message"
    assert "SMS messages reach you" in body


def test_context_values_are_not_html_escaped():
    _subject, body = services.render("notifications.test", "en", {"sender": "Ali & <Sons>"})
    assert "Ali & <Sons>" in body


def test_identifiers_are_refused_and_redacted():
    with pytest.raises(ValueError, match="identifiers"):
        services._check(TOPIC, {"passport_number": "AB1234567"})
    with pytest.raises(TypeError):
        services._check(TOPIC, {"count": 3})
    _s, body = services.render(TOPIC, "en", {"sender": "35202-1234567-1 / AB1234567"})
    assert "1234567" not in body
    assert body.count("[removed]") == 2


@given(
    cnic=st.from_regex(r"\A\d{5}-?\d{7}-?\d\Z"),
    passport=st.from_regex(r"\A[A-Z]{2}\d{7}\Z"),
    prefix=st.sampled_from(["", "CNIC ", "no. ", "(", "x: "]),
)
def test_redact_removes_every_cnic_and_passport_shape(cnic, passport, prefix):
    text = services.redact(f"{prefix}{cnic} and {prefix}{passport}.")
    assert cnic not in text and passport not in text


@given(st.from_regex(r"\A\+(92|964)\d{9,10}\Z"))
def test_redact_leaves_phone_numbers_alone(phone):
    assert services.redact(f"call {phone}") == f"call {phone}"


@pytest.mark.django_db
def test_a_failing_channel_is_retried_with_growing_delays_then_given_up(places, settings):
    settings.ZAIREEN_SMS_BACKEND = "http"
    settings.ZAIREEN_SMS_GATEWAY_URL = "http://127.0.0.1:9/nothing-listens-here"
    settings.ZAIREEN_NOTIFY_ATTEMPTS = 3
    settings.ZAIREEN_NOTIFY_RETRY_SECONDS = 30
    [message] = notify(topic=TOPIC, recipients=[Recipient("S", "sms", "+923001234561")], context={})
    assert services.message_attempt(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRYING and message.attempts == 1
    first_wait = message.next_attempt_at
    assert services.message_attempt(message_id=message.pk) is False
    message.refresh_from_db()
    assert services.retry_delay(2) == 2 * services.retry_delay(1)
    assert message.next_attempt_at > first_wait
    assert services.message_attempt(message_id=message.pk) is True
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 3
    with scopes_disabled():
        log = list(message.deliveries.values_list("attempt", "outcome"))
        reply = message.deliveries.first().reply
    assert log == [(1, "error"), (2, "error"), (3, "error")]
    assert "Error" in reply
    # A message given up is left alone by a late task.
    assert services.message_attempt(message_id=message.pk) is True
    with scopes_disabled():
        assert message.deliveries.count() == 3


@pytest.mark.django_db
def test_a_retry_that_succeeds_marks_the_message_sent(places, settings):
    settings.ZAIREEN_WHATSAPP_BACKEND = "bogus"
    [message] = notify(
        topic=TOPIC, recipients=[Recipient("S", "whatsapp", "+923001234561")], context={}
    )
    assert services.message_attempt(message_id=message.pk) is False
    settings.ZAIREEN_WHATSAPP_BACKEND = "locmem"
    assert services.message_attempt(message_id=message.pk) is True
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at
    assert len(gateways.whatsapp_outbox) == 1


@pytest.mark.django_db
def test_recipients_for_trip_are_its_leaders_and_its_organisers_staff(places):
    from tests.test_trips import person, ready_trip
    from zaireen.accounts.services import account_bind_cnic

    org = factories.organiser("ZGO-A")
    other = factories.organiser("ZGO-B")
    admin = factories.user("admin", Role.ORGANISER_ADMIN, org, email="admin@a.org")
    staff = factories.user("staff", Role.ORGANISER_STAFF, org, phone="+923001111111")
    factories.user("nobody", Role.ORGANISER_STAFF, org)  # neither phone nor email: skipped
    factories.user("gone", Role.ORGANISER_STAFF, org, email="g@a.org", is_active=False)
    factories.user("b-staff", Role.ORGANISER_STAFF, other, email="b@b.org")
    people = [person(n) for n in range(1, 4)]
    trip, _profiles = ready_trip(staff, people, leaders=1)
    leader = factories.user("leader", Role.GROUP_LEADER, org, phone="+923002222222")
    account_bind_cnic(actor=leader, cnic=people[0].cnic)
    follower = factories.user("follower", Role.GROUP_LEADER, org, phone="+923003333333")
    account_bind_cnic(actor=follower, cnic=people[1].cnic)  # a plain member: not a leader
    consul = factories.user("consul", Role.CONSULAR_OFFICER, email="c@mofa.gov.pk")
    got = services.recipients_for_trip(trip)
    assert {(r.user_id, r.channel, r.address) for r in got} == {
        (admin.pk, "email", "admin@a.org"),
        (staff.pk, "sms", "+923001111111"),
        (leader.pk, "sms", "+923002222222"),
    }
    assert [r.user_id for r in services.recipients_consulate()] == [consul.pk]
