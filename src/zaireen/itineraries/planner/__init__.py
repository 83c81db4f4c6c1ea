"""The itinerary planner (pure Python, no Django): a trip's request in, a day-by-day plan out.

    from zaireen.itineraries.planner import plan_trip, PlanRequest
    plan = plan_trip(request)          # or PlanRefused naming the rule
    plan = move_item(plan, request, key="v3", start=...)   # or EditRefused

See docs/itineraries.md for the rules, the objective and the assumptions behind the numbers.
"""

from zaireen.itineraries.planner.build import FIELD_OF_RULE, plan_trip
from zaireen.itineraries.planner.codec import plan_from_data, plan_to_data
from zaireen.itineraries.planner.edits import add_visit, move_item, recheck, remove_item
from zaireen.itineraries.planner.rules import check, hot_minutes, location_at, windows
from zaireen.itineraries.planner.types import (
    EditRefused,
    Item,
    Kind,
    Meal,
    Needs,
    OccasionSpec,
    Place,
    Plan,
    PlanRefused,
    PlanRequest,
    Road,
    Rule,
    RuleSettings,
    SiteSpec,
    Stay,
    StaySpec,
    Unmet,
    VehicleStop,
    Violation,
    Warning,
    base,
    outside,
)

__all__ = [
    "FIELD_OF_RULE",
    "EditRefused",
    "Item",
    "Kind",
    "Meal",
    "Needs",
    "OccasionSpec",
    "Place",
    "Plan",
    "PlanRefused",
    "PlanRequest",
    "Road",
    "Rule",
    "RuleSettings",
    "SiteSpec",
    "Stay",
    "StaySpec",
    "Unmet",
    "VehicleStop",
    "Violation",
    "Warning",
    "add_visit",
    "base",
    "check",
    "hot_minutes",
    "location_at",
    "move_item",
    "outside",
    "plan_from_data",
    "plan_to_data",
    "plan_trip",
    "recheck",
    "remove_item",
    "windows",
]
