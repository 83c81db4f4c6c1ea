"""Demo data of the planning app: the month offset Iraq needs for Arbaeen 1448.

Arbaeen (20 Safar) was observed in Iraq one day after Umm al-Qura in 2023, 2024 and 2025
(reference-facts F5.2, F5.3); Umm al-Qura's 20 Safar 1448 is Monday 3 August 2026, so the
projection is Tuesday 4 August 2026. Umm al-Qura's Muharram 1448 has 29 days and its Safar 30,
so "Safar 1448 began a day later" alone keeps every month at 29 or 30 days (Muharram 30,
Safar 29) and `hijri.check_offsets` accepts it.

Set through the service, as the demo ministry officer, so the audit trail shows it; running
it again changes nothing, and a month an officer has set is left alone.
"""

from __future__ import annotations

from zaireen.accounts.models import User
from zaireen.core.roles import Role
from zaireen.planning import services
from zaireen.planning.models import HijriMonthOffset

DEMO_OFFSETS = {(1448, 2): 1}
DEMO_REASON = (
    "Projection for the demo: Iraq observed Arbaeen one day after Umm al-Qura in 2023, 2024 "
    "and 2025 (reference-facts F5.2, F5.3), so Safar 1448 is expected to begin a day later and "
    "Arbaeen 1448 to fall on Tue 4 Aug 2026. Replace with the announced moon sighting."
)


def planning_demo(*, username: str = "ministry") -> list[HijriMonthOffset]:
    """Set the demo offsets with the demo ministry user (who must exist); return the rows."""
    officer = User.objects.get(username=username, role=Role.MINISTRY_OFFICER)
    years = {year for year, _month in DEMO_OFFSETS}
    have = set(
        HijriMonthOffset.objects.filter(hijri_year__in=years).values_list(
            "hijri_year", "hijri_month"
        )
    )
    # A month an officer has already set is left as it is.
    missing = {key: days for key, days in DEMO_OFFSETS.items() if key not in have}
    if missing:
        services.hijri_offsets_set(actor=officer, changes=missing, reason=DEMO_REASON)
    return [
        row
        for row in HijriMonthOffset.objects.filter(hijri_year__in=years)
        if row.key in DEMO_OFFSETS
    ]
