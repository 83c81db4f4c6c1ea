"""The demo: Arbaeen as a plan, three Arbaeen trips asking from their itineraries."""

from django_scopes import scopes_disabled

from tests import factories
from zaireen.core.roles import Role
from zaireen.crowd import services
from zaireen.crowd.demo import crowd_demo
from zaireen.crowd.models import RequestStatus, VisitRequest


def test_the_demo_plan_has_the_organisers_arbaeen_requests(
    places, django_capture_on_commit_callbacks
):
    organiser = factories.organiser("ZGO-2025-0012")
    staff = factories.user("zgo-staff", Role.ORGANISER_STAFF, organiser)
    ministry = factories.ministry()
    planner = factories.user("planner", Role.CROWD_PLANNER)
    plan = crowd_demo(planner=planner, staff=staff, ministry=ministry)
    assert plan is not None and plan.occasion_key == "arbaeen"
    assert crowd_demo(planner=planner, staff=staff, ministry=ministry) == plan  # once
    with scopes_disabled():
        requests = VisitRequest.objects.filter(plan=plan, status=RequestStatus.SUBMITTED)
        assert requests.values("group__trip").distinct().count() == 3
        assert set(requests.values_list("source", flat=True)) == {"itinerary"}
    with django_capture_on_commit_callbacks(execute=True):
        run = services.solve_start(actor=planner, plan_uid=plan.uid, time_limit=5)
    run.refresh_from_db()
    assert run.summary["before"]["over_cells"] > 0  # everybody wants the same hour
    assert run.summary["optimal"]["heat"]["over_cells"] == 0
    assert run.summary["optimal"]["unscheduled"] == 0
