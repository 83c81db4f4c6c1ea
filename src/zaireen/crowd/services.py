"""Writes of the crowd app: plans, capacities and quotas, groups, visit requests, solving and
publishing, live booking with its waitlist, and the re-check after a Hijri offset change.

Capacity is held like pretix holds quotas (docs/crowd.md, "Never oversell"):
- the counters are `SlotCell.booked`, one row per zone and slot, and the database refuses a
  row with `booked > quota` (CHECK constraint `crowd_cell_never_oversold`);
- a booking locks what it takes down once per transaction, in a fixed order (the group's row,
  then its cells by primary key), waiting at most 3 s (`lock_timeout` on PostgreSQL; SQLite
  runs one writer at a time), re-checks the room after the lock and then adds with a
  conditional UPDATE (`… WHERE booked + n <= quota`) whose row count must match;
- freeing takes the same ordered lock (so two transactions never wait on each other in
  opposite orders) but never needs to check anything.
Side effects (waitlist offers, the solver job) are sent when the transaction commits.
Whatever takes or frees places (booking, swap, cancellation, offers, publication) runs in a
durable transaction of its own, so its locks end with it; the other services may run inside
a caller's transaction (the demo builds everything in one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import threading
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.audit import audit_record, diff
from zaireen.core.errors import CapacityExceeded, Conflict, NotFound, ValidationFailed
from zaireen.core.jobs import enqueue
from zaireen.core.queries import lock_rows, one_or_none
from zaireen.crowd import heatmap, selectors
from zaireen.crowd.models import (
    HOLDING,
    MAX_DENSITY,
    MAX_GROUP_SIZE,
    Booking,
    BookingSource,
    BookingStatus,
    GroupKind,
    PlanStatus,
    QuotaRange,
    RequestSource,
    RequestStatus,
    RunStatus,
    SlotCell,
    SlotGroup,
    SlotPlan,
    SolveRun,
    VisitRequest,
    WaitlistEntry,
    WaitStatus,
    ZoneCapacity,
    quota_of,
)
from zaireen.crowd.solver import FormatError, SolveOptions, check, instance_from_json, solve
from zaireen.crowd.solver import result_to_json as solver_result_to_json
from zaireen.crowd.visits import PlannedZoneVisit, split_site_visits
from zaireen.organizers.models import Organiser
from zaireen.places.models import Zone
from zaireen.planning import hijri
from zaireen.planning.selectors import offsets_table
from zaireen.trips.models import LEADING_ROLES, Trip

IRAQ = zoneinfo.ZoneInfo("Asia/Baghdad")
SLOT_MINUTES = (5, 10, 15, 20, 30, 60)
MAX_DAYS_AROUND = 3
DEFAULT_DWELL_MINUTES = 45
OFFER_MINUTES = 30  # how long an offer from the waitlist holds its places
NEAREST_ATTEMPTS = 8  # transactions tried when the caller lets us choose the start
MAX_TIME_LIMIT = 600


# --- Locks and counters --------------------------------------------------------------------


def _lock_timeout() -> None:
    """Wait at most 3 s for a row lock (PostgreSQL); SQLite's writers queue on BEGIN."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")


def _busy(exc: OperationalError) -> bool:
    code = getattr(exc.__cause__, "sqlstate", None) or getattr(exc.__cause__, "pgcode", None)
    return code == "55P03" or "lock timeout" in str(exc).lower()


@dataclass(frozen=True)
class Span:
    """A visit's cells: `duration` slots of one zone capacity from `start`."""

    capacity_id: int
    start: int
    duration: int

    def slots(self) -> range:
        return range(self.start, self.start + self.duration)


def _lock_cells(spans: list[Span]) -> dict[tuple[int, int], tuple[int, int, int]]:
    """Lock the cells of `spans` in primary-key order, once; {(capacity, slot): (pk, quota,
    booked)} as they are after the lock."""
    condition = Q()
    for span in spans:
        condition |= Q(
            capacity_id=span.capacity_id, slot__gte=span.start, slot__lt=span.start + span.duration
        )
    rows = (
        SlotCell.objects.select_for_update()
        .filter(condition)
        .order_by("pk")
        .values_list("pk", "capacity_id", "slot", "quota", "booked")
    )
    return {(c, s): (pk, q, b) for pk, c, s, q, b in rows}


def _take(cells: dict, spans: list[Span], size: int) -> None:
    """Add `size` people to each cell of `spans` (locked by `_lock_cells`), or refuse."""
    keys = [(span.capacity_id, slot) for span in spans for slot in span.slots()]
    if len(set(keys)) != len(keys):
        raise ValidationFailed(start=_("two visits of the group overlap"))
    missing = [k for k in keys if k not in cells]
    if missing:
        raise ValidationFailed(start=_("outside the plan's slots"))
    if any(cells[k][1] - cells[k][2] < size for k in keys):
        raise CapacityExceeded(_("Not enough places left in that slot."))
    pks = [cells[k][0] for k in keys]
    updated = SlotCell.objects.filter(pk__in=pks, booked__lte=F("quota") - size).update(
        booked=F("booked") + size
    )
    if updated != len(pks):  # cannot happen under the lock; the CHECK constraint backs it
        raise CapacityExceeded(_("Not enough places left in that slot."))


def _give_back(cells: dict, spans: list[Span], size: int) -> None:
    pks = [cells[(span.capacity_id, slot)][0] for span in spans for slot in span.slots()]
    SlotCell.objects.filter(pk__in=pks).update(booked=F("booked") - size)


def _span(booking: Booking) -> Span:
    return Span(booking.capacity_id, booking.start_slot, booking.duration_slots)


def _organiser(organiser_id: int) -> Organiser:
    """A reference to an organiser for the audit trail, without loading the row (the booking
    path counts its queries)."""
    return Organiser(pk=organiser_id)


def _offers_after_commit(plan_id: int) -> None:
    from zaireen.crowd import tasks

    transaction.on_commit(lambda: tasks.waitlist_offer(plan_id))


# --- Plans -----------------------------------------------------------------------------------


def _occasion(key: str) -> hijri.Occasion | None:
    return {o.key: o for o in hijri.load_occasions()}.get(key)


def _typical_dwell() -> dict[int, int]:
    """{zone id: minutes}: the site's typical visit from the itinerary planner's data
    (`zaireen.itineraries.selectors.site_facts`), shared by the site's zones in turn (a visit
    passes through them one after the other); 45 minutes where the planner has no figure."""
    try:
        from zaireen.itineraries.selectors import site_facts

        minutes = dict(site_facts().values_list("site_id", "visit_minutes"))
    except Exception:  # another app's data must not stop a plan being made
        minutes = {}
    zones = list(Zone.objects.values_list("pk", "site_id"))
    per_site: dict[int, int] = defaultdict(int)
    for _zone, site in zones:
        per_site[site] += 1
    return {
        zone: math.ceil(minutes[site] / per_site[site])
        if minutes.get(site)
        else DEFAULT_DWELL_MINUTES
        for zone, site in zones
    }


def _travel_table(zones: list[Zone], slot_minutes: int) -> dict[str, dict[str, int]]:
    """Slots to drive between the cities of two zones (rounded up), once per pair; zones in
    one city are a walk apart that fits inside the visits' slots (0)."""
    from zaireen.places.selectors import travel_matrix

    cities = {z.site.city_id: z.site.city for z in zones}
    minutes = {
        (a.pk, b.pk): t.minutes
        for a, row in travel_matrix(list(cities.values()))
        for b, t in zip(cities.values(), row, strict=True)
    }
    table: dict[str, dict[str, int]] = {}
    for a in zones:
        for b in zones:
            if a.slug < b.slug and a.site.city_id != b.site.city_id:
                slots = math.ceil(minutes[(a.site.city_id, b.site.city_id)] / slot_minutes)
                table.setdefault(a.slug, {})[b.slug] = slots
    return table


