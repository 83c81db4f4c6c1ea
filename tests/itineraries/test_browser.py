"""The route map in a real browser: Leaflet draws the hotels, sites and legs (make
test-browser)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.itineraries.conftest import arbaeen_trip, plan_data
from zaireen.itineraries import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_the_route_map_draws_the_stops_and_legs(page, phone, live_server, org):
    trip = arbaeen_trip(org.admin)
    services.itinerary_plan(actor=org.staff, trip_uid=trip.uid, data=plan_data(trip))
    for view, name in ((page, "itineraries:trip"), (phone, "itineraries:phone")):
        _signed_in(view, live_server, org.staff)
        view.goto(live_server.url + reverse(name, args=[trip.uid]))
        view.wait_for_selector("#route-map[data-ready='true']")
        assert view.locator("#route-map .zr-stay").count() == 3
        assert view.locator("#route-map .zr-walk").count() == 1
        assert view.locator("#route-map .zr-road").count() >= 4
        assert getattr(view, "js_errors", []) == []
