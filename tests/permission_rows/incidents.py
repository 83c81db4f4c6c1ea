"""Permission rows for the incidents app (incidents, accident manifests, stranding census, SOS).

- Incidents are seen by their organiser's admins and staff, the leader of the trip and
  officials; a pilgrim and the planner are refused (403 by role) or not found (API).
- The accident manifest: the organiser's admins and staff; an official first answers the
  "why" page (200), the read itself is then logged; leaders and pilgrims are refused.
- The census: whoever sees the incident; the leader and staff fill it; the organiser's staff
  and the ministry send the one message.
- SOS: only the pilgrim or leader pressing for their own membership raises one (the bodies
  here name the "pilgrim" user's membership, so the leader's attempt is not found); the
  organiser's staff and officials see the alerts page; staff and the trip's leader handle.
- The service worker is public: browsers fetch it without asking who is signed in.
"""

import uuid

from tests.permission_table_base import ALL, OFFICIALS, SIGNED_IN, Row, others

STAFF = ("org_admin", "org_staff")
SEE = (*STAFF, "leader", *OFFICIALS)
REPORTERS = (*STAFF, "leader")
HANDLERS = (*STAFF, "leader")
READERS = (*STAFF, *OFFICIALS)
MESSENGERS = (*STAFF, "ministry")
assert set(SIGNED_IN) == {*SEE, "pilgrim", "planner"}


def _page(name, allowed, *, post=None, get=200):
    """Rows of one page: `allowed` get `get` (405 for a POST-only view), anyone else signed
    in 403, anonymous the login page; with `post`, the allowed POST gets that status."""
    rows = [
        Row(name, ("anonymous",), "login"),
        Row(name, allowed, get),
        Row(name, others(*allowed), 403),
    ]
    if post is not None:
        rows.append(Row(name, allowed, post, method="post"))
    return rows


