"""Missing-person cases: reported, searched for, escalated, found, closed."""

from ninja import Router

router = Router(tags=["cases"])
