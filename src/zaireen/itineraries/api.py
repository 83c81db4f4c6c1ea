"""Itineraries: the planner's day-by-day plans of trips."""

from ninja import Router

router = Router(tags=["itineraries"])
