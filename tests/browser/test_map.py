"""Smoke tests in a real browser: the map draws every place, search narrows the list."""

import pytest

from zaireen.places.models import Airport, BorderCrossing, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_shows_a_marker_for_every_site_airport_and_crossing(page, live_server, places):
    page.goto(f"{live_server.url}/places/map/")
    page.wait_for_selector("#site-map[data-ready='true']", timeout=15000)
    assert page.locator("path.zr-site").count() == Site.objects.count()
    assert page.locator("path.zr-airport").count() == Airport.objects.count()
    assert page.locator("path.zr-crossing").count() == BorderCrossing.objects.count()
    assert page.locator("path.zr-road").count() == 4
    approximate = Site.objects.filter(approximate=True).count()
    assert page.locator("path.zr-site.zr-approximate").count() == approximate > 0
    assert page.locator(".leaflet-tile").count() == 0, "no tile server by default"
    assert not page.js_errors, page.js_errors


def test_a_marker_opens_a_popup_linking_to_its_site(page, live_server, places):
    page.goto(f"{live_server.url}/places/map/")
    page.wait_for_selector("#site-map[data-ready='true']", timeout=15000)
    page.locator("path.zr-site").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    link = popup.locator("a")
    assert "/places/sites/" in link.get_attribute("href")


def test_typing_in_the_search_narrows_the_sites(page, live_server, places):
    page.goto(f"{live_server.url}/places/")
    page.fill("#id_q", "kufa")
    page.wait_for_function(
        "() => !document.querySelector('#site-results').textContent.includes('Imam Hussain')",
        timeout=10000,
    )
    assert "Great Mosque of Kufa" in page.locator("#site-results").inner_text()
    assert "q=kufa" in page.url


def test_the_site_page_works_on_a_phone_in_urdu(phone, live_server, places):
    phone.goto(f"{live_server.url}/places/sites/imam-husayn-shrine/")
    phone.click(".navbar-toggler")  # on a phone the menu is folded away
    phone.wait_for_selector("#language", state="visible")
    with phone.expect_navigation():
        phone.select_option("#language", "ur")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    phone.wait_for_selector("#site-map[data-ready='true']", timeout=15000)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