def _int_field(errors: dict, name: str, value: Any, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = _("a whole number")
        return low
    if not low <= number <= high:
        errors[name] = message
    return number


def plan_create(
    *,
    actor: Any,
    occasion_key: str,
    hijri_year: int,
    request_deadline: dt.datetime,
    days_before: int = 1,
    days_after: int = 1,
    slot_minutes: int = 15,
    title: str = "",
) -> SlotPlan:
    """A plan for one occasion: slots from midnight (Baghdad) `days_before` the occasion to
    the end of the day `days_after` it; every zone gets a capacity row to fill in."""
    selectors.assert_planner(actor)
    errors: dict[str, str] = {}
    occasion = _occasion(occasion_key)
    if occasion is None:
        errors["occasion"] = _("unknown occasion")
    before = _int_field(
        errors,
        "days_before",
        days_before,
        0,
        MAX_DAYS_AROUND,
        _("0 to %(n)d days") % {"n": MAX_DAYS_AROUND},
    )
    after = _int_field(
        errors,
        "days_after",
        days_after,
        0,
        MAX_DAYS_AROUND,
        _("0 to %(n)d days") % {"n": MAX_DAYS_AROUND},
    )
    if slot_minutes not in SLOT_MINUTES:
        errors["slot_minutes"] = _("one of %(values)s minutes") % {
            "values": ", ".join(map(str, SLOT_MINUTES))
        }
    when = None
    if occasion is not None:
        try:
            when = hijri.occurrence(occasion, int(hijri_year), offsets_table())
        except (hijri.HijriRangeError, TypeError, ValueError):
            errors["hijri_year"] = _("outside the calendar's years")
    if timezone.is_naive(request_deadline):
        errors["request_deadline"] = _("give a time zone")
    title = " ".join((title or "").split())[:200]
    if errors:
        raise ValidationFailed(**errors)
    first_day = when.start - dt.timedelta(days=before)
    last_day = when.end + dt.timedelta(days=after)
    starts_at = dt.datetime.combine(first_day, dt.time(0), tzinfo=IRAQ)
    slots = ((last_day - first_day).days + 1) * 24 * 60 // slot_minutes
    if slots > 2000:
        raise ValidationFailed(slot_minutes=_("too many slots: choose longer slots or fewer days"))
    if request_deadline >= starts_at:
        raise ValidationFailed(
            request_deadline=_("must be before the first slot (%(when)s)")
            % {"when": starts_at.strftime("%d %b %Y %H:%M")}
        )
    with transaction.atomic():
        zones = list(Zone.objects.select_related("site__city").order_by("slug"))
        plan = SlotPlan.objects.create(
            title=title or f"{occasion.name} {hijri_year}",
            occasion_key=occasion.key,
            hijri_year=int(hijri_year),
            occasion_start=when.start,
            occasion_end=when.end,
            starts_at=starts_at,
            slot_minutes=slot_minutes,
            slots=slots,
            request_deadline=request_deadline,
            travel_slots=_travel_table(zones, slot_minutes),
            created_by=actor,
        )
        dwell = _typical_dwell()
        ZoneCapacity.objects.bulk_create(
            [ZoneCapacity(plan=plan, zone=z, dwell_minutes=dwell[z.pk]) for z in zones]
        )
        audit_record(
            actor=actor,
            action="zaireen.crowd.plan.created",
            obj=plan,
            changes={
                "occasion": [None, occasion.key],
                "slots": [None, slots],
                "starts_at": [None, starts_at.isoformat()],
            },
        )
    return plan


def plan_deadline_set(*, actor: Any, plan_uid: Any, request_deadline: dt.datetime) -> SlotPlan:
    selectors.assert_planner(actor)
    if timezone.is_naive(request_deadline):
        raise ValidationFailed(request_deadline=_("give a time zone"))
    with transaction.atomic():
        plan = _plan_locked(plan_uid)
        if plan.is_published:
            raise ValidationFailed(request_deadline=_("the slots are published already"))
        if request_deadline >= plan.starts_at:
            raise ValidationFailed(request_deadline=_("must be before the first slot"))
        old = plan.request_deadline
        plan.request_deadline = request_deadline
        plan.save(update_fields=["request_deadline"])
        audit_record(
            actor=actor,
            action="zaireen.crowd.plan.deadline",
            obj=plan,
            changes={"request_deadline": [old.isoformat(), request_deadline.isoformat()]},
        )
    return plan


def _plan_locked(plan_uid: Any) -> SlotPlan:
    _lock_timeout()
    plan = one_or_none(SlotPlan.objects.select_for_update().filter(uid=plan_uid))
    if plan is None:
        raise NotFound(_("No such slot plan."))
    return plan


# --- Capacity and quotas -----------------------------------------------------------------


def _decimal(errors: dict, name: str, value: Any) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors[name] = _("a number")
        return Decimal(0)
    if not number.is_finite():
        errors[name] = _("a number")
        return Decimal(0)
    return number


def _quotas(plan: SlotPlan, capacity: ZoneCapacity) -> list[int]:
    """The quota of every slot: the zone's share of its limit, then each range in order."""
    limit = capacity.occupancy_limit
    quotas = [quota_of(limit, capacity.quota_pct)] * plan.slots
    for rng in capacity.ranges.all():
        value = quota_of(limit, rng.share_pct)
        for slot in range(rng.first_slot, min(rng.last_slot, plan.slots - 1) + 1):
            quotas[slot] = value
    return quotas


def _cells_refresh(plan: SlotPlan, capacity: ZoneCapacity) -> None:
    """Bring the cells' quotas in line with the capacity; refuse to go below what is booked."""
    quotas = _quotas(plan, capacity)
    existing = {
        cell.slot: cell
        for cell in SlotCell.objects.select_for_update().filter(capacity=capacity).order_by("pk")
    }
    short = [s for s, cell in existing.items() if s < plan.slots and quotas[s] < cell.booked]
    if short:
        first = short[0]
        raise ValidationFailed(
            quota_pct=_(
                "%(n)d slots would hold less than is booked, from %(when)s (%(booked)d booked)"
            )
            % {
                "n": len(short),
                "when": selectors.slot_label(plan, first),
                "booked": existing[first].booked,
            }
        )
    new = [
        SlotCell(plan=plan, capacity=capacity, slot=s, quota=quotas[s])
        for s in range(plan.slots)
        if s not in existing
    ]
    SlotCell.objects.bulk_create(new, batch_size=500)
    changed = []
    for s, cell in existing.items():
        if s < plan.slots and cell.quota != quotas[s]:
            cell.quota = quotas[s]
            changed.append(cell)
    SlotCell.objects.bulk_update(changed, ["quota"], batch_size=500)


def capacity_set(
    *,
    actor: Any,
    plan_uid: Any,
    zone_slug: str,
    usable_area_m2: Any,
    density: Any,
    margin_pct: Any,
    dwell_minutes: Any,
    quota_pct: Any,
) -> ZoneCapacity:
    """Set a zone's usable area, planning density (never above 4 persons/m²), margin, dwell
    time and quota share; the cells' quotas follow. An empty area takes the zone out."""
    selectors.assert_planner(actor)
    errors: dict[str, str] = {}
    area = None
    if usable_area_m2 not in (None, ""):
        area = _int_field(
            errors, "usable_area_m2", usable_area_m2, 1, 10_000_000, _("at least 1 m²")
        )
    density = _decimal(errors, "density", density)
    if "density" not in errors:
        if density <= 0:
            errors["density"] = _("must be more than 0")
        elif density > MAX_DENSITY:
            errors["density"] = _(
                "never above 4 persons/m²: denser crowds turn dangerous (crush risk)"
            )
        elif density != density.quantize(Decimal("0.01")):
            errors["density"] = _("at most two decimals")
    margin = _int_field(errors, "margin_pct", margin_pct, 0, 90, _("0 to 90 %"))
    dwell = _int_field(errors, "dwell_minutes", dwell_minutes, 1, 720, _("1 to 720 minutes"))
    share = _decimal(errors, "quota_pct", quota_pct)
    if "quota_pct" not in errors and not (0 <= share <= 100):
        errors["quota_pct"] = _("0 to 100 %")
    elif share != share.quantize(Decimal("0.01")):
        errors["quota_pct"] = _("at most two decimals")
    if errors:
        raise ValidationFailed(**errors)
    with transaction.atomic():
        plan = _plan_locked(plan_uid)
        capacity = one_or_none(
            plan.capacities.select_for_update(of=("self",))
            .select_related("zone__site")
            .filter(zone__slug=zone_slug)
        )
        if capacity is None:
            raise NotFound(_("No such zone in this plan."))
        if math.ceil(dwell / plan.slot_minutes) > plan.slots:
            raise ValidationFailed(dwell_minutes=_("longer than the plan"))
        with scopes_disabled():
            requested = capacity.requests.filter(status=RequestStatus.SUBMITTED).exists()
        if area is None and requested:
            raise ValidationFailed(
                usable_area_m2=_("groups have asked for this zone: keep an area")
            )
        if plan.is_published and dwell != capacity.dwell_minutes:
            raise ValidationFailed(
                dwell_minutes=_("the slots are published: visit lengths are fixed")
            )
        before = {
            "usable_area_m2": capacity.usable_area_m2,
            "density": str(capacity.density),
            "margin_pct": capacity.margin_pct,
            "dwell_minutes": capacity.dwell_minutes,
            "quota_pct": str(capacity.quota_pct),
        }
        old_duration = capacity.duration_slots(plan.slot_minutes)
        capacity.usable_area_m2, capacity.density, capacity.margin_pct = area, density, margin
        capacity.dwell_minutes, capacity.quota_pct = dwell, share
        capacity.save()
        if area is None:
            SlotCell.objects.filter(capacity=capacity).delete()
        else:
            _cells_refresh(plan, capacity)
        duration = capacity.duration_slots(plan.slot_minutes)
        if duration != old_duration:
            with scopes_disabled():
                capacity.requests.filter(
                    status=RequestStatus.SUBMITTED, source=RequestSource.HAND
                ).update(duration_slots=duration)
        after = {
            **before,
            "usable_area_m2": area,
            "density": str(density),
            "margin_pct": margin,
            "dwell_minutes": dwell,
            "quota_pct": str(share),
        }
        audit_record(
            actor=actor,
            action="zaireen.crowd.capacity.changed",
            obj=capacity,
            changes=diff(before, after),
        )
    return capacity


def _slot_bounds(plan: SlotPlan, first_at: dt.datetime, last_at: dt.datetime) -> tuple[int, int]:
    first = max(0, math.floor(selectors.slot_position(plan, first_at) + 1e-9))
    last = min(plan.slots - 1, math.ceil(selectors.slot_position(plan, last_at) - 1e-9) - 1)
    return first, last


def quota_range_add(
    *,
    actor: Any,
    plan_uid: Any,
    zone_slug: str,
    first_at: dt.datetime,
    last_at: dt.datetime,
    share_pct: Any,
) -> QuotaRange:
    """The host authority grants another share from `first_at` until `last_at`."""
    selectors.assert_planner(actor)
    errors: dict[str, str] = {}
    share = _decimal(errors, "share_pct", share_pct)
    if "share_pct" not in errors and not (0 <= share <= 100):
        errors["share_pct"] = _("0 to 100 %")
    if timezone.is_naive(first_at) or timezone.is_naive(last_at):
        errors["first_at"] = _("give a time zone")
    elif last_at <= first_at:
        errors["last_at"] = _("must be after the start")
    if errors:
        raise ValidationFailed(**errors)
    with transaction.atomic():
        plan = _plan_locked(plan_uid)
        capacity = one_or_none(plan.capacities.select_related("zone").filter(zone__slug=zone_slug))
        if capacity is None:
            raise NotFound(_("No such zone in this plan."))
        if not capacity.active:
            raise ValidationFailed(share_pct=_("set the zone's usable area first"))
        first, last = _slot_bounds(plan, first_at, last_at)
        if last < first:
            raise ValidationFailed(first_at=_("outside the plan's slots"))
        rng = QuotaRange.objects.create(
            capacity=capacity, first_slot=first, last_slot=last, share_pct=share
        )
        _cells_refresh(plan, capacity)
        audit_record(
            actor=actor,
            action="zaireen.crowd.quota.changed",
            obj=capacity,
            changes={"range": [None, f"{first}-{last}: {share}%"]},
        )
    return rng


def quota_range_remove(*, actor: Any, plan_uid: Any, zone_slug: str, range_id: Any) -> None:
    selectors.assert_planner(actor)
    with transaction.atomic():
        plan = _plan_locked(plan_uid)
        rng = (
            one_or_none(
                QuotaRange.objects.select_related("capacity__zone").filter(
                    pk=range_id, capacity__plan=plan, capacity__zone__slug=zone_slug
                )
            )
            if str(range_id).isdigit()
            else None
        )
        if rng is None:
            raise NotFound(_("No such quota range."))
        capacity = rng.capacity
        label = f"{rng.first_slot}-{rng.last_slot}: {rng.share_pct}%"
        rng.delete()
        _cells_refresh(plan, capacity)
        audit_record(
            actor=actor,
            action="zaireen.crowd.quota.changed",
            obj=capacity,
            changes={"range": [label, None]},
        )


# --- Groups ----------------------------------------------------------------------------------


def group_create(
    *,
    actor: Any,
    trip_uid: Any,
    kind: str,
    label: str = "",
    size: Any = None,
    vehicle_uid: Any = None,
    leader_uid: Any = None,
) -> SlotGroup:
    """A part of the trip that moves together: the passengers seated in one vehicle, or a
    leader's sub-group of at most 60. The trip's groups never hold more than its members."""
    trip = selectors.trip_for_groups(actor=actor, uid=trip_uid)
    if trip.status in selectors.GROUPS_CLOSED:
        raise ValidationFailed(trip=_("the trip is over"))
    label = " ".join((label or "").split())[:80]
    vehicle = leader = None
    with transaction.atomic(), scopes_disabled():
        _lock_timeout()
        lock_rows(Trip.objects.filter(pk=trip.pk))
        if kind == GroupKind.VEHICLE:
            vehicle = one_or_none(trip.vehicles.filter(uid=vehicle_uid)) if vehicle_uid else None
            if vehicle is None:
                raise ValidationFailed(vehicle=_("choose one of the trip's vehicles"))
            size = vehicle.seat_assignments.count()
            if size == 0:
                raise ValidationFailed(vehicle=_("nobody is seated in this vehicle yet"))
            label = label or str(vehicle)
        elif kind == GroupKind.SUBGROUP:
            leader = (
                one_or_none(
                    trip.members.select_related("profile").filter(
                        uid=leader_uid, role__in=LEADING_ROLES
                    )
                )
                if leader_uid
                else None
            )
            if leader is None:
                raise ValidationFailed(leader=_("choose one of the trip's leaders"))
            errors: dict[str, str] = {}
            size = _int_field(
                errors, "size", size, 1, MAX_GROUP_SIZE, _("1 to 60 people: split a larger group")
            )
            if errors:
                raise ValidationFailed(**errors)
            label = label or _("%(name)s's group") % {"name": leader.profile.full_name}
        else:
            raise ValidationFailed(kind=_("a vehicle or a leader's sub-group"))
        if size > MAX_GROUP_SIZE:
            raise ValidationFailed(vehicle=_("more than 60 people: make sub-groups instead"))
        members = trip.members.count()
        held = SlotGroup.objects.filter(trip=trip).aggregate(n=Sum("size"))["n"] or 0
        if held + size > members:
            raise ValidationFailed(
                size=_("the trip's groups would hold %(n)d people; it has %(m)d members")
                % {"n": held + size, "m": members}
            )
        if SlotGroup.objects.filter(trip=trip, label=label).exists():
            raise ValidationFailed(label=_("the trip has a group of that name"))
        group = SlotGroup.objects.create(
            organiser_id=trip.organiser_id,
            trip=trip,
            label=label,
            kind=kind,
            vehicle=vehicle,
            leader=leader,
            size=size,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="zaireen.crowd.group.created",
            obj=group,
            organiser=trip.organiser,
            changes={"size": [None, size], "kind": [None, kind]},
        )
    return group


def group_delete(*, actor: Any, uid: Any) -> Trip:
    with transaction.atomic(), scopes_disabled():
        _lock_timeout()
        group = selectors.group_get_for(actor=actor, uid=uid, lock=True)
        if Booking.objects.filter(group=group, status__in=HOLDING).exists():
            raise ValidationFailed(group=_("cancel the group's slots first"))
        trip = group.trip
        audit_record(
            actor=actor,
            action="zaireen.crowd.group.deleted",
            obj=group,
            organiser=trip.organiser,
            changes={"size": [group.size, None]},
        )
        group.delete()
    return trip


# --- Requests --------------------------------------------------------------------------------


def _request_times(
    plan: SlotPlan,
    capacity: ZoneCapacity,
    group: SlotGroup,
    preferred_at: dt.datetime,
    earliest_at: dt.datetime,
    latest_at: dt.datetime,
    duration: int,
) -> None:
    """Refuse a window that leaves the horizon, is upside down, or where the group never
    fits the quota; errors name the field."""
    for name, value in (
        ("preferred_at", preferred_at),
        ("earliest_at", earliest_at),
        ("latest_at", latest_at),
    ):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            raise ValidationFailed(**{name: _("a date and time with its time zone")})
    if not earliest_at <= preferred_at <= latest_at:
        raise ValidationFailed(preferred_at=_("must lie between the earliest and latest start"))
    end = selectors.horizon_end(plan)
    visit = dt.timedelta(minutes=duration * plan.slot_minutes)
    if earliest_at < plan.starts_at or preferred_at < plan.starts_at:
        raise ValidationFailed(
            earliest_at=_("before the first slot (%(when)s)")
            % {"when": selectors.slot_label(plan, 0)}
        )
    if preferred_at + visit > end:
        raise ValidationFailed(
            preferred_at=_("the visit would end after the last slot (%(when)s)")
            % {"when": selectors.slot_label(plan, plan.slots)}
        )
    first = math.ceil(selectors.slot_position(plan, earliest_at) - 1e-9)
    last = min(plan.slots - duration, math.floor(selectors.slot_position(plan, latest_at) + 1e-9))
    if last < first:
        raise ValidationFailed(latest_at=_("the window holds no whole slot"))
    quotas = dict(
        SlotCell.objects.filter(
            capacity=capacity, slot__gte=first, slot__lt=last + duration
        ).values_list("slot", "quota")
    )
    best = max(
        (
            min(quotas.get(s, 0) for s in range(start, start + duration))
            for start in range(first, last + 1)
        ),
        default=0,
    )
    if group.size > best:
        raise ValidationFailed(
            group=_("%(size)d people never fit: the quota there is at most %(best)d")
            % {"size": group.size, "best": best}
        )


def _request_add(
    *,
    actor: Any,
    plan: SlotPlan,
    group: SlotGroup,
    zone_slug: str,
    preferred_at: dt.datetime,
    earliest_at: dt.datetime | None,
    latest_at: dt.datetime | None,
    duration_minutes: int | None,
    source: str,
) -> VisitRequest:
    if plan.status == PlanStatus.PUBLISHED:
        late = True
    elif timezone.now() > plan.request_deadline:
        raise ValidationFailed(
            plan=_(
                "the deadline for requests has passed: book from what is left once the "
                "slots are published"
            )
        )
    else:
        late = False
    capacity = one_or_none(
        plan.capacities.select_related("zone").filter(
            zone__slug=zone_slug, usable_area_m2__isnull=False
        )
    )
    if capacity is None:
        raise ValidationFailed(zone=_("not a capacity-limited zone of this plan"))
    if duration_minutes:
        duration = math.ceil(int(duration_minutes) / plan.slot_minutes)
    else:
        duration = capacity.duration_slots(plan.slot_minutes)
    earliest_at = earliest_at or preferred_at
    latest_at = latest_at or preferred_at
    _request_times(plan, capacity, group, preferred_at, earliest_at, latest_at, duration)
    with scopes_disabled():
        if VisitRequest.objects.filter(
            plan=plan,
            group=group,
            capacity=capacity,
            preferred_at=preferred_at,
            status=RequestStatus.SUBMITTED,
        ).exists():
            raise ValidationFailed(preferred_at=_("the group has asked for this already"))
        request = VisitRequest.objects.create(
            organiser_id=group.organiser_id,
            plan=plan,
            group=group,
            capacity=capacity,
            source=source,
            preferred_at=preferred_at,
            earliest_at=earliest_at,
            latest_at=latest_at,
            duration_slots=duration,
            late=late,
            created_by=actor,
        )
    return request


def request_create(
    *,
    actor: Any,
    plan_uid: Any,
    group_uid: Any,
    zone_slug: str,
    preferred_at: dt.datetime,
    earliest_at: dt.datetime | None = None,
    latest_at: dt.datetime | None = None,
) -> VisitRequest:
    """A request entered by hand. Before the deadline it goes to the optimiser; after
    publication it is a late request, booked first come, first served."""
    plan = selectors.plan_get_for(actor=actor, uid=plan_uid)
    selectors.assert_organiser_staff(actor)
    with transaction.atomic():
        group = selectors.group_get_for(actor=actor, uid=group_uid)
        request = _request_add(
            actor=actor,
            plan=plan,
            group=group,
            zone_slug=zone_slug,
            preferred_at=preferred_at,
            earliest_at=earliest_at,
            latest_at=latest_at,
            duration_minutes=None,
            source=RequestSource.HAND,
        )
        audit_record(
            actor=actor,
            action="zaireen.crowd.request.submitted",
            obj=request,
            organiser=group.trip.organiser,
            changes={
                "zone": [None, zone_slug],
                "preferred_at": [None, preferred_at.isoformat()],
                "late": [None, request.late],
            },
        )
    return request


@dataclass
class ImportSummary:
    created: int = 0
    replaced: int = 0
    skipped: list[str] = field(default_factory=list)


def requests_from_visits(
    *, actor: Any, plan_uid: Any, trip_uid: Any, visits: list[PlannedZoneVisit]
) -> ImportSummary:
    """Requests from a trip's planned visits: each visit to a capacity-limited zone of the
    plan yields one request per group of the trip, with the planned start as the preferred
    one, the window the plan allows and the planned duration (rounded up to whole slots).

    Re-importing replaces the trip's earlier itinerary requests while the plan takes
    requests; after publication the new ones are late requests (duplicates are skipped).
    """
    plan = selectors.plan_get_for(actor=actor, uid=plan_uid)
    trip = selectors.trip_for_groups(actor=actor, uid=trip_uid)
    groups = selectors.groups_of_trip(trip)
    if not groups:
        raise ValidationFailed(groups=_("make the trip's groups first"))
    summary = ImportSummary()
    active = {c.zone.slug for c in selectors.capacities_of(plan, active_only=True)}
    end = selectors.horizon_end(plan)
    with transaction.atomic(), scopes_disabled():
        if not plan.is_published:
            summary.replaced = VisitRequest.objects.filter(
                plan=plan,
                group__in=groups,
                source=RequestSource.ITINERARY,
                status=RequestStatus.SUBMITTED,
            ).update(status=RequestStatus.WITHDRAWN)
        # Zones not capacity-limited in this plan need no slot.
        for visit in split_site_visits(visits, active):
            when = visit.start.astimezone(IRAQ).strftime("%d %b %H:%M")
            if visit.start < plan.starts_at or visit.start >= end:
                summary.skipped.append(
                    _("%(zone)s at %(when)s: outside the plan's days")
                    % {"zone": visit.zone, "when": when}
                )
                continue
            for group in groups:
                try:
                    with transaction.atomic():
                        _request_add(
                            actor=actor,
                            plan=plan,
                            group=group,
                            zone_slug=visit.zone,
                            preferred_at=visit.start,
                            earliest_at=visit.earliest,
                            latest_at=visit.latest,
                            duration_minutes=visit.duration_minutes or None,
                            source=RequestSource.ITINERARY,
                        )
                    summary.created += 1
                except ValidationFailed as exc:
                    reason = "; ".join(r for rs in exc.errors.values() for r in rs)
                    summary.skipped.append(f"{group.label} · {visit.zone} · {when}: {reason}")
        audit_record(
            actor=actor,
            action="zaireen.crowd.request.imported",
            obj=trip,
            organiser=trip.organiser,
            changes={
                "created": [None, summary.created],
                "replaced": [None, summary.replaced],
                "skipped": [None, len(summary.skipped)],
            },
        )
    return summary


def requests_from_itinerary(*, actor: Any, plan_uid: Any, trip_uid: Any) -> ImportSummary:
    """`requests_from_visits` with the visits of the trip's saved itinerary."""
    from zaireen.crowd.visits import NoItineraryPlanner, from_itinerary

    trip = selectors.trip_for_groups(actor=actor, uid=trip_uid)
    try:
        visits = from_itinerary(trip)
    except NoItineraryPlanner as exc:
        raise ValidationFailed(trip=_("the itinerary planner is not available yet")) from exc
    if not visits:
        raise ValidationFailed(trip=_("the trip's itinerary has no visit to a zone"))
    return requests_from_visits(actor=actor, plan_uid=plan_uid, trip_uid=trip_uid, visits=visits)


def request_withdraw(*, actor: Any, uid: Any) -> VisitRequest:
    """Withdraw a request: its slot (or held offer) is given back and offered to the waitlist."""
    with transaction.atomic(durable=True), scopes_disabled():
        _lock_timeout()
        request = selectors.request_get_for(actor=actor, uid=uid)
        request = VisitRequest.objects.select_for_update().select_related("plan").get(pk=request.pk)
        if request.status == RequestStatus.WITHDRAWN:
            return request
        booking = one_or_none(
            Booking.objects.select_for_update().filter(request=request, status__in=HOLDING)
        )
        if booking is not None:
            cells = _lock_cells([_span(booking)])
            _give_back(cells, [_span(booking)], booking.size)
            booking.status = BookingStatus.CANCELLED
            booking.save(update_fields=["status", "updated_at"])
            _offers_after_commit(request.plan_id)
        WaitlistEntry.objects.filter(
            request=request, status__in=(WaitStatus.WAITING, WaitStatus.OFFERED)
        ).update(status=WaitStatus.LEFT)
        request.status = RequestStatus.WITHDRAWN
        request.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="zaireen.crowd.request.withdrawn",
            obj=request,
            organiser=_organiser(request.organiser_id),
            changes={"status": [RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN]},
        )
    return request


