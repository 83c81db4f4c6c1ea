"""Trips: building, the rules of submission, one trip at a time per person, decisions."""

import datetime
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tests import factories
from zaireen.accounts.services import account_bind_cnic
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.roles import Role
from zaireen.organizers.models import LicenceStatus
from zaireen.pilgrims.services import pilgrim_register
from zaireen.pilgrims.validation import PilgrimInput
from zaireen.trips import selectors, services
from zaireen.trips.models import Member, TripStatus

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def person(n: int, **overrides) -> PilgrimInput:
    fields = {
        "surname": "JAFRI",
        "given_names": f"PILGRIM {chr(65 + n % 26)}",
        "cnic": f"35202{n:07d}{(n % 5) * 2 + 1}",
        "passport_number": f"AB{n:07d}",
        "passport_expiry": TODAY() + datetime.timedelta(days=1500),
        "birth_date": datetime.date(1960, 1, 1) + datetime.timedelta(days=n),
        "sex": "M",
        "next_of_kin_name": "Kin",
        "next_of_kin_phone": "0300 1234567",
    }
    return PilgrimInput(**{**fields, **overrides})


@pytest.fixture
def org_a(places):
    organiser = factories.organiser("ZGO-A")
    return factories.user("staff-a", Role.ORGANISER_STAFF, organiser)


@pytest.fixture
def org_b(places):
    organiser = factories.organiser("ZGO-B")
    return factories.user("staff-b", Role.ORGANISER_STAFF, organiser)


def ready_trip(actor, people, *, leaders=1, **trip):
    """A draft with `people` (PilgrimInput) as members, the first `leaders` of them leading."""
    t = services.trip_create(actor=actor, data=factories.trip_input(**trip))
    profiles = [pilgrim_register(actor=actor, data=p)[0] for p in people]
    if leaders:
        services.members_add(
            actor=actor,
            trip_uid=t.uid,
            profile_uids=[p.uid for p in profiles[:leaders]],
            role="leader",
        )
    services.members_add(
        actor=actor, trip_uid=t.uid, profile_uids=[p.uid for p in profiles[leaders:]]
    )
    return t, profiles


def errors_of(call) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.errors


def test_an_organiser_builds_a_trip_and_submits_it(org_a):
    trip, _ = ready_trip(org_a, [person(i) for i in range(5)])
    assert trip.code.startswith("OZ-") or trip.code
    services.trip_submit(actor=org_a, uid=trip.uid)
    trip.refresh_from_db()
    assert trip.status == TripStatus.SUBMITTED
    with scopes_disabled():
        assert set(Member.objects.filter(trip=trip).values_list("active", flat=True)) == {True}


def test_a_trip_needs_members_and_leaders(org_a):
    empty = services.trip_create(actor=org_a, data=factories.trip_input())
    assert "members" in errors_of(lambda: services.trip_submit(actor=org_a, uid=empty.uid))
    leaderless, _ = ready_trip(org_a, [person(i) for i in range(3)], leaders=0)
    errors = errors_of(lambda: services.trip_submit(actor=org_a, uid=leaderless.uid))
    assert "need at least 1 leader" in errors["members"][0]


def test_one_leader_per_fifty_pilgrims(org_a):
    trip, _ = ready_trip(org_a, [person(i) for i in range(53)], capacity=60)
    errors = errors_of(lambda: services.trip_submit(actor=org_a, uid=trip.uid))
    assert "52 pilgrims need at least 2 leader(s)" in errors["members"][0]


def test_a_passport_must_last_six_months_past_the_return(org_a):
    start = TODAY() + datetime.timedelta(days=30)
    short = person(9, passport_expiry=start + datetime.timedelta(days=100))
    trip, profiles = ready_trip(org_a, [person(1), short])
    errors = errors_of(lambda: services.trip_submit(actor=org_a, uid=trip.uid))
    with scopes_disabled():
        member = Member.objects.get(profile=profiles[1])
    assert "six months after the return" in errors[f"member:{member.uid}"][0]
    assert "PILGRIM J" in errors[f"member:{member.uid}"][0]


def test_every_member_needs_a_next_of_kin(org_a):
    trip, _ = ready_trip(org_a, [person(1), person(2, next_of_kin_phone="")])
    errors = errors_of(lambda: services.trip_submit(actor=org_a, uid=trip.uid))
    assert any("next of kin" in r for reasons in errors.values() for r in reasons)


