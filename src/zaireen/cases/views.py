"""Pages of missing-person cases: the list, the open-case form, a case with its timeline."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zaireen.cases import selectors, services
from zaireen.cases.forms import CaseFilterForm, CaseOpenForm, CaseUpdateForm
from zaireen.cases.models import CaseState
from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors
from zaireen.core.permissions import role_required
from zaireen.core.roles import Role
from zaireen.notifications.selectors import messages_about
from zaireen.planning import poles

try:  # the photo module may come later than this app
    from zaireen.pilgrims.photos import photo_url
except ImportError:  # pragma: no cover

    def photo_url(profile) -> str:
        return ""


SEERS = (*selectors.UPDATERS, Role.MINISTRY_OFFICER)
PER_PAGE = 50


@role_required(*SEERS)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None,
                          trips=selectors.trips_with_cases(actor=request.user))  # fmt: skip
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list_for(
        actor=request.user,
        state=filters.get("state", ""),
        trip_uid=filters.get("trip") or None,
        q=filters.get("q", ""),
    )
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_open": request.user.role in selectors.OPENERS,
        },
    )


@role_required(*selectors.OPENERS)
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    members = list(selectors.members_for_opening(actor=request.user))
    leader = request.user.role == Role.GROUP_LEADER
    if request.method == "POST":
        form = CaseOpenForm(request.POST, members=members, leader=leader)
        if form.is_valid():
            try:
                case, created = services.case_open(
                    actor=request.user,
                    member_uid=form.cleaned_data["member"],
                    data=form.to_input(),
                    request_uid=form.cleaned_data["request_id"],
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            else:
                if created:
                    messages.success(request, _("Case %(ref)s is open; the leader, the "
                                                "organiser and the consulate are told.")
                                     % {"ref": case.reference})  # fmt: skip
                else:
                    messages.info(request, _("%(ref)s was already open for this person.")
                                  % {"ref": case.reference})  # fmt: skip
                return redirect("cases:detail", uid=case.uid)
    else:
        initial = {"request_id": uuid.uuid4(), "member": request.GET.get("member", "")}
        form = CaseOpenForm(initial=initial, members=members, leader=leader)
    return render(request, "cases/open.html", {"form": form, "members": members},
                  status=422 if form.errors else 200)  # fmt: skip


def _detail(request: HttpRequest, case, form: CaseUpdateForm | None = None, status: int = 200):
    can = selectors.abilities(request.user, case)
    if form is None:
        form = CaseUpdateForm(initial={"request_id": uuid.uuid4()}, states=can.next_states)
    position = poles.pole_position(case.pole) if case.pole else None
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "profile": case.member.profile,
            "photo": photo_url(case.member.profile),
            "position": position,
            "location": services.location_text(case),
            "events": selectors.timeline(case),
            "can": can,
            "form": form,
            "sent": list(messages_about(case)),
            "states": CaseState,
        },
        status=status,
    )


@role_required(*SEERS)
@require_GET
def case_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    return _detail(request, selectors.case_get_for(actor=request.user, uid=uid))


@role_required(*selectors.UPDATERS)
@require_POST
def case_update(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    case = selectors.case_get_for(actor=request.user, uid=uid)
    can = selectors.abilities(request.user, case)
    form = CaseUpdateForm(request.POST, states=CaseState.values)
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = services.case_update(
                actor=request.user, uid=uid, to=data["state"], note=data["note"],
                pole=data["pole"], place=data["place"], request_uid=data["request_id"],
            )  # fmt: skip
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            if event.to_state:
                messages.success(request, _("The case is now “%(state)s”.")
                                 % {"state": CaseState(event.to_state).label})  # fmt: skip
            else:
                messages.success(request, _("Added to the timeline."))
            return redirect("cases:detail", uid=uid)
    form.fields["state"].choices = CaseUpdateForm(states=can.next_states).fields["state"].choices
    return _detail(request, case, form=form, status=422)


@role_required(Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF)
@require_POST
def case_kin(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    tell = request.POST.get("tell") == "1"
    services.case_set_kin(actor=request.user, uid=uid, tell=tell)
    if tell:
        messages.success(request, _("The next of kin will get an SMS at each step."))
    else:
        messages.success(request, _("The next of kin are no longer told."))
    return redirect("cases:detail", uid=uid)
