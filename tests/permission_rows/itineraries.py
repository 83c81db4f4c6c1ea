"""Permission rows for the itineraries app.

Whoever sees the trip sees its itinerary (page, phone view, PDF, API read): its organiser's
admins and staff, officials, and its leader and members; the crowd planner does not see the
trip (404). Only the organiser's admins and staff plan and edit it (others who see it: 403).
The reference data is public; only the ministry edits it.
"""

import datetime
import zoneinfo

from tests.permission_table_base import ALL, SIGNED_IN, Row, others

STAFF = ("org_admin", "org_staff")
VIEWERS = ("ministry", "consul", "org_admin", "org_staff", "leader", "pilgrim")
SEE_BUT_DO_NOT_PLAN = ("ministry", "consul", "leader", "pilgrim")
IRAQ = zoneinfo.ZoneInfo("Asia/Baghdad")

TABLE = [
    Row("itineraries:trip", ("anonymous",), "login"),
    Row("itineraries:trip", VIEWERS, 200),
    Row("itineraries:trip", ("planner",), 404),
    Row("itineraries:phone", ("anonymous",), "login"),
    Row("itineraries:phone", VIEWERS, 200),
    Row("itineraries:phone", ("planner",), 404),
    Row("itineraries:pdf", ("anonymous",), "login"),
    Row("itineraries:pdf", VIEWERS, 200),
    Row("itineraries:pdf", ("planner",), 404),
    Row("itineraries:plan", ("anonymous",), "login"),
    Row("itineraries:plan", STAFF, 200),
    Row("itineraries:plan", others(*STAFF), 403),
    Row("itineraries:plan", STAFF, 302, method="post"),
    Row("itineraries:edit", ("anonymous",), "login"),
    Row("itineraries:edit", STAFF, 405),
    Row("itineraries:edit", others(*STAFF), 403),
    Row("itineraries:edit", STAFF, 302, method="post"),
    Row("itineraries:reference", ALL, 200),
    *[
        row
        for name in ("fact_edit", "climate_edit", "stop_edit", "circuit_edit")
        for row in (
            Row(f"itineraries:{name}", ("anonymous",), "login"),
            Row(f"itineraries:{name}", ("ministry",), 200),
            Row(f"itineraries:{name}", others("ministry"), 403),
            Row(f"itineraries:{name}", ("ministry",), 302, method="post"),
        )
    ],
    Row("api-1.0.0:itinerary", ("anonymous",), 401),
    Row("api-1.0.0:itinerary", VIEWERS, 200),
    Row("api-1.0.0:itinerary", ("planner",), 404),
    Row("api-1.0.0:itinerary", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:itinerary", STAFF, 200, method="post"),
    Row("api-1.0.0:itinerary", SEE_BUT_DO_NOT_PLAN, 403, method="post"),
    Row("api-1.0.0:itinerary", ("planner",), 404, method="post"),
    Row("api-1.0.0:itinerary_edit", ALL, 405),
    Row("api-1.0.0:itinerary_edit", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:itinerary_edit", STAFF, 200, method="post"),
    Row("api-1.0.0:itinerary_edit", SEE_BUT_DO_NOT_PLAN, 403, method="post"),
    Row("api-1.0.0:itinerary_edit", ("planner",), 404, method="post"),
]
assert set(SIGNED_IN) == {*VIEWERS, "planner"}


def _plan_body(ctx) -> dict:
    """A plan ctx.trip can keep: its ten nights in Najaf and Karbala, no occasion."""
    trip = ctx.trip
    return {
        "arrival_at": datetime.datetime.combine(
            trip.departure_date, datetime.time(10, 0), tzinfo=IRAQ
        ).isoformat(),
        "departure_at": datetime.datetime.combine(
            trip.return_date, datetime.time(18, 0), tzinfo=IRAQ
        ).isoformat(),
        "stays": [
            {"city": "najaf", "nights": 5, "hotel": "Qasr al-Dur"},
            {"city": "karbala", "nights": 5, "hotel": "Al-Kafeel"},
        ],
        "wishes": ["imam-ali-shrine", "imam-husayn-shrine"],
        "needs": "standard",
        "occasion": "",
    }


def _planned(ctx):
    """ctx.trip with an itinerary (planned once per test)."""
    from django_scopes import scopes_disabled

    from zaireen.itineraries import services
    from zaireen.itineraries.models import Itinerary

    with scopes_disabled():
        planned = Itinerary.objects.filter(trip=ctx.trip).first()
    if planned is None:
        services.reference_load()
        body = _plan_body(ctx)
        planned = services.itinerary_plan(
            actor=ctx.users["org_admin"],
            trip_uid=ctx.trip.uid,
            data=services.PlanData(
                arrival_at=datetime.datetime.fromisoformat(body["arrival_at"]),
                departure_at=datetime.datetime.fromisoformat(body["departure_at"]),
                stays=tuple((s["city"], s["nights"], s["hotel"]) for s in body["stays"]),
                wishes=tuple(body["wishes"]),
                needs="standard",
            ),
        )
    return planned


def _trip(ctx):
    return {"uid": ctx.trip.uid}


def _planned_trip(ctx):
    _planned(ctx)
    return {"uid": ctx.trip.uid}


def _reference(ctx, **kwargs):
    from zaireen.itineraries import services

    services.reference_load()
    return kwargs


def _a_visit(ctx) -> str:
    from zaireen.itineraries.selectors import plan_of

    return next(it.key for it in plan_of(_planned(ctx)).items if it.kind == "visit")


def _plan_form(ctx) -> dict:
    body = _plan_body(ctx)
    form = {
        "arrival_at": body["arrival_at"][:16],
        "departure_at": body["departure_at"][:16],
        "needs": "standard",
        "occasion": "",
        "wishes": body["wishes"],
    }
    for i, stay in enumerate(body["stays"]):
        form.update(
            {
                f"stay_city_{i}": stay["city"],
                f"stay_nights_{i}": stay["nights"],
                f"stay_hotel_{i}": stay["hotel"],
            }
        )
    return form


URL_ARGS = {
    "itineraries:trip": _trip,
    "itineraries:phone": _trip,
    "itineraries:pdf": lambda ctx: {**_planned_trip(ctx), "lang": "ur"},
    "itineraries:plan": lambda ctx: _reference(ctx, uid=ctx.trip.uid),
    "itineraries:edit": _planned_trip,
    "itineraries:fact_edit": lambda ctx: _reference(ctx, slug="imam-ali-shrine"),
    "itineraries:climate_edit": lambda ctx: _reference(ctx, slug="karbala"),
    "itineraries:stop_edit": lambda ctx: _reference(ctx, occasion="arbaeen"),
    "itineraries:circuit_edit": lambda ctx: _reference(ctx, iata="NJF"),
    "api-1.0.0:itinerary": _planned_trip,
    "api-1.0.0:itinerary_edit": _planned_trip,
}
QUERY: dict = {}
BODY = {
    "itineraries:plan": _plan_form,
    "itineraries:edit": lambda ctx: {"op": "remove", "item": _a_visit(ctx)},
    "itineraries:fact_edit": lambda ctx: {
        "visit_minutes": 120,
        "duration_source": "assumption (test)",
        "hours": "",
        "hours_source": "",
        "name_ur": "",
    },
    "itineraries:climate_edit": lambda ctx: {
        **{f"m{m}": 20 + m for m in range(1, 13)},
        "source": "test source",
    },
    "itineraries:stop_edit": lambda ctx: {
        "city": "karbala",
        "distance_km": "15",
        "days_before": 2,
        "days_after": 0,
        "source": "test source",
        "assumption": "on",
    },
    "itineraries:circuit_edit": lambda ctx: {
        "cities": "najaf, kufa, karbala",
        "sites": "imam-ali-shrine",
        "source": "test source",
    },
    "api-1.0.0:itinerary": _plan_body,
    "api-1.0.0:itinerary_edit": lambda ctx: {"op": "remove", "item": _a_visit(ctx)},
}
TENANT_ROWS = [
    ("itineraries:trip", "get", 200),
    ("itineraries:phone", "get", 200),
    ("itineraries:pdf", "get", 200),
    ("api-1.0.0:itinerary", "get", 200),
    ("itineraries:edit", "post", 302),
]
