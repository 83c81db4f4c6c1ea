"""Reads of the crowd app, each scoped to the acting user.

Plans, capacities, runs and loads belong to the crowd planner (the ministry may read them);
they name organisers and group sizes, never a person. Groups, requests, bookings and the
waitlist belong to one organiser: its staff see them, a trip's leaders see their trip's, and
another organiser's rows answer "not found", exactly as rows that do not exist.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from zaireen.core.errors import NotAllowed, NotFound
from zaireen.core.permissions import is_organiser_user
from zaireen.core.queries import one_or_none
from zaireen.core.roles import Role
from zaireen.crowd import heatmap
from zaireen.crowd.models import (
    HOLDING,
    Booking,
    BookingStatus,
    PlanStatus,
    RequestStatus,
    SlotCell,
    SlotGroup,
    SlotPlan,
    SolveRun,
    VisitRequest,
    WaitlistEntry,
    WaitStatus,
    ZoneCapacity,
)
from zaireen.trips.models import LEADING_ROLES, Member, Trip, TripStatus, Vehicle
from zaireen.trips.selectors import leads, trip_get_for

IRAQ = zoneinfo.ZoneInfo("Asia/Baghdad")
PLANNERS = (Role.CROWD_PLANNER,)
PLAN_READERS = (Role.CROWD_PLANNER, Role.MINISTRY_OFFICER)
ORGANISER_STAFF = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)


def _active(actor: Any) -> bool:
    return bool(actor.is_authenticated and actor.is_active)


def assert_planner(actor: Any) -> None:
    if not (_active(actor) and actor.role in PLANNERS):
        raise NotAllowed(_("Only the crowd planner does this."))


def assert_plan_reader(actor: Any) -> None:
    if not (_active(actor) and actor.role in PLAN_READERS):
        raise NotAllowed(_("Only the crowd planner and the ministry read slot plans."))


def assert_organiser_staff(actor: Any) -> None:
    if not (is_organiser_user(actor) and actor.role in ORGANISER_STAFF):
        raise NotAllowed(_("Only an organiser's staff do this."))


# --- Time and slots ----------------------------------------------------------------------


def slot_start(plan: SlotPlan, slot: int) -> dt.datetime:
    return plan.starts_at + dt.timedelta(minutes=plan.slot_minutes * slot)


def slot_position(plan: SlotPlan, when: dt.datetime) -> float:
    """Where `when` falls on the plan's horizon, in slots (fractional)."""
    return (when - plan.starts_at).total_seconds() / 60 / plan.slot_minutes


def slot_label(plan: SlotPlan, slot: int, *, day: bool = True) -> str:
    """The slot's start in Iraq time, e.g. "14 Aug 10:15" (month names in the language)."""
    local = slot_start(plan, slot).astimezone(IRAQ)
    return dateformat.format(local, "j M H:i" if day else "H:i")


def horizon_end(plan: SlotPlan) -> dt.datetime:
    return slot_start(plan, plan.slots)


# --- Plans (the planner's) ---------------------------------------------------------------


def plan_list_for(*, actor: Any) -> QuerySet[SlotPlan]:
    """Every plan for the planner and the ministry; the open and published ones (what they
    may request and book in) for an organiser's staff."""
    if _active(actor) and actor.role in PLAN_READERS:
        return SlotPlan.objects.all()
    assert_organiser_staff(actor)
    return SlotPlan.objects.filter(status__in=(PlanStatus.OPEN, PlanStatus.PUBLISHED))


def plan_get_for(*, actor: Any, uid: Any) -> SlotPlan:
    plan = one_or_none(plan_list_for(actor=actor).filter(uid=uid))
    if plan is None:
        raise NotFound(_("No such slot plan."))
    return plan


def capacities_of(plan: SlotPlan, *, active_only: bool = False) -> list[ZoneCapacity]:
    rows = plan.capacities.select_related("zone", "zone__site", "zone__site__city")
    if active_only:
        rows = rows.filter(usable_area_m2__isnull=False)
    return list(rows)


