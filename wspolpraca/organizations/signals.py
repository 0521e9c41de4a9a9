"""Keep what is derived from the directory in step with every change the ORM makes: its
counts (DirectoryStats, see services.count_change) and its freshness (core.caching)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from wspolpraca.core.caching import touch

from . import services
from .models import District, Organization, PublicBenefitArea, TargetGroup

NOT_COUNTED = (0, 0)


def organization_saved(sender, instance, created, raw, **kwargs):
    before = NOT_COUNTED if created else getattr(instance, "_counted_as", None)
    after = None if raw else instance.directory_weight()
    services.count_change(before, after)
    instance._counted_as = after
    touch("directory")


def organization_deleted(sender, instance, **kwargs):
    before = getattr(instance, "_counted_as", None) or instance.directory_weight()
    services.count_change(before, NOT_COUNTED)
    touch("directory")


def directory_data_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        touch("directory")


def connect():
    post_save.connect(organization_saved, sender=Organization)
    post_delete.connect(organization_deleted, sender=Organization)
    for relation in (Organization.areas.through, Organization.target_groups.through):
        m2m_changed.connect(directory_data_changed, sender=relation)
    for model in (District, PublicBenefitArea, TargetGroup):
        post_save.connect(directory_data_changed, sender=model)
        post_delete.connect(directory_data_changed, sender=model)
