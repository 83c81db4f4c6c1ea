"""Small builders for tests: real rows through real services where it matters."""

import datetime

from django.utils import timezone

from zaireen.accounts.models import User
from zaireen.core.roles import Role
from zaireen.organizers.models import LicenceStatus, Organiser
from zaireen.places.models import City


def organiser(
    number: str = "ZGO-T-1", *, status: str = LicenceStatus.LICENSED, **fields
) -> Organiser:
    today = timezone.localdate()
    city = City.objects.get(slug=fields.pop("city", "lahore"))
    licensed = status != LicenceStatus.APPLIED
    return Organiser.objects.create(
        legal_name=fields.pop("legal_name", f"Organiser {number}"),
        licence_number=number,
        head_office_city=city,
        phone="+924235761234",
        email=f"{number.lower()}@example.org",
        status=status,
        valid_from=fields.pop(
            "valid_from", today - datetime.timedelta(days=10) if licensed else None
        ),
        valid_until=fields.pop(
            "valid_until", today + datetime.timedelta(days=300) if licensed else None
        ),
        **fields,
    )


def user(username: str, role: str, org: Organiser | None = None, **fields) -> User:
    person = User(username=username, role=role, organiser=org, **fields)
    person.set_password("a-long-pass-phrase")
    person.save()
    return person


def ministry(username: str = "ministry") -> User:
    return user(username, Role.MINISTRY_OFFICER)


def trip_input(**overrides):
    """A valid draft trip: Lahore–Najaf in three weeks' time, ten days."""
    from zaireen.trips.services import HotelInput, TripInput

    start = timezone.localdate() + datetime.timedelta(days=21)
    fields = {
        "title": "Arbaeen group",
        "departure_date": start,
        "return_date": start + datetime.timedelta(days=10),
        "outbound_from": "LHE",
        "outbound_to": "NJF",
        "return_from": "NJF",
        "return_to": "LHE",
        "capacity": 50,
        "price_pkr": 350_000,
        "outbound_flight": "PK 719",
        "hotels": (HotelInput("najaf", "Qasr al-Dur", 4), HotelInput("karbala", "Al-Kafeel", 5)),
    }
    return TripInput(**{**fields, **overrides})
