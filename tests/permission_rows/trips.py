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
    Row("trips:mine", ("anonymous",), "login"),
    Row("trips:mine", ("leader", "pilgrim"), 200),
    Row("trips:mine", others("leader", "pilgrim"), 403),
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
    "api-1.0.0:trip_members": lambda ctx: {"uid": ctx.trip.uid},
}
QUERY: dict = {}
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
TENANT_ROWS = [
    ("trips:detail", "get", 200),
    ("trips:edit", "get", 200),
    ("trips:members_add", "get", 200),
    ("api-1.0.0:trip", "get", 200),
]
