"""Take the README's screenshots from a running Zaireen (`make run`), with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

MAP_READY = "#site-map[data-ready='true']"
DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 1100}
SHOTS = [
    ("map.png", "/places/map/", DESKTOP, "en", MAP_READY),
    ("sites.png", "/places/", DESKTOP, "en", None),
    ("site-phone-urdu.png", "/places/sites/imam-husayn-shrine/", PHONE, "ur", MAP_READY),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path, viewport, language, ready in SHOTS:
            context = browser.new_context(viewport=viewport)
            context.add_cookies([{"name": "django_language", "value": language, "url": BASE}])
            page = context.new_page()
            page.goto(BASE + path)
            if ready:
                page.wait_for_selector(ready)
            page.screenshot(path=str(OUT / name), full_page=name != "map.png")
            context.close()
            print(OUT / name)
        browser.close()


if __name__ == "__main__":
    main()
