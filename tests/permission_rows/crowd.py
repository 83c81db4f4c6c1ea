"""Permission rows for the crowd app (time slots).

The crowd planner ("planner") runs plans, capacities, quotas, solving, publishing and the
exports; the ministry reads plans and runs. An organiser's admins and staff manage their own
groups, requests and bookings; the trip's leader ("leader") sees its slots (page, API);
nobody else does. Another organiser's group, request or booking answers 404.

The objects are built through the services, once per test (cached on `ctx`): an Arbaeen
plan with the Husayn sanctuary in use (quota 60 per slot, visits of 2 slots), a sub-group of
two led by the fixture's leader, a late request after publication and its booking.
"""

import datetime as dt
from decimal import Decimal

from tests.permission_table_base import ALL, SIGNED_IN, Row, others

PLANNER = ("planner",)
READERS = ("planner", "ministry")
STAFF = ("org_admin", "org_staff")
VIEWERS = ("org_admin", "org_staff", "leader")
ZONE = "imam-husayn-sanctuary"


def _cache(ctx) -> dict:
    if not hasattr(ctx, "crowd"):
        ctx.crowd = {}
    return ctx.crowd


def _plan(ctx, *, published: bool):
    from django.utils import timezone

    from zaireen.crowd import services

    key = "published" if published else "open"
    cache = _cache(ctx)
    if key not in cache:
        planner = ctx.users["planner"]
        plan = services.plan_create(
            actor=planner,
            occasion_key="arbaeen",
            hijri_year=1449,
            title=f"Arbaeen {key}",
            request_deadline=timezone.now() + dt.timedelta(days=30),
        )
        services.capacity_set(
            actor=planner,
            plan_uid=plan.uid,
            zone_slug=ZONE,
            usable_area_m2=3000,
            density=Decimal(2),
            margin_pct=50,
            dwell_minutes=30,
            quota_pct=2,
        )
        if published:
            services.plan_publish(actor=planner, plan_uid=plan.uid)
        plan.refresh_from_db()
        cache[key] = plan
    return cache[key]


def _group(ctx):
    from django_scopes import scopes_disabled

    from zaireen.crowd import services
    from zaireen.trips.models import Member

    cache = _cache(ctx)
    if "group" not in cache:
        with scopes_disabled():
            leader = Member.objects.get(trip=ctx.trip, role="leader")
        cache["group"] = services.group_create(
            actor=ctx.users["org_admin"],
            trip_uid=ctx.trip.uid,
            kind="subgroup",
            leader_uid=leader.uid,
            size=2,
            label="Bus 1",
        )
    return cache["group"]


def _at(plan, slot: int):
    from zaireen.crowd.selectors import slot_start

    return slot_start(plan, slot)


def _local(plan, slot: int) -> str:
    from zaireen.crowd.selectors import IRAQ

    return _at(plan, slot).astimezone(IRAQ).strftime("%Y-%m-%dT%H:%M")


def _request(ctx, *, published: bool = True):
    from zaireen.crowd import services

    key = f"request-{published}"
    cache = _cache(ctx)
    if key not in cache:
        plan = _plan(ctx, published=published)
        cache[key] = services.request_create(
            actor=ctx.users["org_admin"],
            plan_uid=plan.uid,
            group_uid=_group(ctx).uid,
            zone_slug=ZONE,
            preferred_at=_at(plan, 40),
            earliest_at=_at(plan, 36),
            latest_at=_at(plan, 44),
        )
    return cache[key]


def _booking(ctx):
    from zaireen.crowd import services

    cache = _cache(ctx)
    if "booking" not in cache:
        cache["booking"] = services.booking_create(
            actor=ctx.users["org_admin"], request_uid=_request(ctx).uid
        )
    return cache["booking"]


