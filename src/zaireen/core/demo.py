"""Demo data for `make run`: organisers in several licence states and one login per role.

Created through the same services as real data (so the audit trail shows it), once; running
it again changes nothing. Passwords are random, kept in the data folder and printed at start.
Later issues add their own demo data here.
"""

from __future__ import annotations

import datetime
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zaireen.accounts.models import User
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.organizers import services as organisers
from zaireen.organizers.models import LicenceStatus, Organiser

DEMO_ORGANISERS = (
    {
        "key": "al-noor",
        "legal_name": "Al-Noor Ziyarat Services (Pvt) Ltd",
        "trade_name": "Al-Noor Ziyarat",
        "licence_number": "ZGO-2025-0012",
        "head_office_city": "lahore",
        "phone": "+924235761234",
        "email": "office@alnoor-ziyarat.example",
        "status": LicenceStatus.LICENSED,
    },
    {
        "key": "karbala-caravans",
        "legal_name": "Karbala Caravans (Pvt) Ltd",
        "trade_name": "Karbala Caravans",
        "licence_number": "ZGO-2025-0047",
        "head_office_city": "karachi",
        "phone": "+922134567890",
        "email": "info@karbala-caravans.example",
        "status": LicenceStatus.SUSPENDED,
        "reason": "The return of 12 pilgrims of the Ashura group was not reported within 7 days.",
    },
    {
        "key": "najaf-travel",
        "legal_name": "Najaf Travel and Tours",
        "trade_name": "",
        "licence_number": "ZGO-2026-0133",
        "head_office_city": "islamabad",
        "phone": "+92512345678",
        "email": "apply@najaf-travel.example",
        "status": LicenceStatus.APPLIED,
    },
)

# username, first, last, role, organiser key, phone (phone roles sign in with a code)
DEMO_USERS = (
    ("ministry", "Farah", "Naqvi", Role.MINISTRY_OFFICER, None, ""),
    ("consul", "Imran", "Haider", Role.CONSULAR_OFFICER, None, ""),
    ("planner", "Ali", "al-Hasnawi", Role.CROWD_PLANNER, None, ""),
    ("zgo-admin", "Sajjad", "Rizvi", Role.ORGANISER_ADMIN, "al-noor", ""),
    ("zgo-staff", "Zainab", "Jafri", Role.ORGANISER_STAFF, "al-noor", ""),
    ("leader", "Hasan", "Abidi", Role.GROUP_LEADER, "al-noor", "+923001234567"),
    ("pilgrim", "Kulsoom", "Bibi", Role.PILGRIM, None, "+923331234568"),
    ("kc-admin", "Naveed", "Shah", Role.ORGANISER_ADMIN, "karbala-caravans", ""),
)


def _logins_path() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.json"


def _organisers(ministry: User) -> dict[str, Organiser]:
    today = timezone.localdate()
    made = {}
    for spec in DEMO_ORGANISERS:
        organiser = one_or_none(Organiser.objects.filter(licence_number=spec["licence_number"]))
        if organiser is None:
            fields = {k: spec[k] for k in ("legal_name", "trade_name", "licence_number",
                                           "head_office_city", "phone", "email")}  # fmt: skip
            organiser = organisers.organiser_register(actor=ministry, **fields)
            steps = {
                LicenceStatus.APPLIED: [],
                LicenceStatus.LICENSED: [LicenceStatus.VETTED, LicenceStatus.LICENSED],
                LicenceStatus.SUSPENDED: [LicenceStatus.VETTED, LicenceStatus.LICENSED],
            }[spec["status"]]  # fmt: skip
            for step in steps:
                organisers.organiser_status_change(
                    actor=ministry,
                    organiser_uid=organiser.uid,
                    to_status=step,
                    reason=spec.get("reason", "")
                    if step == LicenceStatus.SUSPENDED
                    else "Documents checked: SECP, tax, police and tourism certificates.",
                    valid_from=today - datetime.timedelta(days=90),
                    valid_until=today + datetime.timedelta(days=640),
                )
        made[spec["key"]] = organiser
    return made


def demo_setup() -> list[dict[str, str]]:
    """Create what is missing; return every demo login (password or phone)."""
    path = _logins_path()
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    logins = []
    with transaction.atomic():
        ministry = one_or_none(User.objects.filter(username="ministry"))
        if ministry is None:
            ministry = User(username="ministry", role=Role.MINISTRY_OFFICER)
            ministry.set_unusable_password()
            ministry.save()
        organisers_by_key = _organisers(ministry)
        for username, first, last, role, organiser_key, phone in DEMO_USERS:
            user = one_or_none(User.objects.filter(username=username)) or User(username=username)
            user.first_name, user.last_name, user.role, user.phone = first, last, role, phone
            user.organiser = organisers_by_key[organiser_key] if organiser_key else None
            if phone:
                user.set_unusable_password()
                logins.append({"username": username, "role": role.label, "login": phone})
            else:
                if username not in stored or not user.has_usable_password():
                    stored[username] = stored.get(username) or secrets.token_urlsafe(9)
                    user.set_password(stored[username])
                logins.append({"username": username, "role": role.label, "login": stored[username]})
            user.save()
        _later_issues_demo(ministry)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=2))
    path.chmod(0o600)
    return logins


def _later_issues_demo(ministry: User) -> None:
    """Pilgrims, trips and calendar offsets, each app's demo through its own services."""
    from zaireen.accounts.services import account_bind_cnic
    from zaireen.pilgrims.demo import pilgrims_demo
    from zaireen.planning.demo import planning_demo
    from zaireen.trips.demo import PLAN, trips_demo
    from zaireen.trips.models import MemberRole, TripStatus

    staff = User.objects.get(username="zgo-staff")
    kc_admin = User.objects.get(username="kc-admin")
    pilgrims_demo(actor=staff, count=420)
    pilgrims_demo(actor=kc_admin, count=80, seed=1447)
    trips = trips_demo(actor=staff, ministry=ministry)
    kc_trips = trips_demo(actor=kc_admin, ministry=ministry, plan=[p for p in PLAN if p[4] in (
        TripStatus.APPROVED, TripStatus.DEPARTED)])  # fmt: skip
    kc = kc_admin.organiser
    if kc_trips and kc.status == LicenceStatus.LICENSED:
        spec = next(s for s in DEMO_ORGANISERS if s["key"] == "karbala-caravans")
        organisers.organiser_status_change(
            actor=ministry,
            organiser_uid=kc.uid,
            to_status=LicenceStatus.SUSPENDED,
            reason=spec["reason"],
        )
    # The demo leader and pilgrim are members of a departed trip, bound to their persons.
    departed = next((t for t in trips if t.status == TripStatus.DEPARTED), None)
    if departed is not None:
        from django_scopes import scopes_disabled

        from zaireen.pilgrims.identity import format_cnic

        with scopes_disabled():
            members = list(departed.members.select_related("profile").order_by("pk"))
        leader = next(m for m in members if m.role == MemberRole.LEADER)
        pilgrim = next(m for m in members if m.role == MemberRole.PILGRIM)
        for username, member in (("leader", leader), ("pilgrim", pilgrim)):
            user = User.objects.get(username=username)
            if not user.person_id:
                account_bind_cnic(actor=user, cnic=format_cnic(member.profile.cnic))
    planning_demo()
    from zaireen.itineraries.demo import itineraries_demo

    itineraries_demo(actors=(staff, kc_admin))
    from zaireen.crowd.demo import crowd_demo

    crowd_demo(planner=User.objects.get(username="planner"), staff=staff, ministry=ministry)
