"""Permission rows for the notifications app (the delivery log).

The log, and sending a failed message again from it, are for the ministry (every message) and
organiser admins (their organiser's); every other role gets 403, and another organiser's
message is not found.
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


def _failed_message(ctx):
    from django_scopes import scopes_disabled

    from zaireen.notifications.models import Message, MessageStatus

    message = _message(ctx)
    with scopes_disabled():
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, attempts=5)
    return message


TABLE = [
    Row("notifications:list", ("anonymous",), "login"),
    Row("notifications:list", READERS, 200),
    Row("notifications:list", others(*READERS), 403),
    Row("notifications:detail", ("anonymous",), "login"),
    Row("notifications:detail", READERS, 200),
    Row("notifications:detail", others(*READERS), 403),
    Row("notifications:retry", ("anonymous",), "login"),
    Row("notifications:retry", READERS, 405),
    Row("notifications:retry", others(*READERS), 403),
    Row("notifications:retry", ("anonymous",), "login", method="post"),
    Row("notifications:retry", READERS, 302, method="post"),
    Row("notifications:retry", others(*READERS), 403, method="post"),
    Row("api-1.0.0:notifications_messages", ("anonymous",), 401),
    Row("api-1.0.0:notifications_messages", READERS, 200),
    Row("api-1.0.0:notifications_messages", others(*READERS), 403),
    Row("api-1.0.0:notifications_message", ("anonymous",), 401),
    Row("api-1.0.0:notifications_message", READERS, 200),
    Row("api-1.0.0:notifications_message", others(*READERS), 403),
    Row("api-1.0.0:notifications_message_retry", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:notifications_message_retry", READERS, 200, method="post"),
    Row("api-1.0.0:notifications_message_retry", others(*READERS), 403, method="post"),
    Row("api-1.0.0:notifications_message_retry", ALL, 405),
]
assert set(ALL) == {"anonymous", *SIGNED_IN}

URL_ARGS = {
    "notifications:detail": lambda ctx: {"uid": _message(ctx).uid},
    "notifications:retry": lambda ctx: {"uid": _failed_message(ctx).uid},
    "api-1.0.0:notifications_message": lambda ctx: {"uid": _message(ctx).uid},
    "api-1.0.0:notifications_message_retry": lambda ctx: {"uid": _failed_message(ctx).uid},
}
QUERY = {"notifications:list": {"status": "queued", "q": "Sana"}}
BODY: dict = {}
TENANT_ROWS = [
    ("notifications:detail", "get", 200),
    ("notifications:retry", "post", 302),
    ("api-1.0.0:notifications_message", "get", 200),
    ("api-1.0.0:notifications_message_retry", "post", 200),
]
