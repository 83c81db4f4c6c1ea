"""core.buttons: every button refuses, confirms and goes back alike."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage

from zaireen.core.buttons import button_action
from zaireen.core.errors import CapacityExceeded, NotFound, ValidationFailed


def _post(rf, data=None):
    request = rf.post("/somewhere/", data or {})
    request._messages = CookieStorage(request)
    return request


def _raise(exc):
    def action():
        raise exc

    return action


@pytest.mark.parametrize(
    ("action", "level", "text"),
    [
        (lambda: 3, "success", "3 done."),
        (_raise(ValidationFailed(start="outside the window")), "error", "outside the window"),
        (_raise(CapacityExceeded("Not enough places left.")), "error", "Not enough places left."),
    ],
)
def test_a_button_confirms_or_shows_the_refusal_and_goes_back(rf, action, level, text):
    request = _post(rf)
    response = button_action(request, action, done=lambda n: f"{n} done.", back_to="/trips/1/")
    assert response.status_code == 302
    assert response["Location"] == "/trips/1/"
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [(level, text)]


def test_a_button_follows_next_only_to_a_page_of_this_site(rf):
    inside = button_action(
        _post(rf, {"next": "/slots/plans/"}), lambda: None, done=None, back_to="/trips/"
    )
    outside = button_action(
        _post(rf, {"next": "https://evil.example/"}), lambda: None, done=None, back_to="/trips/"
    )
    assert inside["Location"] == "/slots/plans/"
    assert outside["Location"] == "/trips/"


def test_other_errors_are_left_to_the_edge(rf):
    with pytest.raises(NotFound):
        button_action(_post(rf), _raise(NotFound("No such trip.")), done=None, back_to="/")