def capacity_get(*, actor: Any, plan: SlotPlan, zone_slug: str) -> ZoneCapacity:
    assert_plan_reader(actor)
    capacity = one_or_none(
        plan.capacities.select_related("zone", "zone__site", "zone__site__city").filter(
            zone__slug=zone_slug
        )
    )
    if capacity is None:
        raise NotFound(_("No such zone in this plan."))
    return capacity


@dataclass(frozen=True)
class CapacityRow:
    capacity: ZoneCapacity
    limit: int
    quota_min: int
    quota_max: int
    duration_slots: int
    booked_peak: int
    requests: int


def capacity_rows(plan: SlotPlan) -> list[CapacityRow]:
    """Each zone with its occupancy limit, the quota range over the slots, the visit length
    in slots, the highest booked load and the number of requests (three queries)."""
    capacities = capacities_of(plan)
    cells = (
        SlotCell.objects.filter(plan=plan)
        .values("capacity_id")
        .annotate(qmin=Min("quota"), qmax=Max("quota"), peak=Max("booked"))
    )
    by_capacity = {row["capacity_id"]: row for row in cells}
    with scopes_disabled():
        counts = dict(
            VisitRequest.objects.filter(plan=plan, status=RequestStatus.SUBMITTED)
            .values("capacity_id")
            .annotate(n=Count("id"))
            .values_list("capacity_id", "n")
        )
    rows = []
    for capacity in capacities:
        cell = by_capacity.get(capacity.pk, {})
        rows.append(
            CapacityRow(
                capacity=capacity,
                limit=capacity.occupancy_limit,
                quota_min=cell.get("qmin") or 0,
                quota_max=cell.get("qmax") or 0,
                duration_slots=capacity.duration_slots(plan.slot_minutes),
                booked_peak=cell.get("peak") or 0,
                requests=counts.get(capacity.pk, 0),
            )
        )
    return rows


def request_counts(plan: SlotPlan) -> dict[str, Any]:
    """How many groups, people and requests each organiser has in the plan (no names)."""
    with scopes_disabled():
        rows = list(
            VisitRequest.objects.filter(plan=plan, status=RequestStatus.SUBMITTED)
            .values("organiser__legal_name", "late")
            .annotate(requests=Count("id"), groups=Count("group", distinct=True))
            .order_by("organiser__legal_name", "late")
        )
    return {
        "rows": rows,
        "requests": sum(r["requests"] for r in rows),
        "on_time": sum(r["requests"] for r in rows if not r["late"]),
    }


def run_list(plan: SlotPlan) -> QuerySet[SolveRun]:
    return plan.runs.select_related("job", "created_by").defer(
        "instance", "optimal", "fcfs", "summary"
    )


def run_get_for(*, actor: Any, uid: Any) -> SolveRun:
    assert_plan_reader(actor)
    run = one_or_none(SolveRun.objects.select_related("plan", "job").filter(uid=uid))
    if run is None:
        raise NotFound(_("No such solver run."))
    return run


def flagged_count(plan: SlotPlan) -> int:
    with scopes_disabled():
        return Booking.objects.filter(plan=plan, status__in=HOLDING, flagged=True).count()


# --- Heat maps ---------------------------------------------------------------------------


