"""Take the README's screenshots from a running Zaireen (`make run`), with Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000] [--console-log FILE]
                                               [--only NAME.png ...]

The demo data has no vehicles, headcounts, cases, incidents, SOS alerts, roster imports or
solver runs. Before the pages that show them the script makes them through the pages, as their
users would: staff seat a departed trip on a road leg, its leader counts it and asks for a case
for the pilgrim missing, a pilgrim presses SOS, staff report an accident, the crowd planner
solves the slot plan (without publishing it). It makes each once: a second run finds them.

Leaders and pilgrims sign in with a one-time code that the server prints on its console: pass
that output with --console-log (for example after `make run > /tmp/zaireen.log 2>&1`). Without
it the organiser's staff count in the leader app and the pilgrim's SOS page is left out.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# the passwords `make run` printed, in its data folder
LOGINS = Path(os.environ.get("ZAIREEN_DATA_DIR", "var")) / "demo-logins.json"

MAP_READY = "#site-map[data-ready='true']"
ROUTE_MAP_READY = "#route-map[data-ready='true']"
DESKTOP: ViewportSize = {"width": 1280, "height": 1000}
PHONE: ViewportSize = {"width": 390, "height": 1100}
# The demo's phone logins (README), and where the pilgrim is when pressing SOS: on the
# Najaf–Karbala road, so the page finds the nearest pole.
PHONES = {"leader": "+923001234567", "pilgrim": "+923331234568"}
SOS_POSITION = {"latitude": 32.28, "longitude": 44.19}
# Who is missing at the leader's first headcount, and the look-up for him in other spellings.
MISSING = "HUSSAIN KAZMI"
LOOKUP = "Husain Kazmi"
PROBLEM_TRIP = "Extended family group, list in progress"
PROBLEM_FAMILY = "RIZVI"  # its members: none of them the demo leader or pilgrim
ROSTER_FILE = "roster-family-groups.csv"
# A roster as organisers keep it: loose and Urdu headers, and four rows with mistakes (a CNIC
# one digit short, an expired passport, a sex of "Q" with an unknown blood group, a trip code
# that is not one of theirs).
ROSTER = """Sr No;Surname;Given Name;ولدیت;City;CNIC No;Passport No;Passport Expiry;DOB;Gender;\
Mobile;Next of Kin;NOK Phone;Blood Group;Trip
1;RIZVI;ALI RAZA;Syed Hasan Rizvi;Lahore;35202-4817263-1;AB4817263;14/05/2033;02/03/1968;M;\
0300 4817263;Fatima Rizvi;0321 4817263;B+;
2;RIZVI;FATIMA;Ali Raza Rizvi;Lahore;35202-5928374-2;AB5928374;20/11/2032;17/08/1972;F;\
0300 5928374;Ali Raza Rizvi;0300 4817263;O+;
3;NAQVI;SAKINA;Muhammad Naqvi;Karachi;42101-3345127-8;BX3345127;09/01/2031;25/12/1959;F;\
0333 3345127;Abbas Naqvi;0345 3345127;A+;
4;NAQVI;ABBAS;Muhammad Naqvi;Karachi;42101-3345128;BX3345128;09/01/2031;11/04/1985;M;\
0345 3345127;Sakina Naqvi;0333 3345127;;
5;ZAIDI;MEHDI;Jafar Zaidi;Multan;36302-7781204-5;CK7781204;31/12/2024;05/06/1990;M;\
0301 7781204;Zainab Zaidi;0302 7781204;AB+;
6;ZAIDI;ZAINAB;Mehdi Zaidi;Multan;36302-7781205-4;CK7781205;31/12/2030;19/09/1992;Q;\
0302 7781204;Mehdi Zaidi;0301 7781204;C+;
7;HAIDER;QASIM;Kazim Haider;Rawalpindi;37405-2291837-9;DM2291837;28/02/2034;14/07/1979;M;\
0312 2291837;Naseem Haider;0313 2291837;O-;
8;HAIDER;NASEEM;Qasim Haider;Rawalpindi;37405-2291838-6;DM2291838;28/02/2034;30/01/1983;F;\
0313 2291837;Qasim Haider;0312 2291837;;ZZ-2099-001
9;BUKHARI;TAQI;Abid Bukhari;Jhang;33202-6650913-3;AC6650913;15/08/2032;08/10/1950;M;\
0306 6650913;Asghar Bukhari;0307 6650913;B-;
"""
# The machine-readable zone pasted into the pilgrim form (an invented passport).
MRZ = "P<PAKZAIDI<<SAKINA<BATOOL<<<<<<<<<<<<<<<<<<<\nBX48172631PAK6803029F33051423520215829466<92"


class Shot(NamedTuple):
    """One screenshot: `open` is a path, or a function that makes what the page shows and
    opens it (Demo, Page)."""

    name: str
    open: str | Callable[[Demo, Page], None]
    user: str | None = None
    viewport: ViewportSize = DESKTOP
    ready: str | None = None
    language: str = "en"
    full_page: bool | str = True  # False: the viewport; a selector: the page down to it


def submit(page: Page, button) -> None:
    """Click a button that sends a form, and wait for the next page."""
    with page.expect_navigation():
        button.click()


class Demo:
    """Signed-in browsers for the demo users, and what the screenshots need, made once."""

    def __init__(self, browser: Browser, base: str, console_log: Path | None) -> None:
        self.browser = browser
        self.base = base
        self.console_log = console_log
        self.passwords = json.loads(LOGINS.read_text()) if LOGINS.exists() else {}
        self.contexts: dict[tuple[str | None, str], BrowserContext] = {}
        self.workers: dict[str, Page] = {}

    # --- Signing in -----------------------------------------------------------------------

    def who(self, user: str | None) -> str | None:
        """The user who is shown: without the console log, staff stand in for the leader."""
        if user in PHONES and self.console_log is None:
            return "zgo-staff" if user == "leader" else None
        return user

    def page(self, user: str | None, language: str = "en", viewport=DESKTOP) -> Page:
        key = (user, language)
        if key not in self.contexts:
            options = {"viewport": DESKTOP}
            if user == "pilgrim":
                options |= {"geolocation": SOS_POSITION, "permissions": ["geolocation"]}
            context = self.browser.new_context(**options)
            context.add_cookies([{"name": "django_language", "value": language, "url": self.base}])
            self.contexts[key] = context
            if user:
                self._sign_in(context.new_page(), user)
        page = self.contexts[key].new_page()
        page.set_viewport_size(viewport)
        return page

    def worker(self, user: str) -> Page:
        """A page of `user` kept for making things."""
        if user not in self.workers:
            self.workers[user] = self.page(user)
        return self.workers[user]

    def go(self, page: Page, path: str) -> Page:
        page.goto(self.base + path)
        return page

    def _sign_in(self, page: Page, user: str) -> None:
        if user in PHONES:
            self.go(page, "/accounts/phone/")
            start = self.console_log.stat().st_size
            page.fill("#id_phone", PHONES[user])
            submit(page, page.locator("button[type=submit]"))
            if not page.locator("#id_code").count():  # three codes a phone each 15 minutes
                raise RuntimeError(f"{user}: {page.locator('main').inner_text()}")
            page.fill("#id_code", self._code(start))
            submit(page, page.locator("button[type=submit]"))
        else:
            self.go(page, "/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", self.passwords[user])
            submit(page, page.locator("button[type=submit]"))
        page.close()

    def _code(self, start: int) -> str:
        """The one-time code the server printed after `start` bytes of its console log."""
        for _ in range(100):
            with self.console_log.open("rb") as log:
                log.seek(start)
                found = re.findall(
                    r"Your Zaireen code is (\d+)", log.read().decode(errors="replace")
                )
            if found:
                return found[-1]
            time.sleep(0.1)
        raise RuntimeError(f"no one-time code in {self.console_log}")

    # --- The departed trip and what happens on it -------------------------------------------

    @cached_property
    def trip(self) -> str:
        """The first departed trip of the demo organiser (its leader and pilgrim logins)."""
        page = self.go(self.worker("zgo-staff"), "/trips/?status=departed")
        return page.locator("main table tbody a").first.get_attribute("href")

    @cached_property
    def vehicles(self) -> str:
        """The trip's logistics page: a road leg, two vehicles, everyone seated and roomed."""
        path = self.trip + "logistics/"
        page = self.go(self.worker("zgo-staff"), path)
        seats = page.locator("form[action$='/seats/']")
        if not seats.count():
            day = datetime.date.fromisoformat(page.input_value("#leg-date"))
            page.select_option("#leg-kind", "road")
            page.select_option("#leg-from", "najaf")
            page.select_option("#leg-to", "karbala")
            page.fill("#leg-date", (day + datetime.timedelta(days=2)).isoformat())
            submit(page, page.get_by_role("button", name="Add leg"))
        leg = page.locator("main .card").filter(has=seats).first
        if not leg.locator("summary", has_text="seats taken").count():
            for kind, plate, driver, phone, seats_n in (
                ("bus", "NJF 21-4471", "Karrar Hamza", "+9647801234567", "30"),
                ("coaster", "KRB 15-0932", "Mustafa Jabbar", "+9647709876543", "14"),
            ):
                leg = page.locator("main .card").filter(has=seats).first
                leg.locator("summary", has_text="Add a vehicle").click()
                form = leg.locator("form[action$='/vehicles/']")
                form.locator("select[name=kind]").select_option(kind)
                form.locator("input[name=plate]").fill(plate)
                form.locator("input[name=driver_name]").fill(driver)
                form.locator("input[name=driver_phone]").fill(phone)
                form.locator("input[name=seats]").fill(seats_n)
                submit(page, form.get_by_role("button", name="Add"))
            submit(page, page.get_by_role("button", name="Seat everyone").first)
        for _ in range(3):  # each hotel stay
            stay = page.locator("main section div.mb-2").filter(has_text="No rooms yet.")
            if not stay.count():
                break
            submit(page, stay.first.get_by_role("button", name="Room everyone"))
        return path

    def bind(self, user: str) -> None:
        """Give the phone user's CNIC once on "My trips" (the first leader or pilgrim of the
        trip), as a pilgrim does the first time."""
        page = self.go(self.worker(user), "/me/trips/")
        if not page.locator("input[name=cnic]").count():
            return
        role = "Leader" if user == "leader" else "Pilgrim"
        staff = self.go(self.worker("zgo-staff"), self.trip)
        row = staff.locator("tr[id^='member-']").filter(
            has=staff.locator("td:nth-child(2)", has_text=role)
        )
        submit(staff, row.first.locator("a").first)
        cnic = staff.locator("dt", has_text="CNIC").locator("xpath=following-sibling::dd[1]")
        page.fill("input[name=cnic]", cnic.inner_text())
        submit(page, page.locator("main form button[type=submit]"))

    def leader_app(self, viewport=DESKTOP) -> Page:
        """The leader app of the trip on a registered phone, synced."""
        user = self.who("leader")
        if user == "leader":
            self.bind("leader")
        page = self.page(user, viewport=viewport)
        self.go(page, "/lead/" + self.trip.split("/")[2] + "/")
        page.wait_for_selector("#zr-register:not(.d-none), #zr-device:not(:empty)")
        if page.locator("#zr-register:not(.d-none)").count():
            page.fill("#zr-device-name", "Hasan’s phone" if user == "leader" else "Office tablet")
            page.click("#zr-register-button")
        self.synced(page)
        return page

    @staticmethod
    def synced(page: Page) -> None:
        """Wait until the app has sent every action and heard back from the server."""
        page.wait_for_function(
            "() => { const q = document.getElementById('zr-queue');"
            " return q.dataset.queue === '0' && /\\d:\\d\\d/.test(q.textContent); }"
        )

    @staticmethod
    def headcount(page: Page, label: str, kind: str, scope_index: int = 0) -> bool:
        """Show the headcount `label`, opened first if there is none; True if opened now."""
        if page.locator("#zr-current:not(.d-none)").count():  # the one shown last time
            page.click("#zr-back")
        page.wait_for_selector("#zr-headcounts > *")
        existing = page.locator("#zr-headcounts button", has_text=label)
        if existing.count():
            existing.first.click()
            return False
        page.select_option("#zr-open-kind", kind)
        page.fill("#zr-open-label", label)
        page.locator("#zr-open-scope").select_option(index=scope_index)
        page.click("#zr-open")
        page.wait_for_selector("#zr-list li.zr-row")
        return True

    @cached_property
    def case_requested(self) -> None:
        """The leader's first headcount: everyone but one, closed with "depart anyway", and a
        case asked for the one missing."""
        self.vehicles  # noqa: B018 - the seats come first
        page = self.leader_app()
        if self.headcount(page, "Bab al-Qibla", "site_exit"):
            page.evaluate(
                """missing => document.querySelectorAll("#zr-list li.zr-row").forEach(row => {
                  if (row.querySelector(".zr-name").textContent !== missing) {
                    row.querySelector("button.zr-tick").click();
                  }
                })""",
                MISSING,
            )
            page.wait_for_function(
                "() => document.getElementById('zr-count-unseen').textContent === '1'"
            )
            page.click("#zr-close")
            page.click("#zr-depart-yes")
            page.wait_for_selector("#zr-closed:not(.d-none)")
        self.synced(page)
        if page.locator("#zr-missing button.zr-case").count():
            page.click("#zr-missing button.zr-case:enabled")
            page.wait_for_selector("#zr-missing .badge")
        page.close()

    def leader_phone(self, page: Page) -> None:
        """The shot of the leader app: a boarding count of the first vehicle under way."""
        page.close()
        self.case_requested  # noqa: B018
        self.sos_raised  # noqa: B018 - the alert shows at the top
        page = self.leader_app(PHONE)
        if self.headcount(page, "Car park, Bab al-Qibla", "vehicle_boarding", scope_index=1):
            unseen = page.evaluate(
                """() => {
                  const rows = Array.from(document.querySelectorAll("#zr-list li.zr-row"));
                  rows.forEach((row, i) => {
                    if (i % 3) { row.querySelector("button.zr-tick").click(); }
                  });
                  return String(Math.ceil(rows.length / 3));
                }"""
            )
            page.wait_for_function(
                "n => document.getElementById('zr-count-unseen').textContent === n", arg=unseen
            )
            self.synced(page)
        page.wait_for_selector("#zr-sos-alerts > *")
        self.shoot(page, "leader-phone.png", full_page=False)

    # --- SOS, cases, incidents ------------------------------------------------------------

    def _sos_alerts(self) -> bool:
        staff = self.go(self.worker("zgo-staff"), "/sos/")
        return not staff.get_by_text("No SOS alert here.").count()

    @cached_property
    def sos_raised(self) -> bool:
        """Whether the trip has an SOS alert; the pilgrim presses SOS if there is none."""
        self.case_requested  # noqa: B018 - first, and the leader is told of the SOS
        if self._sos_alerts():
            return True
        if self.who("pilgrim") is None:
            return False
        self.sos_page(press=True).close()
        return True

    def sos_page(self, press: bool = False) -> Page:
        """The pilgrim's "My trips" on the phone, SOS pressed if `press`."""
        self.bind("pilgrim")
        page = self.go(self.page("pilgrim", viewport=PHONE), "/me/trips/")
        if press:
            section = page.locator("[data-sos-button]").first
            section.locator("select[name=reason]").select_option("lost")
            section.locator("input[name=note]").fill("Lost the group after Maghrib, near gate 3")
            section.locator("button.zr-sos-press").click()
            page.wait_for_function(
                "() => document.querySelector('.zr-sos-status').textContent.includes('sent')"
            )
        return page

    def sos_phone(self, page: Page) -> None:
        """The pilgrim's SOS button, just pressed (or as it is, on a second run)."""
        page.close()
        self.case_requested  # noqa: B018
        press = "sos_raised" not in self.__dict__ and not self._sos_alerts()
        page = self.sos_page(press=press)
        self.__dict__["sos_raised"] = True
        page.locator("[data-sos-button]").first.scroll_into_view_if_needed()
        self.shoot(page, "sos-phone.png", full_page=False)

    @cached_property
    def case(self) -> str:
        """The missing pilgrim's case, searched for, escalated, then found in hospital by the
        consulate."""
        self.case_requested  # noqa: B018
        page = self.go(self.worker("zgo-staff"), "/cases/")
        path = page.locator("main table tbody a").first.get_attribute("href")
        steps = (
            ("zgo-staff", "searching", "Bab al-Qibla, Imam Hussain shrine",
             "His phone is off. The hotel, the shrine's lost-and-found desk and the police post "
             "at Bab al-Qibla have his photo."),
            ("zgo-staff", "escalated", "",
             "Not found after three hours. He needs his heart medicine by tonight."),
            ("consul", "hospital", "Al-Hussain Teaching Hospital, Karbala",
             "Brought in with heat exhaustion, now stable. The group leader collects him "
             "tomorrow morning."),
        )  # fmt: skip
        for user, state, place, note in steps:
            page = self.go(self.worker(user), path)
            if not page.locator(f"#id_state option[value={state}]").count():
                continue
            page.select_option("#id_state", state)
            page.fill("#id_place", place)
            page.fill("#id_note", note)
            submit(page, page.get_by_role("button", name="Save"))
        return path

    @cached_property
    def incident(self) -> str:
        """A road accident of the trip's first vehicle (the minibus)."""
        self.vehicles  # noqa: B018
        page = self.go(self.worker("zgo-staff"), "/incidents/")
        links = page.locator("main table tbody a[href^='/incidents/']")
        if links.count():
            return links.first.get_attribute("href")
        self.go(page, "/incidents/new/?trip=" + self.trip.split("/")[2])
        page.select_option("#id_kind", "road_accident")
        page.select_option("#id_severity", "serious")
        page.select_option("#id_city", "karbala")
        page.fill("#id_place", "Najaf–Karbala road, at the Haidariya checkpoint")
        page.fill("#id_pole", "1180")
        page.fill(
            "#id_description",
            "A lorry ran into the back of the minibus at the checkpoint. Two pilgrims were taken "
            "to Al-Hindiya hospital with cuts; the others are shaken but unhurt.",
        )
        page.locator("input[name=vehicles]").first.check()
        for member in page.locator("input[name=members]").all()[3:5]:
            member.check()
        submit(page, page.get_by_role("button", name="Record the incident"))
        return page.url.removeprefix(self.base)

    # --- Opening the pages shot -----------------------------------------------------------

    def shoot(self, page: Page, name: str, *, full_page: bool | str = True) -> None:
        width = page.viewport_size["width"]
        if full_page:  # cut at the viewport's width what sticks out (a long menu bar)
            if isinstance(full_page, str):
                bottom = "e => e.getBoundingClientRect().bottom + window.scrollY + 16"
                height = page.locator(full_page).evaluate(bottom)
            else:
                height = page.evaluate("document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": width, "height": height}
            page.screenshot(path=str(OUT / name), full_page=True, clip=clip)
        else:
            page.screenshot(path=str(OUT / name))
        page.close()
        print(OUT / name)

    def logistics(self, page: Page) -> None:
        self.go(page, self.vehicles)
        page.locator("main details:has(ol)").first.evaluate("d => d.open = true")

    def case_page(self, page: Page) -> None:
        self.go(page, self.case)
        for _ in range(10):  # the worker sends the messages about the last steps
            if not page.get_by_text("· Queued").count():
                break
            time.sleep(1)
            page.reload()

    def manifest(self, page: Page) -> None:
        """An official opens the accident manifest, giving the reason first."""
        self.go(page, self.incident + "manifest/")
        page.select_option("#id_reason", "emergency")
        submit(page, page.get_by_role("button", name="Open the manifest"))

    def lookup(self, page: Page) -> None:
        self.case  # noqa: B018 - his open case shows in the results
        self.go(page, "/consular/lookup/")
        page.fill("#id_name", LOOKUP)
        page.select_option("#id_reason", "missing_person")
        page.fill("#id_note", "His son called the embassy from Larkana")
        submit(page, page.get_by_role("button", name="Search"))

    def notifications(self, page: Page) -> None:
        self.case  # noqa: B018 - the messages are about these
        self.incident  # noqa: B018
        self.sos_raised  # noqa: B018
        time.sleep(3)  # the worker sends them
        self.go(page, "/notifications/")

    def problem_trip(self, page: Page) -> None:
        """A draft trip of twelve pilgrims with no leader, and passports that expire too soon
        after the return."""
        self.go(page, "/trips/?q=" + quote(PROBLEM_TRIP))
        link = page.locator("main table tbody a")
        if link.count():
            submit(page, link.first)
        else:
            self._trip_create(page)
        if page.get_by_text("The trip has no members yet.").count():
            submit(page, page.get_by_role("link", name="Add members").first)
            page.fill("#id_q", PROBLEM_FAMILY)
            with page.expect_navigation():
                page.locator("#id_q").press("Enter")
            for box in page.locator("input[name=profiles]").all()[:12]:
                box.check()
            page.select_option("#role", "pilgrim")
            submit(page, page.get_by_role("button", name="Add the ticked pilgrims"))
            page.reload()  # without the message of the step

    def _trip_create(self, page: Page) -> None:
        self.go(page, "/trips/new/")
        start = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=900)
        page.fill("#id_title", PROBLEM_TRIP)
        page.fill("#id_departure_date", start.isoformat())
        page.fill("#id_return_date", (start + datetime.timedelta(days=14)).isoformat())
        page.fill("#id_capacity", "12")
        page.fill("#id_price_pkr", "410000")
        for field, airport in (("outbound_from", "LHE"), ("outbound_to", "NJF"),
                               ("return_from", "NJF"), ("return_to", "LHE")):  # fmt: skip
            page.select_option(f"#id_{field}", airport)
        for i, (city, hotel, nights) in enumerate(
            (("najaf", "Qasr al-Dur", "5"), ("karbala", "Al-Kafeel Hotel", "9"))
        ):
            page.select_option(f"#id_hotel_{i}_city", city)
            page.fill(f"#id_hotel_{i}_name", hotel)
            page.fill(f"#id_hotel_{i}_nights", nights)
        submit(page, page.get_by_role("button", name="Save"))

    def roster_import(self, page: Page) -> None:
        self.go(page, "/imports/")
        link = page.locator("main a", has_text=ROSTER_FILE)
        if link.count():
            submit(page, link.first)
        else:
            self.go(page, "/imports/new/")
            page.set_input_files(
                "#id_file",
                files={"name": ROSTER_FILE, "mimeType": "text/csv", "buffer": ROSTER.encode()},
            )
            submit(page, page.get_by_role("button", name="Upload and check"))
        # The page polls the preview's progress and reloads itself when it is done.
        page.get_by_text("with errors", exact=True).wait_for(timeout=120_000)
        page.locator("details", has_text="Columns read").evaluate("d => d.open = true")

    def pilgrim_form(self, page: Page) -> None:
        """The form filled from the passport's zone, with a mistake the live check shows."""
        self.go(page, "/organiser/pilgrims/new/")
        page.fill("#id_mrz", MRZ)
        page.get_by_role("button", name="Read the zone and fill the form").click()
        page.wait_for_function("() => document.getElementById('id_surname').value !== ''")
        # Typed at once, then checked once: each check redraws the fields.
        page.evaluate(
            """values => {
              for (const [field, value] of Object.entries(values)) {
                document.getElementById("id_" + field).value = value;
              }
              document.getElementById("id_next_of_kin_phone")
                .dispatchEvent(new Event("change", {bubbles: true}));
            }""",
            {
                "guardian_name": "Syed Raza Zaidi",
                "home_city": "Lahore",
                "phone": "0300 4817263",
                "next_of_kin_name": "Raza Zaidi",
                "next_of_kin_relation": "husband",
                "next_of_kin_phone": "0321 48172",
            },
        )
        page.wait_for_selector("#pilgrim-fields .invalid-feedback")

    def itinerary(self, page: Page) -> None:
        """An Arbaeen trip's plan: the walk from Najaf on the map."""
        self.go(page, "/trips/?q=walkers from Najaf")
        self.go(page, page.locator("main table tbody a").first.get_attribute("href") + "itinerary/")

    @cached_property
    def plan(self) -> str:
        page = self.go(self.worker("planner"), "/slots/plans/")
        return page.locator("main table a[href^='/slots/plans/']").first.get_attribute("href")

    def solver_run(self, page: Page) -> None:
        """The planner's solved plan: optimiser against first come, first served, heat maps."""
        self.go(page, self.plan)
        runs = page.locator("main a[href^='/slots/runs/']")
        if runs.count():
            submit(page, runs.first)
        else:
            submit(page, page.get_by_role("button", name="Solve the requests"))
        page.wait_for_selector(
            "h1 .badge.text-bg-primary, h1 .badge.text-bg-danger", timeout=300_000
        )
        page.reload()  # without the message of the step

    def slot_requests(self, page: Page) -> None:
        self.go(page, self.plan + "requests/")

    def calendar(self, page: Page) -> None:
        """August 2026: Arbaeen a day after Umm al-Qura's date."""
        self.go(page, "/calendar/?month=2026-08")
        month = page.locator("section[aria-labelledby=month-title]")
        month.evaluate("s => s.scrollIntoView({behavior: 'instant'})")


