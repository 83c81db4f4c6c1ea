from django.urls import path

from zaireen.safety import views

app_name = "safety"

# Everything of the leader app lives under /lead/, the service worker's scope.
urlpatterns = [
    path("lead/sw.js", views.service_worker, name="service_worker"),
    path("lead/icon-<int:size>.png", views.icon, name="icon"),
    path("lead/<uuid:uid>/", views.leader, name="leader"),
    path("lead/<uuid:uid>/manifest.webmanifest", views.manifest, name="manifest"),
    path("lead/<uuid:uid>/devices/", views.devices, name="devices"),
    path("lead/<uuid:uid>/devices/new/", views.device_register, name="device_register"),
    path("lead/devices/<uuid:uid>/revoke/", views.device_revoke, name="device_revoke"),
    path("lead/headcounts/<uuid:uid>/cases/", views.case_request, name="case_request"),
]
