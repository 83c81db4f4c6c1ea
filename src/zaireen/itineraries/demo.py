"""Demo data of the itineraries app: an itinerary for every approved demo trip.

Planned through the service, as the organiser's staff would. The demo trips' hotels do not
always cover every night of the trip, so the missing nights are added to a stay in the city
of the airport the group flies home from (Kadhimiya for Baghdad), or to the last hotel; a
plan refused with the trip's occasion is tried once without it. Running it again changes
nothing: a trip that has an itinerary is left alone.
"""

from __future__ import annotations

import logging

from django_scopes import scopes_disabled

from zaireen.core.errors import ValidationFailed
from zaireen.itineraries import selectors, services
from zaireen.itineraries.models import Itinerary
from zaireen.trips.models import Trip, TripStatus

logger = logging.getLogger(__name__)
HOME_AIRPORT_STAY = {"BGW": "kadhimiya", "NJF": "najaf"}


def _stays(trip: Trip, stays: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    nights = (trip.return_date - trip.departure_date).days
    stays = [list(s) for s in stays] or [
        [HOME_AIRPORT_STAY.get(trip.return_from.iata, "najaf"), 0, ""]
    ]
    missing = nights - sum(s[1] for s in stays)
    if missing > 0:
        city = HOME_AIRPORT_STAY.get(trip.return_from.iata)
        if city and city != stays[-1][0]:
            stays.append([city, missing, "Demo hotel"])
        else:
            stays[-1][1] += missing
    while missing < 0 and stays:
        cut = min(-missing, stays[-1][1] - 1) if len(stays) == 1 else min(-missing, stays[-1][1])
        stays[-1][1] -= cut
        missing += cut
        if stays[-1][1] == 0:
            stays.pop()
    return [tuple(s) for s in stays]


def itineraries_demo(*, actors) -> list[Itinerary]:
    """Plan every approved trip of each actor's organiser that has no itinerary yet."""
    services.reference_load()
    made = []
    for actor in actors:
        with scopes_disabled():
            trips = list(
                Trip.objects.filter(
                    organiser_id=actor.organiser_id,
                    status=TripStatus.APPROVED,
                    itinerary__isnull=True,
                ).select_related("outbound_to", "return_from")
            )
        for trip in trips:
            values = selectors.plan_defaults(trip)
            data = services.PlanData(
                arrival_at=values["arrival_at"],
                departure_at=values["departure_at"],
                stays=tuple(_stays(trip, values["stays"])),
                wishes=tuple(values["wishes"]),
                needs="standard",
                occasion=values["occasion"],
            )
            for attempt in (data, services.PlanData(**{**data.__dict__, "occasion": ""})):
                try:
                    made.append(
                        services.itinerary_plan(actor=actor, trip_uid=trip.uid, data=attempt)
                    )
                    break
                except ValidationFailed as exc:
                    logger.warning("demo itinerary of %s refused: %s", trip.code, exc)
    return made
