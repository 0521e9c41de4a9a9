from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "wspolpraca.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from . import signals

        signals.connect()
