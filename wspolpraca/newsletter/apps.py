from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What the newsletter's audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "subscriber.bounce_marked": _("Returned newsletter e-mail recorded"),
    "digest.started": _("Weekly digest started"),
    "digest.finished": _("Weekly digest sent"),
}

# Change keys of the entries above that are not model fields.
AUDIT_FIELDS = {
    "item_count": _("items"),
    "subscriber_count": _("subscribers"),
    "sent_count": _("sent"),
    "skipped_count": _("nothing to send"),
    "failed_count": _("failed"),
}


class NewsletterConfig(AppConfig):
    name = "wspolpraca.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from wspolpraca.core import audit, feed, jobs

        from . import signals
        from .services import news_feed, weekly_digest_task

        signals.connect()
        feed.register("news", news_feed, label=pgettext_lazy("feed kind", "News"), dated=False)
        jobs.register_daily(weekly_digest_task)
        audit.register_actions(AUDIT_ACTIONS)
        audit.register_fields(AUDIT_FIELDS)
