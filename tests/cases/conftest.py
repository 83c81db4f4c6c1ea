"""The safety app's world (organiser A, a trip with two bound leaders and four pilgrims) plus
the people a case reaches: an admin, a consul, the ministry, and another organiser."""

import pytest
from django_scopes import scopes_disabled

from tests import factories
from tests.safety.conftest import phone_of, world  # noqa: F401 (fixtures)
from zaireen.core import sms
from zaireen.core.roles import Role
from zaireen.notifications import gateways


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The fixtures make a dozen logins; the real hasher costs a second each on a busy machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(world):  # noqa: F811
    world.admin = factories.user(
        "admin-a", Role.ORGANISER_ADMIN, world.organiser, email="admin@zgo-a.example"
    )
    world.consul = factories.user("consul", Role.CONSULAR_OFFICER, email="consul@mofa.example")
    world.ministry = factories.ministry()
    other = factories.organiser("ZGO-B")
    world.other_staff = factories.user("staff-b", Role.ORGANISER_STAFF, other)
    world.pilgrim_user = factories.user("pilgrim-1", Role.PILGRIM, phone="+923339999999")
    world.missing = world.members[2]
    with scopes_disabled():
        world.missing.profile.refresh_from_db()
    sms.outbox.clear()
    gateways.whatsapp_outbox.clear()
    return world
