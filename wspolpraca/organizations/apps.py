from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "wspolpraca.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from wspolpraca.accounts import services as account_services

        from . import services

        account_services.register_exporter(services.export_memberships)
        account_services.register_erasure_check(services.erasure_obstacles)
