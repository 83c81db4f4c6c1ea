"""The main menu, by role: each entry says who sees it.

Issue by issue, entries are added here with the roles that may use them; the permission
policy decides access, this only decides what is offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    authenticated_only: bool = False


NAV_ITEMS = (
    NavItem(_("Holy sites"), "places:site_list"),
    NavItem(_("Map"), "places:map"),
    NavItem(_("Travel times"), "places:travel"),
    NavItem(_("API"), "api-1.0.0:openapi-view"),
)


def navigation_for(user, current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if item.authenticated_only and not user.is_authenticated:
            continue
        url = reverse(item.url_name)
        items.append(
            {"label": item.label, "url": url, "active": current_path.startswith(url.rstrip("/"))}
        )
    return items
