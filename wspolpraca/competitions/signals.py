"""Public pages of the public tasks are cached until their data changes (core.caching)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from wspolpraca.core.caching import touch

KEY = "competitions"


def competitions_data_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        touch(KEY)


def connect():
    from wspolpraca.city.models import Department
    from wspolpraca.organizations.models import PublicBenefitArea

    from .models import (
        Call,
        CallAttachment,
        CallQuestion,
        CallSchedule,
        CallVersion,
        Criterion,
        LegalRules,
        PlannedCall,
    )

    # The pages also show departments' and areas' names.
    models = (
        CallSchedule,
        PlannedCall,
        LegalRules,
        Department,
        PublicBenefitArea,
        Call,
        Criterion,
        CallAttachment,
        CallVersion,
        CallQuestion,
    )
    for model in models:
        post_save.connect(competitions_data_changed, sender=model)
        post_delete.connect(competitions_data_changed, sender=model)
    m2m_changed.connect(competitions_data_changed, sender=PlannedCall.areas.through)
    m2m_changed.connect(competitions_data_changed, sender=Call.areas.through)
