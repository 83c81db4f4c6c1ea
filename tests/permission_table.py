"""Who may open which URL: written by hand, one row per URL name × actor.

Every issue adds its URLs here. `test_permissions` walks the table and fails when a URL
exists that the table does not list for every actor, so a new page cannot ship unreviewed.

Outcomes: an HTTP status, or "login" for a redirect to the login page. URL arguments come
from `URL_ARGS`, callables taking the fixture context `ctx` (see `test_permissions.ctx`):
objects there belong to organiser A, whose admin is the actor "org_admin".
"""

from tests.permission_table_base import (  # noqa: F401
    ACTORS,
    ALL,
    OFFICIALS,
    ORGANISER_PEOPLE,
    SIGNED_IN,
    Row,
    others,
)

URL_ARGS = {
    "core:job_detail": lambda ctx: {"job_id": ctx.job.id},
    "places:site_detail": lambda ctx: {"slug": "imam-husayn-shrine"},
    "api-1.0.0:site": lambda ctx: {"slug": "imam-husayn-shrine"},
    "accounts:invitation": lambda ctx: {
        "uidb64": ctx.invitation_uid,
        "token": ctx.invitation_token,
    },
    "accounts:token_revoke": lambda ctx: {"token_id": ctx.token.id},
    "organizers:detail": lambda ctx: {"uid": ctx.organiser.uid},
    "organizers:status": lambda ctx: {"uid": ctx.organiser.uid},
    "organizers:invite_admin": lambda ctx: {"uid": ctx.organiser.uid},
    "organizers:staff_remove": lambda ctx: {"user_id": ctx.staff_member.id},
    "api-1.0.0:organiser": lambda ctx: {"uid": ctx.organiser.uid},
    "api-1.0.0:organiser_status": lambda ctx: {"uid": ctx.organiser.uid},
}

# Query strings for URLs that need them to succeed.
QUERY = {
    "api-1.0.0:travel_time": {"from": "najaf", "to": "karbala"},
    "api-1.0.0:licences": {"q": "ZGO"},
}

# Bodies for POSTs: a valid request, so that only the permission decides.
BODY = {
    "api-1.0.0:organiser_status": lambda ctx: {"to_status": "suspended", "reason": "Test"},
    "accounts:token_create": lambda ctx: {"name": "my script"},
    "accounts:phone_verify": lambda ctx: {"phone": "+923001234567", "code": ctx.leader_code},
    "organizers:invite_admin": lambda ctx: {
        "role": "organiser_admin",
        "first_name": "Amna",
        "username": "amna",
        "email": "amna@example.org",
    },
}

# URLs that answer 404 to everyone on purpose: django-ninja's root of the API exists only so
# that paths can be reversed.
NOT_FOUND_BY_DESIGN = {"api-1.0.0:api-root"}

