"""API authentication: a personal token (`Authorization: Bearer zrn_…`) or the browser session.

A token acts with its user's role, nothing more: the same selectors and services decide.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from zaireen.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


# Endpoints that need a signed-in user accept either.
signed_in = [TokenAuth(), django_auth]
