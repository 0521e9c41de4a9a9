from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "wspolpraca.competitions"
    label = "competitions"
    verbose_name = _("Public tasks: calls")

    def ready(self):
        from wspolpraca.core import feed

        from . import rules, signals  # noqa: F401  (registers the permissions)
        from .services import calls_feed, schedule_feed

        signals.connect()
        feed.register("planned_call", schedule_feed)
        feed.register("call", calls_feed)
