"""Every URL × every actor, from the hand-written table in `permission_table`."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_table import ACTORS, NOT_FOUND_BY_DESIGN, QUERY, TABLE, URL_ARGS, Row
from zaireen.core.models import Job


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
    allowed = {row.url_name for row in TABLE if row.expect in (200, 302)}
    assert {row.url_name for row in TABLE} - NOT_FOUND_BY_DESIGN == allowed


@pytest.fixture
def ctx(db, places):
    owner = get_user_model().objects.create_user(username="owner", password="x-long-pass-phrase")
    return SimpleNamespace(job=Job.objects.create(kind="demo", created_by=owner), owner=owner)


def _client_for(actor, client, django_user_model):
    if actor == "user":
        client.force_login(django_user_model.objects.create_user(username="plain"))
    elif actor == "superuser":
        client.force_login(django_user_model.objects.create_superuser(username="root"))
    return client


@pytest.mark.parametrize(
    ("row", "actor"),
    [(row, actor) for row in TABLE for actor in row.actors],
    ids=lambda v: v.url_name + ":" + v.method if isinstance(v, Row) else v,
)
def test_permission(row, actor, ctx, client, django_user_model):
    http = _client_for(actor, client, django_user_model)
    url = reverse(row.url_name, kwargs=URL_ARGS.get(row.url_name, lambda c: {})(ctx))
    response = getattr(http, row.method)(url, QUERY.get(row.url_name, {}))
    if row.expect == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))
    else:
        assert response.status_code == row.expect, response.content[:300]


def test_the_owner_of_a_job_may_open_it(ctx, client):
    """The 404 for another user is about ownership: the same URL opens for its owner."""
    client.force_login(ctx.owner)
    assert client.get(reverse("core:job_detail", args=[ctx.job.id])).status_code == 200
