"""Incidents, accident manifests, stranding census and SOS."""

from ninja import Router

router = Router(tags=["incidents"])
