"""Travel times: sourced road legs first, labelled estimates otherwise."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from zaireen.core.errors import NotFound
from zaireen.places import selectors
from zaireen.places.geo import great_circle_km
from zaireen.places.travel import Basis, KnownLeg, Point, travel_time

NAJAF = Point("najaf", 32.0, 44.3333)
KARBALA = Point("karbala", 32.6167, 44.0333)


def test_a_known_leg_with_a_time_is_not_an_estimate():
    t = travel_time(
        NAJAF, KARBALA, KnownLeg(76, 60, "https://route.wiki/Najaf"), road_factor=1.3, speed_kmh=70
    )
    assert (t.distance_km, t.minutes, t.is_estimate, t.source) == (
        76,
        60,
        False,
        "https://route.wiki/Najaf",
    )


def test_a_known_leg_without_a_time_estimates_only_the_time():
    t = travel_time(NAJAF, KARBALA, KnownLeg(70, None, "src"), road_factor=1.3, speed_kmh=70)
    assert (t.distance_km, t.minutes) == (70, 60)
    assert t.time_estimated
    assert not t.distance_estimated


def test_without_a_leg_the_straight_line_times_the_factor_is_an_estimate():
    t = travel_time(NAJAF, KARBALA, None, road_factor=1.3, speed_kmh=70)
    straight = great_circle_km(NAJAF.lat, NAJAF.lon, KARBALA.lat, KARBALA.lon)
    assert t.distance_km == pytest.approx(straight * 1.3, abs=0.05)
    assert t.is_estimate
    assert t.basis == Basis.ESTIMATE
    assert t.straight_line_km == pytest.approx(straight, abs=0.05)


def test_the_same_city_is_no_journey():
    assert travel_time(NAJAF, NAJAF, None, road_factor=1.3, speed_kmh=70).minutes == 0


@pytest.mark.parametrize(("factor", "speed"), [(0.9, 70), (1.3, 0), (1.3, -5)])
def test_nonsense_parameters_are_refused(factor, speed):
    with pytest.raises(ValueError, match=r"road_factor|speed_kmh"):
        travel_time(NAJAF, KARBALA, None, road_factor=factor, speed_kmh=speed)


coordinate = st.tuples(st.floats(29, 37), st.floats(38, 49))


@given(a=coordinate, b=coordinate, factor=st.floats(1, 2), speed=st.floats(10, 120))
def test_estimates_are_symmetric_never_shorter_than_the_line_and_rounded_up(a, b, factor, speed):
    p, q = Point("p", *a), Point("q", *b)
    there = travel_time(p, q, None, road_factor=factor, speed_kmh=speed)
    back = travel_time(q, p, None, road_factor=factor, speed_kmh=speed)
    assert there.minutes == back.minutes
    exact = great_circle_km(*a, *b) * factor
    assert there.distance_km == pytest.approx(exact, abs=0.051)
    assert there.distance_km >= round(great_circle_km(*a, *b), 1) - 0.051
    assert there.minutes >= exact / speed * 60 - 1e-9


@pytest.mark.django_db
def test_the_najaf_karbala_leg_is_sourced_both_ways(places):
    for a, b in (("najaf", "karbala"), ("karbala", "najaf")):
        t = selectors.travel_time_between(origin=a, destination=b)
        assert (t.distance_km, t.minutes, t.is_estimate) == (76, 60, False)
        assert "route.wiki" in t.source


@pytest.mark.django_db
def test_a_pair_without_a_leg_is_an_estimate(places):
    t = selectors.travel_time_between(origin="samarra", destination="najaf")
    assert t.is_estimate
    assert 200 < t.distance_km < 400


@pytest.mark.django_db
def test_an_unknown_city_is_not_found(places):
    with pytest.raises(NotFound):
        selectors.travel_time_between(origin="najaf", destination="atlantis")


@pytest.mark.django_db
def test_the_matrix_is_square_with_zero_on_the_diagonal(places, django_assert_max_num_queries):
    cities = list(selectors.pilgrimage_cities())
    with django_assert_max_num_queries(1):
        matrix = selectors.travel_matrix(cities)
    assert len(matrix) == len(cities) >= 7
    for i, (_city, row) in enumerate(matrix):
        assert len(row) == len(cities)
        assert row[i].minutes == 0


@pytest.mark.django_db
def test_the_travel_page_shows_a_result_and_errors(client, places):
    page = client.get(reverse("places:travel"), {"origin": "najaf", "destination": "karbala"})
    assert page.status_code == 200
    assert "76 km" in page.content.decode()
    bad = client.get(reverse("places:travel"), {"origin": "najaf", "destination": "atlantis"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


@pytest.mark.django_db
def test_pages_explain_the_basis_in_words(client, places):
    html = client.get(reverse("places:travel"), {"origin": "samarra", "destination": "najaf"})
    assert "estimate: straight line" in html.content.decode()
    html = client.get(reverse("places:travel"), {"origin": "kufa", "destination": "najaf"})
    assert "time estimated from an average speed" in html.content.decode()
