"""The pages end to end: a planner sets up Arbaeen, organisers ask, the planner solves,
looks at the heat map and publishes; organisers and leaders see their slots, nobody else's."""

import json

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests import factories
from tests.crowd.conftest import at, make_group
from tests.test_trips import person
from zaireen.accounts.services import account_bind_cnic
from zaireen.core.roles import Role
from zaireen.crowd import selectors
from zaireen.crowd.models import Booking, SlotPlan
from zaireen.crowd.solver import check, instance_from_json, result_from_json


def local(plan, slot):
    return at(plan, slot).astimezone(selectors.IRAQ).strftime("%Y-%m-%dT%H:%M")


def test_a_planner_makes_a_plan_and_sets_a_zone_on_the_pages(client, planner, places):
    client.force_login(planner)
    response = client.post(
        reverse("crowd:plans"),
        {
            "occasion": "arbaeen",
            "hijri_year": 1449,
            "days_before": 1,
            "days_after": 1,
            "slot_minutes": 15,
            "request_deadline": "2027-06-01T12:00",
            "title": "",
        },
    )
    plan = SlotPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "crowd:plan", args=[plan.uid]
    )
    url = reverse("crowd:capacity", args=[plan.uid, "imam-husayn-sanctuary"])
    refused = client.post(
        url,
        {
            "usable_area_m2": 3000,
            "density": "4.5",
            "margin_pct": 50,
            "dwell_minutes": 30,
            "quota_pct": 2,
        },
    )
    assert refused.status_code == 422
    assert "Ensure this value is less than or equal to 4" in refused.content.decode() or (
        "4 persons/m²" in refused.content.decode()
    )
    client.post(
        url,
        {
            "usable_area_m2": 3000,
            "density": "2",
            "margin_pct": 50,
            "dwell_minutes": 40,
            "quota_pct": 2,
        },
    )
    html = client.get(reverse("crowd:plan", args=[plan.uid])).content.decode()
    assert "<bdi>3000</bdi>" in html  # the occupancy limit per slot
    assert "3 slots" in html  # 40 minutes rounded up to whole 15-minute slots


