from django.urls import path

from zaireen.documents import views

app_name = "documents"

urlpatterns = [
    path("trips/<uuid:uid>/documents/", views.trip_documents, name="trip"),
    path("trips/<uuid:uid>/documents/manifest.pdf", views.manifest_pdf, name="manifest_pdf"),
    path("trips/<uuid:uid>/documents/roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("trips/<uuid:uid>/documents/roster.csv", views.roster_csv, name="roster_csv"),
    path("trips/<uuid:uid>/documents/vehicles.pdf", views.vehicles_pdf, name="vehicles_pdf"),
    path(
        "trips/<uuid:uid>/documents/vehicles/<uuid:vehicle_uid>.pdf",
        views.vehicle_pdf,
        name="vehicle_pdf",
    ),
    path("trips/<uuid:uid>/documents/rooming.pdf", views.rooming_pdf, name="rooming_pdf"),
    path("trips/<uuid:uid>/documents/id-cards.pdf", views.id_cards_pdf, name="id_cards_pdf"),
    path(
        "trips/<uuid:uid>/documents/emergency-cards.pdf",
        views.emergency_cards_pdf,
        name="emergency_cards_pdf",
    ),
    path("trips/<uuid:uid>/documents/cards/issue/", views.cards_issue, name="cards_issue"),
    path("trips/<uuid:uid>/documents/cards/revoke/", views.card_revoke, name="card_revoke"),
    path("organiser/pilgrims/export.xlsx", views.pilgrims_xlsx, name="pilgrims_xlsx"),
    path("organiser/pilgrims/export.csv", views.pilgrims_csv, name="pilgrims_csv"),
    path("c/", views.card_code, name="card_code"),
    path("c/<str:signed>/", views.card_resolve, name="card_resolve"),
]
