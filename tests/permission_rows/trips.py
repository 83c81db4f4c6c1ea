"""Permission rows for the trips app."""

from tests.permission_table_base import Row, others

STAFF = ("org_admin", "org_staff")
SEES = (*STAFF, "ministry", "consul")

TABLE = [
    Row("trips:list", ("anonymous",), "login"),
    Row("trips:list", SEES, 200),
    Row("trips:list", others(*SEES), 403),
    Row("trips:create", ("anonymous",), "login"),
    Row("trips:create", STAFF, 200),
    Row("trips:create", others(*STAFF), 403),
    # The trip page: its organiser's staff and officials; the leader and the pilgrim of the
    # fixture are members of it (bound to their persons), the planner is not.
    Row("trips:detail", ("anonymous",), "login"),
    Row("trips:detail", (*SEES, "leader", "pilgrim"), 200),
    Row("trips:detail", ("planner",), 404),
    Row("trips:edit", ("anonymous",), "login"),
    Row("trips:edit", STAFF, 200),
    Row("trips:edit", others(*STAFF), 403),
    Row("trips:members_add", ("anonymous",), "login"),
    Row("trips:members_add", STAFF, 200),
    Row("trips:members_add", others(*STAFF), 403),
    Row("trips:submit", ("anonymous",), "login"),
    Row("trips:submit", STAFF, 405),
    Row("trips:submit", others(*STAFF), 403),
    Row("trips:submit", STAFF, 302, method="post"),
    Row("trips:advance", ("anonymous",), "login"),
    Row("trips:advance", STAFF, 405),
    Row("trips:advance", others(*STAFF), 403),
    Row("trips:advance", STAFF, 302, method="post"),
    Row("trips:decide", ("anonymous",), "login"),
    Row("trips:decide", ("ministry",), 405),
    Row("trips:decide", others("ministry"), 403),
    Row("trips:decide", ("ministry",), 302, method="post"),
    Row("trips:member_update", ("anonymous",), "login"),
    Row("trips:member_update", STAFF, 405),
    Row("trips:member_update", others(*STAFF), 403),
    Row("trips:member_update", STAFF, 302, method="post"),
    Row("trips:member_remove", ("anonymous",), "login"),
    Row("trips:member_remove", STAFF, 405),
    Row("trips:member_remove", others(*STAFF), 403),
    Row("trips:member_remove", STAFF, 302, method="post"),
    Row("trips:member_return", ("anonymous",), "login"),
    Row("trips:member_return", (*STAFF, "ministry"), 405),
    Row("trips:member_return", others(*STAFF, "ministry"), 403),
    Row("trips:member_return", ("ministry",), 302, method="post"),
    Row("trips:queue", ("anonymous",), "login"),
    Row("trips:queue", ("ministry",), 200),
    Row("trips:queue", others("ministry"), 403),
    Row("trips:conflicts", ("anonymous",), "login"),
    Row("trips:conflicts", ("ministry",), 200),
    Row("trips:conflicts", others("ministry"), 403),
    Row("trips:mine", ("anonymous",), "login"),
    Row("trips:mine", ("leader", "pilgrim"), 200),
    Row("trips:mine", others("leader", "pilgrim"), 403),
    Row("trips:logistics", ("anonymous",), "login"),
    Row("trips:logistics", (*STAFF, "leader"), 200),
    Row("trips:logistics", others(*STAFF, "leader"), 403),
    Row("trips:passports", ("anonymous",), "login"),
    Row("trips:passports", (*STAFF, "leader"), 405),
    Row("trips:passports", others(*STAFF, "leader"), 403),
    Row("trips:passports", (*STAFF, "leader"), 302, method="post"),
    Row("trips:passport_confirm", ("anonymous",), "login"),
    Row("trips:passport_confirm", ("leader", "pilgrim"), 405),
    Row("trips:passport_confirm", others("leader", "pilgrim"), 403),
    Row("trips:passport_confirm", ("pilgrim",), 302, method="post"),
    Row("trips:passport_confirm", ("leader",), 404, method="post"),
    Row("trips:leg_add", ("anonymous",), "login"),
    Row("trips:leg_add", STAFF, 405),
    Row("trips:leg_add", others(*STAFF), 403),
    Row("trips:leg_add", STAFF, 302, method="post"),
    Row("trips:vehicle_add", ("anonymous",), "login"),
    Row("trips:vehicle_add", STAFF, 405),
    Row("trips:vehicle_add", others(*STAFF), 403),
    Row("trips:vehicle_add", STAFF, 302, method="post"),
    Row("trips:seats_assign", ("anonymous",), "login"),
    Row("trips:seats_assign", STAFF, 405),
    Row("trips:seats_assign", others(*STAFF), 403),
    Row("trips:seats_assign", STAFF, 302, method="post"),
    Row("trips:rooms_assign", ("anonymous",), "login"),
    Row("trips:rooms_assign", STAFF, 405),
    Row("trips:rooms_assign", others(*STAFF), 403),
    Row("trips:rooms_assign", STAFF, 302, method="post"),
    Row("api-1.0.0:trips", ("anonymous",), 401),
    Row("api-1.0.0:trips", SEES, 200),
    Row("api-1.0.0:trips", others(*SEES), 403),
    Row("api-1.0.0:trip", ("anonymous",), 401),
    Row("api-1.0.0:trip", (*SEES, "leader", "pilgrim"), 200),
    Row("api-1.0.0:trip", ("planner",), 404),
    Row("api-1.0.0:trip_members", ("anonymous",), 401),
    Row("api-1.0.0:trip_members", (*SEES, "leader", "pilgrim"), 200),
    Row("api-1.0.0:trip_members", ("planner",), 404),
]


