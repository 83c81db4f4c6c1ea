from django.urls import path

from zaireen.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_open, name="open"),
    path("cases/<uuid:uid>/", views.case_detail, name="detail"),
    path("cases/<uuid:uid>/update/", views.case_update, name="update"),
    path("cases/<uuid:uid>/next-of-kin/", views.case_kin, name="kin"),
]
