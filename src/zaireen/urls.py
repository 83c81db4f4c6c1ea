from django.urls import include, path

from zaireen.api.api import api

urlpatterns = [
    # First: the API is the most requested prefix, and Django tries patterns in order.
    path("api/v1/", api.urls),
    path("", include("zaireen.core.urls")),
    path("places/", include("zaireen.places.urls")),
    path("accounts/", include("zaireen.accounts.urls")),
    path("", include("zaireen.organizers.urls")),
    path("", include("zaireen.planning.urls")),
    path("", include("zaireen.pilgrims.urls")),
    path("", include("zaireen.trips.urls")),
    path("", include("zaireen.rosters.urls")),
    path("", include("zaireen.documents.urls")),
    path("", include("zaireen.safety.urls")),
    path("", include("zaireen.lookup.urls")),
    path("", include("zaireen.notifications.urls")),
    path("", include("zaireen.cases.urls")),
    path("", include("zaireen.incidents.urls")),
    path("", include("zaireen.itineraries.urls")),
    path("", include("zaireen.crowd.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
