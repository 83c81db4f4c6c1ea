from django.urls import path

from zaireen.planning import views

app_name = "planning"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/occasions/", views.occasions, name="occasions"),
    path("calendar/offsets/", views.offsets, name="offsets"),
    path("prayer-times/", views.prayer_cities, name="prayer_cities"),
    path("prayer-times/<slug:slug>/", views.prayer_times, name="prayer_times"),
    path("poles/", views.pole_gazetteer, name="poles"),
    path("poles/poles.json", views.pole_list_json, name="pole_list_json"),
]
