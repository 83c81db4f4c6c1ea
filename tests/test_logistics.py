"""A trip on the ground: legs, seats, rooms, passport custody, cards."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from tests import factories
from tests.test_trips import person, ready_trip
from zaireen.accounts.services import account_bind_cnic
from zaireen.core.errors import NotFound, ValidationFailed
from zaireen.core.roles import Role
from zaireen.trips import logistics, services
from zaireen.trips.models import Holder, Member, PilgrimCard, SeatAssignment, TripStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(places):
    return factories.user("staff-a", Role.ORGANISER_STAFF, factories.organiser("ZGO-A"))


@pytest.fixture
def trip(staff):
    trip, _ = ready_trip(staff, [person(i) for i in range(1, 8)])
    return trip


def road_leg(staff, trip):
    return logistics.leg_add(
        actor=staff,
        trip_uid=trip.uid,
        kind="road",
        from_city="najaf",
        to_city="karbala",
        date=trip.departure_date,
    )


def test_vehicles_seat_everyone_once_and_say_when_seats_are_short(staff, trip):
    leg = road_leg(staff, trip)
    logistics.vehicle_add(
        actor=staff,
        trip_uid=trip.uid,
        leg_uid=leg.uid,
        kind="van",
        plate="nj 1234",
        driver_name="Kadhim",
        driver_phone="0770 123 4567",
        seats=4,
    )
    with pytest.raises(ValidationFailed, match="7 members, 4 free seats"):
        logistics.seats_assign(actor=staff, trip_uid=trip.uid, leg_uid=leg.uid)
    logistics.vehicle_add(
        actor=staff,
        trip_uid=trip.uid,
        leg_uid=leg.uid,
        kind="coaster",
        plate="KR 77",
        driver_name="Abbas",
        driver_phone="+9647701112233",
        seats=20,
    )
    assert logistics.seats_assign(actor=staff, trip_uid=trip.uid, leg_uid=leg.uid) == 7
    assert logistics.seats_assign(actor=staff, trip_uid=trip.uid, leg_uid=leg.uid) == 0
    first = SeatAssignment.objects.filter(leg=leg).select_related("member").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatAssignment.objects.create(vehicle=first.vehicle, leg=leg, member=first.member, seat=19)


def test_bad_vehicle_input_names_the_fields(staff, trip):
    leg = road_leg(staff, trip)
    with pytest.raises(ValidationFailed) as caught:
        logistics.vehicle_add(
            actor=staff,
            trip_uid=trip.uid,
            leg_uid=leg.uid,
            kind="plane",
            plate="",
            driver_name="",
            driver_phone="12",
            seats=0,
        )
    assert set(caught.value.errors) == {"kind", "plate", "driver_name", "driver_phone", "seats"}


def test_rooms_cover_every_member_and_the_nights_follow_the_stays(staff, trip):
    stays = logistics.hotel_nights(trip)
    assert [(s[1] - trip.departure_date).days for s in stays] == [0, 4]
    hotel = stays[0][0]
    assert logistics.rooms_assign(actor=staff, trip_uid=trip.uid, hotel_id=hotel.pk, beds=3) == 7
    assert hotel.rooms.count() == 3


def test_custody_of_every_passport_is_known_and_lost_ones_block_departure(staff, trip):
    services.trip_submit(actor=staff, uid=trip.uid)
    services.trip_decide(actor=factories.ministry(), uid=trip.uid, approve=True)
    with scopes_disabled():
        members = list(Member.objects.filter(trip=trip).select_related("profile"))
    assert set(logistics.current_holders(members).values()) == {None}
    logistics.passports_hand_over(
        actor=staff, trip_uid=trip.uid, member_uids=None, to=Holder.ORGANISER, place="Lahore office"
    )
    logistics.passports_hand_over(
        actor=staff,
        trip_uid=trip.uid,
        member_uids=None,
        to=Holder.AIRLINE,
        holder_name="PIA check-in",
        place="LHE",
    )
    holders = logistics.current_holders(members)
    assert {h.to_holder for h in holders.values()} == {Holder.AIRLINE}
    assert {h.from_holder for h in holders.values()} == {Holder.ORGANISER}
    lost = members[2]
    logistics.passports_hand_over(
        actor=staff,
        trip_uid=trip.uid,
        member_uids=[lost.uid],
        to=Holder.LOST,
        place="Najaf airport",
    )
    with pytest.raises(ValidationFailed, match=lost.profile.full_name):
        services.trip_advance(
            actor=staff, uid=trip.uid, to=TripStatus.DEPARTED, today=trip.departure_date
        )
    logistics.passports_hand_over(
        actor=staff,
        trip_uid=trip.uid,
        member_uids=[lost.uid],
        to=Holder.EMBASSY,
        holder_name="Embassy Baghdad (emergency passport)",
        place="Baghdad",
    )
    services.trip_advance(
        actor=staff, uid=trip.uid, to=TripStatus.DEPARTED, today=trip.departure_date
    )


def test_a_pilgrim_sees_the_holder_and_confirms_receipt(staff, trip, client):
    user = factories.user("kulsoom", Role.PILGRIM, phone="+923331234568")
    account_bind_cnic(actor=user, cnic=person(3).cnic)
    with scopes_disabled():
        member = Member.objects.get(
            trip=trip, person_id=user.__class__.objects.get(pk=user.pk).person_id
        )
    logistics.passports_hand_over(
        actor=staff,
        trip_uid=trip.uid,
        member_uids=[member.uid],
        to=Holder.HOTEL,
        holder_name="Qasr al-Dur reception",
        place="Najaf",
    )
    client.force_login(user)
    assert "Qasr al-Dur reception" in client.get(reverse("trips:mine")).content.decode()
    logistics.passports_hand_over(
        actor=staff, trip_uid=trip.uid, member_uids=[member.uid], to=Holder.PILGRIM, place="Najaf"
    )
    with scopes_disabled():
        handover = member.handovers.latest("at")
    assert client.post(reverse("trips:passport_confirm", args=[handover.uid])).status_code == 302
    with scopes_disabled():
        handover.refresh_from_db()
    assert handover.confirmed_at is not None
    other = factories.user("other", Role.PILGRIM, phone="+923331234569")
    with pytest.raises(NotFound):
        logistics.passport_receipt_confirm(actor=other, handover_uid=handover.uid)


def test_cards_are_issued_once_and_revoked_by_code(staff, trip):
    assert logistics.cards_issue(actor=staff, trip_uid=trip.uid) == 7
    assert logistics.cards_issue(actor=staff, trip_uid=trip.uid) == 0
    with scopes_disabled():
        card = PilgrimCard.objects.filter(member__trip=trip).first()
    assert len(card.code) == 8 and set(card.code) <= set(logistics.CODE_ALPHABET)
    with pytest.raises(ValidationFailed):
        logistics.card_revoke(actor=staff, code=card.code, reason="")
    logistics.card_revoke(actor=staff, code=card.code.lower(), reason="Lost in the crowd")
    assert logistics.cards_issue(actor=staff, trip_uid=trip.uid) == 1  # re-issued
    other = factories.user("b", Role.ORGANISER_STAFF, factories.organiser("ZGO-B"))
    with pytest.raises(NotFound):
        logistics.card_revoke(actor=other, code=card.code, reason="x")


def test_the_logistics_page_lists_legs_rooms_and_holders(
    staff, trip, client, django_assert_max_num_queries
):
    leg = road_leg(staff, trip)
    logistics.vehicle_add(
        actor=staff,
        trip_uid=trip.uid,
        leg_uid=leg.uid,
        kind="bus",
        plate="KB 1",
        driver_name="Haider",
        driver_phone="07701234567",
        seats=49,
    )
    logistics.seats_assign(actor=staff, trip_uid=trip.uid, leg_uid=leg.uid)
    client.force_login(staff)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("trips:logistics", args=[trip.uid])).content.decode()
    assert "KB 1" in page and "Najaf" in page and "Qasr al-Dur" in page
    assert page.count("The pilgrim") >= 7


def test_a_leg_outside_the_trip_is_refused(staff, trip):
    with pytest.raises(ValidationFailed, match="within"):
        logistics.leg_add(
            actor=staff,
            trip_uid=trip.uid,
            kind="road",
            from_city="najaf",
            to_city="karbala",
            date=trip.return_date + datetime.timedelta(days=1),
        )


def test_men_and_women_never_share_a_room(places):
    staff = factories.user("staff-r", Role.ORGANISER_STAFF, factories.organiser("ZGO-R"))
    people = [
        person(
            i,
            sex="F" if i % 3 == 0 else "M",
            cnic=f"35202{i:07d}{(i % 4) * 2 + (0 if i % 3 == 0 else 1)}",
        )
        for i in range(1, 10)
    ]
    trip, _ = ready_trip(staff, people)
    hotel = logistics.hotel_nights(trip)[0][0]
    logistics.rooms_assign(actor=staff, trip_uid=trip.uid, hotel_id=hotel.pk, beds=4)
    for room in hotel.rooms.prefetch_related("occupants__member__profile"):
        assert len({o.member.profile.sex for o in room.occupants.all()}) == 1
