"""Permission rows for the safety app (headcounts, phones).

Who counts a trip: its organiser's admins and staff, and the group leader who leads it (the
fixture's "leader"). Officials and the pilgrim on the trip see the trip but do not count it
(403); the planner does not see it (404). Only a registered phone appends events (its own
token), so a session answers 401 there. The manifest, the service worker and the icons are
public: browsers fetch them without cookies, and they name no trip.
"""

import datetime
import uuid

from tests.permission_table_base import ALL, SIGNED_IN, Row, others

COUNTERS = ("org_admin", "org_staff", "leader")
SEE_BUT_DO_NOT_COUNT = ("ministry", "consul", "pilgrim")

TABLE = [
    Row("safety:service_worker", ALL, 200),
    Row("safety:icon", ALL, 200),
    Row("safety:manifest", ALL, 200),
    Row("safety:leader", ("anonymous",), "login"),
    Row("safety:leader", COUNTERS, 200),
    Row("safety:leader", others(*COUNTERS), 403),
    Row("safety:devices", ("anonymous",), "login"),
    Row("safety:devices", COUNTERS, 200),
    Row("safety:devices", others(*COUNTERS), 403),
    Row("safety:device_register", ("anonymous",), "login"),
    Row("safety:device_register", COUNTERS, 405),
    Row("safety:device_register", others(*COUNTERS), 403),
    Row("safety:device_register", COUNTERS, 200, method="post"),
    Row("safety:device_revoke", ("anonymous",), "login"),
    Row("safety:device_revoke", COUNTERS, 405),
    Row("safety:device_revoke", others(*COUNTERS), 403),
    Row("safety:device_revoke", COUNTERS, 302, method="post"),
    Row("safety:case_request", ("anonymous",), "login"),
    Row("safety:case_request", COUNTERS, 405),
    Row("safety:case_request", others(*COUNTERS), 403),
    Row("safety:case_request", COUNTERS, 302, method="post"),
    Row("api-1.0.0:safety_roster", ("anonymous",), 401),
    Row("api-1.0.0:safety_roster", COUNTERS, 200),
    Row("api-1.0.0:safety_roster", SEE_BUT_DO_NOT_COUNT, 403),
    Row("api-1.0.0:safety_roster", ("planner",), 404),
    Row("api-1.0.0:safety_events", ("anonymous",), 401),
    Row("api-1.0.0:safety_events", COUNTERS, 200),
    Row("api-1.0.0:safety_events", SEE_BUT_DO_NOT_COUNT, 403),
    Row("api-1.0.0:safety_events", ("planner",), 404),
    Row("api-1.0.0:safety_events", ALL, 401, method="post"),  # a phone's token only
    Row("api-1.0.0:safety_case", ALL, 405),
    Row("api-1.0.0:safety_case", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:safety_case", COUNTERS, 200, method="post"),
    Row("api-1.0.0:safety_case", SEE_BUT_DO_NOT_COUNT, 403, method="post"),
    Row("api-1.0.0:safety_case", ("planner",), 404, method="post"),
]
assert set(SIGNED_IN) == {*COUNTERS, *SEE_BUT_DO_NOT_COUNT, "planner"}


def _device(ctx):
    from zaireen.safety.services import device_register

    device, _token = device_register(
        actor=ctx.users["leader"], trip_uid=ctx.trip.uid, name="Leader's phone"
    )
    return device


def _closed_headcount(ctx):
    """A hotel headcount the leader's phone closed with the demo pilgrim (ctx.member)
    missing: what a case is asked for."""
    from django.utils import timezone

    from zaireen.safety.services import EventInput, events_sync

    device = _device(ctx)
    headcount = uuid.uuid4()
    now = timezone.now()

    def event(seq, action, **fields):
        return EventInput(
            id=uuid.uuid4(),
            device=device.uid,
            seq=seq,
            device_time=now + datetime.timedelta(seconds=seq),
            headcount=headcount,
            action=action,
            **fields,
        )

    events_sync(
        device=device,
        trip_uid=ctx.trip.uid,
        events=[
            event(1, "open", kind="hotel", label="Qasr al-Dur"),
            event(2, "close", depart_anyway=True, missing=(ctx.member.uid,)),
        ],
    )
    return headcount


URL_ARGS = {
    "safety:icon": lambda ctx: {"size": 192},
    "safety:manifest": lambda ctx: {"uid": ctx.trip.uid},
    "safety:leader": lambda ctx: {"uid": ctx.trip.uid},
    "safety:devices": lambda ctx: {"uid": ctx.trip.uid},
    "safety:device_register": lambda ctx: {"uid": ctx.trip.uid},
    "safety:device_revoke": lambda ctx: {"uid": _device(ctx).uid},
    "safety:case_request": lambda ctx: {"uid": _closed_headcount(ctx)},
    "api-1.0.0:safety_roster": lambda ctx: {"uid": ctx.trip.uid},
    "api-1.0.0:safety_events": lambda ctx: {"uid": ctx.trip.uid},
    "api-1.0.0:safety_case": lambda ctx: {"uid": _closed_headcount(ctx)},
}
QUERY: dict = {}
BODY = {
    "safety:device_register": lambda ctx: {"name": "Hasan's phone"},
    "safety:case_request": lambda ctx: {"member": str(ctx.member.uid)},
    "api-1.0.0:safety_events": lambda ctx: {"events": []},
    "api-1.0.0:safety_case": lambda ctx: {"member": str(ctx.member.uid)},
}
TENANT_ROWS = [
    ("safety:leader", "get", 200),
    ("safety:devices", "get", 200),
    ("safety:device_revoke", "post", 302),
    ("safety:case_request", "post", 302),
    ("api-1.0.0:safety_roster", "get", 200),
    ("api-1.0.0:safety_events", "get", 200),
]
