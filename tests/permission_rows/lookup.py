"""Permission rows for the look-up app: consular and ministry officers only."""

from tests.permission_table_base import OFFICIALS, Row, others

TABLE = [
    Row("lookup:search", ("anonymous",), "login"),
    Row("lookup:search", OFFICIALS, 200),
    Row("lookup:search", others(*OFFICIALS), 403),
    Row("api-1.0.0:lookup", ("anonymous",), 401),
    Row("api-1.0.0:lookup", OFFICIALS, 200),
    Row("api-1.0.0:lookup", others(*OFFICIALS), 403),
]
URL_ARGS: dict = {}
# A real search with its reason, so that only the role decides (the page without one is an
# empty form, which officials get too).
QUERY = {
    "lookup:search": {"name": "Sajjad Rizwi", "birth_year": 1961, "reason": "emergency"},
    "api-1.0.0:lookup": {"name": "Sajjad Rizwi", "birth_year": 1961, "reason": "emergency"},
}
BODY: dict = {}
TENANT_ROWS: list = []  # no organiser-owned object in its URLs: every read is cross-tenant