TABLE = [
    # Public pages and health.
    Row("core:home", ALL, 200),
    Row("core:healthz", ALL, 200),
    Row("places:site_list", ALL, 200),
    Row("places:map", ALL, 200),
    Row("places:travel", ALL, 200),
    Row("places:site_detail", ALL, 200),
    Row("organizers:licence_check", ALL, 200),
    # Accounts: the login page sends a signed-in user on; logout takes POST only.
    Row("core:login", ("anonymous",), 200),
    Row("core:login", SIGNED_IN, 302),
    Row("core:logout", ALL, 405),
    Row("core:logout", ALL, 302, method="post"),
    Row("set_language", ALL, 302, method="post"),
    Row("set_language", ALL, 302),
    Row("accounts:phone_login", ALL, 200),
    Row("accounts:phone_verify", ALL, 405),
    Row("accounts:phone_verify", ALL, 302, method="post"),
    Row("accounts:invitation", ALL, 200),
    Row("accounts:profile", ("anonymous",), "login"),
    Row("accounts:profile", SIGNED_IN, 200),
    Row("accounts:token_create", ("anonymous",), "login"),
    Row("accounts:token_create", SIGNED_IN, 405),
    Row("accounts:token_create", SIGNED_IN, 200, method="post"),
    Row("accounts:token_revoke", ("anonymous",), "login"),
    Row("accounts:token_revoke", SIGNED_IN, 405),
    Row("accounts:token_revoke", ("org_admin",), 302, method="post"),
    Row("accounts:token_revoke", others("org_admin"), 404, method="post"),
    # Someone else's job is not found.
    Row("core:job_detail", ("anonymous",), "login"),
    Row("core:job_detail", ("org_admin",), 200),
    Row("core:job_detail", others("org_admin"), 404),
    # Audit trail and access log.
    Row("core:audit", ("anonymous",), "login"),
    Row("core:audit", ("ministry", "org_admin"), 200),
    Row("core:audit", others("ministry", "org_admin"), 403),
    Row("core:access_log", ("anonymous",), "login"),
    Row("core:access_log", ("ministry",), 200),
    Row("core:access_log", others("ministry"), 403),
    # The ministry's organiser pages; consular officers may read them.
    Row("organizers:list", ("anonymous",), "login"),
    Row("organizers:list", OFFICIALS, 200),
    Row("organizers:list", others(*OFFICIALS), 403),
    Row("organizers:detail", ("anonymous",), "login"),
    Row("organizers:detail", OFFICIALS, 200),
    Row("organizers:detail", others(*OFFICIALS), 403),
    Row("organizers:create", ("anonymous",), "login"),
    Row("organizers:create", ("ministry",), 200),
    Row("organizers:create", others("ministry"), 403),
    Row("organizers:status", ("anonymous",), "login"),
    Row("organizers:status", ("ministry",), 200),
    Row("organizers:status", others("ministry"), 403),
    Row("organizers:invite_admin", ("anonymous",), "login"),
    Row("organizers:invite_admin", ("ministry",), 405),
    Row("organizers:invite_admin", others("ministry"), 403),
    Row("organizers:invite_admin", ("ministry",), 200, method="post"),
    # An organiser's own pages.
    Row("organizers:home", ("anonymous",), "login"),
    Row("organizers:home", ORGANISER_PEOPLE, 200),
    Row("organizers:home", others(*ORGANISER_PEOPLE), 403),
    Row("organizers:staff", ("anonymous",), "login"),
    Row("organizers:staff", ("org_admin",), 200),
    Row("organizers:staff", others("org_admin"), 403),
    Row("organizers:staff_remove", ("anonymous",), "login"),
    Row("organizers:staff_remove", ("org_admin",), 405),
    Row("organizers:staff_remove", others("org_admin"), 403),
    Row("organizers:staff_remove", ("org_admin",), 302, method="post"),
    # Public API.
    Row("api-1.0.0:api-root", ALL, 404),
    Row("api-1.0.0:openapi-json", ALL, 200),
    Row("api-1.0.0:openapi-view", ALL, 200),
    Row("api-1.0.0:cities", ALL, 200),
    Row("api-1.0.0:sites", ALL, 200),
    Row("api-1.0.0:site", ALL, 200),
    Row("api-1.0.0:airports", ALL, 200),
    Row("api-1.0.0:crossings", ALL, 200),
    Row("api-1.0.0:travel_time", ALL, 200),
    Row("api-1.0.0:map_geojson", ALL, 200),
    Row("api-1.0.0:licences", ALL, 200),
    # Signed-in API.
    Row("api-1.0.0:me", ("anonymous",), 401),
    Row("api-1.0.0:me", SIGNED_IN, 200),
    Row("api-1.0.0:organisers", ("anonymous",), 401),
    Row("api-1.0.0:organisers", OFFICIALS, 200),
    Row("api-1.0.0:organisers", others(*OFFICIALS), 403),
    Row("api-1.0.0:organiser", ("anonymous",), 401),
    Row("api-1.0.0:organiser", (*OFFICIALS, *ORGANISER_PEOPLE), 200),
    Row("api-1.0.0:organiser", ("pilgrim", "planner"), 404),
    Row("api-1.0.0:organiser_status", ALL, 405),
    Row("api-1.0.0:organiser_status", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:organiser_status", ("ministry",), 200, method="post"),
    Row("api-1.0.0:organiser_status", ("consul", *ORGANISER_PEOPLE), 403, method="post"),
    Row("api-1.0.0:organiser_status", ("pilgrim", "planner"), 404, method="post"),
    Row("api-1.0.0:audit", ("anonymous",), 401),
    Row("api-1.0.0:audit", ("ministry", "org_admin"), 200),
    Row("api-1.0.0:audit", others("ministry", "org_admin"), 403),
]

# Organiser-owned URLs: organiser B's admin asking for organiser A's object gets 404, exactly
# as for an object that does not exist; A's admin (same URL, same method) succeeds.
TENANT_ROWS = [
    ("api-1.0.0:organiser", "get", 200),
    ("organizers:staff_remove", "post", 302),
    ("accounts:token_revoke", "post", 302),
    ("core:job_detail", "get", 200),
]

# Rows contributed by the apps' own modules under tests/permission_rows/.
from tests.permission_rows import cases as _cases  # noqa: E402
from tests.permission_rows import crowd as _crowd  # noqa: E402
from tests.permission_rows import documents as _documents  # noqa: E402
from tests.permission_rows import incidents as _incidents  # noqa: E402
from tests.permission_rows import itineraries as _itineraries  # noqa: E402
from tests.permission_rows import lookup as _lookup  # noqa: E402
from tests.permission_rows import notifications as _notifications  # noqa: E402
from tests.permission_rows import pilgrims as _pilgrims  # noqa: E402
from tests.permission_rows import planning as _planning  # noqa: E402
from tests.permission_rows import rosters as _rosters  # noqa: E402
from tests.permission_rows import safety as _safety  # noqa: E402
from tests.permission_rows import trips as _trips  # noqa: E402

for _module in (
    _planning,
    _pilgrims,
    _trips,
    _rosters,
    _documents,
    _safety,
    _lookup,
    _notifications,
    _cases,
    _incidents,
    _itineraries,
    _crowd,
):
    TABLE += _module.TABLE
    URL_ARGS.update(_module.URL_ARGS)
    QUERY.update(_module.QUERY)
    BODY.update(_module.BODY)
    TENANT_ROWS += getattr(_module, "TENANT_ROWS", [])
