from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zaireen.api"
    label = "api"
