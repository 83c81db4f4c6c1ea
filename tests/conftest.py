import pytest
from django.contrib.auth import get_user_model

from zaireen.places.services import places_load


@pytest.fixture
def places(db):
    """The shipped reference geography, loaded into the test database."""
    return places_load()


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="amina", password="a-long-pass-phrase")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="officer", password="a-long-pass-phrase"
    )