def _offer(ctx):
    """An offer from the waitlist: the request joins it and the offer run finds room."""
    from django_scopes import scopes_disabled

    from zaireen.crowd import services
    from zaireen.crowd.models import Booking

    cache = _cache(ctx)
    if "offer" not in cache:
        request = _request(ctx)
        services.waitlist_join(actor=ctx.users["org_admin"], request_uid=request.uid)
        services.waitlist_offer_run(plan_id=request.plan_id)
        with scopes_disabled():
            cache["offer"] = Booking.objects.get(request=request, status="offered")
    return cache["offer"]


def _run(ctx):
    """A finished solver run of the open plan (solved here, not on a worker)."""
    from zaireen.crowd import services

    cache = _cache(ctx)
    if "run" not in cache:
        plan = _plan(ctx, published=False)
        _request(ctx, published=False)
        run = services.solve_start(actor=ctx.users["planner"], plan_uid=plan.uid, time_limit=2)
        services.solve_run(run_id=run.pk)
        cache["run"] = run
    return cache["run"]


def _solvable(ctx):
    _request(ctx, published=False)
    return {"uid": _plan(ctx, published=False).uid}


def _deadline() -> str:
    from django.utils import timezone

    from zaireen.crowd.selectors import IRAQ

    return (timezone.now() + dt.timedelta(days=20)).astimezone(IRAQ).strftime("%Y-%m-%dT%H:%M")


def _get_post(name, get_ok, post_ok, post_status=302, *, get_status=200):
    """Rows for a page taking GET and POST: anonymous to the login page, the allowed roles
    in, everyone else 403."""
    return [
        Row(name, ("anonymous",), "login"),
        Row(name, get_ok, get_status),
        Row(name, others(*get_ok), 403),
        Row(name, ("anonymous",), "login", method="post"),
        Row(name, post_ok, post_status, method="post"),
        Row(name, others(*post_ok), 403, method="post"),
    ]


def _post_only(name, allowed, status=302):
    return [
        Row(name, ("anonymous",), "login"),
        Row(name, allowed, 405),
        Row(name, others(*allowed), 403),
        Row(name, allowed, status, method="post"),
        Row(name, others(*allowed), 403, method="post"),
    ]


def _get_only(name, allowed):
    return [
        Row(name, ("anonymous",), "login"),
        Row(name, allowed, 200),
        Row(name, others(*allowed), 403),
    ]


def _api_post(name, allowed, status, denied_status=403):
    return [
        Row(name, ALL, 405),
        Row(name, ("anonymous",), 401, method="post"),
        Row(name, allowed, status, method="post"),
        Row(name, others(*allowed), denied_status, method="post"),
    ]


