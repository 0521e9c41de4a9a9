from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Only the `demo` management command lives here: it may import every app."""

    name = "wspolpraca.demo"
    label = "demo"
    verbose_name = "Demo data"
