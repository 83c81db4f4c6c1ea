"""Notifications: email, SMS and WhatsApp messages sent after commit, with a delivery log."""

from ninja import Router

router = Router(tags=["notifications"])