def test_from_requests_to_published_slots_on_the_trip(
    client, plan, planner, org, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    groups = [make_group(org.trip, 4, f"Bus {i}") for i in (1, 2)]
    client.force_login(org.staff)
    for group in groups:
        response = client.post(
            reverse("crowd:requests", args=[plan.uid]),
            {
                "group": str(group.uid),
                "zone": "imam-husayn-sanctuary",
                "preferred_at": local(plan, 40),
                "earliest_at": local(plan, 36),
                "latest_at": local(plan, 44),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    with django_assert_max_num_queries(14):
        page = client.get(reverse("crowd:requests", args=[plan.uid]))
    assert "Waiting for the schedule" in page.content.decode()

    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crowd:solve", args=[plan.uid]), {"time_limit": 3})
    run_url = response["Location"]
    html = client.get(run_url).content.decode()
    assert "<svg" in html and "First come, first served" in html and "passed" in html
    run = plan.runs.get()
    instance = instance_from_json(
        json.loads(client.get(reverse("crowd:run_instance", args=[run.uid])).content)
    )
    result = result_from_json(
        json.loads(client.get(reverse("crowd:run_result", args=[run.uid])).content)
    )
    assert check(instance, result).ok
    client.post(reverse("crowd:publish", args=[plan.uid]), {"run": str(run.uid)})
    with django_assert_max_num_queries(16):
        html = client.get(reverse("crowd:plan", args=[plan.uid])).content.decode()
    assert "Load now" in html and "Organiser ZGO-A" in html
    assert "Bus 1" not in html  # the planner sees loads and organisers, not their groups

    client.force_login(org.staff)
    trip_page = client.get(reverse("trips:detail", args=[org.trip.uid])).content.decode()
    assert "Time slots at the shrines" in trip_page and "Bus 1" in trip_page
    assert (
        client.get(reverse("crowd:requests", args=[plan.uid]))
        .content.decode()
        .count("Give the slot back")
        == 2
    )


def test_leaders_see_their_trips_slots_on_the_phone_and_nobody_else_does(
    client, plan, planner, org
):
    services_publish(plan, planner)
    group = make_group(org.trip, 4, "Bus 1")
    from zaireen.crowd import services

    request = services.request_create(
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=group.uid,
        zone_slug="al-abbas-haram",
        preferred_at=at(plan, 60),
    )
    services.booking_create(actor=org.staff, request_uid=request.uid)
    leader = factories.user("leader-a", Role.GROUP_LEADER, org.organiser, phone="+923001112233")
    account_bind_cnic(actor=leader, cnic=person(1).cnic)  # the trip's first leader
    client.force_login(leader)
    phone = client.get(reverse("crowd:trip_slots", args=[org.trip.uid])).content.decode()
    assert "Bus 1" in phone and "Haram and roofed courtyard" in phone
    assert "Bus 1" in client.get(reverse("trips:detail", args=[org.trip.uid])).content.decode()
    api = client.get(reverse("api-1.0.0:crowd_trip_slots", args=[org.trip.uid])).json()
    assert api[0]["group"] == "Bus 1" and api[0]["size"] == 4
    # Another organiser's staff: not found; their own pages never list A's groups.
    client.force_login(org.other)
    assert client.get(reverse("crowd:trip_slots", args=[org.trip.uid])).status_code == 404
    assert "Bus 1" not in client.get(reverse("crowd:requests", args=[plan.uid])).content.decode()
    assert client.get(reverse("api-1.0.0:crowd_requests", args=[plan.uid])).json() == []


def services_publish(plan, planner):
    from zaireen.crowd import services

    services.plan_publish(actor=planner, plan_uid=plan.uid)


def test_the_api_books_first_come_first_served_and_answers_409_when_full(
    client, plan, planner, org
):
    services_publish(plan, planner)
    client.force_login(org.staff)
    uids = []
    for i in range(3):
        group = make_group(org.trip, 30, f"G{i}")
        made = client.post(
            reverse("api-1.0.0:crowd_requests", args=[plan.uid]),
            {
                "group": str(group.uid),
                "zone": "imam-husayn-sanctuary",
                "preferred_at": at(plan, 40).isoformat(),
            },
            content_type="application/json",
        )
        assert made.status_code == 201 and made.json()["late"]
        uids.append(made.json()["id"])
    book = lambda uid: client.post(  # noqa: E731
        reverse("api-1.0.0:crowd_book", args=[uid]),
        {"start_slot": 40},
        content_type="application/json",
    )
    assert [book(u).status_code for u in uids] == [201, 201, 409]
    left = client.get(
        reverse("api-1.0.0:crowd_availability", args=[plan.uid]),
        {"zone": "imam-husayn-sanctuary", "first": 40, "count": 2},
    ).json()
    assert left["left"] == [0, 0] and left["quota"] == [60, 60]
    bad = client.post(
        reverse("api-1.0.0:crowd_book", args=[uids[2]]),
        {"start_slot": 90},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "start" in bad.json()["errors"]
    with scopes_disabled():
        assert Booking.objects.count() == 2
    assert selectors.oversold_cells(plan) == 0


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_the_heat_map_stays_left_to_right_in_a_right_to_left_page(client, plan, planner, language):
    from django.utils import translation

    services_publish(plan, planner)
    client.force_login(planner)
    client.cookies["django_language"] = language
    html = client.get(reverse("crowd:plan", args=[plan.uid])).content.decode()
    translation.activate("en")
    assert f'lang="{language}" dir="rtl"' in html
    assert (
        '<div class="overflow-x-auto border rounded" dir="ltr"><svg' in html
    )  # time runs left to right


def test_the_request_page_of_a_published_plan_costs_the_same_queries_for_more_requests(
    client, plan, planner, org, django_assert_max_num_queries
):
    from zaireen.crowd import services

    services_publish(plan, planner)

    def ask(n):
        for i in range(n):
            group = make_group(org.trip, 5, f"Q{n}-{i}")
            request = services.request_create(
                actor=org.staff, plan_uid=plan.uid, group_uid=group.uid,
                zone_slug=("imam-husayn-sanctuary", "al-abbas-haram")[i % 2],
                preferred_at=at(plan, 40 + i), earliest_at=at(plan, 30), latest_at=at(plan, 60),
            )  # fmt: skip
            if i % 2:
                services.booking_create(actor=org.staff, request_uid=request.uid)

    client.force_login(org.staff)
    url = reverse("crowd:requests", args=[plan.uid])
    ask(2)
    with django_assert_max_num_queries(16) as few:
        assert "Give the slot back" in client.get(url).content.decode()
    ask(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("Give the slot back") == 4
