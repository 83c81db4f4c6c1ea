"""The calendar, occasions and month-offset pages."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests import factories
from zaireen.core.models import AuditEntry
from zaireen.core.roles import Role
from zaireen.planning import hijri, services
from zaireen.planning.models import HijriMonthOffset
from zaireen.planning.selectors import iraq_today

pytestmark = pytest.mark.django_db

REASON = "Sistani's office: the crescent of Safar was not sighted on 14 July 2026"


def _row(html: str, row_id: str, end: str = "</tr>") -> str:
    start = html.index(f'id="{row_id}"')
    return html[start : html.index(end, start)]


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_the_calendar_shows_arbaeen_1448_on_the_day_iraq_will_observe(client, places, officer):
    """Done when: with the offset set, Arbaeen 1448 is on Tue 4 Aug 2026, and the page shows
    Umm al-Qura's date (Mon 3 Aug) beside it."""
    before = client.get(reverse("planning:calendar"), {"month": "2026-08"}).content.decode()
    assert "Arbaeen" in _row(before, "day-2026-08-03")
    assert "Arbaeen" not in _row(before, "day-2026-08-04")

    services.hijri_offset_set(actor=officer, year=1448, month=2, days=1, reason=REASON)
    html = client.get(reverse("planning:calendar"), {"month": "2026-08"}).content.decode()
    arbaeen = _text(_row(html, "day-2026-08-04"))
    assert "Tue 4 Aug" in arbaeen
    assert "20 Safar 1448" in arbaeen
    assert "Umm al-Qura: 21 Safar 1448" in arbaeen
    assert "Arbaeen (40th day after Ashura)" in arbaeen
    assert "Peak crowd" in arbaeen and "Karbala" in arbaeen
    assert "Arbaeen" not in _row(html, "day-2026-08-03")
    assert "Umm al-Qura: 20 Safar 1448" in _text(_row(html, "day-2026-08-03"))
    offsets = _text(html[html.index('id="month-offsets"') :].split("</p>")[0])
    assert "Safar 1448 +1" in offsets


def test_the_calendar_lists_the_coming_years_occasions_with_umm_al_qura_dates(
    client, places, officer
):
    today = iraq_today()
    # An offset of +1 on the month of a coming occasion, where it alone keeps every month 29
    # or 30 days long (Umm al-Qura's month before has 29 days, its own 30).
    upcoming = hijri.occasions_between(today, today + dt.timedelta(days=365))
    nxt = next(
        w
        for w in upcoming
        if w.start > today and not hijri.check_offsets({(w.hijri.year, w.hijri.month): 1})
    )
    services.hijri_offset_set(
        actor=officer, year=nxt.hijri.year, month=nxt.hijri.month, days=1, reason=REASON
    )
    html = client.get(reverse("planning:calendar")).content.decode()
    row = _text(_row(html, f"occasion-{nxt.occasion.key}-{nxt.hijri.year}", "</li>"))
    assert nxt.occasion.name in row
    assert f"{nxt.umm_al_qura_start:%a} {nxt.umm_al_qura_start.day}" in row
    assert "+1" in row
    assert html.count('class="page-item') >= 13, "the coming twelve months are one tap away"


def test_the_calendar_page_makes_a_fixed_number_of_queries(
    client, places, officer, django_assert_max_num_queries
):
    services.hijri_offsets_set(
        actor=officer, changes={(1447, 1): 1, (1447, 2): 1, (1447, 3): 1}, reason=REASON
    )
    services.hijri_offset_set(actor=officer, year=1448, month=2, days=1, reason=REASON)
    with django_assert_max_num_queries(2):  # the offsets table and the city names
        response = client.get(reverse("planning:calendar"), {"month": "2026-08"})
    assert response.status_code == 200
    client.force_login(officer)
    with django_assert_max_num_queries(4):  # + session and user
        assert client.get(reverse("planning:calendar")).status_code == 200


@pytest.mark.parametrize("month", ["2026-13", "garbage", "1900-01", "2100-01", "x" * 500])
def test_a_bad_month_shows_the_current_month(client, places, month):
    response = client.get(reverse("planning:calendar"), {"month": month})
    assert response.status_code == 200
    assert f'id="day-{iraq_today():%Y-%m-%d}"' in response.content.decode()


