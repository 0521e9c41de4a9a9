from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the offers' audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "offer.started": _("Offer draft started"),
    "offer.submitted": _("Offer submitted"),
    "offer.withdrawn": _("Offer withdrawn"),
    "offer.replaced": _("Offer replaced by its correction"),
    "offer.correction_started": _("Correction of an offer started"),
    "offer.signed_copy_added": _("Signed confirmation added"),
    "offer_comment.added": _("Comment added to a small-grant offer"),
}


class OffersConfig(AppConfig):
    name = "wspolpraca.offers"
    label = "offers"
    verbose_name = _("Public tasks: offers")

    def ready(self):
        from wspolpraca.competitions.services import call_annulled, call_changed
        from wspolpraca.core import audit

        from . import rules  # noqa: F401  (registers the permissions)
        from .services import tell_offerors_of_annulment, tell_offerors_of_change

        call_annulled.connect(tell_offerors_of_annulment, dispatch_uid="offers_call_annulled")
        call_changed.connect(tell_offerors_of_change, dispatch_uid="offers_call_changed")
        audit.register_actions(AUDIT_ACTIONS)
