"""Who may open which URL: written by hand, one row per URL name × actor.

Every issue adds its URLs here. `test_permissions` walks the table and fails when a URL
exists that the table does not list for every actor, so a new page cannot ship unreviewed.

Outcomes: an HTTP status, or "login" for a redirect to the login page. Arguments come from
`URL_ARGS`, whose values are callables taking the fixture context (so that a row can name an
object that belongs to someone).
"""

from __future__ import annotations

from dataclasses import dataclass

ACTORS = ("anonymous", "user", "superuser")

ALL = ACTORS


@dataclass(frozen=True)
class Row:
    url_name: str
    actors: tuple[str, ...]
    expect: int | str
    method: str = "get"


# Arguments for URLs that take them. `ctx` holds the objects the test made: ctx.job belongs
# to the "owner" user, who is neither the table's "user" nor its "superuser".
URL_ARGS = {
    "core:job_detail": lambda ctx: {"job_id": ctx.job.id},
    "places:site_detail": lambda ctx: {"slug": "imam-husayn-shrine"},
    "api-1.0.0:site": lambda ctx: {"slug": "imam-husayn-shrine"},
}

# URLs that answer 404 to everyone on purpose: django-ninja's root of the API exists only so
# that paths can be reversed.
NOT_FOUND_BY_DESIGN = {"api-1.0.0:api-root"}

# Query strings for URLs that need them to succeed.
QUERY = {
    "api-1.0.0:travel_time": {"from": "najaf", "to": "karbala"},
}

TABLE = [
    # Public pages and health.
    Row("core:home", ALL, 200),
    Row("core:healthz", ALL, 200),
    Row("places:site_list", ALL, 200),
    Row("places:map", ALL, 200),
    Row("places:travel", ALL, 200),
    Row("places:site_detail", ALL, 200),
    # Accounts: the login page sends a logged-in user on; logout takes POST only.
    Row("core:login", ("anonymous",), 200),
    Row("core:login", ("user", "superuser"), 302),
    Row("core:logout", ALL, 405),
    Row("core:logout", ALL, 302, method="post"),
    Row("set_language", ALL, 302, method="post"),
    Row("set_language", ALL, 302),
    # Someone else's job is not found; a superuser oversees every job.
    Row("core:job_detail", ("anonymous",), "login"),
    Row("core:job_detail", ("user",), 404),
    Row("core:job_detail", ("superuser",), 200),
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
]
