"""The audit trail and the access log: complete, scoped, masked."""

import pytest
from django.urls import reverse
from django_scopes import ScopeError

from tests import factories
from zaireen.core import selectors
from zaireen.core.access import access_log_record, mask_query
from zaireen.core.audit import audit_record, diff, mask
from zaireen.core.errors import NotAllowed, ValidationFailed
from zaireen.core.models import AuditEntry, PersonalDataAccess
from zaireen.core.roles import Role

pytestmark = pytest.mark.django_db


def test_an_unscoped_read_of_tenant_rows_fails_loudly(places):
    with pytest.raises(ScopeError):
        list(AuditEntry.objects.all())


def test_each_organiser_admin_reads_only_its_own_trail(places, client):
    a, b = factories.organiser("ZGO-A"), factories.organiser("ZGO-B")
    officer = factories.ministry()
    for organiser in (a, b):
        audit_record(actor=officer, action="zaireen.test", obj=organiser, organiser=organiser)
    admin_a = factories.user("a", Role.ORGANISER_ADMIN, a)
    assert {e.organiser_id for e in selectors.audit_list_for(actor=admin_a)} == {a.pk}
    assert {e.organiser_id for e in selectors.audit_list_for(actor=officer)} == {a.pk, b.pk}
    only_b = selectors.audit_list_for(actor=officer, organiser_uid=str(b.uid))
    assert {e.organiser_id for e in only_b} == {b.pk}
    client.force_login(admin_a)
    page = client.get(reverse("core:audit")).content.decode()
    assert "ZGO-A" in page or "Organiser ZGO-A" in page
    assert "Organiser ZGO-B" not in page


def test_staff_pilgrims_and_planners_read_no_trail(places):
    organiser = factories.organiser()
    for role, org in (
        (Role.ORGANISER_STAFF, organiser),
        (Role.PILGRIM, None),
        (Role.CROWD_PLANNER, None),
    ):
        with pytest.raises(NotAllowed):
            selectors.audit_list_for(actor=factories.user(role, role, org))


def test_diff_masks_identifiers_and_keeps_the_rest():
    changes = diff({"cnic": "3520212345671", "name": "A"}, {"cnic": "3520212345679", "name": "B"})
    assert changes["cnic"] == ["•••••••••••71", "•••••••••••79"]
    assert changes["name"] == ["A", "B"]
    assert mask("ab") == "••"


def test_queries_in_the_access_log_are_masked():
    assert mask_query("Husain 35202-1234567-1 AB1234567") == "Husain •••••••••••••-1 •••••••67"


def test_only_officials_with_a_reason_read_across_organisers(places):
    organiser = factories.organiser()
    consul = factories.user("consul", Role.CONSULAR_OFFICER)
    entry = access_log_record(actor=consul, what="pilgrim profile", reason="missing_person",
                              organiser=organiser, query="CNIC 3520212345671")  # fmt: skip
    assert "3520212345671" not in entry.query
    with pytest.raises(ValidationFailed):
        access_log_record(actor=consul, what="x", reason="curiosity")
    staff = factories.user("staff", Role.ORGANISER_STAFF, organiser)
    with pytest.raises(ValidationFailed):
        access_log_record(actor=staff, what="x", reason="missing_person")
    assert PersonalDataAccess.objects.count() == 1


def test_the_ministry_reads_the_access_log(places, client):
    consul = factories.user("consul", Role.CONSULAR_OFFICER)
    access_log_record(actor=consul, what="pilgrim profile", reason="emergency", query="Jafri")
    client.force_login(factories.ministry())
    page = client.get(reverse("core:access_log")).content.decode()
    assert "pilgrim profile" in page and "Emergency" in page
