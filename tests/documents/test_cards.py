"""A card's QR and code: who learns what, revocation, the typed code, rate limits."""

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django_scopes import scopes_disabled

from tests import factories
from tests.documents.conftest import URDU_NAMES, build_trip
from zaireen.core.models import AccessReason, PersonalDataAccess
from zaireen.core.roles import Role
from zaireen.documents.cards import card_signed, card_url
from zaireen.trips import logistics
from zaireen.trips.models import PilgrimCard

pytestmark = pytest.mark.django_db


def _card(demo, n: int = 1) -> PilgrimCard:
    """The valid card of the demo's n-th member (1: Fatima Zahra Naqvi, blood group O−)."""
    with scopes_disabled():
        return PilgrimCard.objects.select_related("member__profile").get(
            member__profile=demo.profiles[n], revoked_at=None
        )


def _resolve(client, signed: str, **query):
    return client.get(reverse("documents:card_resolve", kwargs={"signed": signed}), query)


def _visible(response) -> str:
    """The page without the CSRF token (new on every response) and the echoes of its own URL
    (the language switch and the login link point back to it)."""
    html = response.content.decode()
    path = response.wsgi_request.path
    html = html.replace(path, "PATH").replace(quote(path, safe="/"), "PATH")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"', "", html)


def _personal(card: PilgrimCard) -> list[str]:
    p = card.member.profile
    return [p.surname, p.given_names, p.name_urdu, "O-", "+92 300 1234567", "wheelchair",
            p.passport_number, p.cnic[:5], "Kin"]  # fmt: skip


@pytest.fixture
def leader_user(demo):
    """A group leader's login bound to the person who leads the demo trip."""
    user = factories.user("leader", Role.GROUP_LEADER, demo.trip.organiser, phone="+923001112233")
    user.person_id = demo.profiles[0].person_id
    user.save()
    return user


def test_the_qr_holds_a_signed_random_token_and_nothing_else(demo):
    card = _card(demo)
    url = card_url(card)
    assert url == f"{settings.ZAIREEN_BASE_URL}/c/{card_signed(card)}/"
    token, signature = card_signed(card).split(":")
    assert token == card.token and re.fullmatch(r"[0-9a-f]{32}", token)
    assert signing.Signer(salt="zaireen.card").unsign(f"{token}:{signature}") == token
    for value in [*_personal(card), card.member.trip.code, str(card.member.uid)]:
        assert value.lower() not in url.lower()


def test_a_stranger_learns_the_organiser_and_its_hotline_only(client, demo):
    card = _card(demo)
    strangers = [
        None,  # anonymous: a passer-by with a phone camera
        factories.user("pilgrim-x", Role.PILGRIM),
        factories.user("planner", Role.CROWD_PLANNER),
        factories.user("b-admin", Role.ORGANISER_ADMIN, factories.organiser("ZGO-DOC-9")),
    ]
    for user in strangers:
        client.logout()
        if user:
            client.force_login(user)
        response = _resolve(client, card_signed(card))
        assert response.status_code == 200
        page = _visible(response)
        assert "registered pilgrim of Karwan-e-Zainab Tours" in page
        assert "+92 42 35761234" in page
        for value in _personal(card):
            assert value not in page, (user, value)
    assert not PersonalDataAccess.objects.exists()


def test_the_trips_leader_and_the_organisers_staff_see_the_emergency_page(
    client, demo, org_staff, leader_user
):
    card = _card(demo)
    for user in (leader_user, org_staff):
        client.force_login(user)
        page = _resolve(client, card_signed(card)).content.decode()
        assert "Emergency details" in page
        assert "FATIMA ZAHRA NAQVI" in page and URDU_NAMES[1] in page
        assert "O-" in page and "Needs a wheelchair." in page
        assert "Kin (son)" in page and "+92 300 1234567" in page
        assert "+92 300 1112233" in page  # the leader's phone
        assert card.member.trip.code in page
        assert card.member.profile.passport_number not in page  # no identifier needed here
    assert not PersonalDataAccess.objects.exists(), "the organiser's own people are not logged"


def test_a_leader_of_another_trip_is_a_stranger_here(client, demo, org_staff):
    other = build_trip(org_staff, count=2, first=50)
    user = factories.user("leader-2", Role.GROUP_LEADER, demo.trip.organiser)
    user.person_id = other.profiles[0].person_id
    user.save()
    client.force_login(user)
    page = _resolve(client, card_signed(_card(demo))).content.decode()
    assert "Emergency details" not in page and "FATIMA" not in page


