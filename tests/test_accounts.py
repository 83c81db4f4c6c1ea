"""Sign-in by phone code, invitations, staff management and API tokens."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories
from zaireen.accounts import services
from zaireen.accounts.models import ApiToken, OneTimeCode, User
from zaireen.core import sms
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.models import AuditEntry
from zaireen.core.ratelimit import RateLimited
from zaireen.core.roles import Role

pytestmark = pytest.mark.django_db

LEADER_PHONE = "+923001234567"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()


@pytest.fixture
def organiser(places):
    return factories.organiser("ZGO-A")


@pytest.fixture
def leader(organiser):
    return factories.user("leader", Role.GROUP_LEADER, organiser, phone=LEADER_PHONE)


def _request_code(django_capture_on_commit_callbacks, phone="0300 1234567", client="10.0.0.1"):
    with django_capture_on_commit_callbacks(execute=True):
        number = services.otp_request(phone=phone, client=client)
    return number, (re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1) if sms.outbox else None)


def test_a_leader_signs_in_with_the_code_sent_by_sms(leader, django_capture_on_commit_callbacks):
    number, code = _request_code(django_capture_on_commit_callbacks)
    assert number == LEADER_PHONE
    assert sms.outbox[-1].to == LEADER_PHONE
    assert services.otp_verify(phone=LEADER_PHONE, code=code, client="10.0.0.1") == leader
    stored = OneTimeCode.objects.get()
    assert code not in stored.digest
    assert stored.used_at is not None


def test_a_code_works_once(leader, django_capture_on_commit_callbacks):
    _number, code = _request_code(django_capture_on_commit_callbacks)
    services.otp_verify(phone=LEADER_PHONE, code=code, client="x")
    with pytest.raises(ValidationFailed) as caught:
        services.otp_verify(phone=LEADER_PHONE, code=code, client="x")
    assert "code" in caught.value.errors


def test_a_code_expires(leader, django_capture_on_commit_callbacks):
    _number, code = _request_code(django_capture_on_commit_callbacks)
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationFailed):
        services.otp_verify(phone=LEADER_PHONE, code=code, client="x")


def test_wrong_guesses_burn_the_code(leader, django_capture_on_commit_callbacks, settings):
    _number, code = _request_code(django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(settings.ZAIREEN_OTP_MAX_ATTEMPTS):
        with pytest.raises(ValidationFailed):
            services.otp_verify(phone=LEADER_PHONE, code=wrong, client="x")
    assert OneTimeCode.objects.get().attempts == settings.ZAIREEN_OTP_MAX_ATTEMPTS
    with pytest.raises(ValidationFailed):
        services.otp_verify(phone=LEADER_PHONE, code=code, client="x")


def test_a_new_code_replaces_the_old_one(leader, django_capture_on_commit_callbacks):
    _n, first = _request_code(django_capture_on_commit_callbacks)
    _n, second = _request_code(django_capture_on_commit_callbacks)
    if first != second:
        with pytest.raises(ValidationFailed):
            services.otp_verify(phone=LEADER_PHONE, code=first, client="x")
    assert services.otp_verify(phone=LEADER_PHONE, code=second, client="x") == leader


def test_an_unknown_number_gets_the_same_answer_and_no_sms(
    places, django_capture_on_commit_callbacks
):
    number, code = _request_code(django_capture_on_commit_callbacks, phone="0301 7654321")
    assert number == "+923017654321"
    assert code is None
    assert not sms.outbox


def test_password_roles_cannot_use_phone_codes(organiser, django_capture_on_commit_callbacks):
    factories.user("staff", Role.ORGANISER_STAFF, organiser, phone=LEADER_PHONE)
    _number, code = _request_code(django_capture_on_commit_callbacks)
    assert code is None


def test_codes_per_number_are_limited(leader, django_capture_on_commit_callbacks):
    for _ in range(services.CODES_PER_PHONE):
        _request_code(django_capture_on_commit_callbacks)
    with pytest.raises(RateLimited):
        _request_code(django_capture_on_commit_callbacks)


@pytest.mark.parametrize("phone", ["", "12", "not a phone", "+99 999", "0" * 40])
def test_a_bad_number_is_named(places, phone):
    with pytest.raises(ValidationFailed) as caught:
        services.otp_request(phone=phone, client="x")
    assert "phone" in caught.value.errors


def test_the_phone_pages_sign_a_leader_in(client, leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("accounts:phone_login"), {"phone": "0300-1234567"})
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    wrong = client.post(
        reverse("accounts:phone_verify"),
        {"phone": LEADER_PHONE, "code": "000000" if code != "000000" else "111111"},
    )
    assert wrong.status_code == 422
    done = client.post(reverse("accounts:phone_verify"), {"phone": LEADER_PHONE, "code": code})
    assert done.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == leader


def test_an_admin_invites_staff_who_choose_a_password(
    client, organiser, django_capture_on_commit_callbacks
):
    admin = factories.user("admin", Role.ORGANISER_ADMIN, organiser)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("organizers:staff"), {
            "role": "organiser_staff", "first_name": "Zainab", "last_name": "Jafri",
            "username": "zainab", "email": "zainab@example.org"})  # fmt: skip
    assert page.status_code == 200
    invited = User.objects.get(username="zainab")
    assert invited.organiser == organiser
    assert not invited.has_usable_password()
    link = re.search(r"http://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    assert link in page.content.decode()
    client.logout()
    path = link.split("8000", 1)[1]
    weak = client.post(path, {"password": "123", "password_again": "123"})
    assert weak.status_code == 200 and "invalid-feedback" in weak.content.decode()
    done = client.post(
        path, {"password": "pilgrims-home-safe", "password_again": "pilgrims-home-safe"}
    )
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password("pilgrims-home-safe")
    client.logout()
    assert client.get(path).status_code == 404, "an invitation link works once"


def test_an_admin_adds_a_leader_by_phone(organiser):
    admin = factories.user("admin", Role.ORGANISER_ADMIN, organiser)
    invitation = services.staff_invite(
        actor=admin,
        organiser=organiser,
        role=Role.GROUP_LEADER,
        first_name="Hasan",
        last_name="Abidi",
        phone="0300 1234567",
    )
    assert invitation.url == ""
    assert invitation.user.phone == LEADER_PHONE
    with pytest.raises(ValidationFailed) as caught:
        services.staff_invite(actor=admin, organiser=organiser, role=Role.GROUP_LEADER,
                              first_name="Again", last_name="", phone=LEADER_PHONE)  # fmt: skip
    assert "phone" in caught.value.errors


def test_staff_may_not_invite_and_admins_only_to_their_own_organiser(organiser):
    other = factories.organiser("ZGO-B")
    staff = factories.user("staff", Role.ORGANISER_STAFF, organiser)
    admin = factories.user("admin", Role.ORGANISER_ADMIN, organiser)
    fields = {"role": Role.ORGANISER_STAFF, "first_name": "X", "last_name": "", "username": "x",
              "email": "x@example.org"}  # fmt: skip
    with pytest.raises(NotAllowed):
        services.staff_invite(actor=staff, organiser=organiser, **fields)
    with pytest.raises(NotAllowed):
        services.staff_invite(actor=admin, organiser=other, **fields)


def test_the_ministry_invites_only_an_organisers_admin(organiser):
    officer = factories.ministry()
    fields = {"first_name": "A", "last_name": "", "username": "a", "email": "a@example.org"}
    with pytest.raises(NotAllowed):
        services.staff_invite(
            actor=officer, organiser=organiser, role=Role.ORGANISER_STAFF, **fields
        )
    invitation = services.staff_invite(
        actor=officer, organiser=organiser, role=Role.ORGANISER_ADMIN, **fields
    )
    assert invitation.user.role == Role.ORGANISER_ADMIN


def test_removing_staff_deactivates_them_and_revokes_their_tokens(organiser):
    admin = factories.user("admin", Role.ORGANISER_ADMIN, organiser)
    clerk = factories.user("clerk", Role.ORGANISER_STAFF, organiser)
    token, _clear = services.api_token_create(actor=clerk, name="script")
    services.staff_remove(actor=admin, user_id=clerk.pk)
    clerk.refresh_from_db()
    token.refresh_from_db()
    assert not clerk.is_active
    assert token.revoked_at is not None
    with pytest.raises(ValidationFailed):
        services.staff_remove(actor=admin, user_id=admin.pk)
    stranger = factories.user("stranger", Role.ORGANISER_STAFF, factories.organiser("ZGO-B"))
    with pytest.raises(NotFound):
        services.staff_remove(actor=admin, user_id=stranger.pk)


def test_an_api_token_is_shown_once_stored_as_a_digest_and_revocable(client, organiser):
    admin = factories.user("admin", Role.ORGANISER_ADMIN, organiser)
    client.force_login(admin)
    page = client.post(reverse("accounts:token_create"), {"name": "leader app"}).content.decode()
    token = re.search(r"(zrn_[A-Za-z0-9_-]+)", page).group(1)
    record = ApiToken.objects.get()
    assert record.digest == services.token_digest(token)
    assert token not in str(ApiToken.objects.values_list())
    assert token not in client.get(reverse("accounts:profile")).content.decode()
    client.logout()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["role"] == "organiser_admin"
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer zrn_wrong").status_code == 401
    services.api_token_revoke(actor=admin, token_id=record.pk)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_a_token_acts_with_its_users_role_only(client, organiser):
    staff = factories.user("staff", Role.ORGANISER_STAFF, organiser)
    _record, token = services.api_token_create(actor=staff, name="x")
    response = client.get("/api/v1/organisers", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    own = client.get(f"/api/v1/organisers/{organiser.uid}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert own.status_code == 200


def test_a_token_needs_a_name(organiser):
    admin = factories.user("admin", Role.ORGANISER_ADMIN, organiser)
    for name in ("", " ", "x" * 81):
        with pytest.raises(ValidationFailed):
            services.api_token_create(actor=admin, name=name)


def test_the_audit_trail_keeps_phone_numbers_masked(organiser):
    admin = factories.user("admin", Role.ORGANISER_ADMIN, organiser)
    services.staff_invite(actor=admin, organiser=organiser, role=Role.GROUP_LEADER,
                          first_name="Hasan", last_name="", phone=LEADER_PHONE)  # fmt: skip
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="zaireen.organiser.staff.invited")
    assert LEADER_PHONE not in str(entry.changes)
    assert entry.changes["phone"][1].endswith("67")
