from django.urls import path

from zaireen.trips import logistics_views, views

app_name = "trips"

urlpatterns = [
    path("trips/", views.trip_list, name="list"),
    path("trips/new/", views.trip_create, name="create"),
    path("trips/<uuid:uid>/", views.trip_detail, name="detail"),
    path("trips/<uuid:uid>/edit/", views.trip_edit, name="edit"),
    path("trips/<uuid:uid>/members/add/", views.members_add, name="members_add"),
    path("trips/<uuid:uid>/submit/", views.trip_submit, name="submit"),
    path("trips/<uuid:uid>/advance/", views.trip_advance, name="advance"),
    path("trips/<uuid:uid>/decide/", views.trip_decide, name="decide"),
    path("members/<uuid:uid>/", views.member_update, name="member_update"),
    path("members/<uuid:uid>/remove/", views.member_remove, name="member_remove"),
    path("members/<uuid:uid>/return/", views.member_return, name="member_return"),
    path("ministry/trips/queue/", views.ministry_queue, name="queue"),
    path("ministry/trips/conflicts/", views.ministry_conflicts, name="conflicts"),
    path("me/trips/", views.my_trips, name="mine"),
    path("trips/<uuid:uid>/logistics/", logistics_views.logistics_page, name="logistics"),
    path("trips/<uuid:uid>/legs/", logistics_views.leg_add, name="leg_add"),
    path("trips/<uuid:uid>/vehicles/", logistics_views.vehicle_add, name="vehicle_add"),
    path("trips/<uuid:uid>/seats/", logistics_views.seats_assign, name="seats_assign"),
    path("trips/<uuid:uid>/rooms/", logistics_views.rooms_assign, name="rooms_assign"),
    path("trips/<uuid:uid>/passports/", logistics_views.passports_handover, name="passports"),
    path(
        "me/passport/<uuid:uid>/confirm/", logistics_views.passport_confirm, name="passport_confirm"
    ),
]