TABLE = [
    *_page("incidents:list", SEE),
    *_page("incidents:create", REPORTERS),
    *_page("incidents:detail", SEE),
    *_page("incidents:note", REPORTERS, get=405, post=302),
    *_page("incidents:close", STAFF, get=405, post=302),
    *_page("incidents:manifest", READERS),
    *_page("incidents:manifest_pdf", READERS),
    *_page("incidents:vehicle_manifest", READERS),
    *_page("incidents:vehicle_manifest_pdf", READERS),
    *_page("incidents:census", SEE),
    *_page("incidents:census_check", REPORTERS, get=405, post=302),
    *_page("incidents:census_message", MESSENGERS, get=405, post=302),
    *_page("incidents:sos_list", READERS),
    *_page("incidents:sos_raise", ("leader", "pilgrim"), get=405),
    Row("incidents:sos_raise", ("pilgrim",), 302, method="post"),
    Row("incidents:sos_raise", ("leader",), 404, method="post"),  # not their membership
    *_page("incidents:leader_alerts", HANDLERS),
    *_page("incidents:sos_acknowledge", HANDLERS, get=405, post=302),
    *_page("incidents:sos_close", HANDLERS, get=405, post=302),
    Row("incidents:service_worker", ALL, 200),
    # API: a session or a personal token; anonymous 401.
    Row("api-1.0.0:incidents_list", ("anonymous",), 401),
    Row("api-1.0.0:incidents_list", SEE, 200),
    Row("api-1.0.0:incidents_list", ("pilgrim", "planner"), 403),
    Row("api-1.0.0:incidents_create", ("anonymous",), 401),  # GET lists, as above
    Row("api-1.0.0:incidents_create", SEE, 200),
    Row("api-1.0.0:incidents_create", ("pilgrim", "planner"), 403),
    Row("api-1.0.0:incidents_create", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:incidents_create", REPORTERS, 201, method="post"),
    Row("api-1.0.0:incidents_create", others(*REPORTERS), 404, method="post"),
    Row("api-1.0.0:incidents_get", ("anonymous",), 401),
    Row("api-1.0.0:incidents_get", SEE, 200),
    Row("api-1.0.0:incidents_get", ("pilgrim", "planner"), 404),
    Row("api-1.0.0:incidents_close", ALL, 405),
    Row("api-1.0.0:incidents_close", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:incidents_close", STAFF, 200, method="post"),
    Row("api-1.0.0:incidents_close", ("leader", *OFFICIALS), 403, method="post"),
    Row("api-1.0.0:incidents_close", ("pilgrim", "planner"), 404, method="post"),
    Row("api-1.0.0:incidents_census", ("anonymous",), 401),
    Row("api-1.0.0:incidents_census", SEE, 200),
    Row("api-1.0.0:incidents_census", ("pilgrim", "planner"), 404),
    Row("api-1.0.0:incidents_sos_list", ("anonymous",), 401),
    Row("api-1.0.0:incidents_sos_list", READERS, 200),
    Row("api-1.0.0:incidents_sos_list", others(*READERS), 403),
    Row("api-1.0.0:incidents_sos_raise", ("anonymous",), 401),  # GET lists, as above
    Row("api-1.0.0:incidents_sos_raise", READERS, 200),
    Row("api-1.0.0:incidents_sos_raise", others(*READERS), 403),
    Row("api-1.0.0:incidents_sos_raise", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:incidents_sos_raise", ("pilgrim",), 201, method="post"),
    Row("api-1.0.0:incidents_sos_raise", others("pilgrim"), 404, method="post"),
]


def _road_leg_with_bus(ctx):
    """A road leg of ctx.trip with a bus, everyone seated (once per test)."""
    from zaireen.trips import logistics

    if getattr(ctx, "bus", None) is None:
        admin = ctx.users["org_admin"]
        leg = logistics.leg_add(actor=admin, trip_uid=ctx.trip.uid, kind="road",
                                from_city="najaf", to_city="karbala",
                                date=ctx.trip.departure_date)  # fmt: skip
        ctx.bus = logistics.vehicle_add(actor=admin, trip_uid=ctx.trip.uid, leg_uid=leg.uid,
                                        kind="bus", plate="BGD 1", driver_name="Karim",
                                        driver_phone="0770 123 4567", seats=10)  # fmt: skip
        logistics.seats_assign(actor=admin, trip_uid=ctx.trip.uid, leg_uid=leg.uid)
    return ctx.bus


def _incident(ctx, kind="road_accident"):
    from django.utils import timezone

    from zaireen.incidents.services import IncidentInput, incident_open

    vehicles = (_road_leg_with_bus(ctx).uid,) if kind == "road_accident" else ()
    return incident_open(
        actor=ctx.users["org_admin"],
        trip_uid=ctx.trip.uid,
        data=IncidentInput(kind=kind, severity="serious", occurred_at=timezone.now(),
                           description="Test", city="karbala", vehicles=vehicles),
    )  # fmt: skip


def _stranding(ctx):
    return _incident(ctx, kind="stranding")


def _pilgrims_member(ctx):
    """The pilgrim's membership, its trip put on the road: an SOS needs a trip under way."""
    from django_scopes import scopes_disabled

    from zaireen.trips.models import Member, Trip, TripStatus

    with scopes_disabled():
        Trip.objects.filter(pk=ctx.trip.pk).update(status=TripStatus.DEPARTED)
        return Member.objects.get(trip=ctx.trip, person_id=ctx.users["pilgrim"].person_id)


def _sos(ctx):
    from zaireen.incidents.services import SosInput, sos_raise

    alert, _created = sos_raise(
        actor=ctx.users["pilgrim"],
        data=SosInput(client_uid=uuid.uuid4(), member_uid=_pilgrims_member(ctx).uid,
                      reason="lost"),
    )  # fmt: skip
    return alert


def _now() -> str:
    from django.utils import timezone

    return timezone.now().isoformat()


def _uid(make):
    return lambda ctx: {"uid": make(ctx).uid}


URL_ARGS = {
    "incidents:detail": _uid(_incident),
    "incidents:note": _uid(_incident),
    "incidents:close": _uid(_incident),
    "incidents:manifest": _uid(_incident),
    "incidents:manifest_pdf": _uid(_incident),
    "incidents:vehicle_manifest": _uid(_road_leg_with_bus),
    "incidents:vehicle_manifest_pdf": _uid(_road_leg_with_bus),
    "incidents:census": _uid(_stranding),
    "incidents:census_check": lambda ctx: {
        "uid": _stranding(ctx).uid,
        "member_uid": ctx.member.uid,
    },
    "incidents:census_message": _uid(_stranding),
    "incidents:leader_alerts": lambda ctx: {"uid": ctx.trip.uid},
    "incidents:sos_acknowledge": _uid(_sos),
    "incidents:sos_close": _uid(_sos),
    "api-1.0.0:incidents_get": _uid(_incident),
    "api-1.0.0:incidents_close": _uid(_incident),
    "api-1.0.0:incidents_census": _uid(_stranding),
}
QUERY: dict = {}
BODY = {
    "incidents:note": lambda ctx: {"text": "A note"},
    "incidents:close": lambda ctx: {"note": "Over"},
    "incidents:census_message": lambda ctx: {"text": "Buses at six", "language": "en"},
    "incidents:sos_raise": lambda ctx: {
        "client_uid": str(uuid.uuid4()),
        "member": str(_pilgrims_member(ctx).uid),
        "reason": "lost",
    },
    "incidents:sos_close": lambda ctx: {"note": "Safe"},
    "api-1.0.0:incidents_create": lambda ctx: {
        "trip": str(ctx.trip.uid),
        "kind": "theft",
        "severity": "minor",
        "occurred_at": _now(),
        "description": "A phone stolen",
        "city": "najaf",
    },
    "api-1.0.0:incidents_close": lambda ctx: {"note": "Over"},
    "api-1.0.0:incidents_sos_raise": lambda ctx: {
        "client_uid": str(uuid.uuid4()),
        "member": str(_pilgrims_member(ctx).uid),
        "reason": "medical",
    },
}
TENANT_ROWS = [
    ("incidents:detail", "get", 200),
    ("incidents:note", "post", 302),
    ("incidents:close", "post", 302),
    ("incidents:manifest", "get", 200),
    ("incidents:manifest_pdf", "get", 200),
    ("incidents:vehicle_manifest", "get", 200),
    ("incidents:vehicle_manifest_pdf", "get", 200),
    ("incidents:census", "get", 200),
    ("incidents:census_check", "post", 302),
    ("incidents:census_message", "post", 302),
    ("incidents:leader_alerts", "get", 200),
    ("incidents:sos_acknowledge", "post", 302),
    ("incidents:sos_close", "post", 302),
    ("api-1.0.0:incidents_get", "get", 200),
    ("api-1.0.0:incidents_close", "post", 200),
    ("api-1.0.0:incidents_census", "get", 200),
]
