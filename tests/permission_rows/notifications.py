"""Permission rows for the notifications app (the delivery log).

The log is for the ministry (every message) and organiser admins (their organiser's); every
other role gets 403, and another organiser's message is not found.
"""

from tests.permission_table_base import ALL, SIGNED_IN, Row, others

READERS = ("ministry", "org_admin")


def _message(ctx):
    from zaireen.notifications.services import Recipient, notify

    [message] = notify(
        topic="notifications.test",
        recipients=[Recipient("Sana", "sms", "+923001234561")],
        context={"channel": "SMS"},
        organiser=ctx.organiser,
    )
    return message


TABLE = [
    Row("notifications:list", ("anonymous",), "login"),
    Row("notifications:list", READERS, 200),
    Row("notifications:list", others(*READERS), 403),
    Row("notifications:detail", ("anonymous",), "login"),
    Row("notifications:detail", READERS, 200),
    Row("notifications:detail", others(*READERS), 403),
    Row("api-1.0.0:notifications_messages", ("anonymous",), 401),
    Row("api-1.0.0:notifications_messages", READERS, 200),
    Row("api-1.0.0:notifications_messages", others(*READERS), 403),
    Row("api-1.0.0:notifications_message", ("anonymous",), 401),
    Row("api-1.0.0:notifications_message", READERS, 200),
    Row("api-1.0.0:notifications_message", others(*READERS), 403),
]
assert set(ALL) == {"anonymous", *SIGNED_IN}

URL_ARGS = {
    "notifications:detail": lambda ctx: {"uid": _message(ctx).uid},
    "api-1.0.0:notifications_message": lambda ctx: {"uid": _message(ctx).uid},
}
QUERY = {"notifications:list": {"status": "queued", "q": "Sana"}}
BODY: dict = {}
TENANT_ROWS = [
    ("notifications:detail", "get", 200),
    ("api-1.0.0:notifications_message", "get", 200),
]
