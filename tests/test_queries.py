import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zaireen.accounts.models import User
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role


@pytest.mark.django_db
def test_one_or_none_finds_the_row_of_a_unique_key_without_ordering_it():
    user = User.objects.create(username="amina", role=Role.MINISTRY_OFFICER)
    User.objects.create(username="bilal", role=Role.MINISTRY_OFFICER)
    with CaptureQueriesContext(connection) as queries:
        found = one_or_none(User.objects.filter(username="amina"))
    assert found == user
    assert len(queries) == 1
    assert "ORDER BY" not in queries[0]["sql"].upper()


@pytest.mark.django_db
def test_one_or_none_answers_none_when_nothing_matches():
    assert one_or_none(User.objects.filter(username="nobody")) is None
