"""Two phones in a real Chromium: both register online, go offline, count (tick list and typed
card code), unmark, reload with no network (the service worker serves the page), come back
online in either order, and the server's headcount is what docs/headcounts.md says."""

import tempfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from zaireen.safety import selectors
from zaireen.trips import logistics
from zaireen.trips.models import PilgrimCard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WAIT = 15_000


def open_phone(browser, live_server, user):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
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


def register(page, url, name):
    page.goto(url)
    page.fill("#zr-device-name", name)
    page.click("#zr-register-button")
    page.wait_for_selector(f"#zr-device:has-text('{name}')", timeout=WAIT)
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(() => caches.open('zaireen-lead-data'))"
        ".then((c) => c.match(location.pathname)).then(Boolean)",
        timeout=WAIT,
    )


def synced(page):
    page.wait_for_selector("#zr-queue[data-queue='0']", timeout=WAIT)


def tick(page, member, *, present=True):
    page.fill("#zr-search", member.profile.given_names.split()[-1])
    page.click(f"[data-member='{member.uid}'] .zr-tick")
    flag = "true" if present else "false"
    page.wait_for_selector(f"[data-member='{member.uid}'][data-present='{flag}']", timeout=WAIT)
    page.fill("#zr-search", "")


def type_code(page, code, feedback):
    page.fill("#zr-code", code)
    page.press("#zr-code", "Enter")
    page.wait_for_selector(f"#zr-feedback:has-text('{feedback}')", timeout=WAIT)


def expect_counters(page, values):
    """Wait until the big counters read `values` (present, missing, not yet seen)."""
    page.wait_for_function(
        "(v) => ['present', 'missing', 'unseen'].every("
        "(n, i) => document.getElementById('zr-count-' + n).textContent === String(v[i]))",
        arg=values,
        timeout=WAIT,
    )


def reload_offline(page, name):
    """Reload with no network: the service worker answers with the page it kept before the
    phone was registered (its list of phones does not show this one)."""
    response = page.reload()
    assert response is not None
    assert response.from_service_worker
    page.wait_for_selector("#zr-current:not(.d-none)", timeout=WAIT)
    assert name not in page.inner_text("section[aria-labelledby='zr-phones-title']")


@pytest.mark.parametrize("first", ["A", "B"])
def test_two_phones_count_offline_and_the_server_follows_the_rules(
    browser, live_server, world, first
):
    logistics.cards_issue(actor=world.staff, trip_uid=world.trip.uid)
    l1, l2, p1, p2, p3, p4 = world.members
    with scopes_disabled():
        code = {m.uid: PilgrimCard.objects.get(member=m).code for m in world.members}
    logistics.card_revoke(actor=world.staff, code=code[p4.uid], reason="Lost")
    url = live_server.url + reverse("safety:leader", args=[world.trip.uid])

    context_a, a = open_phone(browser, live_server, world.leaders[0])
    context_b, b = open_phone(browser, live_server, world.leaders[1])
    try:
        register(a, url, "Phone A")
        a.select_option("#zr-open-kind", "meeting_point")
        a.fill("#zr-open-label", "Bab al-Qibla")
        a.click("#zr-open")
        a.wait_for_selector("#zr-current:not(.d-none)")
        synced(a)
        register(b, url, "Phone B")
        b.click("#zr-headcounts >> text=Bab al-Qibla", timeout=WAIT)
        b.wait_for_selector("#zr-current:not(.d-none)")
        expect_counters(a, [0, 0, 6])
        expect_counters(b, [0, 0, 6])

        context_a.set_offline(True)
        context_b.set_offline(True)
        a.wait_for_selector("#zr-online:has-text('Offline')")

        # Phone A: ticks L1, P1, P2; types P3's card code; unticks P2.
        for member in (l1, p1, p2):
            tick(a, member)
        type_code(a, code[p3.uid].lower(), "Marked present")
        tick(a, p2, present=False)
        expect_counters(a, [3, 0, 3])
        reload_offline(a, "Phone A")
        expect_counters(a, [3, 0, 3])
        assert a.get_attribute("#zr-queue", "data-queue") == "5"

        # Phone B: ticks L2 and P2; P4's revoked card; ticks and unticks P4; P1's card code.
        tick(b, l2)
        tick(b, p2)
        type_code(b, code[p4.uid], "Card revoked")
        tick(b, p4)
        tick(b, p4, present=False)
        type_code(b, code[p1.uid], "Marked present")
        expect_counters(b, [3, 0, 3])
        reload_offline(b, "Phone B")
        expect_counters(b, [3, 0, 3])
        assert b.get_attribute("#zr-queue", "data-queue") == "6"

        # Phone A closes: L2, P2 and P4 not seen there; the leader departs anyway.
        a.click("#zr-close")
        names = a.inner_text("#zr-confirm-names")
        for member in (l2, p2, p4):
            assert member.profile.full_name in names
        a.click("#zr-depart-yes")
        a.wait_for_selector("#zr-closed:not(.d-none)")
        expect_counters(a, [3, 3, 0])

        contexts = {"A": (context_a, a), "B": (context_b, b)}
        for name in (first, "B" if first == "A" else "A"):
            context, page = contexts[name]
            context.set_offline(False)
            synced(page)
        a.click("#zr-sync")  # A learns what B counted
        expect_counters(a, [5, 1, 0])
        assert a.inner_text("#zr-missing").strip().startswith(p4.profile.full_name)
        assert not a.errors
        assert not b.errors
    finally:
        context_a.close()
        context_b.close()

    (view,) = selectors.headcounts_for_trip(actor=world.staff, trip=world.trip)
    assert view.closed
    assert {m.uid for m in view.present} == {l1.uid, l2.uid, p1.uid, p2.uid, p3.uid}
    assert [m.uid for m in view.missing] == [p4.uid]
    assert len(view.state.revoked_scans) == 1
    (decision,) = view.decisions
    assert decision.depart_anyway is True
    assert decision.device == "Phone A"
    assert sorted(decision.names) == sorted(m.profile.full_name for m in (l2, p2, p4))


def test_the_leader_app_is_installable(browser, live_server, world):
    """Chromium's own check, in a normal (not off-the-record) profile: a valid manifest, icons,
    a service worker in scope."""
    client = Client()
    client.force_login(world.leaders[0])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    with tempfile.TemporaryDirectory() as profile:
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
            page = context.new_page()
            page.goto(live_server.url + reverse("safety:leader", args=[world.trip.uid]))
            page.wait_for_function("navigator.serviceWorker.ready.then(Boolean)", timeout=WAIT)
            cdp = context.new_cdp_session(page)
            manifest = cdp.send("Page.getAppManifest")
            assert manifest["errors"] == []
            assert manifest["manifest"]["display"] == "kStandalone"
            assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        finally:
            context.close()
