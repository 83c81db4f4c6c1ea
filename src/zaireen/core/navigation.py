"""The main menu, by role: each entry says who sees it.

Issue by issue, entries are added here with the roles that may use them; the permission
policy decides access, this only decides what is offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zaireen.core.roles import ORGANISER_ROLES, Role

EVERYONE = None


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = EVERYONE


NAV_ITEMS = (
    NavItem(
        _("Organisers"),
        "organizers:list",
        frozenset({Role.MINISTRY_OFFICER, Role.CONSULAR_OFFICER}),
    ),
    NavItem(_("My organiser"), "organizers:home", ORGANISER_ROLES),
    NavItem(
        _("Trips"),
        "trips:list",
        frozenset(
            {
                Role.ORGANISER_ADMIN,
                Role.ORGANISER_STAFF,
                Role.MINISTRY_OFFICER,
                Role.CONSULAR_OFFICER,
            }
        ),
    ),
    NavItem(_("My trips"), "trips:mine", frozenset({Role.PILGRIM, Role.GROUP_LEADER})),
    NavItem(
        _("Pilgrims"),
        "pilgrims:list",
        frozenset({Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF}),
    ),
    NavItem(
        _("Roster imports"),
        "rosters:list",
        frozenset({Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF}),
    ),
    NavItem(
        _("Incidents"),
        "incidents:list",
        frozenset(
            {
                Role.ORGANISER_ADMIN,
                Role.ORGANISER_STAFF,
                Role.GROUP_LEADER,
                Role.MINISTRY_OFFICER,
                Role.CONSULAR_OFFICER,
            }
        ),
    ),
    NavItem(
        _("SOS alerts"),
        "incidents:sos_list",
        frozenset(
            {
                Role.ORGANISER_ADMIN,
                Role.ORGANISER_STAFF,
                Role.MINISTRY_OFFICER,
                Role.CONSULAR_OFFICER,
            }
        ),
    ),
    NavItem(_("Staff"), "organizers:staff", frozenset({Role.ORGANISER_ADMIN})),
    NavItem(
        _("Audit trail"), "core:audit", frozenset({Role.MINISTRY_OFFICER, Role.ORGANISER_ADMIN})
    ),
    NavItem(
        _("Find a pilgrim"),
        "lookup:search",
        frozenset({Role.CONSULAR_OFFICER, Role.MINISTRY_OFFICER}),
    ),
    NavItem(_("Access log"), "core:access_log", frozenset({Role.MINISTRY_OFFICER})),
    NavItem(
        _("Missing persons"),
        "cases:list",
        frozenset(
            {
                Role.MINISTRY_OFFICER,
                Role.CONSULAR_OFFICER,
                Role.ORGANISER_ADMIN,
                Role.ORGANISER_STAFF,
                Role.GROUP_LEADER,
            }
        ),
    ),
    NavItem(
        _("Delivery log"),
        "notifications:list",
        frozenset({Role.MINISTRY_OFFICER, Role.ORGANISER_ADMIN}),
    ),
    NavItem(_("Identity conflicts"), "pilgrims:conflicts", frozenset({Role.MINISTRY_OFFICER})),
    NavItem(_("Holy sites"), "places:site_list"),
    NavItem(_("Map"), "places:map"),
    NavItem(_("Travel times"), "places:travel"),
    NavItem(_("Calendar"), "planning:calendar"),
    NavItem(_("Prayer times"), "planning:prayer_cities"),
    NavItem(_("Pole gazetteer"), "planning:poles"),
    NavItem(
        _("Itinerary data"),
        "itineraries:reference",
        frozenset({Role.MINISTRY_OFFICER, Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF}),
    ),
    NavItem(_("Month offsets"), "planning:offsets", frozenset({Role.MINISTRY_OFFICER})),
    NavItem(
        _("Crowd slots"),
        "crowd:plans",
        frozenset({Role.CROWD_PLANNER, Role.MINISTRY_OFFICER}),
    ),
    NavItem(_("Time slots"), "crowd:home", frozenset({Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF})),
    NavItem(_("Licence check"), "organizers:licence_check"),
)


def navigation_for(user, current_path: str) -> list[dict]:
    role = getattr(user, "role", "") if user.is_authenticated else ""
    items = []
    for item in NAV_ITEMS:
        if item.roles is not EVERYONE and role not in item.roles:
            continue
        url = reverse(item.url_name)
        items.append(
            {"label": item.label, "url": url, "active": current_path.startswith(url.rstrip("/"))}
        )
    return items
