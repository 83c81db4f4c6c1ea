"""Roster import API."""

from ninja import Router

router = Router(tags=["roster imports"])
