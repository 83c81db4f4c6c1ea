"""Permission rows for the cases app (missing persons).

Who reads a case: the ministry and consuls (all), the organiser's admins and staff, the
leader of the case's trip. Who updates: the same minus the ministry. Who opens: the organiser's
people and the trip's leader. The next-of-kin choice is the organiser's. Pilgrims and planners
get 403; another organiser's case is not found.
"""

from tests.permission_table_base import ALL, Row, others

READERS = ("ministry", "consul", "org_admin", "org_staff", "leader")
UPDATERS = ("consul", "org_admin", "org_staff", "leader")
OPENERS = ("org_admin", "org_staff", "leader")
STAFF = ("org_admin", "org_staff")

TABLE = [
    Row("cases:list", ("anonymous",), "login"),
    Row("cases:list", READERS, 200),
    Row("cases:list", others(*READERS), 403),
    Row("cases:open", ("anonymous",), "login"),
    Row("cases:open", OPENERS, 200),
    Row("cases:open", others(*OPENERS), 403),
    Row("cases:open", OPENERS, 302, method="post"),
    Row("cases:open", others(*OPENERS), 403, method="post"),
    Row("cases:detail", ("anonymous",), "login"),
    Row("cases:detail", READERS, 200),
    Row("cases:detail", others(*READERS), 403),
    Row("cases:update", ("anonymous",), "login"),
    Row("cases:update", UPDATERS, 405),
    Row("cases:update", others(*UPDATERS), 403),
    Row("cases:update", UPDATERS, 302, method="post"),
    Row("cases:update", others(*UPDATERS), 403, method="post"),
    Row("cases:kin", ("anonymous",), "login"),
    Row("cases:kin", STAFF, 405),
    Row("cases:kin", others(*STAFF), 403),
    Row("cases:kin", STAFF, 302, method="post"),
    Row("cases:kin", others(*STAFF), 403, method="post"),
    Row("api-1.0.0:cases", ("anonymous",), 401),
    Row("api-1.0.0:cases", READERS, 200),
    Row("api-1.0.0:cases", others(*READERS), 403),
    Row("api-1.0.0:cases", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:cases", OPENERS, 201, method="post"),
    Row("api-1.0.0:cases", others(*OPENERS), 403, method="post"),
    Row("api-1.0.0:cases_case", ("anonymous",), 401),
    Row("api-1.0.0:cases_case", READERS, 200),
    Row("api-1.0.0:cases_case", others(*READERS), 403),
    Row("api-1.0.0:cases_transition", ALL, 405),
    Row("api-1.0.0:cases_transition", ("anonymous",), 401, method="post"),
    Row("api-1.0.0:cases_transition", UPDATERS, 200, method="post"),
    Row("api-1.0.0:cases_transition", others(*UPDATERS), 403, method="post"),
]


def _case(ctx):
    from zaireen.cases.services import CaseInput, case_open

    case, _created = case_open(
        actor=ctx.users["org_admin"], member_uid=ctx.member.uid, data=CaseInput()
    )
    return case


def _case_args(ctx):
    return {"uid": _case(ctx).uid}


URL_ARGS = {
    "cases:detail": _case_args,
    "cases:update": _case_args,
    "cases:kin": _case_args,
    "api-1.0.0:cases_case": _case_args,
    "api-1.0.0:cases_transition": _case_args,
}
QUERY = {"cases:list": {"state": "open", "q": "RIZVI"}, "api-1.0.0:cases": {"state": "open"}}
BODY = {
    "cases:open": lambda ctx: {"member": str(ctx.member.uid), "description": "White cap"},
    "cases:update": lambda ctx: {"note": "Seen at the shrine gate", "pole": "578"},
    "cases:kin": lambda ctx: {"tell": "1"},
    "api-1.0.0:cases": lambda ctx: {"member": str(ctx.member.uid), "pole": 578},
    "api-1.0.0:cases_transition": lambda ctx: {"state": "searching"},
}
TENANT_ROWS = [
    ("cases:detail", "get", 200),
    ("cases:update", "post", 302),
    ("cases:kin", "post", 302),
    ("api-1.0.0:cases_case", "get", 200),
    ("api-1.0.0:cases_transition", "post", 200),
]
