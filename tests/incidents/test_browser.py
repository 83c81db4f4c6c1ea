"""The SOS button in a real Chromium: with data it reaches the leader's page; with no data
the page comes from the service worker and the button builds the text message to the
organiser's hotline, with the nearest pole worked out in the browser from the cached pole
list, exactly as `zaireen.incidents.sms` (its Python mirror) says."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from zaireen.incidents import selectors, sms
from zaireen.incidents.models import SosAlert
from zaireen.planning.poles import pole_position

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WAIT = 15_000


def open_phone(browser, live_server, user, **options):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, **options
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return context, page


def wait_for(predicate, timeout=WAIT / 1000):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def alerts():
    with scopes_disabled():
        return list(SosAlert.objects.select_related("member__profile"))


def test_without_data_the_button_opens_the_right_text_message(browser, live_server, world):
    at = pole_position(578)
    member = world.pilgrim_member
    context, page = open_phone(
        browser,
        live_server,
        world.pilgrim,
        geolocation={"latitude": at.lat, "longitude": at.lon, "accuracy": 20},
        permissions=["geolocation"],
    )
    try:
        page.goto(live_server.url + reverse("trips:mine"))
        page.wait_for_function(
            "navigator.serviceWorker.ready.then(() => caches.open('zaireen-sos-data'))"
            ".then((c) => Promise.all([c.match('/me/trips/'), c.match('/poles/poles.json')]))"
            ".then((found) => found.every(Boolean))",
            timeout=WAIT,
        )
        context.set_offline(True)
        response = page.reload()
        assert response is not None and response.from_service_worker
        page.select_option(".zr-sos-reason", "lost")
        page.click(".zr-sos-press")
        link = page.wait_for_selector(".zr-sos-sms:not(.d-none)", timeout=WAIT)
        shown_time = link.get_attribute("data-time")
        expected_body = sms.sos_sms_body(
            trip_code=world.a.trip.code,
            card_code=world.a.cards[member.pk],
            name=member.profile.full_name,
            reason="lost",
            pole=578,
            lat=at.lat,
            lon=at.lon,
            time=shown_time,
        )
        assert link.get_attribute("data-body") == expected_body
        assert link.get_attribute("href") == sms.sos_sms_link(world.organiser.phone, expected_body)
        assert f"pole 578 gps {at.lat:.5f},{at.lon:.5f} lost" in expected_body
        assert alerts() == [], "nothing reached the server"

        # Back online, the press the phone kept is sent, once, with its position.
        context.set_offline(False)
        assert wait_for(lambda: len(alerts()) == 1), "the kept press was not sent"
        page.evaluate("window.dispatchEvent(new Event('online'))")  # a second resend
        time.sleep(1)
        [alert] = alerts()
        assert alert.member == member and alert.reason == "lost" and alert.pole == 578
        assert not page.errors, page.errors
    finally:
        context.close()


def test_the_browser_and_python_build_the_same_text(browser, live_server, world):
    context, page = open_phone(browser, live_server, world.pilgrim)
    try:
        page.goto(live_server.url + reverse("trips:mine"))
        page.wait_for_function("window.ZaireenSOS !== undefined", timeout=WAIT)
        cases = [
            {
                "trip": "ZKT-2025-07",
                "card": "7kq2m9xa",
                "name": "ALI",
                "reason": "medical",
                "pole": 578,
                "lat": 32.4,
                "lon": 44.1,
                "time": "14:05",
            },
            {
                "trip": "ZKT 1",
                "card": "",
                "name": "FATIMA ZAHRA NAQVI",
                "reason": "lost",
                "pole": None,
                "lat": None,
                "lon": None,
                "time": "09:00",
            },
            {
                "trip": "ٹرپ-1",
                "card": " ; ",
                "name": "  ",
                "reason": "danger",
                "pole": 0,
                "lat": -33.123456789,
                "lon": -0.000004,
                "time": "23:59",
            },
        ]
        for case in cases:
            js = page.evaluate("(o) => window.ZaireenSOS.smsBody(o)", case)
            py = sms.sos_sms_body(
                trip_code=case["trip"],
                card_code=case["card"],
                name=case["name"],
                reason=case["reason"],
                pole=case["pole"],
                lat=case["lat"],
                lon=case["lon"],
                time=case["time"],
            )
            assert js == py
            link = page.evaluate(
                "([h, b]) => window.ZaireenSOS.smsLink(h, b)", ["+92 42 3576-1234", py]
            )
            assert link == sms.sos_sms_link("+92 42 3576-1234", py)
        rows = [list(r) for r in selectors.pole_rows()]
        for lat, lon in ((32.3, 44.2), (32.45, 44.15), (32.6, 44.03), (33.3, 44.4)):
            js = page.evaluate(
                "([p, a, b]) => window.ZaireenSOS.nearestPole(p, a, b)", [rows, lat, lon]
            )
            assert js == sms.nearest_pole(rows, lat, lon), (lat, lon)
    finally:
        context.close()


def test_an_sos_with_data_reaches_the_leaders_page(browser, live_server, world):
    leader_context, leader = open_phone(browser, live_server, world.leader)
    context, page = open_phone(browser, live_server, world.pilgrim)
    try:
        leader.goto(live_server.url + reverse("safety:leader", args=[world.a.trip.uid]))
        leader.wait_for_selector("#zr-sos-alerts", state="attached", timeout=WAIT)
        page.goto(live_server.url + reverse("trips:mine"))
        page.fill(".zr-sos-note", "Lost near the shrine")
        page.click(".zr-sos-press")
        page.wait_for_selector(".zr-sos-status.alert-success", timeout=WAIT)
        assert wait_for(lambda: len(alerts()) == 1)
        name = world.pilgrim_member.profile.full_name
        # The leader's list asks again every 15 seconds.
        leader.wait_for_selector(f"#zr-sos-alerts :text('{name}')", timeout=20_000)
        leader.click("#zr-sos-alerts button:has-text('Acknowledge')")
        leader.wait_for_selector("#zr-sos-alerts [data-status='acknowledged']", timeout=WAIT)
        assert alerts()[0].acknowledged_by == world.leader
    finally:
        context.close()
        leader_context.close()
