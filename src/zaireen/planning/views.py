"""Pages of the time and place references: the calendar and occasions, the ministry's month
offsets, prayer times by city, and the Najaf → Karbala pole gazetteer."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET, require_http_methods

from zaireen.core.errors import ValidationFailed
from zaireen.core.forms import add_service_errors
from zaireen.core.permissions import role_required
from zaireen.core.roles import Role
from zaireen.planning import hijri, selectors, services
from zaireen.planning.forms import MonthForm, OffsetYearForm, PoleForm, PositionForm, YearForm

MINISTRY = (Role.MINISTRY_OFFICER,)
POLE_LIST_MAX_AGE = 24 * 3600


def _month_bounds(first: dt.date) -> tuple[dt.date, dt.date, dt.date | None, dt.date | None]:
    """First and last day of `first`'s month, and the first days of its neighbours."""
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    last = following - dt.timedelta(days=1)
    return (
        first,
        min(last, hijri.LAST_DAY),
        previous if previous >= hijri.FIRST_DAY.replace(day=1) else None,
        following if following <= hijri.LAST_DAY else None,
    )


def _coming_months(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    months = [first]
    for _i in range(12):
        months.append((months[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    return [m for m in months if m <= hijri.LAST_DAY]


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """One Gregorian month, day by day, beside Iraq's Hijri dates, with the coming year's
    occasions above it."""
    today = selectors.iraq_today()
    first, last, previous, following = _month_bounds(
        MonthForm(request.GET).first_day(today.replace(day=1))
    )
    offsets = selectors.offsets_table()
    rows = selectors.calendar_rows(first=first, last=last, offsets=offsets)
    year_end = min(today + dt.timedelta(days=selectors.COMING_DAYS), hijri.LAST_DAY)
    return render(
        request,
        "planning/calendar.html",
        {
            "rows": rows,
            "month": first,
            "previous": previous,
            "following": following,
            "today": today,
            "coming_months": _coming_months(today),
            "coming": selectors.occasion_dates(first=today, last=year_end, offsets=offsets),
            "year_end": year_end,
            "hijri_months": sorted({(r.hijri.year, r.hijri.month) for r in rows}),
            "offsets": offsets,
            "cities": selectors.city_names(),
        },
    )


@require_GET
def occasions(request: HttpRequest) -> HttpResponse:
    """Every occasion of the data file, with its next date in Iraq and its sources."""
    today = selectors.iraq_today()
    coming = selectors.occasion_dates(first=today, last=today + dt.timedelta(days=400))
    next_date = {}
    for when in coming:
        next_date.setdefault(when.occasion.key, when)
    return render(
        request,
        "planning/occasions.html",
        {
            "occasions": [(o, next_date.get(o.key)) for o in selectors.occasion_list()],
            "cities": selectors.city_names(),
            "today": today,
        },
    )


@role_required(*MINISTRY)
@require_http_methods(["GET", "POST"])
def offsets(request: HttpRequest) -> HttpResponse:
    """The ministry's table of month offsets for one Hijri year: view, change with a reason."""
    year_form = YearForm(request.GET)
    if year_form.is_valid():
        year = year_form.cleaned_data["year"]
    else:
        year = hijri.to_hijri(selectors.iraq_today()).year
        year_form = YearForm(initial={"year": year})
    months = selectors.offset_year(year=year)
    current = {m.month: m.days for m in months}
    form = OffsetYearForm(request.POST or None, year=year, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.hijri_offsets_set(
                actor=request.user, changes=form.changes(), reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The offsets are saved and the change is recorded."))
            return redirect(f"{reverse('planning:offsets')}?year={year}")
    return render(
        request,
        "planning/offsets.html",
        {
            "year": year,
            "year_form": year_form,
            "form": form,
            "months": list(zip(months, form.month_fields(), strict=True)),
            "history": selectors.offset_history(actor=request.user)[:20],
        },
        status=422 if form.errors else 200,
    )


@require_GET
def prayer_cities(request: HttpRequest) -> HttpResponse:
    """Today's prayer times in every city, each in its own time zone."""
    return render(
        request,
        "planning/prayer_cities.html",
        {"cities": selectors.prayer_times_today(selectors.prayer_city_list())},
    )


@require_GET
def prayer_times(request: HttpRequest, slug: str) -> HttpResponse:
    """One city: today's times, and a month's table."""
    city = selectors.prayer_city_get(slug=slug)
    today = selectors.local_today(city.timezone)
    first, last, previous, following = _month_bounds(
        MonthForm(request.GET).first_day(today.replace(day=1))
    )
    return render(
        request,
        "planning/prayer_times.html",
        {
            "city": city,
            "today": today,
            "now": selectors.prayer_times_for(city, first=today, last=today)[0],
            "days": selectors.prayer_times_for(city, first=first, last=last),
            "month": first,
            "previous": previous,
            "following": following,
        },
    )


@require_GET
def pole_gazetteer(request: HttpRequest) -> HttpResponse:
    """The pole gazetteer: the map, a pole's position, and the pole nearest a position."""
    pole_form = PoleForm(request.GET if "pole" in request.GET else None)
    position_form = PositionForm(request.GET if "lat" in request.GET else None)
    found = nearest = None
    if pole_form.is_valid():
        found = selectors.pole_get(pole=pole_form.cleaned_data["pole"])
    if position_form.is_valid():
        nearest = selectors.pole_nearest(**position_form.cleaned_data)
    point = (
        (position_form.cleaned_data["lat"], position_form.cleaned_data["lon"]) if nearest else None
    )
    return render(
        request,
        "planning/poles.html",
        {
            "pole_form": pole_form,
            "position_form": position_form,
            "found": found,
            "nearest": nearest,
            "landmarks": selectors.pole_landmarks(),
            "report": selectors.pole_path_report(),
            "map_data": selectors.pole_map_data(
                found=found or (nearest.position if nearest else None), point=point
            ),
        },
        status=422 if pole_form.errors or position_form.errors else 200,
    )


def _pole_list_etag(request: HttpRequest) -> str:
    return selectors.pole_list_document()[1]


@require_GET
@cache_control(public=True, max_age=POLE_LIST_MAX_AGE)
@condition(etag_func=_pole_list_etag)
def pole_list_json(request: HttpRequest) -> HttpResponse:
    """Every pole with its position and uncertainty, as one JSON file a browser (or a leader's
    phone) caches for a day and then revalidates with its ETag."""
    body, _etag = selectors.pole_list_document()
    return HttpResponse(body, content_type="application/json")