# --- The instance, solving and publishing -----------------------------------------------


@dataclass(frozen=True)
class BuiltInstance:
    document: dict
    visit_map: dict[str, list[str]]
    dropped: list[dict]
    digest: str


def _digest(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def instance_build(plan: SlotPlan) -> BuiltInstance:
    """The plan's on-time requests as a `zaireen-slots/1` instance.

    Capacities are the cells' quotas (one per slot); groups are the request groups, their
    visits in order of preferred start. A group the engine would refuse (its window cannot be
    reached after the previous visit, it never fits the quota…) is left out with the engine's
    reason, so one bad request never stops the solve.
    """
    capacities = selectors.capacities_of(plan, active_only=True)
    quotas: dict[int, list[int]] = {c.pk: [0] * plan.slots for c in capacities}
    for capacity_id, slot, quota in SlotCell.objects.filter(plan=plan).values_list(
        "capacity_id", "slot", "quota"
    ):
        if capacity_id in quotas and slot < plan.slots:
            quotas[capacity_id][slot] = quota
    zones = []
    for c in capacities:
        row = quotas[c.pk]
        zones.append({"id": c.zone.slug, "capacity": row[0] if len(set(row)) == 1 else row})
    active = {c.zone.slug for c in capacities}
    travel = {
        a: {b: n for b, n in row.items() if b in active and n > 0}
        for a, row in sorted((plan.travel_slots or {}).items())
        if a in active
    }
    travel = {a: row for a, row in travel.items() if row}
    with scopes_disabled():
        requests = list(
            VisitRequest.objects.filter(plan=plan, status=RequestStatus.SUBMITTED, late=False)
            .select_related("group", "capacity__zone")
            .order_by("group_id", "preferred_at", "pk")
        )
    by_group: dict[int, list[VisitRequest]] = defaultdict(list)
    for r in requests:
        by_group[r.group_id].append(r)
    groups, visit_map, dropped = [], {}, []
    for group_requests in by_group.values():
        group = group_requests[0].group
        if any(r.capacity.zone.slug not in active for r in group_requests):
            dropped.append(
                {
                    "group": str(group.uid),
                    "label": group.label,
                    "reason": _("a zone it asks for takes no requests"),
                }
            )
            continue
        visits = []
        for r in group_requests:
            earliest, preferred, latest = selectors.window_slots(plan, r)
            visits.append(
                {
                    "zone": r.capacity.zone.slug,
                    "preferred": preferred,
                    "earliest": earliest,
                    "latest": latest,
                    "duration": r.duration_slots,
                }
            )
        groups.append({"id": str(group.uid), "size": group.size, "visits": visits})
        visit_map[str(group.uid)] = [str(r.uid) for r in group_requests]
    document = {
        "format": "zaireen-slots/1",
        "slot_minutes": plan.slot_minutes,
        "slots": plan.slots,
        "unscheduled_penalty": plan.unscheduled_penalty,
        "zones": zones,
        "travel_slots": travel,
        "groups": groups,
    }
    labels = {str(r.group.uid): r.group.label for r in requests}
    for _attempt in range(len(groups) + 1):
        try:
            instance_from_json(document)
            break
        except FormatError as exc:
            index = _group_index(exc.path)
            if index is None:
                raise
            bad = document["groups"].pop(index)
            visit_map.pop(bad["id"], None)
            dropped.append(
                {"group": bad["id"], "label": labels.get(bad["id"], ""), "reason": exc.reason}
            )
    return BuiltInstance(document, visit_map, dropped, _digest(document))


def _group_index(path: str) -> int | None:
    prefix = "$.groups["
    if not path.startswith(prefix):
        return None
    number = path[len(prefix) :].split("]", 1)[0]
    return int(number) if number.isdigit() else None


def solve_start(*, actor: Any, plan_uid: Any, time_limit: Any = 20) -> SolveRun:
    """Snapshot the requests as an instance and solve it on the worker (optimiser, then
    first come first served on the same instance for comparison)."""
    from zaireen.crowd import tasks

    selectors.assert_planner(actor)
    errors: dict[str, str] = {}
    limit = _int_field(
        errors,
        "time_limit",
        time_limit,
        1,
        MAX_TIME_LIMIT,
        _("1 to %(n)d seconds") % {"n": MAX_TIME_LIMIT},
    )
    if errors:
        raise ValidationFailed(**errors)
    with transaction.atomic():
        plan = _plan_locked(plan_uid)
        if plan.is_published:
            raise ValidationFailed(plan=_("the slots are published already"))
        built = instance_build(plan)
        if not built.document["groups"]:
            raise ValidationFailed(plan=_("no request can be scheduled yet"))
        run = SolveRun.objects.create(
            plan=plan,
            time_limit=limit,
            digest=built.digest,
            instance=built.document,
            visit_map=built.visit_map,
            dropped=built.dropped,
            created_by=actor,
        )
        run.job = enqueue(
            tasks.slots_solve, run.pk, user=actor, label=_("Solve %(plan)s") % {"plan": plan.title}
        )
        run.save(update_fields=["job"])
        audit_record(
            actor=actor,
            action="zaireen.crowd.solve.started",
            obj=plan,
            changes={
                "groups": [None, len(built.document["groups"])],
                "dropped": [None, len(built.dropped)],
            },
        )
    return run


def _method_summary(document: dict, result: dict, report: dict, slot_minutes: int) -> dict:
    sizes = {g["id"]: g["size"] for g in document["groups"]}
    preferred = {g["id"]: [v["preferred"] for v in g["visits"]] for g in document["groups"]}
    deviation = exact = people = 0
    for a in result["assignments"]:
        size = sizes[a["group"]]
        off = sum(abs(s - p) for s, p in zip(a["starts"], preferred[a["group"]], strict=True))
        deviation += size * off
        exact += off == 0
        people += size
    turned_away = sum(sizes[g] for g in result["unscheduled"])
    quotas = heatmap.quotas_of(document)
    heat = heatmap.summarise(heatmap.scheduled_loads(document, result), quotas)
    return {
        "scheduled": len(result["assignments"]),
        "unscheduled": len(result["unscheduled"]),
        "people_scheduled": people,
        "people_turned_away": turned_away,
        "groups_at_preferred": exact,
        "deviation_person_slots": deviation,
        "mean_deviation_minutes": round(deviation * slot_minutes / people, 1) if people else 0,
        "objective": result["objective"],
        "lower_bound": result.get("lower_bound"),
        "gap": report.get("gap"),
        "check_ok": report["ok"],
        "problems": report["problems"][:5],
        "seconds": result["seconds"],
        "heat": heat.as_dict(),
    }


def solve_run(*, run_id: int, progress: Any = None) -> dict:
    """The worker's part: optimise within the time limit (the bar moves with the clock),
    serve the same instance first come first served, check both with the independent
    checker, and keep everything the run page and the export need."""
    progress = progress or (lambda *a, **k: None)
    run = SolveRun.objects.select_related("plan").get(pk=run_id)
    try:
        instance = instance_from_json(run.instance)
        total = run.time_limit + 2
        progress(0, total, _("Optimising"))
        outcome: dict[str, Any] = {}

        def optimise() -> None:
            try:
                outcome["result"] = solve(
                    instance, SolveOptions(method="optimal", time_limit=run.time_limit)
                )
            except BaseException as exc:  # handed to the job below
                outcome["error"] = exc

        worker = threading.Thread(target=optimise, name=f"slots-solve-{run.pk}", daemon=True)
        started = time.monotonic()
        worker.start()
        while worker.is_alive():
            worker.join(1.0)
            progress(min(run.time_limit, int(time.monotonic() - started)), total, _("Optimising"))
        if "error" in outcome:
            raise outcome["error"]
        optimal = outcome["result"]
        progress(run.time_limit, total, _("First come, first served"))
        fcfs = solve(instance, SolveOptions(method="fcfs", seed=0))
        progress(run.time_limit + 1, total, _("Checking"))
        optimal_doc, fcfs_doc = solver_result_to_json(optimal), solver_result_to_json(fcfs)
        reports = {
            "optimal": check(instance, optimal).as_dict(),
            "fcfs": check(instance, fcfs).as_dict(),
        }
        minutes = run.plan.slot_minutes
        quotas = heatmap.quotas_of(run.instance)
        summary = {
            "groups": len(run.instance["groups"]),
            "people": sum(g["size"] for g in run.instance["groups"]),
            "dropped": len(run.dropped),
            "before": heatmap.summarise(heatmap.preferred_loads(run.instance), quotas).as_dict(),
            "optimal": _method_summary(run.instance, optimal_doc, reports["optimal"], minutes),
            "fcfs": _method_summary(run.instance, fcfs_doc, reports["fcfs"], minutes),
        }
        run.optimal, run.fcfs, run.summary = optimal_doc, fcfs_doc, summary
        run.status, run.finished_at = RunStatus.DONE, timezone.now()
        run.save(update_fields=["optimal", "fcfs", "summary", "status", "finished_at"])
    except Exception as exc:
        SolveRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    progress(total, total, _("Done"))
    return {
        "run": str(run.uid),
        "optimal": summary["optimal"]["objective"],
        "fcfs": summary["fcfs"]["objective"],
    }


def plan_publish(*, actor: Any, plan_uid: Any, run_uid: Any = None) -> SlotPlan:
    """Publish a run's optimised schedule: every scheduled visit becomes a booking and the
    cells count them (the CHECK constraint refuses an overload). Without a run, only a plan
    with no on-time requests may be published (everything is then booked live)."""
    selectors.assert_planner(actor)
    with transaction.atomic(durable=True):
        plan = _plan_locked(plan_uid)
        if plan.is_published:
            raise ValidationFailed(plan=_("the slots are published already"))
        run = None
        if run_uid is None:
            if selectors.plan_has_on_time_requests(plan):
                raise ValidationFailed(run=_("solve the requests first"))
        else:
            run = one_or_none(plan.runs.filter(uid=run_uid))
            if run is None:
                raise NotFound(_("No such solver run."))
            if run.status != RunStatus.DONE:
                raise ValidationFailed(run=_("the run has not finished"))
            if instance_build(plan).digest != run.digest:
                raise ValidationFailed(
                    run=_("requests or quotas changed since this run: solve again")
                )
            from zaireen.crowd.solver import result_from_json

            report = check(instance_from_json(run.instance), result_from_json(run.optimal))
            if not report.ok:
                raise ValidationFailed(run=_("the checker refuses this schedule"))
        cells = {
            (c.capacity_id, c.slot): c
            for c in SlotCell.objects.select_for_update().filter(plan=plan).order_by("pk")
        }
        bookings = []
        if run is not None:
            with scopes_disabled():
                requests = {
                    str(r.uid): r
                    for r in VisitRequest.objects.filter(plan=plan).select_related("group")
                }
            for assignment in run.optimal["assignments"]:
                for request_uid, start in zip(
                    run.visit_map[assignment["group"]], assignment["starts"], strict=True
                ):
                    r = requests[request_uid]
                    bookings.append(
                        Booking(
                            organiser_id=r.organiser_id,
                            plan=plan,
                            request=r,
                            group=r.group,
                            capacity_id=r.capacity_id,
                            start_slot=start,
                            duration_slots=r.duration_slots,
                            size=r.group.size,
                            status=BookingStatus.BOOKED,
                            source=BookingSource.SCHEDULE,
                            created_by=actor,
                        )
                    )
                    for slot in range(start, start + r.duration_slots):
                        cells[(r.capacity_id, slot)].booked += r.group.size
        try:
            with transaction.atomic():
                SlotCell.objects.bulk_update(list(cells.values()), ["booked"], batch_size=500)
                with scopes_disabled():
                    Booking.objects.bulk_create(bookings, batch_size=500)
        except IntegrityError as exc:
            raise CapacityExceeded(_("The schedule does not fit the quotas any more.")) from exc
        plan.status, plan.published_at, plan.published_run = (
            PlanStatus.PUBLISHED,
            timezone.now(),
            run,
        )
        plan.save(update_fields=["status", "published_at", "published_run"])
        audit_record(
            actor=actor,
            action="zaireen.crowd.plan.published",
            obj=plan,
            changes={
                "status": [PlanStatus.OPEN, PlanStatus.PUBLISHED],
                "bookings": [None, len(bookings)],
            },
        )
    return plan


# --- Live booking ----------------------------------------------------------------------------


def _bookable(request: VisitRequest) -> None:
    if request.plan.status != PlanStatus.PUBLISHED:
        raise ValidationFailed(plan=_("the slots are not published yet"))
    if request.status != RequestStatus.SUBMITTED:
        raise ValidationFailed(request=_("the request is withdrawn"))


def _lock_group(group_id: int) -> None:
    lock_rows(SlotGroup.objects.filter(pk=group_id))


def _group_locked(
    request: VisitRequest, *, cells: tuple[int, int] | None = None
) -> tuple[list[tuple[str, int, int]], list[int] | None]:
    """Lock the group's row, then read its other held visits in the plan, (zone slug, start,
    duration), and, when `cells` (first, last slot) is given, the places left in those slots
    of the request's zone (as `selectors.remaining`, without a lock: `_take_span` re-checks):
    after the lock, so two bookings of one group cannot both pass the check.

    On PostgreSQL this is one round trip with the lock timeout: the statements carry no
    parameters (ids are ints from our own rows, statuses our own constants), so they go as
    one simple query. The booking path counts its round trips; see docs/crowd.md.
    """
    if connection.vendor != "postgresql":
        _lock_timeout()
        _lock_group(request.group_id)
        left = None
        if cells is not None:
            left = selectors.remaining(
                request.plan, request.capacity, first=cells[0], last=cells[1]
            )
        return selectors.group_visits(request), left
    q = connection.ops.quote_name
    holding = ", ".join(f"'{status}'" for status in HOLDING)
    sql = (
        "SET LOCAL lock_timeout = '3s'; "  # noqa: S608 - ints and our own constants only
        f"SELECT z.slug, b.start_slot, b.duration_slots FROM {q(SlotGroup._meta.db_table)} g "
        f"LEFT JOIN {q(Booking._meta.db_table)} b ON b.group_id = g.id "
        f"AND b.plan_id = {int(request.plan_id)} AND b.status IN ({holding}) "
        f"AND b.request_id <> {int(request.pk)} "
        f"LEFT JOIN {q(ZoneCapacity._meta.db_table)} c ON c.id = b.capacity_id "
        f"LEFT JOIN {q(Zone._meta.db_table)} z ON z.id = c.zone_id "
        f"WHERE g.id = {int(request.group_id)} FOR UPDATE OF g"
    )
    if cells is not None:
        sql += (
            f"; SELECT slot, quota - booked FROM {q(SlotCell._meta.db_table)} "  # noqa: S608
            f"WHERE capacity_id = {int(request.capacity_id)} "
            f"AND slot >= {int(cells[0])} AND slot <= {int(cells[1])}"
        )
    left = None
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.nextset()  # past the SET, to the SELECT's rows
        visits = cursor.fetchall()
        if cells is not None:
            cursor.nextset()
            left = [0] * request.plan.slots
            for slot, places in cursor.fetchall():
                if slot < request.plan.slots:
                    left[slot] = places
    return [(slug, start, duration) for slug, start, duration in visits if slug is not None], left


def _take_span(span: Span, size: int) -> None:
    """Lock one visit's cells in primary-key order and add `size` to each, or refuse.

    On PostgreSQL it is one statement: the materialised CTE takes the row locks in id order
    (waiting at most the lock timeout), then the conditional UPDATE re-checks every locked
    cell (`booked + size <= quota`); fewer rows than slots means no room, and the transaction
    is rolled back. Elsewhere (SQLite: one writer at a time) the same steps run one by one.
    """
    if connection.vendor != "postgresql":
        _take(_lock_cells([span]), [span], size)
        return
    table = connection.ops.quote_name(SlotCell._meta.db_table)
    sql = (
        f"WITH locked AS MATERIALIZED (SELECT id FROM {table} "  # noqa: S608
        "WHERE capacity_id = %s AND slot >= %s AND slot < %s ORDER BY id FOR UPDATE) "
        f"UPDATE {table} AS cell SET booked = cell.booked + %s FROM locked "
        "WHERE cell.id = locked.id AND cell.booked + %s <= cell.quota RETURNING cell.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [span.capacity_id, span.start, span.start + span.duration, size, size])
        taken = len(cursor.fetchall())
    if taken != span.duration:
        raise CapacityExceeded(_("Not enough places left in that slot."))


def _check_start(request: VisitRequest, start: int, others) -> None:
    earliest, _preferred, latest = selectors.window_slots(request.plan, request)
    if not earliest <= start <= latest:
        raise ValidationFailed(
            start=_("outside the request's window (%(first)s – %(last)s)")
            % {
                "first": selectors.slot_label(request.plan, earliest),
                "last": selectors.slot_label(request.plan, latest),
            }
        )
    zone = request.capacity.zone.slug
    if not selectors.fits_with(request.plan, zone, start, request.duration_slots, others):
        raise ValidationFailed(
            start=_("the group is elsewhere then (with the travel between the zones)")
        )


class _NoRoom(CapacityExceeded):
    """No start in the request's window has room: trying again will not help."""


def _book_at(
    *,
    actor: Any,
    request: VisitRequest,
    start: int | None,
    status: str = BookingStatus.BOOKED,
    source: str = BookingSource.LIVE,
    entry: WaitlistEntry | None = None,
) -> Booking:
    """One transaction: lock the group and read its other visits (and, when `start` is None,
    what is left in the window, to take the free start nearest the preferred one), write the
    booking and its audit entry, then lock the cells (in id order), re-check and take them."""
    size = request.group.size
    try:
        with transaction.atomic(durable=True), scopes_disabled():
            if entry is not None:
                _lock_timeout()
                fresh = one_or_none(WaitlistEntry.objects.select_for_update().filter(pk=entry.pk))
                if fresh is None or fresh.status != WaitStatus.WAITING:
                    raise Conflict(_("The waitlist entry has moved on."))
            # sets the lock timeout too
            if start is None:
                others, left = _group_locked(request, cells=selectors.free_starts_cells(request))
                starts = selectors.free_starts(request, others=others, left=left)
                if not starts:
                    raise _NoRoom(_("No slot in the request's window has room left."))
                start = starts[0]
            else:
                others, _left = _group_locked(request)
            _check_start(request, start, others)
            booking = Booking.objects.create(
                organiser_id=request.organiser_id,
                plan=request.plan,
                request=request,
                group=request.group,
                capacity=request.capacity,
                start_slot=start,
                duration_slots=request.duration_slots,
                size=size,
                status=status,
                source=source,
                created_by=actor if getattr(actor, "pk", None) else None,
                offer_expires_at=(
                    timezone.now() + dt.timedelta(minutes=OFFER_MINUTES)
                    if status == BookingStatus.OFFERED
                    else None
                ),
            )
            if entry is not None:
                WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitStatus.OFFERED)
            action = "offered" if status == BookingStatus.OFFERED else "booked"
            audit_record(
                actor=actor,
                action=f"zaireen.crowd.booking.{action}",
                obj=booking,
                organiser=_organiser(request.organiser_id),
                changes={"start_slot": [None, start], "size": [None, size]},
            )
            # The cells last: their row locks are held only for this statement and the commit
            # (pretix: lock as late as possible). No room rolls everything above back.
            _take_span(Span(request.capacity_id, start, request.duration_slots), size)
    except IntegrityError as exc:
        if "crowd_cell_never_oversold" in str(exc):
            raise CapacityExceeded(_("Not enough places left in that slot.")) from exc
        raise Conflict(_("The request has a slot already.")) from exc
    except OperationalError as exc:
        if _busy(exc):
            raise Conflict(_("The slots are busy: try again.")) from exc
        raise
    return booking


def _book_nearest(**kwargs: Any) -> Booking:
    """`_book_at` the free start nearest the preferred one; when another booking took its
    places between the read and the take, read again and take the next nearest."""
    for _attempt in range(NEAREST_ATTEMPTS - 1):
        try:
            return _book_at(start=None, **kwargs)
        except _NoRoom:
            raise
        except CapacityExceeded:
            continue
    return _book_at(start=None, **kwargs)


def booking_create(*, actor: Any, request_uid: Any, start_slot: int | None = None) -> Booking:
    """Book a request from what is left, first come first served: at `start_slot`, or (when
    not given) at the free start nearest to the preferred one."""
    request = selectors.request_get_for(actor=actor, uid=request_uid)
    _bookable(request)
    if start_slot is None:
        # A request that has a slot already is refused by the unique constraint (Conflict).
        return _book_nearest(actor=actor, request=request)
    if not isinstance(start_slot, int) or isinstance(start_slot, bool):
        raise ValidationFailed(start=_("a slot number"))
    # A slot already full is refused without a transaction (a read, no lock: what was
    # full stays full for this request; room is decided under the lock below).
    left = selectors.remaining(
        request.plan, request.capacity, first=start_slot,
        last=start_slot + request.duration_slots - 1,
    )  # fmt: skip
    window = left[start_slot : start_slot + request.duration_slots] if start_slot >= 0 else []
    if len(window) == request.duration_slots and min(window) < request.group.size:
        raise CapacityExceeded(_("Not enough places left in that slot."))
    return _book_at(actor=actor, request=request, start=start_slot)


def _locked_booking(actor: Any, uid: Any) -> Booking:
    found = selectors.booking_get_for(actor=actor, uid=uid)
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("plan", "request__capacity__zone", "request__plan", "group__trip")
        .get(pk=found.pk)
    )


