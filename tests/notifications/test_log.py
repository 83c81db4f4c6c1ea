"""The delivery log: scoped per organiser, filtered, searched, paginated, the same in the API."""

import pytest
from django.urls import reverse

from tests import factories
from zaireen.core.roles import Role
from zaireen.notifications.services import Recipient, notify


@pytest.fixture
def log(places):
    a, b = factories.organiser("ZGO-A"), factories.organiser("ZGO-B")
    for n in range(3):
        notify(
            topic="notifications.test",
            recipients=[Recipient(f"Sana {n}", "sms", f"+92300123456{n}")],
            context={},
            organiser=a,
        )
    notify(topic="notifications.test", recipients=[Recipient("Bilal", "email", "b@b.org")],
           context={}, organiser=b)  # fmt: skip
    notify(topic="notifications.test", recipients=[Recipient("Consul", "email", "c@c.org")],
           context={})  # fmt: skip
    return {
        "admin_a": factories.user("admin-a", Role.ORGANISER_ADMIN, a),
        "ministry": factories.ministry(),
    }


def test_an_organiser_admin_sees_only_their_organisers_messages(log, client):
    client.force_login(log["admin_a"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count("Sana ") == 3
    assert "Bilal" not in page and "Consul" not in page
    api = client.get("/api/v1/notifications/messages").json()
    assert api["count"] == 3


def test_the_ministry_sees_every_message_and_filters_them(log, client):
    client.force_login(log["ministry"])
    assert client.get("/api/v1/notifications/messages").json()["count"] == 5
    assert client.get("/api/v1/notifications/messages?channel=email").json()["count"] == 2
    assert client.get("/api/v1/notifications/messages?q=bilal").json()["count"] == 1
    assert client.get("/api/v1/notifications/messages?status=sent").json()["count"] == 0
    page = client.get(reverse("notifications:list"), {"channel": "email", "q": "consul"})
    text = page.content.decode()
    assert "Consul" in text and "Bilal" not in text and "Sana" not in text


def test_the_list_answers_in_a_fixed_number_of_queries(log, client, django_assert_max_num_queries):
    client.force_login(log["ministry"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_a_message_page_shows_its_attempts(log, client):
    from django_scopes import scopes_disabled

    from zaireen.notifications.models import Message
    from zaireen.notifications.services import message_attempt

    with scopes_disabled():
        message = Message.objects.filter(recipient_name="Sana 0").get()
    message_attempt(message_id=message.pk)
    client.force_login(log["admin_a"])
    page = client.get(reverse("notifications:detail", args=[message.uid])).content.decode()
    assert "accepted by the locmem SMS backend" in page
    detail = client.get(f"/api/v1/notifications/messages/{message.uid}").json()
    assert detail["status"] == "sent"
    assert detail["deliveries"][0]["outcome"] == "sent"
