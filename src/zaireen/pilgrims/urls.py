from django.urls import path

from zaireen.pilgrims import views

app_name = "pilgrims"

urlpatterns = [
    path("organiser/pilgrims/", views.pilgrim_list, name="list"),
    path("organiser/pilgrims/new/", views.pilgrim_create, name="create"),
    path("organiser/pilgrims/check/", views.pilgrim_check, name="check"),
    path("organiser/pilgrims/<uuid:uid>/", views.pilgrim_detail, name="detail"),
    path("organiser/pilgrims/<uuid:uid>/edit/", views.pilgrim_edit, name="edit"),
    path("organiser/pilgrims/<uuid:uid>/photo/", views.pilgrim_photo_upload, name="photo_upload"),
    path(
        "organiser/pilgrims/<uuid:uid>/photo/remove/",
        views.pilgrim_photo_remove,
        name="photo_remove",
    ),
    path("photos/<str:token>.jpg", views.pilgrim_photo, name="photo"),
    path("ministry/identity-conflicts/", views.identity_conflicts, name="conflicts"),
]
