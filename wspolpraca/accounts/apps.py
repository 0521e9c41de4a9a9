from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wspolpraca.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from wspolpraca.core import audit

        audit.register_actions(
            {
                "account.role_changed": _("Role changed"),
                "account.two_factor_reset": _("Two-factor sign-in reset"),
            }
        )
