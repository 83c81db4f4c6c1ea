"""Benchmark of the consular look-up on PostgreSQL: latency and recall; prints JSON.

    nice -n 10 .venv/bin/python bench/lookup.py [--profiles 1000000] [--queries 1000]
        [--database-url postgres://postgres@127.0.0.1:5432/zaireen_bench] [--keep]

It creates the database named in the URL (dropping one left over), migrates it, and loads
`--profiles` synthetic pilgrim profiles with COPY, spread over 300 organisers: names drawn
from weighted lists of Pakistani (mostly Shia) given names, titles and surnames with their
usual passport spellings, birth years skewed to the ages that travel, home cities by rough
population. The encrypted columns (CNIC, passport number) hold one fixed placeholder Fernet
token for every row: the look-up never reads them, and encrypting a million values would
only time Fernet. No Person identifiers and no trips are loaded (name look-ups touch neither;
the results' trip query runs, against an empty table). Among them it inserts, at random
positions, the registered spellings of the hand-written recall list
(`bench/data/name_variants.csv`) with their birth years and cities.

Then it times `lookup.selectors.pilgrim_lookup` in this process, the whole path an officer's
request takes (rate-limit counters, candidates through the GIN trigram index, the page's
rows, the access-log entry):
- `latency`: a mix of caller-style queries built from random profiles (titles and Muhammad
  often dropped, common respellings, birth year usually given, sometimes a year out, the
  city often given);
- `commonest`: the ten commonest name keys, alone, with a birth year, with year and city;
  the worst case, reported separately;
- `recall_at_5`: for each row of the recall list, the caller's spelling, birth year and city;
  a hit when the registered person is among the first five results.
The database is dropped at the end unless `--keep`.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import importlib
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from common import machine, percentiles, postgres_database

ROOT = Path(__file__).resolve().parent.parent
RECALL_LIST = ROOT / "bench" / "data" / "name_variants.csv"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zaireen_bench"

# (passport spelling, weight). Weights are rough shares among Pakistani Shia pilgrims.
MALE = [
    ("HUSSAIN", 60), ("HUSAIN", 8), ("ALI", 80), ("ABBAS", 45), ("RAZA", 40), ("HAIDER", 30),
    ("HYDER", 4), ("HASSAN", 35), ("HASAN", 10), ("MEHDI", 15), ("MAHDI", 3), ("JAFAR", 10),
    ("JAFFAR", 4), ("TAQI", 8), ("NAQI", 6), ("KAZIM", 8), ("BAQIR", 7), ("SADIQ", 7),
    ("ASKARI", 5), ("MUJTABA", 8), ("MURTAZA", 10), ("MUSTAFA", 8), ("AKBAR", 10),
    ("ASGHAR", 10), ("QASIM", 10), ("JAWAD", 8), ("SAJJAD", 10), ("SHABBIR", 10),
    ("SHABBAR", 4), ("ZAIN UL ABIDIN", 5), ("ABDUL HUSSAIN", 3), ("GHAZANFAR", 3),
    ("AUN", 4), ("MOHSIN", 8), ("AMMAR", 6), ("KUMAIL", 5), ("MEESAM", 4), ("QAMBAR", 3),
    ("ZAMEER", 5), ("QAISER", 4), ("NAVEED", 6), ("WASEEM", 6), ("TANVEER", 6), ("ZULFIQAR", 5),
    ("SAFDAR", 5), ("IQBAL", 6), ("ALTAF", 5), ("MANZOOR", 5), ("FIDA", 4), ("IFTIKHAR", 5),
    ("IMTIAZ", 5), ("RIAZ", 5), ("IJAZ", 5), ("MUMTAZ", 4), ("SHAUKAT", 4), ("INAYAT", 3),
    ("AHMED", 8), ("AHMAD", 4), ("MEHMOOD", 5), ("YOUSAF", 4), ("YAQOOB", 3), ("ISHAQ", 3),
    ("IBRAHIM", 4), ("ISMAIL", 3), ("MUSA", 3), ("YAHYA", 2), ("SULEMAN", 3), ("NASIR", 5),
    ("TAHIR", 5), ("ZAHEER", 4), ("MAZHAR", 4), ("ANWAR", 4), ("AKHTAR", 4), ("SARWAR", 3),
    ("KHURSHID", 3), ("NOOR UL HASSAN", 2), ("ABDULLAH", 4), ("IRFAN", 5), ("IMRAN", 6),
    ("ZAFAR", 5), ("SHAHID", 5), ("SAJID", 5), ("WAJID", 3), ("NADEEM", 4), ("AMJAD", 4),
    ("ASHIQ", 3), ("TAUQEER", 3), ("HASNAIN", 6), ("SIBTAIN", 4), ("MUNTAZIR", 3),
    ("QAIM", 2), ("HADI", 4), ("ZAKIR", 3), ("ZUHAIR", 2), ("ALI RAZA", 20),
]  # fmt: skip
FEMALE = [
    ("FATIMA", 60), ("ZAINAB", 45), ("SAKINA", 25), ("ZAHRA", 30), ("ZEHRA", 6), ("KULSOOM", 12),
    ("BATOOL", 15), ("MASOOMA", 10), ("RUQAYYA", 6), ("RUQAIYA", 3), ("UMME FARWA", 4),
    ("UMME KULSOOM", 4), ("SUGHRA", 6), ("KUBRA", 4), ("NARJIS", 5), ("KHADIJA", 8),
    ("AMINA", 8), ("HAJRA", 5), ("PARVEEN", 8), ("NASREEN", 7), ("YASMEEN", 6), ("SHAMIM", 5),
    ("TASNEEM", 5), ("KAUSAR", 6), ("RUBAB", 4), ("FIZZA", 4), ("RIFFAT", 4), ("ISMAT", 4),
    ("SAEEDA", 5), ("LAILA", 3), ("RABAB", 3), ("NARGIS", 4), ("SHAHEEN", 4), ("FARZANA", 5),
    ("RAZIA", 5), ("NAZIA", 4), ("SADIA", 4), ("SAIMA", 4), ("ASMA", 4), ("SHABANA", 4),
    ("KANEEZ FATIMA", 6), ("SYEDA FATIMA", 0), ("HUMA", 3), ("MARYAM", 5), ("SALMA", 4),
]  # fmt: skip
SURNAMES = [
    ("SHAH", 60), ("NAQVI", 50), ("RIZVI", 45), ("JAFRI", 40), ("JAFFERY", 8), ("ZAIDI", 40),
    ("KAZMI", 35), ("ABIDI", 15), ("BUKHARI", 20), ("HAMDANI", 8), ("TAQVI", 8),
    ("GARDEZI", 6), ("MASHHADI", 4), ("TIRMIZI", 5), ("MOOSAVI", 4), ("HUSSAINI", 8),
    ("HASHMI", 8), ("ALVI", 6), ("SHERAZI", 4), ("QIZILBASH", 4), ("TURI", 6), ("BANGASH", 6),
    ("CHANGEZI", 5), ("HAZARA", 5), ("HUSSAIN", 40), ("ALI", 35), ("ABBAS", 25), ("HAIDER", 20),
    ("RAZA", 15), ("KHAN", 20), ("MALIK", 15), ("AWAN", 10), ("QURESHI", 8), ("SHAIKH", 6),
    ("BAIG", 5), ("MIRZA", 6), ("CHAUDHRY", 6), ("ASKARI", 4), ("HAIDERI", 4), ("KHOKHAR", 4),
    ("JAN", 5), ("MEHDI", 5), ("ZAMAN", 4), ("AHMED", 6), ("IQBAL", 4),
]  # fmt: skip
WOMEN_SURNAMES = [("BIBI", 40), ("BEGUM", 20), ("BATOOL", 10), ("FATIMA", 8), ("ZAHRA", 6)]
CITIES = [
    ("Karachi", 150), ("Lahore", 110), ("Rawalpindi", 40), ("Islamabad", 30), ("Peshawar", 30),
    ("Quetta", 30), ("Multan", 30), ("Faisalabad", 30), ("Hyderabad", 20), ("Sialkot", 12),
    ("Gujranwala", 15), ("Jhang", 15), ("Chakwal", 10), ("Parachinar", 12), ("Skardu", 10),
    ("Gilgit", 10), ("Sukkur", 8), ("Khairpur", 8), ("Larkana", 8), ("Dera Ismail Khan", 10),
    ("Kohat", 8), ("Hangu", 6), ("Bhakkar", 8), ("Layyah", 6), ("Sargodha", 10), ("Okara", 5),
    ("Sahiwal", 5), ("Bahawalpur", 6), ("Rahim Yar Khan", 5), ("Jhelum", 5), ("Attock", 5),
    ("Mianwali", 5), ("Shikarpur", 5), ("Jacobabad", 4), ("Nawabshah", 4), ("Muzaffargarh", 5),
    ("Dera Ghazi Khan", 5), ("Mandi Bahauddin", 4), ("Khanewal", 4), ("Chiniot", 4),
    ("Gujrat", 6), ("Khushab", 3), ("", 40),
]  # fmt: skip
# How a caller may respell a passport spelling (hand-written, for the latency mix only).
CALLER = {
    "HUSSAIN": ["Husain", "Hussein", "Hussian", "Hosain"], "MUHAMMAD": ["Mohd", "Mohammad"],
    "ABBAS": ["Abas"], "HAIDER": ["Hyder", "Haidar"], "MEHDI": ["Mahdi"], "RAZA": ["Reza"],
    "JAFRI": ["Jafery", "Jaffery", "Jafferi"], "NAQVI": ["Naqavi", "Nakvi"], "RIZVI": ["Rizwi"],
    "KAZMI": ["Kazimi", "Qazmi"], "ZAINAB": ["Zenab", "Zaynab"], "SAKINA": ["Sakeena"],
    "FATIMA": ["Fatma"], "ZAHRA": ["Zehra"], "QASIM": ["Kasim"], "TAQI": ["Taki"],
    "ASGHAR": ["Asgher"], "AKBAR": ["Akber"], "HASSAN": ["Hasan"], "BUKHARI": ["Bokhari"],
    "KULSOOM": ["Kulsum"], "BATOOL": ["Batul"], "SHABBIR": ["Shabir"], "SAJJAD": ["Sajad"],
}  # fmt: skip
TITLES = {"SYED", "SYEDA", "MUHAMMAD", "MOHAMMAD"}
ORGANISERS = 300


def _weighted(pairs, rnd: random.Random, k: int) -> list[str]:
    names, weights = zip(*pairs, strict=True)
    return rnd.choices(names, weights=weights, k=k)


def _people(n: int, rnd: random.Random) -> list[tuple]:
    """(given names, surname, sex, birth year, city), n of them."""
    sexes = rnd.choices("MF", weights=(55, 45), k=n)
    males, females = _weighted(MALE, rnd, n), _weighted(FEMALE, rnd, n)
    seconds = _weighted(MALE, rnd, n)
    surnames, women = _weighted(SURNAMES, rnd, n), _weighted(WOMEN_SURNAMES, rnd, n)
    cities = _weighted(CITIES, rnd, n)
    people = []
    for i in range(n):
        draw = rnd.random()
        if sexes[i] == "M":
            parts = [males[i]]
            if draw < 0.30:
                parts.append(seconds[i])
            if draw > 0.45:
                parts.insert(0, "MUHAMMAD" if draw > 0.62 else "MOHAMMAD")
            if rnd.random() < 0.22:
                parts.insert(0, "SYED")
            surname = surnames[i]
        else:
            parts = [females[i]]
            if rnd.random() < 0.15:
                parts.insert(0, "SYEDA")
            surname = women[i] if draw < 0.35 else surnames[i]
        year = int(rnd.triangular(1935, 2008, 1962))
        people.append((" ".join(parts), surname, sexes[i], year, cities[i]))
    return people


def _caller_query(person: tuple, rnd: random.Random) -> dict:
    given, surname, sex, year, city = person
    words = [w for w in f"{given} {surname}".split()
             if not (w in TITLES and rnd.random() < 0.7)] or [surname]  # fmt: skip
    words = [rnd.choice(CALLER[w]) if w in CALLER and rnd.random() < 0.4 else w.title()
             for w in words]  # fmt: skip
    if len(words) > 2 and rnd.random() < 0.2:
        words.pop(rnd.randrange(1, len(words) - 1))
    if rnd.random() < 0.1:
        words = words[-1:] + words[:-1]
    draw = rnd.random()
    birth_year = year if draw < 0.8 else (year + rnd.choice((-1, 1)) if draw < 0.95 else None)
    return {
        "name": " ".join(words),
        "birth_year": birth_year,
        "home_city": city if rnd.random() < 0.6 else "",
        "sex": sex if rnd.random() < 0.3 else "",
    }


def _recall_rows() -> list[dict]:
    with RECALL_LIST.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _load(n: int, rnd: random.Random, timings: dict) -> dict[str, int]:
    """Everything into the database; returns the recall list's profile ids by row id."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tests import factories
    from zaireen.core import crypto
    from zaireen.lookup.names import city_key, name_key
    from zaireen.places.services import places_load

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    places_load()
    organisers = [factories.organiser(f"ZGO-B-{i:03d}").pk for i in range(ORGANISERS)]
    timings["migrate_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    people = _people(n, rnd)
    recall = _recall_rows()
    slots = rnd.sample(range(n), len(recall))
    for slot, row in zip(slots, recall, strict=True):
        people[slot] = (row["reg_given_names"], row["reg_surname"], row["sex"],
                        int(row["reg_birth_year"]), row["reg_home_city"])  # fmt: skip
    timings["generate_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    placeholder = crypto.encrypt("placeholder")  # the same token in every encrypted column
    now = timezone.now()
    expiry = datetime.date(2032, 1, 1)
    keys: dict[tuple[str, str], str] = {}
    cities: dict[str, str] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        indexes = dict(
            importlib.import_module("zaireen.lookup.migrations.0002_trigram_index").INDEXES
        )
        for index in (*indexes, "lookup_word_trgm"):  # built after the load, as a restore would
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
        with raw.copy("COPY pilgrims_person (id, uid, created_at) FROM STDIN") as copy:
            for i in range(1, n + 1):
                copy.write_row((i, uuid.uuid4(), now))
        columns = (
            "id, uid, organiser_id, person_id, surname, given_names, name_urdu, guardian_name, "
            "home_city, cnic, passport_number, passport_issuing_state, passport_expiry, "
            "birth_date, sex, phone, next_of_kin_name, next_of_kin_relation, "
            "next_of_kin_phone, needs_wheelchair, needs_elderly_care, medical_notes, "
            "blood_group, created_at, updated_at"
        )
        with raw.copy(f"COPY pilgrims_pilgrimprofile ({columns}) FROM STDIN") as copy:
            for i, (given, surname, sex, year, city) in enumerate(people, start=1):
                copy.write_row((
                    i, uuid.uuid4(), organisers[i % ORGANISERS], i, surname, given, "", "",
                    city, placeholder, placeholder, "PAK", expiry, datetime.date(year, 6, 1),
                    sex, f"+92300{i:07d}", "", "", "", False, False, "", "", now, now,
                ))  # fmt: skip
        timings["copy_profiles_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        key_columns = "profile_id, organiser_id, key, birth_year, sex, city_key, phone, "
        key_columns += "version, updated_at"
        with raw.copy(f"COPY lookup_profilenamekey ({key_columns}) FROM STDIN") as copy:
            for i, (given, surname, sex, year, city) in enumerate(people, start=1):
                key = keys.get((given, surname))
                if key is None:
                    key = keys[given, surname] = name_key(given, surname)
                folded = cities.get(city)
                if folded is None:
                    folded = cities[city] = city_key(city)
                copy.write_row((i, organisers[i % ORGANISERS], key, year, sex, folded,
                                f"+92300{i:07d}", 1, now))  # fmt: skip
        timings["keys_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with raw.copy("COPY lookup_nameword (word) FROM STDIN") as copy:
            for word in sorted({w for key in keys.values() for w in key.split()}):
                copy.write_row((word,))
        indexes["lookup_word_trgm"] = "(word gin_trgm_ops)"
        for index, columns in indexes.items():
            table = "lookup_nameword" if index == "lookup_word_trgm" else "lookup_profilenamekey"
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin {columns}")
            timings[f"{index}_s"] = round(time.perf_counter() - started, 1)
            started = time.perf_counter()
        for table in ("pilgrims_person", "pilgrims_pilgrimprofile"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})")
        cursor.execute("VACUUM ANALYZE lookup_profilenamekey")
        cursor.execute("VACUUM ANALYZE pilgrims_pilgrimprofile")
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('lookup_profilenamekey')), "
            "pg_size_pretty(pg_relation_size('lookup_key_trgm')), "
            "pg_size_pretty(pg_relation_size('lookup_key_words'))"
        )
        sizes = cursor.fetchone()
        timings["key_table_with_indexes"], timings["trgm_index"], timings["words_index"] = sizes
    timings["distinct_name_keys"] = len(set(keys.values()))
    timings["distinct_name_words"] = len({w for key in keys.values() for w in key.split()})
    return {row["id"]: slot + 1 for slot, row in zip(slots, recall, strict=True)}


def _timed(actor, query: dict, per_page: int = 20) -> tuple[float, list[int]]:
    from zaireen.lookup.selectors import LookupQuery, pilgrim_lookup

    started = time.perf_counter()
    found = pilgrim_lookup(
        actor=actor, query=LookupQuery(reason="emergency", **query), per_page=per_page
    )
    return (time.perf_counter() - started) * 1000, [r.profile_id for r in found.results]


def _timed_search(query: dict) -> float:
    """The search alone: candidates through the index and the page's rows, no log writes."""
    from zaireen.lookup import selectors

    criteria = selectors.lookup_criteria(selectors.LookupQuery(reason="emergency", **query))
    started = time.perf_counter()
    scored = selectors._candidates(criteria)
    selectors._results(scored[:20])
    return (time.perf_counter() - started) * 1000


def _measure(n_queries: int, recall_ids: dict[str, int], rnd: random.Random) -> dict:
    from django.db import connection

    from tests import factories
    from zaireen.core.roles import Role
    from zaireen.lookup import selectors

    selectors.LOOKUPS_PER_MINUTE = selectors.LOOKUPS_PER_HOUR = 10**9
    consul = factories.user(f"bench-consul-{uuid.uuid4().hex[:6]}", Role.CONSULAR_OFFICER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM lookup_profilenamekey")
        (total,) = cursor.fetchone()
        cursor.execute(
            "SELECT given_names, surname, sex, extract(year FROM birth_date)::int, home_city "
            "FROM pilgrims_pilgrimprofile WHERE id = ANY(%s)",
            [rnd.sample(range(1, total + 1), n_queries)],
        )
        sample = cursor.fetchall()
        cursor.execute(
            "SELECT key, count(*) FROM lookup_profilenamekey GROUP BY key "
            "ORDER BY count(*) DESC LIMIT 10"
        )
        commonest = cursor.fetchall()
    queries = [_caller_query(person, rnd) for person in sample]
    for query in queries[:30]:  # warm the caches
        _timed(consul, query)
    latency = [_timed(consul, query)[0] for query in queries]
    search = [_timed_search(query) for query in queries]
    with_year = [q for q in queries if q["birth_year"] is not None]
    common: dict = {"keys": [{"key": key, "profiles": count} for key, count in commonest]}
    years = range(1950, 1975, 3)
    modes = {
        "name_only": [{"name": key} for key, _count in commonest],
        "name_and_year": [{"name": key, "birth_year": y} for key, _c in commonest for y in years],
        "name_year_city": [
            {"name": key, "birth_year": y, "home_city": "Karachi"}
            for key, _count in commonest
            for y in years
        ],
    }
    for mode, mode_queries in modes.items():
        common[mode] = percentiles([_timed(consul, q)[0] for q in mode_queries])
        common[mode]["search_only"] = percentiles([_timed_search(q) for q in mode_queries])
    hits, misses, recall_latency = 0, [], []
    for row in _recall_rows():
        elapsed, ids = _timed(
            consul,
            {"name": row["query_name"], "birth_year": int(row["query_birth_year"]),
             "home_city": row["query_city"]},
            per_page=5,
        )  # fmt: skip
        recall_latency.append(elapsed)
        if recall_ids[row["id"]] in ids[:5]:
            hits += 1
        else:
            rank = None
            wider = {"name": row["query_name"], "birth_year": int(row["query_birth_year"])}
            _elapsed, deeper = _timed(consul, wider, per_page=200)
            if recall_ids[row["id"]] in deeper:
                rank = deeper.index(recall_ids[row["id"]]) + 1
            misses.append({"id": row["id"], "query": row["query_name"],
                           "registered": f"{row['reg_given_names']} {row['reg_surname']}",
                           "rank_without_city": rank})  # fmt: skip
    return {
        "profiles": total,
        "latency": {
            "mix": percentiles(latency),
            "with_birth_year": percentiles(
                [t for t, q in zip(latency, queries, strict=True) if q["birth_year"]]
            ),
            "without_birth_year": percentiles(
                [t for t, q in zip(latency, queries, strict=True) if not q["birth_year"]]
            ),
            "queries_with_birth_year_share": round(len(with_year) / len(queries), 2),
            "search_only": percentiles(search),
        },
        "commonest": common,
        "recall_at_5": {
            "rows": len(_recall_rows()),
            "hits": hits,
            "recall": round(hits / len(_recall_rows()), 3),
            "latency": percentiles(recall_latency),
            "misses": misses,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args()

    if not args.reuse:
        postgres_database(args.database_url, create=True)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zaireen.settings")
    os.environ.setdefault("ZAIREEN_HUEY_IMMEDIATE", "1")
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    import django

    django.setup()
    from django_scopes import scopes_disabled

    rnd = random.Random(args.seed)
    kept = Path("/tmp") / f"{urlsplit(args.database_url).path.lstrip('/')}-recall.json"  # noqa: S108
    timings: dict = {}
    started = time.perf_counter()
    try:
        with scopes_disabled():
            if args.reuse:
                recall_ids = json.loads(kept.read_text())
            else:
                recall_ids = _load(args.profiles, rnd, timings)
                if args.keep:
                    kept.write_text(json.dumps(recall_ids))
            timings["build_s"] = round(time.perf_counter() - started, 1)
            results = _measure(args.queries, recall_ids, rnd)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            postgres_database(args.database_url, create=False)
    print(json.dumps({"machine": machine(), "build": timings, **results}, indent=2))


if __name__ == "__main__":
    main()