@pytest.mark.parametrize("role", [Role.CONSULAR_OFFICER, Role.MINISTRY_OFFICER])
def test_an_official_gives_a_reason_and_the_read_is_logged(client, demo, role):
    card = _card(demo)
    official = factories.user("official", role)
    client.force_login(official)
    asked = _resolve(client, card_signed(card))
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'name="reason"' in page and "FATIMA" not in page
    assert "registered pilgrim of Karwan-e-Zainab Tours" in page
    assert not PersonalDataAccess.objects.exists()

    bad = _resolve(client, card_signed(card), reason="curiosity").content.decode()
    assert "FATIMA" not in bad and not PersonalDataAccess.objects.exists()

    shown = _resolve(client, card_signed(card), reason=AccessReason.EMERGENCY).content.decode()
    assert "Emergency details" in shown and "FATIMA ZAHRA NAQVI" in shown
    entry = PersonalDataAccess.objects.get()
    assert entry.actor == official and entry.reason == AccessReason.EMERGENCY
    assert entry.organiser == demo.trip.organiser
    assert card.code not in entry.query and entry.query.endswith(card.code[-2:])


def test_revoked_unknown_and_forged_cards_get_one_and_the_same_answer(client, demo, org_staff):
    card = _card(demo)
    old_signed = card_signed(card)
    assert _resolve(client, old_signed).status_code == 200
    logistics.card_revoke(actor=org_staff, code=card.code, reason="Lost in Karbala")
    forged_token = "0" * 32
    answers = {
        "revoked": _resolve(client, old_signed),
        "unknown": _resolve(client, signing.Signer(salt="zaireen.card").sign(forged_token)),
        "bad signature": _resolve(client, f"{card.token}:{'A' * 43}"),
        "unsigned": _resolve(client, card.token),
        "other salt": _resolve(client, signing.Signer(salt="other").sign(card.token)),
    }
    bodies = {name: _visible(r) for name, r in answers.items()}
    assert {r.status_code for r in answers.values()} == {404}
    assert len(set(bodies.values())) == 1, "the answers must not tell the cases apart"
    assert "This is not a valid pilgrim card." in bodies["revoked"]
    assert "Karwan-e-Zainab" not in bodies["revoked"]
    # Even the organiser's own staff get nothing from a revoked card.
    client.force_login(org_staff)
    assert _resolve(client, old_signed).status_code == 404


def test_a_reissued_card_works_and_the_old_one_does_not(client, demo, org_staff):
    card = _card(demo)
    client.force_login(org_staff)
    documents = reverse("documents:trip", kwargs={"uid": demo.trip.uid})
    response = client.post(
        reverse("documents:card_revoke", kwargs={"uid": demo.trip.uid}),
        {"code": card.code.lower(), "reason": "Lost at the shrine"},
    )
    assert response.status_code == 302 and response["Location"] == documents
    client.post(reverse("documents:cards_issue", kwargs={"uid": demo.trip.uid}))
    new = _card(demo)
    assert new.pk != card.pk and new.token != card.token and new.code != card.code
    client.logout()
    assert _resolve(client, card_signed(card)).status_code == 404
    assert _resolve(client, card_signed(new)).status_code == 200


def test_revoking_needs_a_reason_and_a_real_code(client, demo, org_staff):
    card = _card(demo)
    client.force_login(org_staff)
    url = reverse("documents:card_revoke", kwargs={"uid": demo.trip.uid})
    page = client.post(url, {"code": card.code, "reason": ""}, follow=True).content.decode()
    assert "say why the card is revoked" in page
    page = client.post(url, {"code": "ZZZZ2222", "reason": "Lost"}, follow=True).content.decode()
    assert "No valid card with this code." in page
    assert _card(demo).pk == card.pk


def test_the_card_code_leads_to_the_same_page_as_the_qr(client, demo):
    card = _card(demo)
    url = reverse("documents:card_code")
    assert client.get(url).status_code == 200
    typed = f"{card.code[:4].lower()}-{card.code[4:]}"  # as a person might type it
    response = client.post(url, {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "documents:card_resolve", kwargs={"signed": card_signed(card)}
    )


def test_an_unknown_or_revoked_code_is_not_valid(client, demo, org_staff):
    card = _card(demo)
    logistics.card_revoke(actor=org_staff, code=card.code, reason="Lost")
    url = reverse("documents:card_code")
    for code in (card.code, "ZZZZ2222", "0O1I"):
        response = client.post(url, {"code": code})
        assert response.status_code == 404
        assert "This is not a valid pilgrim card." in response.content.decode()


def test_guessing_codes_is_rate_limited(client, demo):
    url = reverse("documents:card_code")
    statuses = [client.post(url, {"code": f"ZZZZ{n:04d}"}).status_code for n in range(11)]
    assert statuses[:10] == [404] * 10
    assert statuses[10] == 429
    assert client.post(url, {"code": _card(demo).code}).status_code == 429


def test_scanning_is_rate_limited_too(client, demo):
    signed = card_signed(_card(demo))
    statuses = [_resolve(client, signed).status_code for _ in range(61)]
    assert set(statuses[:60]) == {200} and statuses[60] == 429
