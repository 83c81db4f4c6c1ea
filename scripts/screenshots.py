"""Take the README's screenshots from a running Zaireen (`make run`), with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

MAP_READY = "#site-map[data-ready='true']"
DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 1100}
# name, path, viewport, language, selector to wait for, demo user to sign in as
SHOTS = [
    ("map.png", "/places/map/", DESKTOP, "en", MAP_READY, None),
    ("sites.png", "/places/", DESKTOP, "en", None, None),
    ("site-phone-urdu.png", "/places/sites/imam-husayn-shrine/", PHONE, "ur", MAP_READY, None),
    ("licence-check.png", "/licences/?q=ZGO-2025", DESKTOP, "en", None, None),
    ("organisers.png", "/ministry/organisers/", DESKTOP, "en", None, "ministry"),
    ("audit.png", "/audit/", DESKTOP, "en", None, "ministry"),
    ("organiser-home-suspended.png", "/organiser/", DESKTOP, "en", None, "kc-admin"),
    ("trips.png", "/trips/", DESKTOP, "en", None, "zgo-admin"),
    ("pilgrim-form.png", "/organiser/pilgrims/new/", DESKTOP, "en", None, "zgo-staff"),
    ("calendar.png", "/calendar/?month=2026-08", DESKTOP, "en", None, None),
]
LOGINS = Path("var/demo-logins.json")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        passwords = json.loads(LOGINS.read_text()) if LOGINS.exists() else {}
        for name, path, viewport, language, ready, username in SHOTS:
            context = browser.new_context(viewport=viewport)
            context.add_cookies([{"name": "django_language", "value": language, "url": BASE}])
            page = context.new_page()
            if username:
                page.goto(BASE + "/accounts/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", passwords[username])
                page.click("button[type=submit]")
                page.wait_for_load_state()
            page.goto(BASE + path)
            if ready:
                page.wait_for_selector(ready)
            page.screenshot(path=str(OUT / name), full_page=name != "map.png")
            context.close()
            print(OUT / name)
        browser.close()


if __name__ == "__main__":
    main()
