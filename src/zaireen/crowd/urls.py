from django.urls import path

from zaireen.crowd import views

app_name = "crowd"

urlpatterns = [
    # The crowd planner (the ministry reads).
    path("slots/plans/", views.plans, name="plans"),
    path("slots/plans/<uuid:uid>/", views.plan, name="plan"),
    path("slots/plans/<uuid:uid>/zones/<slug:zone>/", views.capacity, name="capacity"),
    path("slots/plans/<uuid:uid>/zones/<slug:zone>/quota/", views.quota, name="quota"),
    path("slots/plans/<uuid:uid>/solve/", views.solve, name="solve"),
    path("slots/plans/<uuid:uid>/publish/", views.publish, name="publish"),
    path("slots/plans/<uuid:uid>/flags/clear/", views.flags_clear, name="flags_clear"),
    path("slots/runs/<uuid:uid>/", views.run, name="run"),
    path("slots/runs/<uuid:uid>/instance.json", views.run_instance, name="run_instance"),
    path("slots/runs/<uuid:uid>/result.json", views.run_result, name="run_result"),
    # Organisers.
    path("slots/", views.home, name="home"),
    path("slots/plans/<uuid:uid>/requests/", views.requests, name="requests"),
    path("slots/plans/<uuid:uid>/requests/import/", views.requests_import, name="requests_import"),
    path("slots/requests/<uuid:uid>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("slots/requests/<uuid:uid>/book/", views.request_book, name="request_book"),
    path("slots/requests/<uuid:uid>/waitlist/", views.waitlist_join, name="waitlist_join"),
    path("slots/bookings/<uuid:uid>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("slots/bookings/<uuid:uid>/swap/", views.booking_swap, name="booking_swap"),
    path("slots/bookings/<uuid:uid>/accept/", views.offer_accept, name="offer_accept"),
    path("slots/bookings/<uuid:uid>/decline/", views.offer_decline, name="offer_decline"),
    path("slots/trips/<uuid:uid>/groups/", views.groups, name="groups"),
    path("slots/groups/<uuid:uid>/delete/", views.group_delete, name="group_delete"),
    # A trip's slots: its leaders on their phones, its organiser's staff.
    path("slots/trips/<uuid:uid>/", views.trip_slots, name="trip_slots"),
]