URL_ARGS = {
    "trips:detail": lambda ctx: {"uid": ctx.trip.uid},
    "trips:edit": lambda ctx: {"uid": ctx.trip.uid},
    "trips:members_add": lambda ctx: {"uid": ctx.trip.uid},
    "trips:submit": lambda ctx: {"uid": ctx.trip.uid},
    "trips:advance": lambda ctx: {"uid": ctx.trip.uid},
    "trips:decide": lambda ctx: {"uid": ctx.trip.uid},
    "trips:member_update": lambda ctx: {"uid": ctx.member.uid},
    "trips:member_remove": lambda ctx: {"uid": ctx.member.uid},
    "trips:member_return": lambda ctx: {"uid": ctx.member.uid},
    "api-1.0.0:trip": lambda ctx: {"uid": ctx.trip.uid},
    "trips:logistics": lambda ctx: {"uid": ctx.trip.uid},
    "trips:leg_add": lambda ctx: {"uid": ctx.trip.uid},
    "trips:vehicle_add": lambda ctx: {"uid": ctx.trip.uid},
    "trips:seats_assign": lambda ctx: {"uid": ctx.trip.uid},
    "trips:rooms_assign": lambda ctx: {"uid": ctx.trip.uid},
    "trips:passports": lambda ctx: {"uid": ctx.trip.uid},
    "trips:passport_confirm": lambda ctx: {"uid": _handover_to_pilgrim(ctx)},
    "api-1.0.0:trip_members": lambda ctx: {"uid": ctx.trip.uid},
}
QUERY: dict = {}


def _handover_to_pilgrim(ctx):
    """The demo pilgrim's passport handed back to them: what they confirm."""
    from django_scopes import scopes_disabled

    from zaireen.trips.logistics import passports_hand_over
    from zaireen.trips.models import Member, PassportHandover

    with scopes_disabled():
        member = Member.objects.get(trip=ctx.trip, person_id=ctx.users["pilgrim"].person_id)
    passports_hand_over(
        actor=ctx.users["org_admin"],
        trip_uid=ctx.trip.uid,
        member_uids=[member.uid],
        to="pilgrim",
        place="Najaf hotel",
    )
    with scopes_disabled():
        return PassportHandover.objects.filter(member=member).latest("at").uid


BODY = {
    "trips:advance": lambda ctx: {"to": "cancelled", "reason": "Flights cancelled"},
    "trips:decide": lambda ctx: {"decision": "return", "reason": "Check the visas"},
    "trips:member_update": lambda ctx: {
        "role": "leader",
        "visa_status": "applied",
        "trip": str(ctx.trip.uid),
    },
    "trips:member_remove": lambda ctx: {"trip": str(ctx.trip.uid)},
    "trips:member_return": lambda ctx: {
        "note": "Seen at Lahore airport",
        "trip": str(ctx.trip.uid),
    },
}
BODY.update(
    {
        "trips:passports": lambda ctx: {"to": "airline", "holder_name": "PIA desk", "place": "LHE"},
        "trips:leg_add": lambda ctx: {
            "kind": "road",
            "from_city": "najaf",
            "to_city": "karbala",
            "date": ctx.trip.departure_date.isoformat(),
        },
        "trips:vehicle_add": lambda ctx: {"leg": "", "kind": "bus", "plate": "X"},
        "trips:seats_assign": lambda ctx: {"leg": ""},
        "trips:rooms_assign": lambda ctx: {"hotel": "0"},
    }
)
TENANT_ROWS = [
    ("trips:logistics", "get", 200),
    ("trips:detail", "get", 200),
    ("trips:edit", "get", 200),
    ("trips:members_add", "get", 200),
    ("api-1.0.0:trip", "get", 200),
]
