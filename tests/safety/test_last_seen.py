"""Where each member was last seen: what the consular look-up and missing-person cases show."""

import pytest

from zaireen.lookup import hooks
from zaireen.safety.selectors import last_seen

pytestmark = pytest.mark.django_db


def test_the_latest_mark_counts_and_a_mark_taken_back_does_not(
    world, phone_of, django_assert_num_queries
):
    phone = phone_of(world.leaders[0], world.trip)
    a, b, c = world.members[2:5]
    hotel, opened_hotel = phone.open(kind="hotel", label="Qasr al-Dur")
    phone.sync(opened_hotel, phone.mark(hotel, a), phone.mark(hotel, b))
    gate, opened_gate = phone.open(label="Bab al-Qibla")
    wrong = phone.mark(gate, b)
    phone.sync(opened_gate, phone.mark(gate, a), wrong, phone.unmark(gate, wrong))

    with django_assert_num_queries(3):
        seen = last_seen([a.pk, b.pk, c.pk])
    assert set(seen) == {a.pk, b.pk}, "c was never marked"
    assert "Bab al-Qibla" in seen[a.pk].checkpoint
    assert "Qasr al-Dur" in seen[b.pk].checkpoint, "b's mark at the gate was taken back"
    assert seen[a.pk].at >= seen[b.pk].at
    assert last_seen([]) == {}

    checkpoints = hooks.last_checkpoints([a.pk, c.pk])
    assert set(checkpoints) == {a.pk}
    assert checkpoints[a.pk].name == seen[a.pk].checkpoint
