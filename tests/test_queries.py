import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from zaireen.accounts.models import User
from zaireen.core.queries import lock_rows, one_or_none
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


@pytest.mark.django_db(transaction=True)
def test_lock_rows_locks_in_key_order_and_reads_only_the_keys():
    users = [User.objects.create(username=f"u{n}", role=Role.MINISTRY_OFFICER) for n in range(3)]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        lock_rows(User.objects.filter(pk__in=[u.pk for u in users]))
    (sql,) = [q["sql"] for q in queries if q["sql"].upper().startswith("SELECT")]
    assert sql.upper().split(" FROM ")[0].count(",") == 0  # the key alone
    assert "ORDER BY" in sql.upper()
    if connection.vendor == "postgresql":
        assert sql.upper().rstrip().endswith("FOR UPDATE")