TABLE = [
    # The planner's pages; the ministry reads plans and runs.
    *_get_post("crowd:plans", READERS, PLANNER),
    *_get_post("crowd:plan", READERS, PLANNER),
    *_get_post("crowd:capacity", PLANNER, PLANNER),
    *_post_only("crowd:quota", PLANNER),
    *_post_only("crowd:solve", PLANNER),
    *_post_only("crowd:publish", PLANNER),
    *_post_only("crowd:flags_clear", PLANNER),
    *_get_only("crowd:run", READERS),
    *_get_only("crowd:run_instance", PLANNER),
    *_get_only("crowd:run_result", PLANNER),
    # Organisers' staff.
    *_get_only("crowd:home", STAFF),
    *_get_post("crowd:requests", STAFF, STAFF),
    *_post_only("crowd:requests_import", STAFF),
    *_post_only("crowd:request_withdraw", STAFF),
    *_post_only("crowd:request_book", STAFF),
    *_post_only("crowd:waitlist_join", STAFF),
    *_post_only("crowd:booking_cancel", STAFF),
    *_post_only("crowd:booking_swap", STAFF),
    *_post_only("crowd:offer_accept", STAFF),
    *_post_only("crowd:offer_decline", STAFF),
    *_get_post("crowd:groups", STAFF, STAFF),
    *_post_only("crowd:group_delete", STAFF),
    # A trip's slots: its organiser's staff and its leaders.
    *_get_only("crowd:trip_slots", VIEWERS),
    # API.
    Row("api-1.0.0:crowd_plans", ("anonymous",), 401),
    Row("api-1.0.0:crowd_plans", (*READERS, *STAFF), 200),
    Row("api-1.0.0:crowd_plans", others(*READERS, *STAFF), 403),
    Row("api-1.0.0:crowd_availability", ("anonymous",), 401),
    Row("api-1.0.0:crowd_availability", (*READERS, *STAFF), 200),
    Row("api-1.0.0:crowd_availability", others(*READERS, *STAFF), 403),
    Row("api-1.0.0:crowd_requests", ("anonymous",), 401),
    Row("api-1.0.0:crowd_requests", STAFF, 200),
    Row("api-1.0.0:crowd_requests", others(*STAFF), 403),
    Row("api-1.0.0:crowd_requests", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:crowd_requests", STAFF, 201, method="post"),
    Row("api-1.0.0:crowd_requests", others(*STAFF), 403, method="post"),
    *_api_post("api-1.0.0:crowd_book", STAFF, 201),
    *_api_post("api-1.0.0:crowd_waitlist", STAFF, 201),
    *_api_post("api-1.0.0:crowd_cancel", STAFF, 200),
    *_api_post("api-1.0.0:crowd_swap", STAFF, 200),
    *_api_post("api-1.0.0:crowd_accept", STAFF, 200),
    *_api_post("api-1.0.0:crowd_decline", STAFF, 200),
    Row("api-1.0.0:crowd_trip_slots", ("anonymous",), 401),
    Row("api-1.0.0:crowd_trip_slots", VIEWERS, 200),
    Row("api-1.0.0:crowd_trip_slots", ("ministry", "consul", "pilgrim"), 403),
    Row("api-1.0.0:crowd_trip_slots", ("planner",), 404),
]
assert set(SIGNED_IN) == {*READERS, *VIEWERS, "consul", "pilgrim"}

URL_ARGS = {
    "crowd:plan": lambda ctx: {"uid": _plan(ctx, published=False).uid},
    "crowd:capacity": lambda ctx: {"uid": _plan(ctx, published=False).uid, "zone": ZONE},
    "crowd:quota": lambda ctx: {"uid": _plan(ctx, published=False).uid, "zone": ZONE},
    "crowd:solve": _solvable,
    "crowd:publish": lambda ctx: {"uid": _plan(ctx, published=False).uid},
    "crowd:flags_clear": lambda ctx: {"uid": _plan(ctx, published=True).uid},
    "crowd:run": lambda ctx: {"uid": _run(ctx).uid},
    "crowd:run_instance": lambda ctx: {"uid": _run(ctx).uid},
    "crowd:run_result": lambda ctx: {"uid": _run(ctx).uid},
    "crowd:requests": lambda ctx: {"uid": _plan(ctx, published=False).uid},
    "crowd:requests_import": lambda ctx: {"uid": _plan(ctx, published=False).uid},
    "crowd:request_withdraw": lambda ctx: {"uid": _request(ctx).uid},
    "crowd:request_book": lambda ctx: {"uid": _request(ctx).uid},
    "crowd:waitlist_join": lambda ctx: {"uid": _request(ctx).uid},
    "crowd:booking_cancel": lambda ctx: {"uid": _booking(ctx).uid},
    "crowd:booking_swap": lambda ctx: {"uid": _booking(ctx).uid},
    "crowd:offer_accept": lambda ctx: {"uid": _offer(ctx).uid},
    "crowd:offer_decline": lambda ctx: {"uid": _offer(ctx).uid},
    "crowd:groups": lambda ctx: {"uid": ctx.trip.uid},
    "crowd:group_delete": lambda ctx: {"uid": _group(ctx).uid},
    "crowd:trip_slots": lambda ctx: {"uid": ctx.trip.uid},
    "api-1.0.0:crowd_availability": lambda ctx: {"uid": _plan(ctx, published=True).uid},
    "api-1.0.0:crowd_requests": lambda ctx: {"uid": _plan(ctx, published=False).uid},
    "api-1.0.0:crowd_book": lambda ctx: {"uid": _request(ctx).uid},
    "api-1.0.0:crowd_waitlist": lambda ctx: {"uid": _request(ctx).uid},
    "api-1.0.0:crowd_cancel": lambda ctx: {"uid": _booking(ctx).uid},
    "api-1.0.0:crowd_swap": lambda ctx: {"uid": _booking(ctx).uid},
    "api-1.0.0:crowd_accept": lambda ctx: {"uid": _offer(ctx).uid},
    "api-1.0.0:crowd_decline": lambda ctx: {"uid": _offer(ctx).uid},
    "api-1.0.0:crowd_trip_slots": lambda ctx: {"uid": ctx.trip.uid},
}
QUERY = {"api-1.0.0:crowd_availability": {"zone": ZONE, "first": 30, "count": 20}}
BODY = {
    "crowd:plans": lambda ctx: {
        "occasion": "arbaeen",
        "hijri_year": 1449,
        "days_before": 1,
        "days_after": 1,
        "slot_minutes": 15,
        "request_deadline": _deadline(),
        "title": "",
    },
    "crowd:plan": lambda ctx: {"request_deadline": _deadline()},
    "crowd:capacity": lambda ctx: {
        "usable_area_m2": 3000,
        "density": "2",
        "margin_pct": 50,
        "dwell_minutes": 30,
        "quota_pct": "2",
    },
    "crowd:quota": lambda ctx: {
        "first_at": _local(_plan(ctx, published=False), 40),
        "last_at": _local(_plan(ctx, published=False), 48),
        "share_pct": "1",
    },
    "crowd:solve": lambda ctx: {"time_limit": 1},
    "crowd:flags_clear": lambda ctx: {"reason": "Checked with the shrine: the days stand."},
    "crowd:requests": lambda ctx: {
        "group": str(_group(ctx).uid),
        "zone": ZONE,
        "preferred_at": _local(_plan(ctx, published=False), 40),
    },
    "crowd:requests_import": lambda ctx: {"trip": str(ctx.trip.uid)},
    "crowd:booking_swap": lambda ctx: {"start": 42},
    "crowd:groups": lambda ctx: {"kind": "subgroup", "leader": _leader_uid(ctx), "size": 1},
    "api-1.0.0:crowd_requests": lambda ctx: {
        "group": str(_group(ctx).uid),
        "zone": ZONE,
        "preferred_at": _at(_plan(ctx, published=False), 40).isoformat(),
    },
    "api-1.0.0:crowd_book": lambda ctx: {},
    "api-1.0.0:crowd_swap": lambda ctx: {"start_slot": 42},
}


def _leader_uid(ctx) -> str:
    from django_scopes import scopes_disabled

    from zaireen.trips.models import Member

    with scopes_disabled():
        return str(Member.objects.get(trip=ctx.trip, role="leader").uid)


TENANT_ROWS = [
    ("crowd:groups", "get", 200),
    ("crowd:group_delete", "post", 302),
    ("crowd:trip_slots", "get", 200),
    ("crowd:request_withdraw", "post", 302),
    ("crowd:request_book", "post", 302),
    ("crowd:waitlist_join", "post", 302),
    ("crowd:booking_cancel", "post", 302),
    ("crowd:booking_swap", "post", 302),
    ("crowd:offer_accept", "post", 302),
    ("crowd:offer_decline", "post", 302),
    ("api-1.0.0:crowd_book", "post", 201),
    ("api-1.0.0:crowd_waitlist", "post", 201),
    ("api-1.0.0:crowd_cancel", "post", 200),
    ("api-1.0.0:crowd_swap", "post", 200),
    ("api-1.0.0:crowd_accept", "post", 200),
    ("api-1.0.0:crowd_decline", "post", 200),
    ("api-1.0.0:crowd_trip_slots", "get", 200),
]
