from django.urls import path

from zaireen.incidents import views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.incident_list, name="list"),
    path("incidents/new/", views.incident_create, name="create"),
    path("incidents/<uuid:uid>/", views.incident_detail, name="detail"),
    path("incidents/<uuid:uid>/notes/", views.incident_note, name="note"),
    path("incidents/<uuid:uid>/close/", views.incident_close, name="close"),
    path("incidents/<uuid:uid>/manifest/", views.incident_manifest, name="manifest"),
    path("incidents/<uuid:uid>/manifest.pdf", views.incident_manifest_pdf, name="manifest_pdf"),
    path("incidents/<uuid:uid>/census/", views.census, name="census"),
    path("incidents/<uuid:uid>/census/<uuid:member_uid>/", views.census_check, name="census_check"),
    path("incidents/<uuid:uid>/census/message/", views.census_message, name="census_message"),
    path(
        "incidents/vehicles/<uuid:uid>/manifest/", views.vehicle_manifest, name="vehicle_manifest"
    ),
    path(
        "incidents/vehicles/<uuid:uid>/manifest.pdf",
        views.vehicle_manifest_pdf,
        name="vehicle_manifest_pdf",
    ),
    path("sos/", views.sos_list, name="sos_list"),
    path("sos/raise/", views.sos_raise, name="sos_raise"),
    path("sos/trips/<uuid:uid>/", views.leader_alerts, name="leader_alerts"),
    path("sos/<uuid:uid>/acknowledge/", views.sos_acknowledge, name="sos_acknowledge"),
    path("sos/<uuid:uid>/close/", views.sos_close, name="sos_close"),
    path("me/sos-sw.js", views.service_worker, name="service_worker"),
]
