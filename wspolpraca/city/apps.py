from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityConfig(AppConfig):
    name = "wspolpraca.city"
    label = "city"
    verbose_name = _("City")

    def ready(self):
        from . import signals

        signals.connect()
