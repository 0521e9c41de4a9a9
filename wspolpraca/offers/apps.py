from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "wspolpraca.offers"
    label = "offers"
    verbose_name = _("Public tasks: offers")

    def ready(self):
        from . import rules  # noqa: F401  (registers the permissions)