def test_capacity_is_respected_when_adding(org_a):
    trip = services.trip_create(actor=org_a, data=factories.trip_input(capacity=2))
    profiles = [pilgrim_register(actor=org_a, data=person(i))[0] for i in range(3)]
    errors = errors_of(
        lambda: services.members_add(
            actor=org_a, trip_uid=trip.uid, profile_uids=[p.uid for p in profiles]
        )
    )
    assert "room for 2 more" in errors["members"][0]


def test_a_suspended_organiser_cannot_submit(org_a):
    trip, _ = ready_trip(org_a, [person(1), person(2)])
    organiser = org_a.organiser
    organiser.status, organiser.status_reason = LicenceStatus.SUSPENDED, "Unpaid guarantee"
    organiser.save()
    with pytest.raises(NotAllowed, match="Unpaid guarantee"):
        services.trip_submit(actor=org_a, uid=trip.uid)


def test_a_licence_ending_before_the_return_blocks_submission(org_a):
    organiser = org_a.organiser
    organiser.valid_until = TODAY() + datetime.timedelta(days=25)
    organiser.save()
    trip, _ = ready_trip(org_a, [person(1), person(2)])
    with pytest.raises(NotAllowed, match="ends on"):
        services.trip_submit(actor=org_a, uid=trip.uid)


def test_one_person_cannot_travel_with_two_organisers_at_once(org_a, org_b):
    first, _ = ready_trip(org_a, [person(1), person(2)])
    services.trip_submit(actor=org_a, uid=first.uid)
    second, _profiles = ready_trip(org_b, [person(3), person(2)])  # person 2 again, other organiser
    errors = errors_of(lambda: services.trip_submit(actor=org_b, uid=second.uid))
    message = next(iter(errors.values()))[0]
    assert "already travelling" in message and "with another organiser" in message
    assert first.code not in message, "the other organiser's trip is never named"
    second.refresh_from_db()
    assert second.status == TripStatus.DRAFT
    conflicts = list(selectors.booking_conflicts_for(actor=factories.ministry()))
    assert [(c.trip_id, c.other_trip_id, c.reason) for c in conflicts] == [
        (second.pk, first.pk, "overlap")
    ]
    with pytest.raises(NotAllowed):
        selectors.booking_conflicts_for(actor=org_b)


def test_drafts_reserve_nothing_and_non_overlapping_trips_are_fine(org_a, org_b):
    draft, _ = ready_trip(org_a, [person(1), person(2)])
    later = TODAY() + datetime.timedelta(days=60)
    other, _ = ready_trip(org_b, [person(3), person(2)])
    services.trip_submit(actor=org_b, uid=other.uid)  # the draft reserved nothing
    third, _ = ready_trip(
        org_a,
        [person(4), person(5)],
        title="Later",
        departure_date=later,
        return_date=later + datetime.timedelta(days=7),
        hotels=(),
    )
    services.trip_submit(actor=org_a, uid=third.uid)
    assert draft.status == TripStatus.DRAFT


def test_an_overstayer_is_stopped_until_an_officer_records_the_return(org_a, org_b):
    trip, profiles = ready_trip(org_a, [person(1), person(2)])
    services.trip_submit(actor=org_a, uid=trip.uid)
    officer = factories.ministry()
    services.trip_decide(actor=officer, uid=trip.uid, approve=True)
    # The trip is long over; person 2's return was never recorded.
    with scopes_disabled():
        type(trip).objects.filter(pk=trip.pk).update(
            departure_date=TODAY() - datetime.timedelta(days=40),
            return_date=TODAY() - datetime.timedelta(days=30),
            status=TripStatus.RETURNED,
        )
        m1 = Member.objects.get(profile=profiles[0])
    services.member_return_record(actor=org_a, uid=m1.uid)
    new, _ = ready_trip(org_b, [person(5), person(2)])
    errors = errors_of(lambda: services.trip_submit(actor=org_b, uid=new.uid))
    assert "has not come back from an earlier trip" in next(iter(errors.values()))[0]
    with scopes_disabled():
        m2 = Member.objects.get(profile=profiles[1])
    assert "reason" in str(
        errors_of(lambda: services.member_return_record(actor=officer, uid=m2.uid))
    )
    services.member_return_record(
        actor=officer, uid=m2.uid, note="Came back by road; FIA entry seen"
    )
    services.trip_submit(actor=org_b, uid=new.uid)


