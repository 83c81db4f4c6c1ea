"""Every URL × every actor, from the hand-written table in `permission_table`."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_scopes import scopes_disabled

from tests.factories import trip_input
from tests.permission_table import (
    ACTORS,
    BODY,
    NOT_FOUND_BY_DESIGN,
    QUERY,
    TABLE,
    TENANT_ROWS,
    URL_ARGS,
    Row,
)
from zaireen.accounts.models import User
from zaireen.accounts.services import api_token_create, otp_request
from zaireen.core import sms
from zaireen.core.models import Job
from zaireen.core.roles import Role
from zaireen.organizers.models import LicenceStatus, Organiser
from zaireen.pilgrims.services import pilgrim_register
from zaireen.pilgrims.validation import PilgrimInput
from zaireen.places.models import City
from zaireen.trips.models import Member
from zaireen.trips.services import members_add, trip_create


def _url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


def test_every_url_is_named():
    unnamed = [n for n in _url_names() if n.startswith("<unnamed")]
    assert not unnamed


def test_the_table_lists_every_url_for_every_actor():
    covered = {
        (row.url_name, actor) for row in TABLE for actor in row.actors if row.method == "get"
    }
    missing = [
        f"{name} × {actor}"
        for name in sorted(set(_url_names()))
        for actor in ACTORS
        if (name, actor) not in covered
    ]
    assert not missing, "add rows to tests/permission_table.py for: " + ", ".join(missing)


def test_the_table_names_no_url_that_does_not_exist():
    assert {row.url_name for row in TABLE} <= set(_url_names())


def test_every_url_is_open_to_someone():
    """A denial proves something only if the same request succeeds for the right actor."""
    allowed = {row.url_name for row in TABLE if row.expect in (200, 201, 204, 302)}
    assert {row.url_name for row in TABLE} - NOT_FOUND_BY_DESIGN == allowed


def _organiser(number: str, city: City) -> Organiser:
    today = timezone.localdate()
    return Organiser.objects.create(
        legal_name=f"Organiser {number}",
        licence_number=number,
        head_office_city=city,
        phone="+924235761234",
        email=f"{number.lower()}@example.org",
        status=LicenceStatus.LICENSED,
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=300),
    )


@pytest.fixture
def ctx(db, places, django_capture_on_commit_callbacks):
    lahore = City.objects.get(slug="lahore")
    a, b = _organiser("ZGO-A", lahore), _organiser("ZGO-B", lahore)
    users = {
        "ministry": User.objects.create(username="ministry", role=Role.MINISTRY_OFFICER),
        "consul": User.objects.create(username="consul", role=Role.CONSULAR_OFFICER),
        "org_admin": User.objects.create(
            username="a-admin", role=Role.ORGANISER_ADMIN, organiser=a
        ),
        "org_staff": User.objects.create(
            username="a-staff", role=Role.ORGANISER_STAFF, organiser=a
        ),
        "leader": User.objects.create(
            username="a-leader", role=Role.GROUP_LEADER, organiser=a, phone="+923001234567"
        ),
        "pilgrim": User.objects.create(
            username="pilgrim", role=Role.PILGRIM, phone="+923331234568"
        ),
        "planner": User.objects.create(username="planner", role=Role.CROWD_PLANNER),
        "other_admin": User.objects.create(
            username="b-admin", role=Role.ORGANISER_ADMIN, organiser=b
        ),
    }
    invited = User(username="invited", role=Role.ORGANISER_STAFF, organiser=a)
    invited.set_unusable_password()
    invited.save()
    staff_member = User.objects.create(username="a-clerk", role=Role.ORGANISER_STAFF, organiser=a)
    token, _clear = api_token_create(actor=users["org_admin"], name="leader app")
    with django_capture_on_commit_callbacks(execute=True):
        otp_request(phone="+923001234567", client="127.0.0.1")
    leader_code = sms.outbox[-1].text.split()[4].rstrip(".")
    pilgrim, _warnings = pilgrim_register(
        actor=users["org_admin"],
        data=PilgrimInput(
            surname="RIZVI",
            given_names="SAJJAD",
            cnic="35202-7654321-1",
            passport_number="AB7654321",
            passport_expiry=timezone.localdate() + datetime.timedelta(days=2000),
            birth_date=datetime.date(1961, 3, 4),
            sex="M",
        ),
    )
    trip = trip_create(actor=users["org_admin"], data=trip_input())
    people = {}
    for n, key in enumerate(("leader", "pilgrim"), start=2):
        profile, _w = pilgrim_register(
            actor=users["org_admin"],
            data=PilgrimInput(
                surname="ABIDI",
                given_names=key.upper(),
                cnic=f"35202-765432{n}-1",
                passport_number=f"AB765432{n}",
                passport_expiry=timezone.localdate() + datetime.timedelta(days=2000),
                birth_date=datetime.date(1970, 3, 4),
                sex="M",
            ),
        )
        people[key] = profile
        users[key].person_id = profile.person_id
        users[key].save()
    members_add(actor=users["org_admin"], trip_uid=trip.uid, profile_uids=[pilgrim.uid])
    members_add(actor=users["org_admin"], trip_uid=trip.uid,
                profile_uids=[people["leader"].uid], role="leader")  # fmt: skip
    members_add(actor=users["org_admin"], trip_uid=trip.uid, profile_uids=[people["pilgrim"].uid])
    with scopes_disabled():
        member = Member.objects.get(trip=trip, profile=pilgrim)
    return SimpleNamespace(
        trip=trip,
        member=member,
        pilgrim=pilgrim,
        organiser=a,
        other=b,
        users=users,
        staff_member=staff_member,
        token=token,
        job=Job.objects.create(kind="demo", created_by=users["org_admin"]),
        leader_code=leader_code,
        invitation_uid=urlsafe_base64_encode(force_bytes(invited.pk)),
        invitation_token=default_token_generator.make_token(invited),
    )


def _request(client, ctx, actor: str, url_name: str, method: str):
    if actor != "anonymous":
        client.force_login(ctx.users[actor])
    url = reverse(url_name, kwargs=URL_ARGS.get(url_name, lambda c: {})(ctx))
    if method == "delete":
        return client.delete(url)
    if method == "post":
        body = BODY.get(url_name, lambda c: {})(ctx)
        uploads = any(hasattr(value, "read") for value in body.values())
        if url_name.startswith("api-") and not uploads:
            return client.post(url, data=body, content_type="application/json")
        return client.post(url, body)
    return client.get(url, QUERY.get(url_name, {}))


@pytest.mark.parametrize(
    ("row", "actor"),
    [(row, actor) for row in TABLE for actor in row.actors],
    ids=lambda v: v.url_name + ":" + v.method if isinstance(v, Row) else v,
)
def test_permission(row, actor, ctx, client):
    response = _request(client, ctx, actor, row.url_name, row.method)
    if row.expect == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))
    else:
        assert response.status_code == row.expect, response.content[:300]


@pytest.mark.parametrize(("url_name", "method", "success"), TENANT_ROWS)
def test_another_organisers_object_is_not_found(url_name, method, success, ctx, client):
    assert _request(client, ctx, "other_admin", url_name, method).status_code == 404
    client.logout()
    assert _request(client, ctx, "org_admin", url_name, method).status_code == success
