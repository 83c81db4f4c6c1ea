from django.urls import path

from zaireen.accounts import views

app_name = "accounts"

urlpatterns = [
    path("phone/", views.phone_login, name="phone_login"),
    path("phone/verify/", views.phone_verify, name="phone_verify"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
