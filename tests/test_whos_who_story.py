"""The who's-who issue end to end, through the pages, as the people would do it."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories
from zaireen.accounts.models import User
from zaireen.core import sms
from zaireen.core.errors import NotAllowed
from zaireen.organizers.models import Organiser
from zaireen.organizers.services import organiser_assert_may_submit

pytestmark = pytest.mark.django_db


def _decide(client, organiser, to, reason, **dates):
    response = client.post(
        reverse("organizers:status", args=[organiser.uid]),
        {"to_status": to, "reason": reason, "confirm": "on", **dates},
    )
    assert response.status_code == 302, response.content.decode()[:500]


def _invitation_path(text: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", text).group(1)


def test_from_application_to_suspension(client, places, django_capture_on_commit_callbacks):
    sms.outbox.clear()
    officer = factories.ministry()
    client.force_login(officer)
    # The ministry registers, vets and licenses an organiser.
    client.post(
        reverse("organizers:create"),
        {
            "legal_name": "Hussaini Ziyarat",
            "licence_number": "ZGO-2026-0200",
            "head_office_city": "multan",
            "phone": "061 4512345",
            "email": "h@example.org",
        },
    )
    organiser = Organiser.objects.get(licence_number="ZGO-2026-0200")
    today = timezone.localdate()
    _decide(client, organiser, "vetted", "SECP, tax and police certificates checked")
    until = today + datetime.timedelta(days=365)
    _decide(client, organiser, "licensed", "Vetting complete",
            valid_from=today.isoformat(), valid_until=until.isoformat())  # fmt: skip
    # ... and invites its admin, who chooses a password.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organizers:invite_admin", args=[organiser.uid]), {
            "role": "organiser_admin", "first_name": "Abbas", "username": "abbas",
            "email": "abbas@example.org"})  # fmt: skip
    client.logout()
    path = _invitation_path(mail.outbox[-1].body)
    client.post(path, {"password": "karbala-walk-2026", "password_again": "karbala-walk-2026"})
    admin = User.objects.get(username="abbas")
    assert client.get(reverse("organizers:home")).status_code == 200
    # The admin invites staff and adds a group leader.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organizers:staff"), {
            "role": "organiser_staff", "first_name": "Sakina", "username": "sakina",
            "email": "sakina@example.org"})  # fmt: skip
    client.post(reverse("organizers:staff"), {
        "role": "group_leader", "first_name": "Mehdi", "phone": "0321 7654321"})  # fmt: skip
    assert set(organiser.users.values_list("username", flat=True)) >= {"abbas", "sakina"}
    client.logout()
    # The leader signs in with a code from the SMS backend.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:phone_login"), {"phone": "03217654321"})
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    assert client.post(reverse("accounts:phone_verify"),
                       {"phone": "+923217654321", "code": code}).status_code == 302  # fmt: skip
    assert client.get(reverse("organizers:home")).context["user"].role == "group_leader"
    client.logout()
    # A stranger checks the licence without logging in.
    check = client.get(reverse("organizers:licence_check"), {"q": "ZGO-2026-0200"}).content.decode()
    assert "Hussaini Ziyarat" in check and "May take pilgrims today." in check
    # The ministry suspends it; the organiser can submit nothing new and sees why.
    client.force_login(officer)
    _decide(client, organiser, "suspended", "Guarantee not renewed")
    organiser.refresh_from_db()
    with pytest.raises(NotAllowed, match="Guarantee not renewed"):
        organiser_assert_may_submit(organiser=organiser, until=today)
    client.force_login(admin)
    assert "Guarantee not renewed" in client.get(reverse("organizers:home")).content.decode()
    # The audit trail shows every change above.
    client.force_login(officer)
    trail = client.get(reverse("core:audit"), {"organiser": str(organiser.uid)}).content.decode()
    for action in (
        "zaireen.organiser.registered",
        "zaireen.organiser.status.changed",
        "zaireen.organiser.staff.invited",
        "zaireen.account.invitation.accepted",
        "zaireen.account.login.phone",
    ):
        assert action in trail, action
    assert trail.count("zaireen.organiser.status.changed") == 3
