from django.urls import path

from zaireen.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.message_list, name="list"),
    path("notifications/<uuid:uid>/", views.message_detail, name="detail"),
    path("notifications/<uuid:uid>/retry", views.message_retry, name="retry"),
]