SHOTS = [
    Shot("map.png", "/places/map/", ready=MAP_READY, full_page=False),
    Shot("sites.png", "/places/"),
    Shot("site-phone-urdu.png", "/places/sites/imam-husayn-shrine/", None, PHONE, MAP_READY, "ur"),
    Shot("licence-check.png", "/licences/?q=ZGO-2025"),
    Shot("organisers.png", "/ministry/organisers/", "ministry"),
    Shot("audit.png", "/audit/", "ministry"),
    Shot("organiser-home-suspended.png", "/organiser/", "kc-admin"),
    Shot("pilgrim-form.png", Demo.pilgrim_form, "zgo-staff"),
    Shot("import-preview.png", Demo.roster_import, "zgo-staff"),
    Shot("trips.png", "/trips/", "zgo-admin"),
    Shot("trip-problems.png", Demo.problem_trip, "zgo-staff", full_page=False),
    Shot("logistics.png", Demo.logistics, "zgo-staff", full_page=False),
    Shot("sos-phone.png", Demo.sos_phone, "pilgrim", PHONE),
    Shot("leader-phone.png", Demo.leader_phone, "leader", PHONE),
    Shot("case.png", Demo.case_page, "zgo-staff"),
    Shot("incident-manifest.png", Demo.manifest, "consul", full_page=False),
    Shot("lookup.png", Demo.lookup, "consul"),
    Shot(
        "itinerary.png", Demo.itinerary, "zgo-staff", ready=ROUTE_MAP_READY, full_page="#route-map"
    ),
    Shot("notifications.png", Demo.notifications, "zgo-admin", full_page=False),
    Shot("slots-heatmap.png", Demo.solver_run, "planner"),
    Shot("slots-requests.png", Demo.slot_requests, "zgo-staff", full_page=False),
    Shot("calendar.png", Demo.calendar, full_page=False),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--console-log", type=Path, help="the server's console output")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="take only these shots")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        demo = Demo(browser, options.base.rstrip("/"), options.console_log)
        for shot in SHOTS:
            if options.only and shot.name not in options.only:
                continue
            user = demo.who(shot.user)
            if shot.user and user is None:
                print(f"{shot.name}: left out (the {shot.user} signs in by phone: --console-log)")
                continue
            page = demo.page(user, shot.language, shot.viewport)
            if callable(shot.open):
                shot.open(demo, page)
            else:
                demo.go(page, shot.open)
            if page.is_closed():  # the function took the shot itself
                continue
            if shot.ready:
                page.wait_for_selector(shot.ready)
            demo.shoot(page, shot.name, full_page=shot.full_page)
        browser.close()


if __name__ == "__main__":
    main()
