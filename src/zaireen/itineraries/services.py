"""Writes of the itineraries app: loading and editing the reference data (the ministry),
planning and editing a trip's itinerary (the organiser), re-checking saved plans when a Hijri
month offset changes. Each use case is one transaction with an audit entry.

Saving a plan fills the trip's legs (`trips.TripLeg`): the flight out, each road leg between
two cities (day trips included), the flight home. Legs that still match keep their vehicles;
a leg with vehicles that the plan no longer has stops the save, naming it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.audit import audit_record, diff
from zaireen.core.errors import NotAllowed, NotFound, ValidationFailed
from zaireen.core.permissions import assert_role
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.itineraries import labels, planner, selectors
from zaireen.itineraries.loader import DATA_DIR, parse_hours, read_reference
from zaireen.itineraries.models import (
    Circuit,
    CityClimate,
    Itinerary,
    NeedsProfile,
    SiteFact,
    VehicleStop,
)
from zaireen.itineraries.selectors import PlanInput
from zaireen.places.models import Airport, City, Site
from zaireen.planning import hijri
from zaireen.planning.selectors import offsets_table
from zaireen.trips.models import LegKind, Trip, TripLeg, TripStatus
from zaireen.trips.selectors import trip_get_for

WRITERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
CLOSED = (TripStatus.RETURNED, TripStatus.CLOSED, TripStatus.CANCELLED)
MAX_WISHES = 40
MAX_STAYS = 8
MAX_TEXT = 2000


# --- Reference data ---------------------------------------------------------------------------


def reference_load(*, data_dir: Path = DATA_DIR, replace: bool = False) -> dict[str, Counter]:
    """Load the planner's reference data files, all or nothing.

    Rows the database lacks are created; existing rows are left as the ministry edited them
    unless `replace` (then the files win). Raises `places.loader.DataFileError` on a bad file
    before anything is written.
    """
    sites = {s.slug: s for s in Site.objects.all()}
    cities = {c.slug: c for c in City.objects.all()}
    airports = {a.iata: a for a in Airport.objects.all()}
    ref = read_reference(
        data_dir,
        sites=set(sites),
        cities=set(cities),
        airports=set(airports),
        occasions={o.key for o in hijri.load_occasions()},
    )
    report = {name: Counter() for name in ("site_facts", "climate", "vehicle_stops", "circuits")}

    def put(model, lookup, values, counts):
        obj = one_or_none(model.objects.filter(**lookup))
        if obj is None:
            model.objects.create(**lookup, **values)
            counts["created"] += 1
        elif replace:
            for key, value in values.items():
                setattr(obj, key, value)
            obj.save()
            counts["replaced"] += 1
        else:
            counts["kept"] += 1

    with transaction.atomic():
        for row in ref.site_facts:
            put(
                SiteFact,
                {"site": sites[row.site]},
                {
                    "visit_minutes": row.visit_minutes,
                    "duration_source": row.duration_source,
                    "open_24h": row.open_24h,
                    "opens": row.opens,
                    "closes": row.closes,
                    "hours_source": row.hours_source,
                    "outdoor": row.outdoor,
                    "name_ur": row.name_ur,
                },
                report["site_facts"],
            )
        for row in ref.climate:
            put(
                CityClimate,
                {"city": cities[row.city], "month": row.month},
                {
                    "mean_max_c": Decimal(str(row.mean_max_c)),
                    "source": row.source,
                    "note": row.note,
                },
                report["climate"],
            )
        for row in ref.stops:
            put(
                VehicleStop,
                {"occasion": row.occasion},
                {
                    "city": cities[row.city],
                    "distance_km": Decimal(str(row.distance_km)),
                    "days_before": row.days_before,
                    "days_after": row.days_after,
                    "source": row.source,
                    "assumption": row.assumption,
                    "note": row.note,
                },
                report["vehicle_stops"],
            )
        for row in ref.circuits:
            put(
                Circuit,
                {"airport": airports[row.airport]},
                {
                    "cities": list(row.cities),
                    "sites": list(row.sites),
                    "source": row.source,
                },
                report["circuits"],
            )
    return report


def _text(value: Any, field: str, errors: dict, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[field] = [_("required")]
    elif len(text) > MAX_TEXT:
        errors[field] = [_("at most %(n)d characters") % {"n": MAX_TEXT}]
    return text


def _int(value: Any, field: str, errors: dict, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("a whole number")]
        return None
    if not low <= number <= high:
        errors[field] = [_("from %(low)d to %(high)d") % {"low": low, "high": high}]
        return None
    return number


def _decimal(value: Any, field: str, errors: dict, low: float, high: float) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = [_("a number")]
        return None
    if not number.is_finite() or not Decimal(str(low)) <= number <= Decimal(str(high)):
        errors[field] = [_("from %(low)s to %(high)s") % {"low": low, "high": high}]
        return None
    return number.quantize(Decimal("0.1"))


def _audit_change(actor, action: str, obj, before: dict, after: dict) -> None:
    changes = diff(before, after)
    if changes:
        audit_record(actor=actor, action=action, obj=obj, changes=changes)


def site_fact_update(
    *,
    actor: Any,
    site: str,
    visit_minutes: Any,
    duration_source: str,
    hours: str,
    hours_source: str,
    outdoor: bool,
    name_ur: str = "",
) -> SiteFact:
    """Change a site's visit facts. `hours` is "24h", "HH:MM-HH:MM", or empty for the stated
    default; published hours need their source."""
    assert_role(actor, Role.MINISTRY_OFFICER)
    errors: dict[str, list[str]] = {}
    minutes = _int(visit_minutes, "visit_minutes", errors, 5, 600)
    duration_source = _text(duration_source, "duration_source", errors)
    hours_source = _text(hours_source, "hours_source", errors, required=False)
    name_ur = _text(name_ur, "name_ur", errors, required=False)[:200]
    try:
        open_24h, opens, closes = parse_hours(hours or "")
    except ValueError as exc:
        errors["hours"] = [str(exc)]
        open_24h, opens, closes = False, None, None
    if (open_24h or opens) and not hours_source:
        errors["hours_source"] = [_("published hours need their source")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        fact = one_or_none(SiteFact.objects.select_for_update().filter(site__slug=site))
        if fact is None:
            raise NotFound(_("No such site."))
        before = {
            f: getattr(fact, f)
            for f in (
                "visit_minutes",
                "duration_source",
                "open_24h",
                "opens",
                "closes",
                "hours_source",
                "outdoor",
                "name_ur",
            )
        }
        fact.visit_minutes, fact.duration_source = minutes, duration_source
        fact.open_24h, fact.opens, fact.closes = open_24h, opens, closes
        fact.hours_source, fact.outdoor, fact.name_ur = hours_source, bool(outdoor), name_ur
        fact.save()
        after = {f: getattr(fact, f) for f in before}
        _audit_change(actor, "zaireen.itinerary.site_fact.updated", fact, before, after)
    return fact


def climate_update(
    *, actor: Any, city: str, months: dict[int, Any], source: str, note: str = ""
) -> list[CityClimate]:
    """Set a city's monthly mean maximum temperatures (°C), all months with one source."""
    assert_role(actor, Role.MINISTRY_OFFICER)
    errors: dict[str, list[str]] = {}
    values = {}
    for month in range(1, 13):
        if month in months:
            value = _decimal(months[month], f"m{month}", errors, -30, 60)
            if value is not None:
                values[month] = value
    source = _text(source, "source", errors)
    note = _text(note, "note", errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        place = one_or_none(City.objects.filter(slug=city))
        if place is None:
            raise NotFound(_("No such city."))
        saved = []
        for month, value in values.items():
            row = one_or_none(CityClimate.objects.filter(city=place, month=month))
            before = {"mean_max_c": row.mean_max_c, "source": row.source} if row else {}
            if row is None:
                row = CityClimate(city=place, month=month)
            if before == {"mean_max_c": value, "source": source}:
                continue
            row.mean_max_c, row.source, row.note = value, source, note
            row.save()
            _audit_change(
                actor,
                "zaireen.itinerary.climate.updated",
                row,
                before,
                {"mean_max_c": value, "source": source},
            )
            saved.append(row)
    return saved


def vehicle_stop_update(
    *,
    actor: Any,
    occasion: str,
    city: str,
    distance_km: Any,
    days_before: Any,
    days_after: Any,
    source: str,
    assumption: bool,
    note: str = "",
) -> VehicleStop:
    """Set where and when vehicles are stopped at an occasion; saved plans are re-checked."""
    assert_role(actor, Role.MINISTRY_OFFICER)
    errors: dict[str, list[str]] = {}
    if occasion not in {o.key for o in hijri.load_occasions()}:
        errors["occasion"] = [_("choose an occasion")]
    place = one_or_none(City.objects.filter(slug=city))
    if place is None:
        errors["city"] = [_("choose a city")]
    distance = _decimal(distance_km, "distance_km", errors, 0.1, 50)
    before_days = _int(days_before, "days_before", errors, 0, 30)
    after_days = _int(days_after, "days_after", errors, 0, 30)
    source = _text(source, "source", errors)
    note = _text(note, "note", errors, required=False)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        stop = one_or_none(VehicleStop.objects.select_for_update().filter(occasion=occasion))
        fields = ("city_id", "distance_km", "days_before", "days_after", "source", "assumption")
        before = {f: getattr(stop, f) for f in fields} if stop else {}
        stop = stop or VehicleStop(occasion=occasion)
        stop.city, stop.distance_km = place, distance
        stop.days_before, stop.days_after = before_days, after_days
        stop.source, stop.assumption, stop.note = source, bool(assumption), note
        stop.save()
        _audit_change(
            actor,
            "zaireen.itinerary.vehicle_stop.updated",
            stop,
            before,
            {f: getattr(stop, f) for f in fields},
        )
        today = timezone.localdate()
        _enqueue_recheck(today, today + dt.timedelta(days=400), user=actor)
    return stop


def circuit_update(
    *, actor: Any, airport: str, cities: list[str], sites: list[str], source: str
) -> Circuit:
    """Set the usual order of cities and the usual sites from an arrival airport."""
    assert_role(actor, Role.MINISTRY_OFFICER)
    errors: dict[str, list[str]] = {}
    known_cities = set(City.objects.values_list("slug", flat=True))
    known_sites = set(selectors.plannable_sites().values_list("slug", flat=True))
    cities = [c.strip() for c in cities if c.strip()]
    sites = [s.strip() for s in sites if s.strip()]
    if not cities or any(c not in known_cities for c in cities) or len(set(cities)) != len(cities):
        errors["cities"] = [_("city keys, each once, in order")]
    if any(s not in known_sites for s in sites):
        errors["sites"] = [_("keys of sites with visit facts")]
    source = _text(source, "source", errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        place = one_or_none(Airport.objects.filter(iata=airport))
        if place is None:
            raise NotFound(_("No such airport."))
        circuit = one_or_none(Circuit.objects.filter(airport=place))
        before = {"cities": circuit.cities, "sites": circuit.sites} if circuit else {}
        circuit = circuit or Circuit(airport=place)
        circuit.cities, circuit.sites, circuit.source = cities, sites, source
        circuit.save()
        _audit_change(
            actor,
            "zaireen.itinerary.circuit.updated",
            circuit,
            before,
            {"cities": cities, "sites": sites},
        )
    return circuit


# --- A trip's itinerary ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanData:
    """An organiser's plan form or API body, before checking."""

    arrival_at: dt.datetime | None
    departure_at: dt.datetime | None
    stays: tuple[tuple[str, Any, str], ...]
    wishes: tuple[str, ...]
    needs: str
    occasion: str = ""


def _trip_for_writer(actor: Any, uid: Any) -> Trip:
    """The trip if the actor may see it (else NotFound) and write its plan (else NotAllowed)."""
    trip = trip_get_for(actor=actor, uid=uid)
    if not (actor.role in WRITERS and actor.organiser_id == trip.organiser_id):
        raise NotAllowed(_("Only the organiser's admins and staff plan a trip."))
    with scopes_disabled():
        trip = (
            Trip.objects.select_for_update()
            .select_related(
                "organiser",
                "outbound_from__city",
                "outbound_to__city",
                "return_from__city",
                "return_to__city",
            )
            .get(pk=trip.pk)
        )
    if trip.status in CLOSED:
        raise ValidationFailed(status=_("the trip is over: its plan can no longer change"))
    return trip


def _clean(trip: Trip, data: PlanData) -> PlanInput:
    errors: dict[str, list[str]] = {}
    for field in ("arrival_at", "departure_at"):
        value = getattr(data, field)
        if value is None:
            errors[field] = [_("enter the date and time")]
        elif timezone.is_naive(value):
            errors[field] = [_("give the time with its time zone")]
    if data.arrival_at and data.departure_at and not errors:
        if data.departure_at <= data.arrival_at:
            errors["departure_at"] = [_("after the landing")]
        elif (data.departure_at - data.arrival_at).days > 90:
            errors["departure_at"] = [_("at most 90 days after the landing")]
    cities = set(City.objects.filter(country="IQ").values_list("slug", flat=True))
    stays = []
    if not data.stays or len(data.stays) > MAX_STAYS:
        errors["stays"] = [_("one to %(n)d hotel stays") % {"n": MAX_STAYS}]
    for city, nights, *hotel in data.stays:
        hotel = hotel[0] if hotel else ""
        try:
            n = int(nights)
        except (TypeError, ValueError):
            n = 0
        if city not in cities or not 1 <= n <= 60:
            errors["stays"] = [_("each stay: a city in Iraq and 1 to 60 nights")]
            break
        stays.append((city, n, str(hotel or "")[:200]))
    known = set(selectors.plannable_sites().values_list("slug", flat=True))
    wishes = tuple(dict.fromkeys(w for w in data.wishes if w))
    if len(wishes) > MAX_WISHES or any(w not in known for w in wishes):
        errors["wishes"] = [_("choose sites from the list (at most %(n)d)") % {"n": MAX_WISHES}]
    if data.needs not in NeedsProfile.values:
        errors["needs"] = [_("choose a needs profile")]
    if data.occasion and not errors.get("arrival_at") and not errors.get("departure_at"):
        dated = {
            o.occasion.key
            for o in hijri.occasions_between(
                _iraq_day(data.arrival_at), _iraq_day(data.departure_at), offsets_table()
            )
        }
        if data.occasion not in dated:
            errors["occasion"] = [_("this occasion does not fall during the trip")]
    if errors:
        raise ValidationFailed(errors)
    return PlanInput(
        data.arrival_at, data.departure_at, tuple(stays), wishes, data.needs, data.occasion
    )


def _refused(exc: planner.PlanRefused) -> ValidationFailed:
    return ValidationFailed({exc.field: [labels.refusal(exc.rule, str(exc))]})


def _save(
    trip: Trip, itinerary: Itinerary | None, inputs: PlanInput, plan: planner.Plan, actor: Any
) -> Itinerary:
    with scopes_disabled():
        itinerary = itinerary or Itinerary(trip=trip, organiser=trip.organiser)
        itinerary.arrival_at, itinerary.departure_at = inputs.arrival_at, inputs.departure_at
        itinerary.stays = [{"city": c, "nights": n, "hotel": h} for c, n, h in inputs.stays]
        itinerary.wishes = list(inputs.wishes)
        itinerary.needs, itinerary.occasion = inputs.needs, inputs.occasion
        itinerary.plan = planner.plan_to_data(plan)
        itinerary.version = (itinerary.version or 0) + 1 if itinerary.pk else 1
        itinerary.broken_rule, itinerary.broken_message, itinerary.broken_at = "", "", None
        itinerary.updated_by = actor
        itinerary.save()
    _legs_fill(trip, plan, inputs)
    return itinerary


def itinerary_plan(*, actor: Any, trip_uid: Any, data: PlanData) -> Itinerary:
    """Plan (or plan again) the trip from the organiser's inputs and save it; the trip's legs
    follow. A plan no city order can make keep the rules is refused, naming the rule, on the
    field it concerns (`ValidationFailed`); nothing is saved then."""
    with transaction.atomic():
        trip = _trip_for_writer(actor, trip_uid)
        inputs = _clean(trip, data)
        request = selectors.plan_request(trip, inputs)
        try:
            plan = planner.plan_trip(request)
        except planner.PlanRefused as exc:
            raise _refused(exc) from None
        with scopes_disabled():
            existing = one_or_none(Itinerary.objects.filter(trip=trip))
        itinerary = _save(trip, existing, inputs, plan, actor)
        audit_record(
            actor=actor,
            action="zaireen.itinerary.planned",
            obj=itinerary,
            organiser=trip.organiser,
            changes={
                "version": [None, itinerary.version],
                "road_minutes": [None, plan.road_minutes],
                "unmet": [None, len(plan.unmet)],
            },
        )
    return itinerary


EDITS = ("move", "add", "remove")


def itinerary_edit(
    *,
    actor: Any,
    trip_uid: Any,
    op: str,
    item: str = "",
    site: str = "",
    start: dt.datetime | None = None,
    minutes: int | None = None,
) -> Itinerary:
    """Move, add or remove a stop of the saved plan, re-checked by the planner's rules. An
    edit that breaks one is refused (`ValidationFailed` naming the rule) and nothing changes."""
    if op not in EDITS:
        raise ValidationFailed(op=_("move, add or remove"))
    if op in ("move", "add") and (start is None or timezone.is_naive(start)):
        raise ValidationFailed(start=_("enter the date and time"))
    with transaction.atomic():
        trip = _trip_for_writer(actor, trip_uid)
        with scopes_disabled():
            itinerary = one_or_none(Itinerary.objects.select_for_update().filter(trip=trip))
        if itinerary is None:
            raise ValidationFailed(item=_("plan the trip first"))
        inputs = selectors.input_of(itinerary)
        request = selectors.plan_request(trip, inputs)
        plan = selectors.plan_of(itinerary)
        try:
            if op == "move":
                plan = planner.move_item(plan, request, key=item, start=start)
            elif op == "add":
                plan = planner.add_visit(plan, request, site=site, start=start, minutes=minutes)
            else:
                plan = planner.remove_item(plan, request, key=item)
        except planner.EditRefused as exc:
            raise _refused(exc) from None
        itinerary = _save(trip, itinerary, inputs, plan, actor)
        audit_record(
            actor=actor,
            action=f"zaireen.itinerary.stop.{op}",
            obj=itinerary,
            organiser=trip.organiser,
            changes={
                "stop": [None, item or site],
                "start": [None, start.isoformat() if start else None],
            },
        )
    return itinerary


# --- The trip's legs -----------------------------------------------------------------------------


def _iraq_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(selectors.IRAQ_TZ)).date()


def _legs_fill(trip: Trip, plan: planner.Plan, inputs: PlanInput) -> None:
    """Make the trip's legs the plan's: matching legs (kind, from, to, in order) keep their
    vehicles and get the plan's date; other legs are removed unless vehicles are on them."""
    names = dict(City.objects.values_list("slug", "id"))
    airports = dict(Airport.objects.values_list("iata", "city_id"))

    def city_id(key: str) -> int | None:
        key = planner.base(key)
        return airports.get(key) or names.get(key)

    wanted = [
        (
            LegKind.FLIGHT,
            trip.outbound_from.city_id,
            trip.outbound_to.city_id,
            _iraq_day(inputs.arrival_at),
            trip.outbound_flight,
        )
    ]
    for it in plan.items:
        if it.kind != planner.Kind.ROAD:
            continue
        a, b = city_id(it.from_city), city_id(it.city)
        if a and b and a != b:
            wanted.append((LegKind.ROAD, a, b, it.start.date(), ""))
    wanted.append(
        (
            LegKind.FLIGHT,
            trip.return_from.city_id,
            trip.return_to.city_id,
            _iraq_day(inputs.departure_at),
            trip.return_flight,
        )
    )
    existing = list(TripLeg.objects.filter(trip=trip).order_by("position"))
    unused = list(existing)
    matched: list[tuple[TripLeg | None, tuple]] = []
    for want in wanted:
        leg = next((x for x in unused if (x.kind, x.from_city_id, x.to_city_id) == want[:3]), None)
        if leg is not None:
            unused.remove(leg)
        matched.append((leg, want))
    blocking = [leg for leg in unused if leg.vehicles.exists()]
    if blocking:
        raise ValidationFailed(
            legs=_(
                "the plan no longer has the leg %(leg)s, which has vehicles: move them to "
                "another leg first"
            )
            % {"leg": str(blocking[0])}
        )
    TripLeg.objects.filter(pk__in=[leg.pk for leg in unused]).delete()
    # Positions are unique per trip: park the kept legs out of the way, then number them.
    for n, (leg, _want) in enumerate(m for m in matched if m[0] is not None):
        TripLeg.objects.filter(pk=leg.pk).update(position=1000 + n)
    for position, (leg, (kind, a, b, day, flight)) in enumerate(matched, start=1):
        if leg is None:
            TripLeg.objects.create(
                trip=trip,
                position=position,
                kind=kind,
                from_city_id=a,
                to_city_id=b,
                date=day,
                flight=flight,
            )
        else:
            TripLeg.objects.filter(pk=leg.pk).update(position=position, date=day)


# --- Re-checks after a calendar change ----------------------------------------------------------


def _enqueue_recheck(first: dt.date, last: dt.date, *, user: Any = None) -> None:
    from zaireen.core.jobs import enqueue
    from zaireen.itineraries.tasks import itineraries_recheck_task

    enqueue(
        itineraries_recheck_task,
        first.isoformat(),
        last.isoformat(),
        user=user,
        label="Re-check itineraries",
    )


def itineraries_recheck(*, first: dt.date, last: dt.date) -> dict[str, int]:
    """Re-check every saved plan with a day in `first`..`last` against today's offsets and
    reference data: a plan that now breaks a rule is flagged with it (and audited); one that
    keeps them again loses its flag. Returns counts."""
    counts = Counter()
    table = offsets_table()
    for itinerary in selectors.itineraries_touching(first, last):
        counts["checked"] += 1
        trip = itinerary.trip
        try:
            request = selectors.plan_request(trip, selectors.input_of(itinerary), offsets=table)
            occasion_gone = itinerary.occasion and request.occasion is None
            broken = planner.recheck(selectors.plan_of(itinerary), request)
        except (ValueError, KeyError) as exc:
            broken, occasion_gone = [planner.Violation(planner.Rule.PLACE, str(exc))], False
        if occasion_gone:
            broken = [
                planner.Violation(
                    planner.Rule.OCCASION_ARRIVAL,
                    (f"{_occasion_name(itinerary.occasion)} no longer falls during the trip"),
                )
            ]
        with transaction.atomic(), scopes_disabled():
            row = Itinerary.objects.select_for_update().get(pk=itinerary.pk)
            if broken:
                first_broken = broken[0]
                if (row.broken_rule, row.broken_message) == (
                    first_broken.rule,
                    first_broken.message,
                ):
                    continue
                row.broken_rule, row.broken_message = first_broken.rule, first_broken.message
                row.broken_at = timezone.now()
                row.save(update_fields=["broken_rule", "broken_message", "broken_at"])
                audit_record(
                    actor=None,
                    action="zaireen.itinerary.broken",
                    obj=row,
                    organiser=row.organiser,
                    changes={"rule": [None, row.broken_rule]},
                    reason=row.broken_message[:500],
                )
                counts["broken"] += 1
            elif row.broken_rule:
                row.broken_rule, row.broken_message, row.broken_at = "", "", None
                row.save(update_fields=["broken_rule", "broken_message", "broken_at"])
                audit_record(
                    actor=None, action="zaireen.itinerary.mended", obj=row, organiser=row.organiser
                )
                counts["mended"] += 1
    return dict(counts)


def _occasion_name(key: str) -> str:
    return selectors.occasion_names().get(key, key)


def on_offsets_changed(change) -> None:
    """`planning.events` subscriber: re-check the plans touching the days that changed."""
    _enqueue_recheck(change.first_day, change.last_day)
