import pytest

from tests import factories
from zaireen.core.roles import Role
from zaireen.planning import events


@pytest.fixture
def officer(db):
    return factories.ministry("officer")


@pytest.fixture
def consul(db):
    return factories.user("consul", Role.CONSULAR_OFFICER)


@pytest.fixture
def heard():
    """The offset changes announced to subscribers, in order."""
    changes = []
    events.on_offsets_changed(changes.append)
    yield changes
    events.unsubscribe(changes.append)
