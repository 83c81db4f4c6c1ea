"""In a real browser: a stranger checks a licence; a leader signs in with an SMS code."""

import re

import pytest

from tests import factories
from zaireen.core import sms
from zaireen.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stranger_checks_a_licence_without_logging_in(page, live_server, places):
    factories.organiser("ZGO-2025-0012", legal_name="Al-Noor Ziyarat")
    page.goto(f"{live_server.url}/licences/")
    page.fill("#id_q", "ZGO-2025-0012")
    page.click("button[type=submit]")
    assert "May take pilgrims today." in page.locator("main").inner_text()
    assert not page.js_errors


def test_a_leader_signs_in_on_a_phone_with_the_code(phone, live_server, places):
    organiser = factories.organiser("ZGO-A")
    factories.user(
        "leader", Role.GROUP_LEADER, organiser, phone="+923001234567", first_name="Hasan"
    )
    sms.outbox.clear()
    phone.goto(f"{live_server.url}/accounts/phone/")
    phone.fill("#id_phone", "0300 1234567")
    phone.click("button[type=submit]")
    phone.wait_for_selector("#id_code")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    phone.fill("#id_code", code)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")
    phone.click(".navbar-toggler")
    assert "Hasan" in phone.locator("nav").inner_text()
