"""The look-up page for consular and ministry officers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors
from zaireen.core.permissions import role_required
from zaireen.core.ratelimit import RateLimited
from zaireen.core.roles import Role
from zaireen.lookup import selectors
from zaireen.lookup.forms import LookupForm


@role_required(Role.CONSULAR_OFFICER, Role.MINISTRY_OFFICER)
@require_GET
def lookup_search(request: HttpRequest) -> HttpResponse:
    """An empty form, or one page of results; every search is logged with its reason."""
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    form = LookupForm(params or None)
    context = {"form": form, "found": None, "query": params.urlencode()}
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                context["found"] = selectors.pilgrim_lookup(
                    actor=request.user, query=form.to_query(), page=page_number
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except RateLimited:
                return render(request, "429.html", {"retry_seconds": 60}, status=429)
        if form.errors:
            status = 422
    return render(request, "lookup/search.html", context, status=status)
