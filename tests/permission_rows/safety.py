"""Permission rows for the safety app (headcounts, devices)."""

TABLE: list = []
URL_ARGS: dict = {}
QUERY: dict = {}
BODY: dict = {}
TENANT_ROWS: list = []
