"""Fixtures for roster imports: an organiser with staff and draft trips, roster builders."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from tests import factories
from zaireen.core.roles import Role
from zaireen.trips.services import trip_create

HEADERS = [
    "Trip code", "Role", "Surname", "Given names", "CNIC", "Passport number", "Passport expiry",
    "Date of birth", "Sex", "Mobile phone", "Next of kin", "Next of kin's phone",
]  # fmt: skip


def cnic(n: int, sex: str = "M") -> str:
    """A well-formed CNIC for person `n` whose last digit fits `sex` (odd for men)."""
    last = (n % 5) * 2 + (1 if sex == "M" else 0)
    return f"35202-{n:07d}-{last}"


def row(n: int, *, trip: str = "", role: str = "", **overrides) -> dict:
    today = timezone.localdate()
    values = {
        "Trip code": trip,
        "Role": role,
        "Surname": "JAFRI",
        "Given names": f"PILGRIM {chr(65 + n % 26)}",
        "CNIC": cnic(n),
        "Passport number": f"AB{n:07d}",
        "Passport expiry": (today + datetime.timedelta(days=1500)).strftime("%d/%m/%Y"),
        "Date of birth": (datetime.date(1960, 1, 1) + datetime.timedelta(days=n)).isoformat(),
        "Sex": "M",
        "Mobile phone": "0300 1234567",
        "Next of kin": "HASAN JAFRI",
        "Next of kin's phone": "0321 7654321",
    }
    values.update(overrides)
    return values


def as_csv(rows: list[dict], *, headers=HEADERS, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(h, "") for h in headers])
    return out.getvalue().encode(encoding)


def as_xlsx(rows: list[dict], *, headers=HEADERS, before=(), setup=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in before:
        sheet.append(line)
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    if setup:
        setup(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def org(places):
    organiser = factories.organiser("ZGO-R")
    return organiser


@pytest.fixture
def staff(org):
    return factories.user("r-staff", Role.ORGANISER_STAFF, org)


@pytest.fixture
def admin(org):
    return factories.user("r-admin", Role.ORGANISER_ADMIN, org)


@pytest.fixture
def trips(staff):
    """Two draft trips of the organiser: A with room for 50, B with room for 3."""
    return (
        trip_create(actor=staff, data=factories.trip_input(code="ARB-A", capacity=50)),
        trip_create(actor=staff, data=factories.trip_input(code="ARB-B", capacity=3)),
    )


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """Run the background jobs a block enqueues, inline, when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
