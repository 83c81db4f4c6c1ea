"""Plans, capacities and quotas: the limit per slot, the density cap, quota ranges."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.crowd.conftest import at, make_group
from tests.test_trips import errors_of
from zaireen.core.errors import NotAllowed
from zaireen.crowd import selectors, services
from zaireen.crowd.models import SlotCell, ZoneCapacity, occupancy_limit, quota_of
from zaireen.planning import hijri


def test_an_arbaeen_plan_spans_the_day_before_to_the_day_after(plan):
    occasion = next(o for o in hijri.load_occasions() if o.key == "arbaeen")
    when = hijri.occurrence(occasion, 1449)
    assert plan.occasion_start == when.start
    local = plan.starts_at.astimezone(selectors.IRAQ)
    assert local.date() == when.start - dt.timedelta(days=1)
    assert (local.hour, local.minute) == (0, 0)
    assert plan.slots == 3 * 96
    assert plan.capacities.count() > 3  # every zone, most of them not in use
    assert (
        plan.travel_slots["imam-ali-haram"]["imam-husayn-sanctuary"] == 4
    )  # Najaf–Karbala: 60 minutes by road


def test_the_limit_is_area_times_density_less_the_margin_and_the_quota_a_share(plan):
    capacity = plan.capacities.get(zone__slug="imam-husayn-sanctuary")
    assert capacity.occupancy_limit == 3000  # 3000 m² × 2/m² × 50 %
    assert capacity.base_quota == 60  # 2 %
    assert capacity.duration_slots(plan.slot_minutes) == 2  # 30 minutes
    quotas = set(SlotCell.objects.filter(capacity=capacity).values_list("quota", flat=True))
    assert quotas == {60}
    assert SlotCell.objects.filter(capacity=capacity).count() == plan.slots
    rows = {r.capacity.zone.slug: r for r in selectors.capacity_rows(plan)}
    assert rows["al-abbas-haram"].duration_slots == 3  # 45 minutes → three 15-minute slots
    assert rows["al-abbas-haram"].limit == 4000  # per slot: never divided by the dwell time


def test_density_is_never_above_four(plan, planner):
    def set_density(value):
        return services.capacity_set(
            actor=planner,
            plan_uid=plan.uid,
            zone_slug="imam-ali-haram",
            usable_area_m2=10000,
            density=value,
            margin_pct=40,
            dwell_minutes=30,
            quota_pct=1,
        )

    assert "4 persons/m²" in errors_of(lambda: set_density("4.01"))["density"][0]
    assert "density" in errors_of(lambda: set_density("0"))
    assert "density" in errors_of(lambda: set_density("two"))
    assert set_density("4").occupancy_limit == 24000


def test_the_database_refuses_a_density_above_four(plan):
    from django.db import IntegrityError, transaction

    capacity = plan.capacities.get(zone__slug="imam-ali-haram")
    capacity.density = Decimal("4.5")
    with pytest.raises(IntegrityError), transaction.atomic():
        capacity.save()


@given(
    area=st.integers(1, 100_000),
    density=st.decimals(Decimal("0.01"), Decimal("4"), places=2),
    margin=st.integers(0, 90),
    share=st.decimals(Decimal("0"), Decimal("100"), places=2),
)
@settings(max_examples=200, deadline=None)
def test_the_limit_and_quota_never_exceed_what_the_area_allows(area, density, margin, share):
    limit = occupancy_limit(area, density, margin)
    assert 0 <= limit <= area * 4
    assert limit <= float(area) * float(density) * (100 - margin) / 100 + 1e-6
    assert quota_of(limit, share) <= limit


def test_a_quota_range_changes_those_slots_only(plan, planner):
    services.quota_range_add(
        actor=planner,
        plan_uid=plan.uid,
        zone_slug="imam-husayn-sanctuary",
        first_at=at(plan, 40),
        last_at=at(plan, 48),
        share_pct="1",
    )
    capacity = plan.capacities.get(zone__slug="imam-husayn-sanctuary")
    quotas = dict(SlotCell.objects.filter(capacity=capacity).values_list("slot", "quota"))
    assert [quotas[s] for s in (39, 40, 47, 48)] == [60, 30, 30, 60]
    services.quota_range_remove(
        actor=planner,
        plan_uid=plan.uid,
        zone_slug="imam-husayn-sanctuary",
        range_id=capacity.ranges.get().pk,
    )
    assert set(SlotCell.objects.filter(capacity=capacity).values_list("quota", flat=True)) == {60}


def test_only_the_planner_sets_capacities(plan, org):
    with pytest.raises(NotAllowed):
        services.capacity_set(
            actor=org.staff,
            plan_uid=plan.uid,
            zone_slug="imam-ali-haram",
            usable_area_m2=1,
            density=2,
            margin_pct=0,
            dwell_minutes=30,
            quota_pct=1,
        )


def test_a_zone_asked_for_keeps_its_area(plan, planner, org):
    group = make_group(org.trip, 5, "A")
    services.request_create(
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=group.uid,
        zone_slug="imam-ali-haram",
        preferred_at=at(plan, 40),
    )
    errors = errors_of(
        lambda: services.capacity_set(
            actor=planner,
            plan_uid=plan.uid,
            zone_slug="imam-ali-haram",
            usable_area_m2="",
            density=2,
            margin_pct=0,
            dwell_minutes=30,
            quota_pct=1,
        )
    )
    assert "usable_area_m2" in errors


def test_the_deadline_must_come_before_the_slots(planner, places):
    errors = errors_of(
        lambda: services.plan_create(
            actor=planner,
            occasion_key="arbaeen",
            hijri_year=1449,
            request_deadline=timezone.now() + dt.timedelta(days=3000),
        )
    )
    assert "request_deadline" in errors
    assert "occasion" in errors_of(
        lambda: services.plan_create(
            actor=planner, occasion_key="nowruz", hijri_year=1449, request_deadline=timezone.now()
        )
    )


def test_lowering_a_quota_below_what_is_booked_is_refused(plan, planner, org):
    services.plan_publish(actor=planner, plan_uid=plan.uid)
    group = make_group(org.trip, 8, "A")
    request = services.request_create(
        actor=org.staff,
        plan_uid=plan.uid,
        group_uid=group.uid,
        zone_slug="imam-husayn-sanctuary",
        preferred_at=at(plan, 40),
    )
    services.booking_create(actor=org.staff, request_uid=request.uid)
    errors = errors_of(
        lambda: services.capacity_set(
            actor=planner,
            plan_uid=plan.uid,
            zone_slug="imam-husayn-sanctuary",
            usable_area_m2=3000,
            density=2,
            margin_pct=50,
            dwell_minutes=30,
            quota_pct="0.1",
        )
    )
    assert "booked" in errors["quota_pct"][0]
    with scopes_disabled():
        assert ZoneCapacity.objects.get(pk=request.capacity_id).quota_pct == 2
