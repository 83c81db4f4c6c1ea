"""Permission rows for the pilgrims app: an organiser's register and the identity check."""

from tests.permission_table_base import ALL, SIGNED_IN, Row, others

STAFF = ("org_admin", "org_staff")

PILGRIM = {
    "surname": "JAFRI",
    "given_names": "ZAINAB",
    "cnic": "35202-1234567-2",
    "passport_number": "AB1234567",
    "passport_expiry": "2031-01-01",
    "birth_date": "1970-05-01",
    "sex": "F",
}

TABLE = [
    Row("pilgrims:list", ("anonymous",), "login"),
    Row("pilgrims:list", STAFF, 200),
    Row("pilgrims:list", others(*STAFF), 403),
    Row("pilgrims:create", ("anonymous",), "login"),
    Row("pilgrims:create", STAFF, 200),
    Row("pilgrims:create", others(*STAFF), 403),
    Row("pilgrims:check", ("anonymous",), "login"),
    Row("pilgrims:check", STAFF, 405),
    Row("pilgrims:check", others(*STAFF), 403),
    Row("pilgrims:check", STAFF, 200, method="post"),
    Row("pilgrims:detail", ("anonymous",), "login"),
    Row("pilgrims:detail", STAFF, 200),
    Row("pilgrims:detail", others(*STAFF), 403),
    Row("pilgrims:edit", ("anonymous",), "login"),
    Row("pilgrims:edit", STAFF, 200),
    Row("pilgrims:edit", others(*STAFF), 403),
    Row("pilgrims:conflicts", ("anonymous",), "login"),
    Row("pilgrims:conflicts", ("ministry",), 200),
    Row("pilgrims:conflicts", others("ministry"), 403),
    Row("api-1.0.0:identity_check", ALL, 405),
    Row("api-1.0.0:identity_check", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:identity_check", SIGNED_IN, 200, method="post"),
    Row("api-1.0.0:pilgrims", ("anonymous",), 401),
    Row("api-1.0.0:pilgrims", STAFF, 200),
    Row("api-1.0.0:pilgrims", others(*STAFF), 403),
    Row("api-1.0.0:pilgrim_create", ("anonymous",), 401),
    Row("api-1.0.0:pilgrim_create", STAFF, 200),
    Row("api-1.0.0:pilgrim_create", others(*STAFF), 403),
    Row("api-1.0.0:pilgrim_create", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:pilgrim_create", STAFF, 201, method="post"),
    Row("api-1.0.0:pilgrim_create", others(*STAFF), 403, method="post"),
    Row("api-1.0.0:pilgrim", ("anonymous",), 401),
    Row("api-1.0.0:pilgrim", STAFF, 200),
    Row("api-1.0.0:pilgrim", others(*STAFF), 403),
]

URL_ARGS = {
    "pilgrims:detail": lambda ctx: {"uid": ctx.pilgrim.uid},
    "pilgrims:edit": lambda ctx: {"uid": ctx.pilgrim.uid},
    "api-1.0.0:pilgrim": lambda ctx: {"uid": ctx.pilgrim.uid},
}
QUERY: dict = {}
BODY = {
    "pilgrims:check": lambda ctx: {"cnic": "35202-1234567-2"},
    "api-1.0.0:identity_check": lambda ctx: {"cnic": "35202-1234567-2"},
    "api-1.0.0:pilgrim_create": lambda ctx: PILGRIM,
}
TENANT_ROWS = [
    ("pilgrims:detail", "get", 200),
    ("pilgrims:edit", "get", 200),
    ("api-1.0.0:pilgrim", "get", 200),
]