def percent(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return "∞" if math.isinf(ratio) else f"{ratio * 100:.0f}%"


@dataclass(frozen=True)
class HeatMap:
    key: str
    title: str
    svg: str
    summary: heatmap.HeatSummary
    zone_peaks: list[tuple[str, str, str, int]]  # (id, name, peak as a percentage, hot cells)

    @property
    def peak(self) -> str:
        return percent(self.summary.peak)


def _tick_every(plan: SlotPlan) -> int:
    return max(1, (180 // plan.slot_minutes))  # every three hours


def _tick(plan: SlotPlan, slot: int) -> str:
    """The axis shows the day at midnight, the time of day elsewhere."""
    local = slot_start(plan, slot).astimezone(IRAQ)
    return dateformat.format(local, "j M" if (local.hour, local.minute) == (0, 0) else "H:i")


def _zone_names(plan: SlotPlan, zone_ids: list[str]) -> list[tuple[str, str]]:
    names = {c.zone.slug: f"{c.zone.site.name}: {c.zone.name}" for c in capacities_of(plan)}
    return [(z, names.get(z, z)) for z in zone_ids]


def heat_map(
    plan: SlotPlan,
    *,
    key: str,
    title: str,
    loads: dict[str, list[int]],
    quotas: dict[str, list[int]],
    zones: list[tuple[str, str]] | None = None,
) -> HeatMap:
    zones = zones if zones is not None else _zone_names(plan, list(quotas))
    peaks = []
    for zone, name in zones:
        one = heatmap.summarise({zone: loads.get(zone, [])}, {zone: quotas[zone]})
        peaks.append((zone, name, percent(one.peak), one.hot_cells))
    return HeatMap(
        key=key,
        title=title,
        svg=heatmap.svg(
            zones=zones,
            loads=loads,
            quotas=quotas,
            slot_label=lambda s: slot_label(plan, s),
            tick_label=lambda s: _tick(plan, s),
            tick_every=_tick_every(plan),
            title=title,
        ),
        summary=heatmap.summarise(loads, quotas),
        zone_peaks=peaks,
    )


def run_heat_maps(run: SolveRun) -> list[HeatMap]:
    """Before (every group at its preferred start), after (the optimiser's schedule) and, for
    comparison, first come first served, each as occupancy ÷ quota per zone and slot."""
    if not run.instance or not run.optimal:
        return []
    plan = run.plan
    quotas = heatmap.quotas_of(run.instance)
    zones = _zone_names(plan, list(quotas))
    maps = [
        heat_map(
            plan,
            key="before",
            title=_("Before: every group at its preferred time"),
            loads=heatmap.preferred_loads(run.instance),
            quotas=quotas,
            zones=zones,
        ),
        heat_map(
            plan,
            key="after",
            title=_("After: the optimised schedule"),
            loads=heatmap.scheduled_loads(run.instance, run.optimal),
            quotas=quotas,
            zones=zones,
        ),
    ]
    if run.fcfs:
        maps.append(
            heat_map(
                plan,
                key="fcfs",
                title=_("First come, first served, for comparison"),
                loads=heatmap.scheduled_loads(run.instance, run.fcfs),
                quotas=quotas,
                zones=zones,
            )
        )
    return maps


def live_heat_map(plan: SlotPlan) -> HeatMap | None:
    """The bookings as they stand (booked and offered places ÷ quota), from the cells."""
    capacities = {c.pk: c.zone.slug for c in capacities_of(plan, active_only=True)}
    if not capacities:
        return None
    quotas = {slug: [0] * plan.slots for slug in capacities.values()}
    loads = {slug: [0] * plan.slots for slug in capacities.values()}
    for capacity_id, slot, quota, booked in SlotCell.objects.filter(plan=plan).values_list(
        "capacity_id", "slot", "quota", "booked"
    ):
        slug = capacities.get(capacity_id)
        if slug is not None and slot < plan.slots:
            quotas[slug][slot], loads[slug][slot] = quota, booked
    return heat_map(plan, key="live", title=_("Now: booked places"), loads=loads, quotas=quotas)


# --- Availability ------------------------------------------------------------------------


def remaining(
    plan: SlotPlan, capacity: ZoneCapacity, *, first: int = 0, last: int | None = None
) -> list[int]:
    """Places left in each slot of one zone (display; the booking path re-checks). Slots
    outside `first`..`last` (when given) read as 0."""
    left = [0] * plan.slots
    cells = SlotCell.objects.filter(capacity=capacity)
    if first or last is not None:
        cells = cells.filter(slot__gte=first, slot__lte=plan.slots if last is None else last)
    for slot, quota, booked in cells.values_list("slot", "quota", "booked"):
        if slot < plan.slots:
            left[slot] = quota - booked
    return left


def window_slots(plan: SlotPlan, request: VisitRequest) -> tuple[int, int, int]:
    """(earliest, preferred, latest) start slots of a request, inside the horizon."""
    last = plan.slots - request.duration_slots
    earliest = max(0, math.ceil(slot_position(plan, request.earliest_at) - 1e-9))
    latest = min(last, math.floor(slot_position(plan, request.latest_at) + 1e-9))
    preferred = min(max(round(slot_position(plan, request.preferred_at)), earliest), latest)
    return earliest, preferred, latest


def travel(plan: SlotPlan, a: str, b: str) -> int:
    table = plan.travel_slots or {}
    return int(table.get(a, {}).get(b, table.get(b, {}).get(a, 0)))


def fits_with(
    plan: SlotPlan, zone: str, start: int, duration: int, others: list[tuple[str, int, int]]
) -> bool:
    """Whether a visit (zone, start, duration) fits beside the group's other visits
    (zone, start, duration): never two at once, and the travel between them."""
    for other_zone, other_start, other_duration in others:
        gap = travel(plan, zone, other_zone)
        if not (
            start >= other_start + other_duration + gap or start + duration + gap <= other_start
        ):
            return False
    return True


def group_visits(request: VisitRequest, *, exclude: Any = None) -> list[tuple[str, int, int]]:
    """The group's other held visits in the plan: (zone slug, start, duration)."""
    with scopes_disabled():
        rows = Booking.objects.filter(
            plan_id=request.plan_id, group_id=request.group_id, status__in=HOLDING
        ).exclude(request_id=request.pk)
        if exclude is not None:
            rows = rows.exclude(pk=exclude)
        return list(rows.values_list("capacity__zone__slug", "start_slot", "duration_slots"))


def candidate_starts(
    request: VisitRequest, *, others: list[tuple[str, int, int]] | None = None
) -> list[int]:
    """Starts in the request's window that fit the group's other visits, nearest to the
    preferred start first (earlier first on a tie)."""
    plan = request.plan
    earliest, preferred, latest = window_slots(plan, request)
    zone = request.capacity.zone.slug
    others = group_visits(request) if others is None else others
    starts = [
        s
        for s in range(earliest, latest + 1)
        if fits_with(plan, zone, s, request.duration_slots, others)
    ]
    return sorted(starts, key=lambda s: (abs(s - preferred), s))


@dataclass(frozen=True)
class StartOption:
    slot: int
    label: str
    left: int
    fits: bool


def free_starts(
    request: VisitRequest, *, others: list[tuple[str, int, int]], left: list[int]
) -> list[int]:
    """The starts in the request's window with room for the group in `left` (places left per
    slot, as `remaining` reads them) beside its `others` visits, nearest first."""
    size, duration = request.group.size, request.duration_slots
    return [
        s for s in candidate_starts(request, others=others) if min(left[s : s + duration]) >= size
    ]


def free_starts_cells(request: VisitRequest) -> tuple[int, int]:
    """The slots whose places `free_starts` looks at: every slot a start in the window may
    cover."""
    earliest, _preferred, latest = window_slots(request.plan, request)
    return earliest, latest + request.duration_slots - 1


def start_options(
    request: VisitRequest, *, others=None, left: list[int] | None = None
) -> list[StartOption]:
    """The starts a page offers for a request, with the places left (the fewest over the
    visit's slots), nearest to the preferred start first."""
    plan = request.plan
    left = remaining(plan, request.capacity) if left is None else left
    size = request.group.size
    options = []
    for start in candidate_starts(request, others=others):
        free = min(left[start : start + request.duration_slots])
        options.append(StartOption(start, slot_label(plan, start), free, free >= size))
    return options


def start_options_for(
    plan: SlotPlan, lines: list[RequestLine], *, limit: int = 24
) -> dict[int, list[StartOption]]:
    """`start_options` for every line that may book or swap, in a fixed number of queries
    (one per zone, one for the groups' visits), whatever the number of lines."""
    wanted = [
        line.request
        for line in lines
        if line.booking is None or line.booking.status == BookingStatus.BOOKED
    ]
    if not wanted:
        return {}
    left = {
        capacity_id: remaining(plan, wanted_capacity)
        for capacity_id, wanted_capacity in {r.capacity_id: r.capacity for r in wanted}.items()
    }
    visits: dict[int, list[tuple[int, str, int, int]]] = defaultdict(list)
    with scopes_disabled():
        for group_id, request_id, slug, start, duration in Booking.objects.filter(
            plan=plan, group_id__in={r.group_id for r in wanted}, status__in=HOLDING
        ).values_list(
            "group_id", "request_id", "capacity__zone__slug", "start_slot", "duration_slots"
        ):
            visits[group_id].append((request_id, slug, start, duration))
    return {
        r.pk: start_options(
            r,
            others=[(z, s, d) for rid, z, s, d in visits[r.group_id] if rid != r.pk],
            left=left[r.capacity_id],
        )[:limit]
        for r in wanted
    }


# --- An organiser's groups, requests and bookings ----------------------------------------


def trip_for_groups(*, actor: Any, uid: Any) -> Trip:
    """A trip whose groups and requests the actor manages: its organiser's staff only."""
    trip = trip_get_for(actor=actor, uid=uid)
    if not (
        is_organiser_user(actor)
        and actor.role in ORGANISER_STAFF
        and actor.organiser_id == trip.organiser_id
    ):
        raise NotAllowed(_("Only the organiser's staff manage a trip's groups."))
    return trip


def trip_for_slots(*, actor: Any, uid: Any) -> Trip:
    """A trip whose slots the actor may see: its organiser's staff and its own leaders."""
    trip = trip_get_for(actor=actor, uid=uid)
    staff = (
        is_organiser_user(actor)
        and actor.role in ORGANISER_STAFF
        and actor.organiser_id == trip.organiser_id
    )
    if not (staff or leads(actor=actor, trip=trip)):
        raise NotAllowed(_("Only the trip's leaders and its organiser's staff see its slots."))
    return trip


def groups_of_trip(trip: Trip) -> list[SlotGroup]:
    with scopes_disabled():
        return list(
            SlotGroup.objects.filter(trip=trip)
            .select_related("vehicle", "leader__profile")
            .order_by("label")
        )


def group_get_for(*, actor: Any, uid: Any, lock: bool = False) -> SlotGroup:
    assert_organiser_staff(actor)
    with scopes_disabled():
        rows = SlotGroup.objects.select_related("trip")
        if lock:
            rows = rows.select_for_update(of=("self",))
        group = one_or_none(rows.filter(uid=uid, organiser_id=actor.organiser_id))
    if group is None:
        raise NotFound(_("No such group."))
    return group


def request_get_for(*, actor: Any, uid: Any) -> VisitRequest:
    assert_organiser_staff(actor)
    with scopes_disabled():
        request = one_or_none(
            VisitRequest.objects.select_related("plan", "group", "capacity__zone").filter(
                uid=uid, organiser_id=actor.organiser_id
            )
        )
    if request is None:
        raise NotFound(_("No such request."))
    return request


def booking_get_for(*, actor: Any, uid: Any) -> Booking:
    assert_organiser_staff(actor)
    with scopes_disabled():
        booking = one_or_none(
            Booking.objects.select_related(
                "plan", "group", "request", "request__capacity__zone", "capacity__zone"
            ).filter(uid=uid, organiser_id=actor.organiser_id)
        )
    if booking is None:
        raise NotFound(_("No such booking."))
    return booking


# Trips past these states take no new groups or requests.
GROUPS_CLOSED = (TripStatus.RETURNED, TripStatus.CLOSED, TripStatus.CANCELLED)


def trips_open_for_groups(*, actor: Any) -> list[Trip]:
    """The actor's organiser's trips that may still get groups, by departure."""
    assert_organiser_staff(actor)
    with scopes_disabled():
        return list(
            Trip.objects.filter(organiser_id=actor.organiser_id)
            .exclude(status__in=GROUPS_CLOSED)
            .order_by("departure_date")
        )


def group_sources(trip: Trip) -> tuple[list[Vehicle], list[Member]]:
    """What a trip's groups are made of: its vehicles and its leaders. The caller has
    authorised the actor for the trip (`trip_for_groups`)."""
    with scopes_disabled():
        vehicles = list(trip.vehicles.select_related("leg", "leg__from_city", "leg__to_city"))
        leaders = list(trip.members.filter(role__in=LEADING_ROLES).select_related("profile"))
    return vehicles, leaders


def organiser_groups(*, actor: Any) -> list[SlotGroup]:
    assert_organiser_staff(actor)
    with scopes_disabled():
        return list(
            SlotGroup.objects.filter(organiser_id=actor.organiser_id)
            .select_related("trip")
            .order_by("trip__departure_date", "trip__code", "label")
        )


@dataclass
class RequestLine:
    request: VisitRequest
    booking: Booking | None
    waiting: WaitlistEntry | None
    window: tuple[str, str, str]


def requests_for(*, actor: Any, plan: SlotPlan) -> list[RequestLine]:
    """The actor's organiser's requests in the plan, each with its held booking and its
    place on the waitlist (three queries)."""
    assert_organiser_staff(actor)
    with scopes_disabled():
        requests = list(
            VisitRequest.objects.filter(plan=plan, organiser_id=actor.organiser_id)
            .exclude(status=RequestStatus.WITHDRAWN)
            .select_related("group", "group__trip", "capacity__zone", "capacity__zone__site")
            .order_by("group__trip__code", "group__label", "preferred_at", "pk")
        )
        bookings = {
            b.request_id: b
            for b in Booking.objects.filter(
                plan=plan, organiser_id=actor.organiser_id, status__in=HOLDING
            )
        }
    for r in requests:
        r.plan = plan  # every line's plan is this one: no query per line
    for b in bookings.values():
        b.start_label = slot_label(plan, b.start_slot)
    with scopes_disabled():
        waits = {
            w.request_id: w
            for w in WaitlistEntry.objects.filter(
                plan=plan,
                organiser_id=actor.organiser_id,
                status__in=(WaitStatus.WAITING, WaitStatus.OFFERED),
            )
        }
    return [
        RequestLine(
            request=r,
            booking=bookings.get(r.pk),
            waiting=waits.get(r.pk),
            window=(
                _local(r.earliest_at),
                _local(r.preferred_at),
                _local(r.latest_at),
            ),
        )
        for r in requests
    ]


def _local(when: dt.datetime) -> str:
    return dateformat.format(when.astimezone(IRAQ), "j M H:i")


def waitlist_position(entry: WaitlistEntry) -> int:
    with scopes_disabled():
        return (
            WaitlistEntry.objects.filter(
                plan_id=entry.plan_id, status=WaitStatus.WAITING, pk__lt=entry.pk
            ).count()
            + 1
        )


@dataclass(frozen=True)
class TripSlot:
    group: SlotGroup
    zone: str
    site: str
    starts: dt.datetime
    ends: dt.datetime
    status: str
    status_label: str
    flagged: bool
    flag_reason: str
    plan: str
    offer_expires_at: dt.datetime | None


def trip_slots_for(*, actor: Any, trip: Trip) -> list[TripSlot]:
    """The slots of a trip's groups (held bookings), in time order: for the trip page and
    the leader's phone. The caller has authorised the actor for the trip."""
    with scopes_disabled():
        bookings = list(
            Booking.objects.filter(group__trip=trip, status__in=HOLDING)
            .select_related("group", "plan", "capacity__zone", "capacity__zone__site")
            .order_by("plan__starts_at", "start_slot", "group__label")
        )
    slots = []
    for b in bookings:
        starts = slot_start(b.plan, b.start_slot)
        slots.append(
            TripSlot(
                group=b.group,
                zone=b.capacity.zone.name,
                site=b.capacity.zone.site.name,
                starts=starts,
                ends=starts + dt.timedelta(minutes=b.plan.slot_minutes * b.duration_slots),
                status=b.status,
                status_label=b.get_status_display(),
                flagged=b.flagged,
                flag_reason=b.flag_reason,
                plan=b.plan.title,
                offer_expires_at=b.offer_expires_at,
            )
        )
    return slots


def may_see_trip_slots(actor: Any, trip: Trip) -> bool:
    try:
        trip_for_slots(actor=actor, uid=trip.uid)
    except (NotAllowed, NotFound):
        return False
    return True


def booked_people(plan: SlotPlan) -> int:
    with scopes_disabled():
        return (
            Booking.objects.filter(plan=plan, status=BookingStatus.BOOKED).aggregate(n=Sum("size"))[
                "n"
            ]
            or 0
        )


def oversold_cells(plan: SlotPlan | None = None) -> int:
    """Cells whose holding bookings add up to more than the quota, recomputed from the
    bookings themselves (not from the counters): what the race test and the benchmark count."""
    with scopes_disabled():
        bookings = Booking.objects.filter(status__in=HOLDING)
        cells = SlotCell.objects.all()
        if plan is not None:
            bookings, cells = bookings.filter(plan=plan), cells.filter(plan=plan)
        load: dict[tuple[int, int], int] = defaultdict(int)
        for capacity_id, start, duration, size in bookings.values_list(
            "capacity_id", "start_slot", "duration_slots", "size"
        ):
            for slot in range(start, start + duration):
                load[(capacity_id, slot)] += size
        quota = {(c, s): q for c, s, q in cells.values_list("capacity_id", "slot", "quota")}
    return sum(1 for key, people in load.items() if people > quota.get(key, 0))


def counters_match(plan: SlotPlan) -> bool:
    """Whether every cell's `booked` counter equals the sum of its holding bookings."""
    with scopes_disabled():
        load: dict[tuple[int, int], int] = defaultdict(int)
        for capacity_id, start, duration, size in Booking.objects.filter(
            plan=plan, status__in=HOLDING
        ).values_list("capacity_id", "start_slot", "duration_slots", "size"):
            for slot in range(start, start + duration):
                load[(capacity_id, slot)] += size
        for capacity_id, slot, booked in SlotCell.objects.filter(plan=plan).values_list(
            "capacity_id", "slot", "booked"
        ):
            if load.get((capacity_id, slot), 0) != booked:
                return False
    return True


def now() -> dt.datetime:
    return timezone.now()


def plans_for_organiser(*, actor: Any) -> list[SlotPlan]:
    assert_organiser_staff(actor)
    return list(
        SlotPlan.objects.filter(status__in=(PlanStatus.OPEN, PlanStatus.PUBLISHED)).order_by(
            "starts_at"
        )
    )


def organiser_offers(*, actor: Any) -> list[Booking]:
    assert_organiser_staff(actor)
    with scopes_disabled():
        return list(
            Booking.objects.filter(
                organiser_id=actor.organiser_id,
                status=BookingStatus.OFFERED,
                offer_expires_at__gt=timezone.now(),
            ).select_related("plan", "group", "capacity__zone")
        )


def plan_has_on_time_requests(plan: SlotPlan) -> bool:
    with scopes_disabled():
        return VisitRequest.objects.filter(
            plan=plan, status=RequestStatus.SUBMITTED, late=False
        ).exists()
