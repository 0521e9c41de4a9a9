from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wspolpraca.core"
    label = "core"
    verbose_name = _("Audit")

    def ready(self):
        # The Site record (its domain is in allauth's e-mails) follows SITE_URL on every
        # migrate, so a deployment sets it with the environment, not in the back office.
        post_migrate.connect(sync_site_with_settings, sender=self)
        # A migration that copies a table on SQLite drops its search triggers: put them back.
        from .search import repair_after_migrate

        post_migrate.connect(repair_after_migrate, dispatch_uid="wspolpraca.core.search.repair")


def sync_site_with_settings(using="default", **kwargs):
    from django.conf import settings
    from django.contrib.sites.models import Site

    host = settings.SITE_URL.split("://", 1)[-1].rstrip("/")
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": host[:100], "name": "Współpraca"}
    )
