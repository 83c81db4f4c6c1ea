"""Writes of the places app: loading the reference geography."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.db import models, transaction

from zaireen.core.queries import one_or_none
from zaireen.places import loader
from zaireen.places.models import Airport, BorderCrossing, City, Country, RoadLeg, Site, Zone

DATA_DIR = Path(__file__).resolve().parent / "data"


def _flatten(row: Any) -> dict[str, Any]:
    values = asdict(row)
    values.update(values.pop("provenance", None) or {})
    return values


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], counts: Counter
) -> models.Model:
    obj = one_or_none(model.objects.filter(**lookup))
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts["created"] += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return obj


def places_load(*, data_dir: Path = DATA_DIR) -> dict[str, dict[str, int]]:
    """Load or update the reference geography from `data_dir`, all or nothing.

    Rows are matched by their keys (slug, IATA code, city pair), so loading twice changes
    nothing; rows that are no longer in the files are left alone, because trips and zones
    may refer to them. Raises `loader.DataFileError` before writing anything if a file is bad.
    """
    dataset = loader.read_dataset(
        data_dir,
        countries=frozenset(Country.values),
        site_kinds=frozenset(Site.Kind.values),
    )
    report: dict[str, Counter] = {name: Counter() for name in loader.FILES}
    with transaction.atomic():
        cities: dict[str, City] = {}
        for row in dataset.cities:
            values = _flatten(row)
            slug = values.pop("slug")
            cities[slug] = _upsert(City, {"slug": slug}, values, report["cities"])
        sites: dict[str, Site] = {}
        for row in dataset.sites:
            values = _flatten(row)
            slug = values.pop("slug")
            values["city"] = cities[values["city"]]
            sites[slug] = _upsert(Site, {"slug": slug}, values, report["sites"])
        for row in dataset.zones:
            values = _flatten(row)
            slug = values.pop("slug")
            values["site"] = sites[values["site"]]
            _upsert(Zone, {"slug": slug}, values, report["zones"])
        for row in dataset.airports:
            values = _flatten(row)
            iata = values.pop("iata")
            values["city"] = cities[values["city"]]
            _upsert(Airport, {"iata": iata}, values, report["airports"])
        for row in dataset.crossings:
            values = _flatten(row)
            slug = values.pop("slug")
            values["city"] = cities[values["city"]]
            _upsert(BorderCrossing, {"slug": slug}, values, report["crossings"])
        for row in dataset.road_legs:
            values = _flatten(row)
            lookup = {
                "from_city": cities[values.pop("from_city")],
                "to_city": cities[values.pop("to_city")],
            }
            _upsert(RoadLeg, lookup, values, report["road_legs"])
    return {name: dict(counts) for name, counts in report.items()}
