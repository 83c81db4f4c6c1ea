from django.urls import path

from zaireen.places import views

app_name = "places"

urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("map/", views.site_map, name="map"),
    path("travel/", views.travel, name="travel"),
    path("sites/<slug:slug>/", views.site_detail, name="site_detail"),
]
