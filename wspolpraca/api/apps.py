from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wspolpraca.api"
    label = "api"
    verbose_name = "API"