def booking_cancel(*, actor: Any, uid: Any) -> Booking:
    """Give a booked slot back; the places go to the waitlist, in order."""
    try:
        with transaction.atomic(durable=True), scopes_disabled():
            _lock_timeout()
            booking = _locked_booking(actor, uid)
            if booking.status not in HOLDING:
                raise ValidationFailed(booking=_("not booked"))
            cells = _lock_cells([_span(booking)])
            _give_back(cells, [_span(booking)], booking.size)
            old = booking.status
            booking.status = BookingStatus.CANCELLED
            booking.save(update_fields=["status", "updated_at"])
            WaitlistEntry.objects.filter(
                request_id=booking.request_id, status=WaitStatus.OFFERED
            ).update(status=WaitStatus.LEFT)
            audit_record(
                actor=actor,
                action="zaireen.crowd.booking.cancelled",
                obj=booking,
                organiser=_organiser(booking.organiser_id),
                changes={"status": [old, BookingStatus.CANCELLED]},
            )
            _offers_after_commit(booking.plan_id)
    except OperationalError as exc:
        if _busy(exc):
            raise Conflict(_("The slots are busy: try again.")) from exc
        raise
    return booking


def booking_swap(*, actor: Any, uid: Any, start_slot: int) -> Booking:
    """Swap a booked slot for another start of the same request, from what is left; the old
    places are given back in the same transaction and offered to the waitlist."""
    if not isinstance(start_slot, int) or isinstance(start_slot, bool):
        raise ValidationFailed(start=_("a slot number"))
    try:
        with transaction.atomic(durable=True), scopes_disabled():
            _lock_timeout()
            booking = _locked_booking(actor, uid)
            if booking.status != BookingStatus.BOOKED:
                raise ValidationFailed(booking=_("only a booked slot can be swapped"))
            if booking.start_slot == start_slot:
                raise ValidationFailed(start=_("that is the slot booked already"))
            request = booking.request
            _lock_group(booking.group_id)
            others = selectors.group_visits(request, exclude=booking.pk)
            _check_start(request, start_slot, others)
            old, new = _span(booking), Span(booking.capacity_id, start_slot, booking.duration_slots)
            cells = _lock_cells([old, new])
            # Cells in both spans keep their count; the others move.
            old_only = [s for s in old.slots() if s not in new.slots()]
            new_only = [s for s in new.slots() if s not in old.slots()]
            if old_only:
                _give_back(cells, [Span(booking.capacity_id, s, 1) for s in old_only], booking.size)
            if new_only:
                _take(cells, [Span(booking.capacity_id, s, 1) for s in new_only], booking.size)
            before = booking.start_slot
            booking.start_slot, booking.flagged, booking.flag_reason = start_slot, False, ""
            booking.save(update_fields=["start_slot", "flagged", "flag_reason", "updated_at"])
            audit_record(
                actor=actor,
                action="zaireen.crowd.booking.swapped",
                obj=booking,
                organiser=_organiser(booking.organiser_id),
                changes={"start_slot": [before, start_slot]},
            )
            _offers_after_commit(booking.plan_id)
    except IntegrityError as exc:
        raise CapacityExceeded(_("Not enough places left in that slot.")) from exc
    except OperationalError as exc:
        if _busy(exc):
            raise Conflict(_("The slots are busy: try again.")) from exc
        raise
    return booking


