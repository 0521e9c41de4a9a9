from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the exchange's audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "exchange_post.published": _("Post published on the exchange"),
    "exchange_post.changed": _("Post on the exchange changed"),
    "exchange_post.closed": _("Post on the exchange closed"),
    "exchange_post.extended": _("Post on the exchange extended"),
    "exchange_post.hidden": _("Post on the exchange hidden by a moderator"),
    "exchange_post.shown": _("Post on the exchange shown again"),
}


class ExchangeConfig(AppConfig):
    name = "wspolpraca.exchange"
    label = "exchange"
    verbose_name = _("Exchange between organizations")

    def ready(self):
        from wspolpraca.core import audit, jobs

        from . import rules  # noqa: F401  (registers the permissions)
        from .services import daily_task

        audit.register_actions(AUDIT_ACTIONS)
        jobs.register_daily(daily_task)