def test_the_ministry_approves_or_returns_to_draft_and_the_organiser_is_told(
    org_a, django_capture_on_commit_callbacks
):
    trip, _ = ready_trip(org_a, [person(1), person(2)])
    services.trip_submit(actor=org_a, uid=trip.uid)
    officer = factories.ministry()
    with pytest.raises(ValidationFailed):
        services.trip_decide(actor=officer, uid=trip.uid, approve=False, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.trip_decide(actor=officer, uid=trip.uid, approve=False, reason="Visas missing")
    trip.refresh_from_db()
    assert (trip.status, trip.status_reason) == (TripStatus.DRAFT, "Visas missing")
    assert "Visas missing" in mail.outbox[-1].body
    with scopes_disabled():
        assert not Member.objects.filter(trip=trip, active=True).exists()
    services.trip_submit(actor=org_a, uid=trip.uid)
    services.trip_decide(actor=officer, uid=trip.uid, approve=True)
    trip.refresh_from_db()
    assert trip.status == TripStatus.APPROVED
    with pytest.raises(NotAllowed):
        services.trip_decide(actor=org_a, uid=trip.uid, approve=True)


def test_cancelling_releases_the_people(org_a, org_b):
    trip, _ = ready_trip(org_a, [person(1), person(2)])
    services.trip_submit(actor=org_a, uid=trip.uid)
    assert "reason" in errors_of(
        lambda: services.trip_advance(actor=org_a, uid=trip.uid, to="cancelled")
    )
    services.trip_advance(actor=org_a, uid=trip.uid, to="cancelled", reason="Airspace closed")
    other, _ = ready_trip(org_b, [person(3), person(2)])
    services.trip_submit(actor=org_b, uid=other.uid)


def test_the_trip_runs_its_course(org_a):
    trip, _ = ready_trip(org_a, [person(1), person(2)])
    services.trip_submit(actor=org_a, uid=trip.uid)
    services.trip_decide(actor=factories.ministry(), uid=trip.uid, approve=True)
    assert "leaves on" in str(
        errors_of(lambda: services.trip_advance(actor=org_a, uid=trip.uid, to="departed"))
    )
    day = trip.departure_date
    services.trip_advance(actor=org_a, uid=trip.uid, to="departed", today=day)
    services.trip_advance(actor=org_a, uid=trip.uid, to="returned", today=day)
    assert "return" in str(
        errors_of(lambda: services.trip_advance(actor=org_a, uid=trip.uid, to="closed"))
    )
    with scopes_disabled():
        uids = list(Member.objects.filter(trip=trip).values_list("uid", flat=True))
    for uid in uids:
        services.member_return_record(actor=org_a, uid=uid)
    services.trip_advance(actor=org_a, uid=trip.uid, to="closed")
    trip.refresh_from_db()
    assert trip.status == TripStatus.CLOSED


def test_another_organiser_cannot_see_or_touch_the_trip(org_a, org_b, client):
    trip, _ = ready_trip(org_a, [person(1), person(2)])
    with pytest.raises(NotFound):
        selectors.trip_get_for(actor=org_b, uid=trip.uid)
    with pytest.raises(NotFound):
        services.trip_submit(actor=org_b, uid=trip.uid)
    assert list(selectors.trip_list_for(actor=org_b)) == []
    client.force_login(org_b)
    assert client.get(reverse("trips:detail", args=[trip.uid])).status_code == 404
    assert client.get(f"/api/v1/trips/{trip.uid}").status_code == 404


def test_a_pilgrim_binds_their_cnic_and_sees_their_trip(org_a, client):
    trip, _profiles = ready_trip(org_a, [person(1), person(2)])
    user = factories.user("kulsoom", Role.PILGRIM, phone="+923331234568")
    with pytest.raises(ValidationFailed):
        account_bind_cnic(actor=user, cnic="35202-9999999-1")
    account_bind_cnic(actor=user, cnic=person(2).cnic)
    client.force_login(user)
    page = client.get(reverse("trips:mine")).content.decode()
    assert trip.code in page
    assert client.get(reverse("trips:detail", args=[trip.uid])).status_code == 200


def test_a_leader_leads_only_their_trip(org_a):
    trip, _profiles = ready_trip(org_a, [person(1), person(2)])
    other, _ = ready_trip(org_a, [person(3), person(4)], title="Other")
    leader = factories.user("leader", Role.GROUP_LEADER, org_a.organiser, phone="+923001234567")
    account_bind_cnic(actor=leader, cnic=person(1).cnic)
    leader.refresh_from_db()
    assert selectors.leads(actor=leader, trip=trip)
    assert not selectors.leads(actor=leader, trip=other)
    with pytest.raises(NotFound):
        selectors.trip_get_for(actor=leader, uid=other.uid)


def test_trip_input_errors_name_their_fields(org_a):
    bad = factories.trip_input(
        title="",
        return_date=TODAY(),
        departure_date=TODAY() + datetime.timedelta(days=5),
        outbound_from="NJF",
        outbound_to="LHE",
        capacity=0,
        price_pkr=-1,
    )
    errors = errors_of(lambda: services.trip_create(actor=org_a, data=bad))
    assert {"title", "return_date", "outbound_from", "outbound_to", "capacity", "price_pkr"} <= set(
        errors
    )


def test_the_pages_build_and_submit_a_trip(org_a, client):
    client.force_login(org_a)
    profiles = [pilgrim_register(actor=org_a, data=person(i))[0] for i in range(3)]
    start = TODAY() + datetime.timedelta(days=21)
    response = client.post(
        reverse("trips:create"),
        {
            "title": "Ashura group",
            "departure_date": start.isoformat(),
            "return_date": (start + datetime.timedelta(days=9)).isoformat(),
            "outbound_from": "LHE",
            "outbound_to": "NJF",
            "return_from": "BGW",
            "return_to": "LHE",
            "capacity": 40,
            "price_pkr": 300000,
            "hotel_0_city": "karbala",
            "hotel_0_name": "Safir",
            "hotel_0_nights": 4,
        },
    )
    assert response.status_code == 302
    trip_url = response["Location"]
    uid = trip_url.rstrip("/").rsplit("/", 1)[1]
    client.post(
        reverse("trips:members_add", args=[uid]),
        {"profiles": [str(profiles[0].uid)], "role": "leader"},
    )
    client.post(
        reverse("trips:members_add", args=[uid]), {"profiles": [str(p.uid) for p in profiles[1:]]}
    )
    page = client.get(trip_url).content.decode()
    assert "Roster" in page and "Before it can be submitted" not in page
    assert client.post(reverse("trips:submit", args=[uid])).status_code == 302
    assert "Submitted" in client.get(trip_url).content.decode()


def test_the_dashboard_counts_and_lists(org_a, client, django_assert_max_num_queries):
    for i in range(3):
        ready_trip(org_a, [person(10 * i + 1), person(10 * i + 2)], title=f"T{i}")
    client.force_login(org_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("trips:list")).content.decode()
    assert page.count("Add members, fix the problems") == 3


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite takes one writer at a time; the race needs PostgreSQL (make test-postgres)",
)
@pytest.mark.django_db(transaction=True)
def test_two_organisers_submitting_one_person_at_the_same_moment(places):
    from django.db import connection

    a = factories.user("sa", Role.ORGANISER_STAFF, factories.organiser("ZGO-A"))
    b = factories.user("sb", Role.ORGANISER_STAFF, factories.organiser("ZGO-B"))
    trip_a, _ = ready_trip(a, [person(1), person(2)])
    trip_b, _ = ready_trip(b, [person(3), person(2)])
    barrier = threading.Barrier(2)
    outcome: dict = {}

    def submit(actor, trip):
        try:
            barrier.wait()
            services.trip_submit(actor=actor, uid=trip.uid)
            outcome[actor.username] = "submitted"
        except ValidationFailed as exc:
            outcome[actor.username] = exc.errors
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=args) for args in ((a, trip_a), (b, trip_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(str(v) == "submitted" for v in outcome.values()) == [False, True]
    loser = next(v for v in outcome.values() if v != "submitted")
    assert "already travelling" in str(loser)
    with scopes_disabled():
        active = list(Member.objects.filter(active=True).values_list("person_id", flat=True))
    assert len(active) == 2, "only the winning trip's two members are reserved"
    assert len(set(active)) == 2


@pytest.mark.parametrize(
    ("spelling", "lands_on_trip"),
    [
        (str.upper, True),
        (lambda u: "{" + u + "}", True),
        (lambda u: "not-a-trip", False),
        (lambda u: "", False),
    ],
)
def test_removing_a_member_goes_back_to_the_trip_however_the_form_spells_it(
    org_a, client, spelling, lands_on_trip
):
    """The `trip` field comes from the client: a UUID in another spelling still finds the trip
    page, anything else the trip list, and the member is removed either way (never a 500)."""
    trip, _profiles = ready_trip(org_a, [person(1), person(2), person(3)])
    with scopes_disabled():
        member = Member.objects.filter(trip=trip, role="pilgrim").first()
    client.force_login(org_a)
    response = client.post(
        reverse("trips:member_remove", args=[member.uid]), {"trip": spelling(str(trip.uid))}
    )
    assert response.status_code == 302
    expected = reverse("trips:detail", args=[trip.uid]) if lands_on_trip else reverse("trips:list")
    assert response["Location"] == expected
    with scopes_disabled():
        assert not Member.objects.filter(pk=member.pk).exists()
