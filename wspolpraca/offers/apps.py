from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "wspolpraca.offers"
    label = "offers"
    verbose_name = _("Public tasks: offers")

    def ready(self):
        from wspolpraca.competitions.services import call_annulled

        from . import rules  # noqa: F401  (registers the permissions)
        from .services import tell_offerors_of_annulment

        call_annulled.connect(tell_offerors_of_annulment, dispatch_uid="offers_call_annulled")
