"""Permission rows for the notifications app."""

from tests.permission_table_base import Row  # noqa: F401

TABLE: list = []
URL_ARGS: dict = {}
QUERY: dict = {}
BODY: dict = {}
TENANT_ROWS: list = []
