from django.urls import path

from zaireen.rosters import views

app_name = "rosters"

urlpatterns = [
    path("imports/", views.import_list, name="list"),
    path("imports/new/", views.import_upload, name="upload"),
    path("imports/template.xlsx", views.import_template, name="template"),
    path("imports/<uuid:uid>/", views.import_detail, name="detail"),
    path("imports/<uuid:uid>/report/", views.import_report, name="report"),
    path("imports/<uuid:uid>/commit/", views.import_commit, name="commit"),
    path("imports/<uuid:uid>/preview/", views.import_preview, name="preview"),
    path("imports/<uuid:uid>/discard/", views.import_discard, name="discard"),
]
