"""The REST API under /api/v1/: one NinjaAPI assembling the routers of each app.

Domain errors are mapped to HTTP here, once: a `ValidationFailed` (and any request that does
not match its schema) answers 422 with `{"detail": ..., "errors": {field: [reasons]}}`.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError

from zaireen.accounts.api import router as accounts_router
from zaireen.cases.api import router as cases_router
from zaireen.core.api import router as core_router
from zaireen.core.errors import DomainError, ValidationFailed
from zaireen.crowd.api import router as crowd_router
from zaireen.incidents.api import router as incidents_router
from zaireen.itineraries.api import router as itineraries_router
from zaireen.lookup.api import router as lookup_router
from zaireen.notifications.api import router as notifications_router
from zaireen.organizers.api import router as organizers_router
from zaireen.pilgrims.api import router as pilgrims_router
from zaireen.places.api import router as places_router
from zaireen.planning.api import router as planning_router
from zaireen.rosters.api import router as rosters_router
from zaireen.safety.api import router as safety_router
from zaireen.trips.api import router as trips_router

api = NinjaAPI(
    title="Zaireen API",
    version="1.0.0",
    description=(
        "Reference geography, organisers, trips and safety data of Zaireen. Errors answer "
        "with a `detail` message; invalid input answers 422 with `errors` by field."
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/places/", places_router)
api.add_router("/", organizers_router)
api.add_router("/", accounts_router)
api.add_router("/", core_router)
api.add_router("/", planning_router)
api.add_router("/", pilgrims_router)
api.add_router("/", trips_router)
api.add_router("/", rosters_router)
api.add_router("/", safety_router)
api.add_router("/", lookup_router)
api.add_router("/", notifications_router)
api.add_router("/", cases_router)
api.add_router("/", incidents_router)
api.add_router("/", itineraries_router)
api.add_router("/", crowd_router)


@api.exception_handler(ValidationFailed)
def _validation_failed(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Invalid input."), "errors": exc.errors}, status=422
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(SchemaValidationError)
def _schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in {"body", "query", "path", "payload"}
        ]
        errors.setdefault(".".join(location) or "__all__", []).append(error.get("msg", ""))
    return api.create_response(
        request, {"detail": _("Invalid input."), "errors": errors}, status=422
    )
