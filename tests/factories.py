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
