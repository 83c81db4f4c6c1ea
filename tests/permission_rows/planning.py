"""Permission rows for the planning app's URLs (calendar, prayer times, poles)."""

TABLE: list = []
URL_ARGS: dict = {}
QUERY: dict = {}
BODY: dict = {}
