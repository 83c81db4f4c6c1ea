"""The leader app's pages: the headcount page (an installable web app), its manifest, service
worker and icons; registering and revoking phones; asking for a missing-person case."""

import functools
import hashlib
import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zaireen.core.buttons import redirect_back
from zaireen.core.errors import ValidationFailed
from zaireen.core.permissions import role_required
from zaireen.core.roles import Role
from zaireen.safety import icons, labels, selectors, services
from zaireen.safety.models import CheckpointKind

COUNTERS = (Role.ORGANISER_ADMIN, Role.ORGANISER_STAFF, Role.GROUP_LEADER)
SCOPE = "/lead/"
API_PREFIX = "/api/v1/safety/"
# The cache the leader page and its service worker share for pages and the roster.
DATA_CACHE = "zaireen-lead-data"
ICON_SIZES = (192, 512)
# What the service worker keeps for the leader page to load with no network.
OFFLINE_ASSETS = (
    "bootstrap/css/bootstrap.min.css",
    "bootstrap/css/bootstrap.rtl.min.css",
    "bootstrap/js/bootstrap.bundle.min.js",
    "django_htmx/htmx-2.min.js",
    "zaireen/zaireen.css",
    "zaireen/leader.css",
    "zaireen/leader.js",
    "zaireen/icon.svg",
)


@role_required(*COUNTERS)
@require_GET
def leader(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_for_counting(actor=request.user, uid=uid)
    config = {
        "trip": str(trip.uid),
        "user": request.user.get_full_name() or request.user.get_username(),
        "serviceWorker": reverse("safety:service_worker"),
        "scope": SCOPE,
        "dataCache": DATA_CACHE,
        "register": reverse("safety:device_register", args=[trip.uid]),
        "roster": reverse("api-1.0.0:safety_roster", args=[trip.uid]),
        "events": reverse("api-1.0.0:safety_events", args=[trip.uid]),
        "cases": reverse("api-1.0.0:safety_case", args=[uuid.UUID(int=0)]),
    }
    return render(
        request,
        "safety/leader.html",
        {
            "trip": trip,
            "devices": selectors.devices_for(actor=request.user, trip=trip),
            "kinds": CheckpointKind.choices,
            "config": config,
            "labels": labels.leader_labels(),
            "kind_labels": dict(CheckpointKind.choices),
        },
    )


@require_GET
def manifest(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The web app manifest of one trip's leader page. Public and generic (it names no trip):
    browsers fetch manifests without cookies."""
    start = reverse("safety:leader", args=[uid])
    body = {
        "id": start,
        "name": _("Zaireen headcounts"),
        "short_name": _("Headcounts"),
        "description": _("Count a group at every checkpoint, with or without a network."),
        "start_url": start,
        "scope": SCOPE,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#198754",
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "icons": [
            {
                "src": static("zaireen/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            },
            *(
                {
                    "src": reverse("safety:icon", args=[size]),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any",
                }
                for size in ICON_SIZES
            ),
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@functools.cache
def _icon(size: int) -> bytes:
    return icons.png(size)


@require_GET
def icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in ICON_SIZES:
        raise Http404
    response = HttpResponse(_icon(size), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The leader app's service worker, served from /lead/ so that its scope covers every
    leader page. Rendered, because the static URLs it keeps carry their hashes in production."""
    assets = [static(path) for path in OFFLINE_ASSETS]
    version = hashlib.sha256(json.dumps([assets, settings.STATIC_URL]).encode()).hexdigest()[:12]
    config = {
        "assets": assets,
        "version": version,
        "dataCache": DATA_CACHE,
        "staticUrl": settings.STATIC_URL,
        "api": API_PREFIX,
        "scope": SCOPE,
    }
    script = render_to_string("safety/sw.js", {"config": json.dumps(config), "scope": SCOPE})
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = SCOPE
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
@role_required(*COUNTERS)
@require_POST
def device_register(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Register the phone the request comes from; answers JSON with its token, shown once."""
    try:
        device, token = services.device_register(
            actor=request.user, trip_uid=uid, name=request.POST.get("name", "")[:200]
        )
    except ValidationFailed as exc:
        return JsonResponse({"detail": exc.message, "errors": exc.errors}, status=422)
    return JsonResponse(
        {"device": str(device.uid), "name": device.name, "token": token, "trip": str(uid)}
    )


@role_required(*COUNTERS)
@require_GET
def devices(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    trip = selectors.trip_for_counting(actor=request.user, uid=uid)
    return render(
        request,
        "safety/devices.html",
        {"trip": trip, "devices": selectors.devices_for(actor=request.user, trip=trip)},
    )


@role_required(*COUNTERS)
@require_POST
def device_revoke(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    device = services.device_revoke(actor=request.user, uid=uid)
    messages.success(request, _("The phone “%(name)s” is revoked.") % {"name": device.name})
    return redirect_back(request, reverse("safety:devices", args=[device.trip.uid]))


@role_required(*COUNTERS)
@require_POST
def case_request(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    member = request.POST.get("member", "")
    try:
        requested = services.case_request(
            actor=request.user, headcount_uid=uid, member_uid=uuid.UUID(member)
        )
    except (ValueError, ValidationFailed):
        messages.error(request, _("Only a member missing at a closed headcount."))
        return redirect_back(request, reverse("core:home"))
    messages.success(
        request,
        _("A missing-person case is requested for %(name)s.")
        % {"name": requested.member.profile.full_name},
    )
    trip_page = reverse("trips:detail", args=[requested.headcount.trip.uid])
    return redirect_back(request, f"{trip_page}#headcounts")
