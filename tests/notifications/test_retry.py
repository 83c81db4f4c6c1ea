"""Sending a failed message again from its page in the delivery log."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests import factories
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.models import AuditEntry
from zaireen.core.roles import Role
from zaireen.notifications import gateways, services
from zaireen.notifications.models import Message, MessageStatus
from zaireen.notifications.services import Recipient, notify

TOPIC = "notifications.test"
ATTEMPTS = 2

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox():
    gateways.whatsapp_outbox.clear()
    yield
    gateways.whatsapp_outbox.clear()


@pytest.fixture
def world(places, settings):
    settings.ZAIREEN_NOTIFY_ATTEMPTS = ATTEMPTS
    a, b = factories.organiser("ZGO-A"), factories.organiser("ZGO-B")
    return {
        "a": a,
        "admin_a": factories.user("admin-a", Role.ORGANISER_ADMIN, a),
        "staff_a": factories.user("staff-a", Role.ORGANISER_STAFF, a),
        "admin_b": factories.user("admin-b", Role.ORGANISER_ADMIN, b),
        "staff_b": factories.user("staff-b", Role.ORGANISER_STAFF, b),
        "ministry": factories.ministry(),
    }


def message_for(organiser=None) -> Message:
    [message] = notify(
        topic=TOPIC,
        recipients=[Recipient("Sana", "whatsapp", "+923001234561")],
        context={},
        organiser=organiser,
    )
    return message


def failed(settings, organiser=None) -> Message:
    """A message whose channel refused every attempt it had."""
    message = message_for(organiser)
    settings.ZAIREEN_WHATSAPP_BACKEND = "bogus"
    while not services.message_attempt(message_id=message.pk):
        pass
    settings.ZAIREEN_WHATSAPP_BACKEND = "locmem"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == ATTEMPTS
    return message


def attempts_log(message: Message) -> list[tuple[int, str]]:
    with scopes_disabled():
        return list(message.deliveries.order_by("attempt").values_list("attempt", "outcome"))


def retry_url(message: Message) -> str:
    return reverse("notifications:retry", args=[message.uid])


def test_an_organiser_admin_sends_a_failed_message_again(
    world, settings, client, django_capture_on_commit_callbacks
):
    message = failed(settings, world["a"])
    client.force_login(world["admin_a"])
    page = client.get(reverse("notifications:detail", args=[message.uid])).content.decode()
    assert retry_url(message) in page and "Send again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(message), follow=True)
    assert response.redirect_chain == [(reverse("notifications:detail", args=[message.uid]), 302)]
    assert "The message is queued to be sent again." in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == ATTEMPTS + 1 and message.attempt_limit == 2 * ATTEMPTS
    assert attempts_log(message) == [(1, "error"), (2, "error"), (3, "sent")]
    assert [w.to for w in gateways.whatsapp_outbox] == ["+923001234561"]
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="zaireen.notifications.message.retried")
    assert entry.actor == world["admin_a"] and entry.object_id == str(message.uid)
    assert entry.organiser == world["a"]
    assert entry.changes["status"] == ["failed", "retrying"]
    assert entry.changes["attempt_limit"] == [ATTEMPTS, 2 * ATTEMPTS]


def test_a_message_sent_again_gets_the_full_number_of_attempts_again(
    world, settings, django_capture_on_commit_callbacks
):
    message = failed(settings, world["a"])
    settings.ZAIREEN_WHATSAPP_BACKEND = "bogus"  # the channel is still down
    with django_capture_on_commit_callbacks(execute=True):
        services.message_retry(actor=world["admin_a"], uid=message.uid)
    message.refresh_from_db()
    # The task's first attempt (3) failed; one more is due, not a give-up at the old limit.
    assert message.status == MessageStatus.RETRYING and message.attempts == 3
    # Its wait starts over as for a new message (Huey's backoff does too).
    assert message.next_attempt_at - message.claimed_at < services.retry_delay(2)
    assert services.message_attempt(message_id=message.pk) is True
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 4
    assert attempts_log(message) == [(n, "error") for n in (1, 2, 3, 4)]


def test_the_ministry_sends_again_a_message_about_no_organiser(
    world, settings, client, django_capture_on_commit_callbacks
):
    message = failed(settings)
    client.force_login(world["ministry"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry_url(message)).status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.parametrize(
    "status",
    [MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.RETRYING, MessageStatus.SENT],
)
def test_only_a_failed_message_can_be_sent_again(
    status, world, settings, client, django_capture_on_commit_callbacks
):
    message = failed(settings, world["a"])
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(status=status, sent_at=message.created_at)
    client.force_login(world["admin_a"])
    page = client.get(reverse("notifications:detail", args=[message.uid])).content.decode()
    assert retry_url(message) not in page, "no button where it does not apply"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(retry_url(message), follow=True)
    text = response.content.decode()
    assert "Only a failed message can be sent again" in text
    assert "queued to be sent again" not in text
    assert not callbacks and not gateways.whatsapp_outbox
    message.refresh_from_db()
    assert message.status == status and message.attempt_limit == ATTEMPTS
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="zaireen.notifications.message.retried")
    with pytest.raises(ValidationFailed) as refused:
        services.message_retry(actor=world["admin_a"], uid=message.uid)
    assert list(refused.value.errors) == ["status"]


def test_another_organisers_admin_gets_not_found(world, settings, client):
    message = failed(settings, world["a"])
    with pytest.raises(NotFound):
        services.message_retry(actor=world["admin_b"], uid=message.uid)
    client.force_login(world["admin_b"])
    assert client.post(retry_url(message)).status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    # The same request by the message's own organiser admin goes through.
    client.force_login(world["admin_a"])
    assert client.post(retry_url(message)).status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRYING


@pytest.mark.parametrize("who", ["staff_a", "staff_b"])
def test_organiser_staff_who_may_not_read_the_log_are_refused(who, world, settings, client):
    message = failed(settings, world["a"])
    with pytest.raises(NotAllowed):
        services.message_retry(actor=world[who], uid=message.uid)
    client.force_login(world[who])
    assert client.post(retry_url(message)).status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_the_retry_url_takes_post_only(world, settings, client):
    message = failed(settings, world["a"])
    client.force_login(world["admin_a"])
    assert client.get(retry_url(message)).status_code == 405
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_the_api_sends_a_failed_message_again_and_refuses_by_field(
    world, settings, client, django_capture_on_commit_callbacks
):
    message = failed(settings, world["a"])
    url = reverse("api-1.0.0:notifications_message_retry", args=[message.uid])
    client.force_login(world["admin_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "retrying" and body["attempt_limit"] == 2 * ATTEMPTS
    assert body["attempts"] == ATTEMPTS
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT  # the task ran after the commit
    again = client.post(url)  # a phone that re-sends: the message has not failed any more
    assert again.status_code == 422
    assert list(again.json()["errors"]) == ["status"]
    detail = client.get(reverse("api-1.0.0:notifications_message", args=[message.uid])).json()
    assert detail["attempt_limit"] == 2 * ATTEMPTS and detail["claimed_at"]
    client.force_login(world["admin_b"])
    assert client.post(url).status_code == 404
