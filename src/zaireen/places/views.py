"""Public pages of the reference geography."""

from itertools import groupby

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zaireen.places import selectors
from zaireen.places.forms import SiteFilterForm, TravelForm

SITES_PER_PAGE = 50


@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    form = SiteFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sites = selectors.site_list(
        city=filters["city"].slug if filters.get("city") else "",
        kind=filters.get("kind", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(sites, SITES_PER_PAGE).get_page(request.GET.get("page"))
    by_city = [(city, list(group)) for city, group in groupby(page, key=lambda s: s.city)]
    template = "places/_site_results.html" if request.htmx else "places/site_list.html"
    return render(request, template, {"form": form, "page": page, "by_city": by_city})


@require_GET
def site_detail(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.site_get(slug=slug)
    others = [c for c in selectors.pilgrimage_cities() if c.pk != site.city_id]
    _, from_here = selectors.travel_matrix([site.city, *others])[0]
    return render(
        request,
        "places/site_detail.html",
        {
            "site": site,
            "travel": list(zip(others, from_here[1:], strict=True)),
            "features": selectors.site_features(site),
        },
    )


@require_GET
def site_map(request: HttpRequest) -> HttpResponse:
    cities = list(selectors.pilgrimage_cities())
    return render(
        request,
        "places/map.html",
        {"features": selectors.map_features(), "matrix": selectors.travel_matrix(cities)},
    )


@require_GET
def travel(request: HttpRequest) -> HttpResponse:
    form = TravelForm(request.GET or None)
    result = None
    if form.is_valid():
        result = selectors.travel_time_between(
            origin=form.cleaned_data["origin"].slug,
            destination=form.cleaned_data["destination"].slug,
        )
    cities = list(selectors.pilgrimage_cities())
    return render(
        request,
        "places/travel.html",
        {"form": form, "result": result, "matrix": selectors.travel_matrix(cities)},
    )
