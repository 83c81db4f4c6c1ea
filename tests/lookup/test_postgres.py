"""PostgreSQL only: the trigram index exists and is used, and pg_trgm agrees with Python."""

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from zaireen.lookup.names import name_key, similarity

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

WORDS = st.sampled_from(
    str.split(
        "mohd husain jafri hussain jafery zenab zainab bibi sakeena naqavi gulam abas kazimi "
        "qasim kasim rizwi razavi aliraza ali raza x zz abc"
    )
)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=4), st.lists(WORDS, max_size=4))
def test_python_similarity_is_pg_trgms(first, second):
    a, b = name_key(" ".join(first)), name_key(" ".join(second))
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", [a, b])
        (expected,) = cursor.fetchone()
    assert similarity(a, b) == pytest.approx(expected, abs=1e-6)


def test_the_key_has_gin_trigram_and_word_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'lookup_profilenamekey' AND indexdef LIKE '%%USING gin%%'"
        )
        indexes = dict(cursor.fetchall())
    assert "gin_trgm_ops" in indexes["lookup_key_trgm"]
    assert "to_tsvector" in indexes["lookup_key_words"]
