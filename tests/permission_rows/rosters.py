"""Permission rows for the rosters app (spreadsheet imports)."""

TABLE: list = []
URL_ARGS: dict = {}
QUERY: dict = {}
BODY: dict = {}
TENANT_ROWS: list = []
