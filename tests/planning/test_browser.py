"""In a real browser (make test-browser): the pole map draws, a tap finds the nearest pole, and
the calendar fits a phone."""

import pytest

from zaireen.planning import poles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pole_map_draws_poles_anchors_and_uncertainty(page, live_server):
    page.goto(f"{live_server.url}/poles/?pole=578")
    page.wait_for_selector("#pole-map[data-ready='true']", timeout=15000)
    assert page.locator("path.zr-pole").count() == len(poles.pole_list(every=20))
    assert page.locator("path.zr-anchor").count() == 2
    assert page.locator("path.zr-found").count() == 1
    assert page.locator("path.zr-uncertainty").count() >= 1
    assert not page.js_errors, page.js_errors


def test_a_tap_on_the_map_finds_the_nearest_pole(page, live_server):
    page.goto(f"{live_server.url}/poles/")
    page.wait_for_selector("#pole-map[data-ready='true']", timeout=15000)
    # A corner of the map, away from the markers (a marker's click opens its popup).
    page.locator("#pole-map").click(position={"x": 40, "y": 200})
    assert page.input_value("#id_lat") and page.input_value("#id_lon")
    page.click("#position-form button[type=submit]")
    page.wait_for_selector("#nearest-result")
    assert "Nearest pole" in page.inner_text("#nearest-result")


def test_the_calendar_fits_a_phone(phone, live_server, places):
    phone.goto(f"{live_server.url}/calendar/?month=2026-08")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    assert phone.locator("#day-2026-08-04").is_visible()
