"""Public pages of consultations and the tracker are cached until their data changes
(core.caching); counters changed with update() touch the key in services."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from wspolpraca.core.caching import touch

KEY = "consultations"
TRACKER_KEY = "tracker"


def consultations_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        touch(KEY)


def tracker_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        touch(TRACKER_KEY)


def connect():
    from wspolpraca.city.models import Department
    from wspolpraca.organizations.models import PublicBenefitArea

    from .models import (
        Attachment,
        Catalogue,
        Consultation,
        ConsultationRules,
        Meeting,
        Postulate,
        ProgressNote,
        Response,
        Section,
        TrackedPostulate,
        TrackerLink,
    )

    for model in (
        Consultation,
        ConsultationRules,
        Section,
        Attachment,
        Meeting,
        Postulate,
        Response,
        Department,
        PublicBenefitArea,
    ):
        post_save.connect(consultations_changed, sender=model)
        post_delete.connect(consultations_changed, sender=model)
    for through in (Consultation.areas.through, Consultation.districts.through):
        m2m_changed.connect(consultations_changed, sender=through)
    for model in (
        TrackedPostulate,
        ProgressNote,
        TrackerLink,
        Catalogue,
        Department,
        PublicBenefitArea,
    ):
        post_save.connect(tracker_changed, sender=model)
        post_delete.connect(tracker_changed, sender=model)
    m2m_changed.connect(tracker_changed, sender=TrackedPostulate.areas.through)
