"""Safety API: headcount sync for the leader app."""

from ninja import Router

router = Router(tags=["safety"])
