"""The whole demo, as `make run` loads it: the printed phone logins lead somewhere."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from zaireen.accounts.models import User
from zaireen.core.demo import demo_setup
from zaireen.trips.models import Member, TripStatus

pytestmark = pytest.mark.django_db


def test_the_demo_leader_and_pilgrim_are_on_a_departed_trip(places, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("load_itinerary_data", verbosity=0)
    logins = demo_setup()
    assert {"leader", "pilgrim"} <= {login["username"] for login in logins}
    with scopes_disabled():
        for username, role in (("leader", "leader"), ("pilgrim", "pilgrim")):
            user = User.objects.get(username=username)
            assert user.person_id, f"the demo {username} is not bound to a person"
            assert Member.objects.filter(
                person_id=user.person_id, role=role, trip__status=TripStatus.DEPARTED
            ).exists(), f"the demo {username} is on no departed trip as {role}"
    before = User.objects.count()
    demo_setup()  # a second `make run` adds nothing and does not fail
    assert User.objects.count() == before