# --- The waitlist ----------------------------------------------------------------------------


def waitlist_join(*, actor: Any, request_uid: Any) -> WaitlistEntry:
    """Queue a request for freed places; offers go out strictly in the order of joining."""
    request = selectors.request_get_for(actor=actor, uid=request_uid)
    _bookable(request)
    with transaction.atomic(), scopes_disabled():
        if Booking.objects.filter(request=request, status__in=HOLDING).exists():
            raise ValidationFailed(request=_("the request has a slot already"))
        try:
            with transaction.atomic():
                entry = WaitlistEntry.objects.create(
                    organiser_id=request.organiser_id, plan_id=request.plan_id, request=request
                )
        except IntegrityError as exc:
            raise ValidationFailed(request=_("the request is on the waitlist already")) from exc
        audit_record(
            actor=actor,
            action="zaireen.crowd.waitlist.joined",
            obj=entry,
            organiser=_organiser(request.organiser_id),
        )
        _offers_after_commit(request.plan_id)
    return entry


def waitlist_offer_run(*, plan_id: int) -> int:
    """Offer freed places to the waitlist in order: each waiting request, first joined first,
    gets the start nearest its preferred one that has room, held for OFFER_MINUTES. Returns
    the number of offers made."""
    with scopes_disabled():
        entries = list(
            WaitlistEntry.objects.filter(plan_id=plan_id, status=WaitStatus.WAITING)
            .select_related("request__plan", "request__group__trip", "request__capacity__zone")
            .order_by("pk")
        )
        # A waiting request booked directly meanwhile (first come, first served) is served:
        # the booking path leaves the waitlist alone to stay short.
        served = set(
            Booking.objects.filter(
                request_id__in=[e.request_id for e in entries], status__in=HOLDING
            ).values_list("request_id", flat=True)
        )
        WaitlistEntry.objects.filter(
            pk__in=[e.pk for e in entries if e.request_id in served]
        ).update(status=WaitStatus.SERVED)
    made = 0
    for entry in entries:
        request = entry.request
        if request.status != RequestStatus.SUBMITTED or request.pk in served:
            continue
        try:
            _book_nearest(
                actor=None,
                request=request,
                status=BookingStatus.OFFERED,
                source=BookingSource.WAITLIST,
                entry=entry,
            )
        except (CapacityExceeded, ValidationFailed, Conflict):
            continue  # no room for it (yet), or the entry moved on / got a slot meanwhile
        made += 1
    return made


