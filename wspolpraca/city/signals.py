"""The coordinators' pages are cached until their data changes (core.caching)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from wspolpraca.core.caching import touch
from wspolpraca.organizations.models import PublicBenefitArea

from .models import Coordinator, Department


def city_data_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        touch("city")


def connect():
    for model in (Coordinator, Department, PublicBenefitArea):
        post_save.connect(city_data_changed, sender=model)
        post_delete.connect(city_data_changed, sender=model)
    m2m_changed.connect(city_data_changed, sender=Coordinator.areas.through)
