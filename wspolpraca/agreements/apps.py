from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "wspolpraca.agreements"
    label = "agreements"
    verbose_name = _("Public tasks: agreements and reports")

    def ready(self):
        from wspolpraca.core import audit

        from . import audit_labels, rules, signals  # noqa: F401  (registers the permissions)

        signals.connect()
        audit.register_actions(audit_labels.ACTIONS)
