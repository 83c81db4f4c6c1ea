from django.urls import path

from zaireen.organizers import views

app_name = "organizers"

urlpatterns = [
    path("licences/", views.licence_check, name="licence_check"),
    path("ministry/organisers/", views.organiser_list, name="list"),
    path("ministry/organisers/new/", views.organiser_create, name="create"),
    path("ministry/organisers/<uuid:uid>/", views.organiser_detail, name="detail"),
    path("ministry/organisers/<uuid:uid>/status/", views.organiser_status, name="status"),
    path(
        "ministry/organisers/<uuid:uid>/invite/", views.organiser_invite_admin, name="invite_admin"
    ),
    path("organiser/", views.organiser_home, name="home"),
    path("organiser/staff/", views.staff, name="staff"),
    path("organiser/staff/<int:user_id>/remove/", views.staff_remove, name="staff_remove"),
]
