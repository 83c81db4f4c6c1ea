"""Permission rows for the documents app (exports, PDFs, cards).

Printed documents and exports are for the trip's organiser's admins and staff; officials may
read the trip manifest with a reason (logged). The card pages answer everyone: what they show
depends on who asks (see tests/documents/test_cards.py).
"""

from django_scopes import scopes_disabled

from tests.permission_table_base import ALL, Row, others

STAFF = ("org_admin", "org_staff")
OFFICIALS = ("ministry", "consul")


def _card(ctx):
    """A valid card of `ctx.member`, issued once per context by organiser A's admin."""
    if getattr(ctx, "card", None) is None:
        from zaireen.trips.logistics import cards_issue
        from zaireen.trips.models import PilgrimCard

        cards_issue(actor=ctx.users["org_admin"], trip_uid=ctx.trip.uid)
        with scopes_disabled():
            ctx.card = PilgrimCard.objects.get(member=ctx.member, revoked_at=None)
    return ctx.card


def _vehicle(ctx):
    """A bus on a road leg of `ctx.trip`, added once per context."""
    if getattr(ctx, "vehicle", None) is None:
        from zaireen.trips.logistics import leg_add, vehicle_add

        admin = ctx.users["org_admin"]
        leg = leg_add(actor=admin, trip_uid=ctx.trip.uid, kind="road", from_city="najaf",
                      to_city="karbala", date=ctx.trip.departure_date)  # fmt: skip
        ctx.vehicle = vehicle_add(actor=admin, trip_uid=ctx.trip.uid, leg_uid=leg.uid,
                                  kind="bus", plate="BGD 1", driver_name="Karim",
                                  driver_phone="0770 123 4567", seats=40)  # fmt: skip
    return ctx.vehicle


def _signed(ctx):
    from zaireen.documents.cards import card_signed

    return card_signed(_card(ctx))


STAFF_ONLY_PAGES = (
    "documents:trip",
    "documents:roster_xlsx",
    "documents:roster_csv",
    "documents:vehicles_pdf",
    "documents:vehicle_pdf",
    "documents:rooming_pdf",
    "documents:id_cards_pdf",
    "documents:emergency_cards_pdf",
    "documents:pilgrims_xlsx",
    "documents:pilgrims_csv",
)

TABLE = [
    row
    for name in STAFF_ONLY_PAGES
    for row in (
        Row(name, ("anonymous",), "login"),
        Row(name, STAFF, 200),
        Row(name, others(*STAFF), 403),
    )
] + [
    # Officials read the manifest with a reason (QUERY gives one); leaders and pilgrims do not.
    Row("documents:manifest_pdf", ("anonymous",), "login"),
    Row("documents:manifest_pdf", (*STAFF, *OFFICIALS), 200),
    Row("documents:manifest_pdf", others(*STAFF, *OFFICIALS), 403),
    Row("documents:cards_issue", ("anonymous",), "login"),
    Row("documents:cards_issue", STAFF, 405),
    Row("documents:cards_issue", others(*STAFF), 403),
    Row("documents:cards_issue", STAFF, 302, method="post"),
    Row("documents:card_revoke", ("anonymous",), "login"),
    Row("documents:card_revoke", STAFF, 405),
    Row("documents:card_revoke", others(*STAFF), 403),
    Row("documents:card_revoke", STAFF, 302, method="post"),
    # Anyone may scan a card or type its code; the answer depends on who asks.
    Row("documents:card_resolve", ALL, 200),
    Row("documents:card_code", ALL, 200),
    Row("documents:card_code", ALL, 302, method="post"),
]

URL_ARGS = {
    **{
        name: (lambda ctx: {"uid": ctx.trip.uid})
        for name in (
            "documents:trip",
            "documents:manifest_pdf",
            "documents:roster_xlsx",
            "documents:roster_csv",
            "documents:vehicles_pdf",
            "documents:rooming_pdf",
            "documents:id_cards_pdf",
            "documents:emergency_cards_pdf",
            "documents:cards_issue",
            "documents:card_revoke",
        )
    },
    "documents:vehicle_pdf": lambda ctx: {"uid": ctx.trip.uid, "vehicle_uid": _vehicle(ctx).uid},
    "documents:card_resolve": lambda ctx: {"signed": _signed(ctx)},
}
QUERY = {"documents:manifest_pdf": {"reason": "emergency"}}
BODY = {
    "documents:card_revoke": lambda ctx: {"code": _card(ctx).code, "reason": "Lost in Karbala"},
    "documents:card_code": lambda ctx: {"code": _card(ctx).code},
}
TENANT_ROWS = [
    ("documents:trip", "get", 200),
    ("documents:manifest_pdf", "get", 200),
    ("documents:roster_xlsx", "get", 200),
    ("documents:vehicle_pdf", "get", 200),
    ("documents:id_cards_pdf", "get", 200),
    ("documents:cards_issue", "post", 302),
    ("documents:card_revoke", "post", 302),
]
