"""The seeded generator: same settings, same instance; every instance follows the recipe."""

import io
import json

import numpy as np
import pytest

from zaireen.crowd.solver import (
    GeneratorError,
    GeneratorSettings,
    generate,
    instance_from_json,
    write_instance,
)
from zaireen.crowd.solver.generator import TRAVEL, ZONES


def text(settings: GeneratorSettings) -> str:
    out = io.StringIO()
    write_instance(generate(settings), out)
    return out.getvalue()


def test_same_seed_same_file_other_seed_other_file():
    settings = GeneratorSettings(groups=200, max_visits=3, slots=96, tightness=1.5, seed=7)
    assert text(settings) == text(settings)
    other = GeneratorSettings(groups=200, max_visits=3, slots=96, tightness=1.5, seed=8)
    assert text(settings) != text(other)


@pytest.mark.parametrize("max_visits", [1, 2, 3])
def test_instances_follow_the_recipe_and_parse(max_visits):
    settings = GeneratorSettings(groups=400, max_visits=max_visits, slots=96, seed=3)
    inst = generate(settings)
    # The file is valid for the strict parser.
    assert instance_from_json(json.loads(text(settings))) == inst
    assert [z.id for z in inst.zones] == list(ZONES)
    for (a, b), slots in TRAVEL.items():
        assert inst.travel(a, b) == inst.travel(b, a) == slots
    routes = (list(ZONES), list(reversed(ZONES)))
    for group in inst.groups:
        assert 20 <= group.size <= 60
        assert 1 <= len(group.visits) <= max_visits
        zones = [v.zone for v in group.visits]
        assert any(zones == [z for z in route if z in zones] for route in routes)
        for i, visit in enumerate(group.visits):
            assert 2 <= visit.duration <= 4
            assert visit.earliest <= visit.preferred <= visit.latest
            assert visit.preferred - visit.earliest <= 16
            assert visit.latest - visit.preferred <= 16
            assert visit.latest + visit.duration <= settings.slots
            if i:
                before = group.visits[i - 1]
                gap = before.duration + inst.travel(before.zone, visit.zone)
                assert visit.preferred == before.preferred + gap  # the wish itself fits
                assert visit.earliest >= before.earliest + gap  # pushed so travel fits
                assert before.latest <= visit.latest - gap


def test_capacity_is_peak_preferred_occupancy_over_tightness():
    settings = GeneratorSettings(groups=3000, max_visits=2, slots=96, tightness=1.5, seed=11)
    inst = generate(settings)
    for zone in inst.zones:
        load = np.zeros(settings.slots + 1)
        for group in inst.groups:
            for v in group.visits:
                if v.zone == zone.id:
                    load[v.preferred : v.preferred + v.duration] += group.size
        assert zone.capacity == (int(load.max() / 1.5),) * settings.slots


def test_peak_near_sixty_percent_of_the_horizon():
    inst = generate(GeneratorSettings(groups=4000, max_visits=1, slots=200, seed=5))
    firsts = np.array([g.visits[0].preferred for g in inst.groups])
    near = np.abs(firsts - 120) <= 20  # one sd either side
    # 70% × 68% from the peak plus the uniform share that happens to fall there
    assert 0.45 < near.mean() < 0.6


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        (GeneratorSettings(groups=10, max_visits=4), "max_visits"),
        (GeneratorSettings(groups=10, max_visits=0), "max_visits"),
        (GeneratorSettings(groups=10, tightness=0), "tightness"),
        (GeneratorSettings(groups=10, slots=20), "slots"),
        (GeneratorSettings(groups=-1), "groups"),
    ],
)
def test_bad_settings_are_refused(settings, field):
    with pytest.raises(GeneratorError) as caught:
        generate(settings)
    assert caught.value.field == field
