"""Permission rows for the rosters app (spreadsheet imports): organiser admins and staff only,
each organiser its own imports."""

from tests.permission_table_base import ALL, Row, others

STAFF = ("org_admin", "org_staff")


def _roster(ctx) -> bytes:
    header = "Trip code,Surname,CNIC,Passport number,Passport expiry,Date of birth,Sex\r\n"
    return (
        header
        + f"{ctx.trip.code},NAQVI,35202-1111111-1,AB1111111,01/01/2032,1970-01-01,M\r\n"
        + ",ZAIDI,35202-2222222-2,AB2222222,01/01/2032,1971-01-01,F\r\n"
    ).encode()


def ready_import(ctx):
    """A checked import of organiser A, with its report: what the preview and report jobs
    leave (run here by hand: these tests never commit, so queued jobs never run)."""
    from zaireen.rosters import services

    imp = services.roster_upload(actor=ctx.users["org_admin"], name="roster.csv",
                                 content=_roster(ctx))  # fmt: skip
    services.roster_preview_run(import_id=imp.pk)
    services.roster_report_run(import_id=imp.pk)
    return {"uid": imp.uid}


PAGES = ("rosters:detail", "rosters:report")
ACTIONS = ("rosters:commit", "rosters:preview", "rosters:discard")

TABLE = [
    Row("rosters:list", ("anonymous",), "login"),
    Row("rosters:list", STAFF, 200),
    Row("rosters:list", others(*STAFF), 403),
    Row("rosters:upload", ("anonymous",), "login"),
    Row("rosters:upload", STAFF, 200),
    Row("rosters:upload", others(*STAFF), 403),
    Row("rosters:upload", ("anonymous",), "login", method="post"),
    Row("rosters:upload", STAFF, 422, method="post"),  # no file in the body
    Row("rosters:upload", others(*STAFF), 403, method="post"),
    Row("rosters:template", ("anonymous",), "login"),
    Row("rosters:template", STAFF, 200),
    Row("rosters:template", others(*STAFF), 403),
    *[row for name in PAGES for row in (
        Row(name, ("anonymous",), "login"),
        Row(name, STAFF, 200),
        Row(name, others(*STAFF), 403),
    )],
    *[row for name in ACTIONS for row in (
        Row(name, ("anonymous",), "login"),
        Row(name, STAFF, 405),
        Row(name, others(*STAFF), 403),
        Row(name, STAFF, 302, method="post"),
        Row(name, others(*STAFF), 403, method="post"),
    )],
    # The list and the upload share their path: GET lists, POST uploads (multipart; the
    # table's JSON body has no file, which the upload refuses after the role check).
    *[row for name in ("api-1.0.0:roster_imports", "api-1.0.0:roster_import_upload") for row in (
        Row(name, ("anonymous",), 401),
        Row(name, STAFF, 200),
        Row(name, others(*STAFF), 403),
        Row(name, ("anonymous",), 401, method="post"),
        Row(name, STAFF, 422, method="post"),
        Row(name, others(*STAFF), 403, method="post"),
    )],
    *[row for name in ("api-1.0.0:roster_import", "api-1.0.0:roster_import_rows") for row in (
        Row(name, ("anonymous",), 401),
        Row(name, STAFF, 200),
        Row(name, others(*STAFF), 403),
    )],
    Row("api-1.0.0:roster_import_commit", ALL, 405),
    Row("api-1.0.0:roster_import_commit", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:roster_import_commit", STAFF, 200, method="post"),
    Row("api-1.0.0:roster_import_commit", others(*STAFF), 403, method="post"),
    Row("api-1.0.0:roster_import_discard", ALL, 405),
    Row("api-1.0.0:roster_import_discard", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:roster_import_discard", STAFF, 200, method="post"),
    Row("api-1.0.0:roster_import_discard", others(*STAFF), 403, method="post"),
]  # fmt: skip

URL_ARGS = {
    **dict.fromkeys(PAGES + ACTIONS, ready_import),
    **dict.fromkeys(
        (
            "api-1.0.0:roster_import",
            "api-1.0.0:roster_import_rows",
            "api-1.0.0:roster_import_commit",
            "api-1.0.0:roster_import_discard",
        ),
        ready_import,
    ),
}
QUERY: dict = {}
BODY = {
    "rosters:commit": lambda ctx: {"confirm": "on"},
    "api-1.0.0:roster_import_commit": lambda ctx: {"confirm": True},
}
TENANT_ROWS = [
    ("rosters:detail", "get", 200),
    ("rosters:report", "get", 200),
    ("rosters:commit", "post", 302),
    ("rosters:discard", "post", 302),
    ("api-1.0.0:roster_import", "get", 200),
    ("api-1.0.0:roster_import_rows", "get", 200),
    ("api-1.0.0:roster_import_commit", "post", 200),
    ("api-1.0.0:roster_import_discard", "post", 200),
]
