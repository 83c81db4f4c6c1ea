import pytest
from django.db import connection, connections
from django.urls import reverse

from zaireen.core import views
from zaireen.core.health import database_error
from zaireen.core.services import heartbeat_record


def _unreachable_database():
    """A real connection of the same backend, pointed where no database can answer."""
    settings = {**connection.settings_dict}
    if connection.vendor == "sqlite":
        settings["NAME"] = "/nonexistent-folder/zaireen.sqlite3"
    else:
        settings["HOST"], settings["PORT"] = "127.0.0.1", "1"
        settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "connect_timeout": 2}
    return connections["default"].__class__(settings, alias="unreachable")


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["worker_last_beat"] is None


@pytest.mark.django_db
def test_healthz_reports_the_last_heartbeat(client):
    beat = heartbeat_record(name="worker")
    assert (
        client.get(reverse("core:healthz")).json()["worker_last_beat"] == beat.beat_at.isoformat()
    )


@pytest.mark.django_db
def test_database_error_names_the_failure_of_an_unreachable_database():
    broken = _unreachable_database()
    try:
        assert database_error(broken)
    finally:
        broken.close()


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    broken = _unreachable_database()
    monkeypatch.setattr(views, "connection", broken)
    try:
        response = client.get(reverse("core:healthz"))
    finally:
        broken.close()
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