def offer_accept(*, actor: Any, uid: Any) -> Booking:
    with transaction.atomic(durable=True), scopes_disabled():
        _lock_timeout()
        booking = _locked_booking(actor, uid)
        if booking.status != BookingStatus.OFFERED:
            raise ValidationFailed(booking=_("no open offer"))
        if booking.offer_expires_at <= timezone.now():
            raise ValidationFailed(booking=_("the offer has expired"))
        booking.status = BookingStatus.BOOKED
        booking.save(update_fields=["status", "updated_at"])
        WaitlistEntry.objects.filter(
            request_id=booking.request_id, status=WaitStatus.OFFERED
        ).update(status=WaitStatus.SERVED)
        audit_record(
            actor=actor,
            action="zaireen.crowd.booking.accepted",
            obj=booking,
            organiser=_organiser(booking.organiser_id),
            changes={"status": [BookingStatus.OFFERED, BookingStatus.BOOKED]},
        )
    return booking


def _release(booking: Booking, *, actor: Any, action: str) -> None:
    """Inside a transaction, with the booking locked: give an offer's places back."""
    cells = _lock_cells([_span(booking)])
    _give_back(cells, [_span(booking)], booking.size)
    booking.status = BookingStatus.RELEASED
    booking.save(update_fields=["status", "updated_at"])
    WaitlistEntry.objects.filter(request_id=booking.request_id, status=WaitStatus.OFFERED).update(
        status=WaitStatus.LEFT
    )
    audit_record(
        actor=actor,
        action=action,
        obj=booking,
        organiser=_organiser(booking.organiser_id),
        changes={"status": [BookingStatus.OFFERED, BookingStatus.RELEASED]},
    )
    _offers_after_commit(booking.plan_id)


