"""In a real browser: the main menu fits the screen for the roles with the longest menus: a
bar (wrapping onto a second line) from Bootstrap's `xl` (1200 px), a folded menu below."""

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from zaireen.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF, Role.MINISTRY_OFFICER, Role.CROWD_PLANNER)


@pytest.mark.parametrize("width", [800, 1280, 1440])
def test_the_menu_fits_the_screen_for_every_long_menu(page, live_server, places, width):
    organiser = factories.organiser("ZGO-MENU", legal_name="Al-Noor Ziyarat")
    page.set_viewport_size({"width": width, "height": 900})
    for n, role in enumerate(ROLES):
        user = factories.user(
            f"menu-{n}", role, organiser if role.startswith("organiser") else None
        )
        client = Client()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }])  # fmt: skip
        page.goto(live_server.url + "/")
        if width < 1200:
            page.click(".navbar-toggler")
            page.wait_for_selector("#nav-main.show")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{role} at {width} px: the page is {overflow} px too wide"
        logout = page.get_by_role("button", name="Log out").bounding_box()
        assert logout and logout["x"] + logout["width"] <= width, f"{role}: Log out off screen"
        assert logout["height"] < 40, f"{role} at {width} px: Log out breaks over two lines"
        language = page.locator("#language").bounding_box()
        assert language and language["width"] > 80, f"{role} at {width} px: language squeezed"
