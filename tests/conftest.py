import os

import pytest
from django.contrib.auth import get_user_model
from hypothesis import settings as hypothesis_settings

from zaireen.places.services import places_load

# Speed is measured by the benchmarks, not asserted by a timer: no per-example deadline, which
# on a busy CI machine fails correct property tests (DeadlineExceeded, Flaky).
hypothesis_settings.register_profile("zaireen", deadline=None)
hypothesis_settings.load_profile("zaireen")


@pytest.fixture
def places(db):
    """The shipped reference geography, loaded into the test database."""
    return places_load()


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="amina", password="a-long-pass-phrase")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="officer", password="a-long-pass-phrase"
    )


# --- Browser tests (make test-browser) ----------------------------------------------------
# Playwright drives Debian's Chromium against the app on a free port: pytest-django's
# `live_server` serves it with a test database (static files included). Playwright's sync API
# runs an event loop in the test's thread, which Django would otherwise take for async code
# touching the database, hence DJANGO_ALLOW_ASYNC_UNSAFE. The fixtures live here, once, so
# browser tests anywhere share one Chromium.

CHROMIUM = os.environ.get("ZAIREEN_CHROMIUM", "/usr/bin/chromium")
# Chromium may not reach anything but this machine: these flags stop it trying.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"No Chromium at {CHROMIUM}: apt-get install chromium (or set ZAIREEN_CHROMIUM)"
        )
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()