def offer_decline(*, actor: Any, uid: Any) -> Booking:
    with transaction.atomic(durable=True), scopes_disabled():
        _lock_timeout()
        booking = _locked_booking(actor, uid)
        if booking.status != BookingStatus.OFFERED:
            raise ValidationFailed(booking=_("no open offer"))
        _release(booking, actor=actor, action="zaireen.crowd.booking.declined")
    return booking


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Release every offer not answered in time (the periodic job); the places go on down
    the waitlist. Returns the number released."""
    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            Booking.objects.filter(
                status=BookingStatus.OFFERED, offer_expires_at__lte=now
            ).values_list("pk", flat=True)
        )
    released = 0
    for pk in due:
        with transaction.atomic(durable=True), scopes_disabled():
            _lock_timeout()
            booking = one_or_none(
                Booking.objects.select_for_update(of=("self",))
                .select_related("group__trip__organiser")
                .filter(pk=pk, status=BookingStatus.OFFERED, offer_expires_at__lte=now)
            )
            if booking is None:
                continue
            _release(booking, actor=None, action="zaireen.crowd.booking.expired")
            released += 1
    return released


# --- Hijri offset changes ----------------------------------------------------------------


def slots_recheck(*, first_day: dt.date, last_day: dt.date) -> int:
    """After a Hijri month offset changed the days `first_day`..`last_day`: flag the held
    slots of published plans that fall on those days, or every held slot of a plan whose
    occasion itself moved (its slots were planned for the old date). Returns the number
    flagged."""
    offsets = offsets_table()
    flagged = 0
    for plan in SlotPlan.objects.filter(status=PlanStatus.PUBLISHED):
        occasion = _occasion(plan.occasion_key)
        if occasion is None:
            continue
        when = hijri.occurrence(occasion, plan.hijri_year, offsets)
        moved = when.start != plan.occasion_start
        first_local = plan.starts_at.astimezone(IRAQ).date()
        last_local = (selectors.horizon_end(plan) - dt.timedelta(seconds=1)).astimezone(IRAQ)
        if not moved and (last_local.date() < first_day or first_local > last_day):
            continue
        with transaction.atomic(), scopes_disabled():
            plan = _plan_locked(plan.uid)
            if moved:
                reason = _(
                    "The Hijri calendar changed: %(occasion)s now begins on %(new)s (it was "
                    "%(old)s). This slot was planned for the old date."
                ) % {
                    "occasion": occasion.name,
                    "new": when.start.isoformat(),
                    "old": plan.occasion_start.isoformat(),
                }
            bookings = list(
                Booking.objects.select_for_update().filter(plan=plan, status__in=HOLDING)
            )
            changed = []
            for b in bookings:
                day = selectors.slot_start(plan, b.start_slot).astimezone(IRAQ).date()
                if moved or first_day <= day <= last_day:
                    b.flagged = True
                    b.flag_reason = (
                        reason
                        if moved
                        else _(
                            "The Hijri date of %(day)s changed: check that this slot is still on "
                            "the day the group's plan needs."
                        )
                        % {"day": day.isoformat()}
                    )
                    changed.append(b)
            Booking.objects.bulk_update(changed, ["flagged", "flag_reason"], batch_size=500)
            note = _(
                "%(n)d slots flagged after the Hijri offset change of %(first)s – %(last)s."
            ) % {"n": len(changed), "first": first_day.isoformat(), "last": last_day.isoformat()}
            if moved:
                note = f"{reason.split('.')[0]}. {note}"
                plan.occasion_start, plan.occasion_end = when.start, when.end
            plan.calendar_note = note
            plan.save(update_fields=["calendar_note", "occasion_start", "occasion_end"])
            audit_record(
                actor=None,
                action="zaireen.crowd.slots.flagged",
                obj=plan,
                changes={"flagged": [None, len(changed)]},
                reason=note,
            )
            flagged += len(changed)
    return flagged


def flags_clear(*, actor: Any, plan_uid: Any, reason: str) -> int:
    """The planner has re-checked the flagged slots and keeps them."""
    selectors.assert_planner(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(reason=_("say why the slots stand"))
    with transaction.atomic(), scopes_disabled():
        plan = _plan_locked(plan_uid)
        cleared = Booking.objects.filter(plan=plan, flagged=True).update(
            flagged=False, flag_reason=""
        )
        plan.calendar_note = ""
        plan.save(update_fields=["calendar_note"])
        audit_record(
            actor=actor,
            action="zaireen.crowd.flags.cleared",
            obj=plan,
            changes={"flagged": [cleared, 0]},
            reason=reason[:2000],
        )
    return cleared
