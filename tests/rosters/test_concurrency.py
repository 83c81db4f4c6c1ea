"""Imports under concurrency (PostgreSQL: SQLite takes one writer at a time)."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django_scopes import scopes_disabled

from tests import factories
from tests.rosters.conftest import as_csv, row
from tests.rosters.test_import import person
from zaireen.core.roles import Role
from zaireen.pilgrims.models import Person, PersonIdentifier, PilgrimProfile
from zaireen.pilgrims.services import pilgrim_register
from zaireen.rosters import services
from zaireen.rosters.models import ImportStatus, RosterImport

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="SQLite takes one writer at a time; races need PostgreSQL (make test-postgres)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _together(*calls):
    """Run `calls` in threads that start at the same moment; their errors, by index."""
    barrier = threading.Barrier(len(calls))
    errors: dict[int, BaseException] = {}

    def run(index, call):
        try:
            barrier.wait()
            call()
        except BaseException as exc:  # reported to the test, whatever it is
            errors[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def staff(places):
    return factories.user("c-staff", Role.ORGANISER_STAFF, factories.organiser("ZGO-C"))


def test_two_runs_of_one_commit_at_once_import_every_row_once(staff, monkeypatch):
    monkeypatch.setattr(services, "COMMIT_CHUNK", 5)
    imp = services.roster_upload(actor=staff, name="r.csv", content=as_csv(
        [row(i) for i in range(60)]))  # fmt: skip
    with scopes_disabled():
        imp = RosterImport.objects.get(pk=imp.pk)
        imp.status = ImportStatus.COMMITTING  # as `roster_commit` leaves it, job not yet run
        imp.committed_by = staff
        imp.save()
    run = lambda: services.roster_commit_run(import_id=imp.pk)  # noqa: E731
    assert _together(run, run) == {}
    with scopes_disabled():
        assert PilgrimProfile.objects.count() == 60
        assert RosterImport.objects.get(pk=imp.pk).status == ImportStatus.COMMITTED
    assert Person.objects.count() == 60
    assert PersonIdentifier.objects.count() == 120


def test_a_commit_racing_registrations_of_its_people_never_doubles_a_person(staff, places):
    other = factories.user("o-staff", Role.ORGANISER_STAFF, factories.organiser("ZGO-O"))
    imp = services.roster_upload(actor=staff, name="r.csv", content=as_csv(
        [row(i) for i in range(40)]))  # fmt: skip
    with scopes_disabled():
        imp = RosterImport.objects.get(pk=imp.pk)
        imp.status, imp.committed_by = ImportStatus.COMMITTING, staff
        imp.save()

    def register():
        for n in range(30, 40):
            pilgrim_register(actor=other, data=person(n))

    errors = _together(lambda: services.roster_commit_run(import_id=imp.pk), register)
    assert errors == {}
    with scopes_disabled():
        assert PilgrimProfile.objects.filter(organiser=staff.organiser).count() == 40
        assert PilgrimProfile.objects.filter(organiser=other.organiser).count() == 10
    assert Person.objects.count() == 40, "each of the ten is one person for both organisers"
