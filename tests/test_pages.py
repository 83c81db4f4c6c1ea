"""Public pages: content, filters, languages, errors, query counts."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from zaireen.places.models import Site


@pytest.mark.django_db
def test_home_links_to_the_map(client):
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("places:map") in html
    assert 'dir="ltr"' in html


@pytest.mark.django_db
def test_the_site_list_groups_every_site_by_city(client, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        html = client.get(reverse("places:site_list")).content.decode()
    for site in Site.objects.all():
        assert site.name.replace("'", "&#x27;") in html
    assert "approximate position" in html


@pytest.mark.django_db
def test_the_site_list_filters_by_city_kind_and_text(client, places):
    html = client.get(reverse("places:site_list"), {"city": "kufa"}).content.decode()
    assert "Great Mosque of Kufa" in html
    assert "Shrine of Imam Hussain" not in html
    html = client.get(reverse("places:site_list"), {"kind": "cemetery"}).content.decode()
    assert "Wadi-us-Salaam" in html
    assert "Masjid al-Sahla" not in html
    html = client.get(reverse("places:site_list"), {"q": "abbas"}).content.decode()
    assert "al-Abbas" in html
    assert "Kufa" not in html.split('id="site-results"')[1]
    empty = client.get(reverse("places:site_list"), {"q": "zzz-nothing"}).content.decode()
    assert "No site matches these filters." in empty


@pytest.mark.django_db
def test_htmx_search_answers_with_the_results_alone(client, places):
    response = client.get(reverse("places:site_list"), {"q": "kufa"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Great Mosque of Kufa" in html


@pytest.mark.django_db
def test_a_bad_filter_is_ignored_not_an_error(client, places):
    response = client.get(reverse("places:site_list"), {"city": "atlantis", "kind": "x" * 500})
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_site_page_shows_facts_zones_sources_and_travel(client, places):
    html = client.get(reverse("places:site_detail", args=["imam-husayn-shrine"])).content.decode()
    assert "Shrine of Imam Hussain" in html
    assert "Sanctuary (tomb chamber)" in html
    assert "3000 m²" in html
    assert "imamhussain.org" in html
    assert "Najaf" in html
    assert "76 km" in html


@pytest.mark.django_db
def test_an_approximate_site_says_how_it_was_placed(client, places):
    html = client.get(reverse("places:site_detail", args=["house-of-imam-ali"])).content.decode()
    assert "approximate" in html
    assert "Dar al-Imara" in html


@pytest.mark.django_db
def test_an_unknown_site_is_a_404_page(client, places):
    response = client.get(reverse("places:site_detail", args=["atlantis"]))
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


@pytest.mark.django_db
def test_the_map_embeds_every_site_airport_crossing_and_leg(
    client, places, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("places:map"))
    html = response.content.decode()
    start = html.index('<script id="map-features" type="application/json">') + len(
        '<script id="map-features" type="application/json">'
    )
    features = json.loads(html[start : html.index("</script>", start)])["features"]
    layers = [f["properties"]["layer"] for f in features]
    assert layers.count("site") == Site.objects.count()
    assert layers.count("airport") == 11
    assert layers.count("road") == 4
    assert "leaflet/leaflet.js" in html
    assert "tile.openstreetmap.org" not in html, "no tile server is configured by default"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ur", "ar"])
def test_urdu_and_arabic_pages_are_right_to_left(client, places, language):
    client.cookies["django_language"] = language
    html = client.get(reverse("places:site_list")).content.decode()
    assert f'lang="{language}" dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html


@pytest.mark.django_db
def test_the_language_switch_sets_the_language(client):
    response = client.post(reverse("set_language"), {"language": "ur", "next": "/places/"})
    assert response.status_code == 302
    assert client.get("/places/").content.decode().count('dir="rtl"') == 1
    translation.activate("en")


@pytest.mark.django_db
def test_no_page_loads_anything_from_another_host(client, places):
    for name, args in [
        ("core:home", []),
        ("places:map", []),
        ("places:site_detail", ["imam-ali-shrine"]),
        ("api-1.0.0:openapi-view", []),
    ]:
        html = client.get(reverse(name, args=args)).content.decode()
        for marker in ('src="http', 'href="http', 'src="//', 'href="//', "cdn."):
            assert marker not in html.replace('href="https://', "").replace('href="http://', ""), (
                name,
                marker,
            )


@pytest.mark.django_db
def test_login_and_logout(client, user):
    page = client.get(reverse("core:login"))
    assert page.status_code == 200
    bad = client.post(reverse("core:login"), {"username": "amina", "password": "wrong"})
    assert bad.status_code == 200
    assert "alert-danger" in bad.content.decode()
    good = client.post(
        reverse("core:login"), {"username": "amina", "password": "a-long-pass-phrase"}
    )
    assert good.status_code == 302
    assert "Log out" in client.get(reverse("core:home")).content.decode()
    assert client.post(reverse("core:logout")).status_code == 302
    assert "Log in" in client.get(reverse("core:home")).content.decode()


def test_every_template_string_is_marked_for_translation():
    """Visible text in templates sits inside {% translate %} / {% blocktranslate %}."""
    import re
    from pathlib import Path

    import zaireen

    root = Path(zaireen.__file__).parent
    tag = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
    bare = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", text, flags=re.S)
        text = re.sub(r"<script.*?</script>|<style.*?</style>", "", text, flags=re.S)
        text = tag.sub("", text)
        for chunk in re.findall(r">([^<]+)<", text):
            words = re.sub(r"[\W\d_]+", "", chunk)  # letters only: symbols need no translation
            if words and words not in {"km", "m", "m²"}:
                bare.append(f"{path.name}: {chunk.strip()!r}")
    assert not bare, "untranslated text: " + "; ".join(bare)
