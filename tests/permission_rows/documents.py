"""Permission rows for the documents app (exports, PDFs, cards)."""

TABLE: list = []
URL_ARGS: dict = {}
QUERY: dict = {}
BODY: dict = {}
TENANT_ROWS: list = []