def test_the_occasions_page_lists_every_occasion_with_its_next_date(
    client, places, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the offsets table and the city names
        html = client.get(reverse("planning:occasions")).content.decode()
    for occasion in hijri.load_occasions():
        assert f'id="occasion-{occasion.key}"' in html
        assert occasion.name.replace("'", "&#x27;") in html
    ghadir = _text(_row(html, "occasion-ghadir"))
    assert "date not verified" in ghadir
    assert "18 Dhu al-Hijjah" in ghadir
    assert "Peak crowd" in _text(_row(html, "occasion-arbaeen"))


def test_arabic_and_urdu_pages_name_the_hijri_months_in_arabic(client, places):
    client.cookies["django_language"] = "ur"
    html = client.get(reverse("planning:calendar"), {"month": "2026-08"}).content.decode()
    assert "صفر" in _row(html, "day-2026-08-04")


def test_the_ministry_sets_offsets_on_its_page_with_a_reason(client, places, officer):
    client.force_login(officer)
    url = reverse("planning:offsets") + "?year=1448"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="1448-02"' in page.content.decode()
    body = {f"1448-{m:02d}": "0" for m in range(1, 13)}
    response = client.post(url, {**body, "1448-02": "1", "reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert HijriMonthOffset.objects.get().key == (1448, 2)
    html = client.get(url).content.decode()
    assert REASON.replace("'", "&#x27;") in html
    month = _text(_row(html, "month-2"))
    assert "Wed 15 Jul 2026" in month  # Umm al-Qura
    assert "Thu 16 Jul 2026" in month  # Iraq
    assert "29 days" in month
    history = _text(html[html.index('id="offset-history"') :])
    assert "officer" in history and "Safar 1448: +1" in history


def test_the_offsets_page_names_the_month_to_add_and_saves_nothing(client, places, officer):
    client.force_login(officer)
    url = reverse("planning:offsets") + "?year=1447"
    body = {f"1447-{m:02d}": "0" for m in range(1, 13)}
    response = client.post(url, {**body, "1447-02": "1", "reason": REASON, "confirm": "on"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Muharram 1447 would last 31 days" in _text(_row(html, "month-1"))
    assert "set the offset of Rabi&#x27; al-Awwal 1447" in _row(html, "month-2")
    assert not HijriMonthOffset.objects.exists()
    # With the months it named, the same form is accepted.
    body |= {"1447-01": "1", "1447-02": "1", "1447-03": "1"}
    response = client.post(url, {**body, "reason": REASON, "confirm": "on"})
    assert response.status_code == 302
    assert HijriMonthOffset.objects.count() == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"confirm": ""}, "confirm"),
        ({"1448-02": "5"}, "1448-02"),
        ({"1448-02": "0"}, None),  # nothing changed
    ],
)
def test_the_offsets_form_answers_422_naming_the_field(client, places, officer, change, field):
    client.force_login(officer)
    body = {f"1448-{m:02d}": "0" for m in range(1, 13)}
    body |= {"1448-02": "1", "reason": REASON, "confirm": "on", **change}
    response = client.post(reverse("planning:offsets") + "?year=1448", body)
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors if field else form.non_field_errors()
    assert not HijriMonthOffset.objects.exists()
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action=services.AUDIT_ACTION).exists()


def test_other_roles_cannot_set_offsets_on_the_page(client, places, officer):
    """403 for a consular officer; the same POST succeeds for the ministry."""
    body = {f"1448-{m:02d}": "0" for m in range(1, 13)}
    body |= {"1448-02": "1", "reason": REASON, "confirm": "on"}
    url = reverse("planning:offsets") + "?year=1448"
    client.force_login(factories.user("consul", Role.CONSULAR_OFFICER))
    assert client.post(url, body).status_code == 403
    assert not HijriMonthOffset.objects.exists()
    client.force_login(officer)
    assert client.post(url, body).status_code == 302
    assert HijriMonthOffset.objects.exists()


def test_the_offsets_page_shows_the_year_asked_for_or_this_year(client, places, officer):
    client.force_login(officer)
    this_year = hijri.to_hijri(iraq_today()).year
    response = client.get(reverse("planning:offsets"), {"year": "99999"})
    assert response.status_code == 200
    assert response.context["year"] == this_year
