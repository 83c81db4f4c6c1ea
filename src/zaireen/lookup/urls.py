from django.urls import path

from zaireen.lookup import views

app_name = "lookup"

urlpatterns = [
    path("consular/lookup/", views.lookup_search, name="search"),
]
