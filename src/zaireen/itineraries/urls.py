from django.urls import path

from zaireen.itineraries import views

app_name = "itineraries"

urlpatterns = [
    path("trips/<uuid:uid>/itinerary/", views.itinerary_page, name="trip"),
    path("trips/<uuid:uid>/itinerary/plan/", views.plan_form, name="plan"),
    path("trips/<uuid:uid>/itinerary/edit/", views.edit, name="edit"),
    path("trips/<uuid:uid>/itinerary/<str:lang>.pdf", views.pdf, name="pdf"),
    path("me/itinerary/<uuid:uid>/", views.phone_view, name="phone"),
    path("itineraries/reference/", views.reference, name="reference"),
    path("itineraries/reference/sites/<slug:slug>/", views.fact_edit, name="fact_edit"),
    path("itineraries/reference/climate/<slug:slug>/", views.climate_edit, name="climate_edit"),
    path("itineraries/reference/stops/<slug:occasion>/", views.stop_edit, name="stop_edit"),
    path("itineraries/reference/circuits/<str:iata>/", views.circuit_edit, name="circuit_edit"),
]
