"""Planning API: calendar, occasions, prayer times, pole gazetteer."""

from ninja import Router

router = Router(tags=["planning"])
