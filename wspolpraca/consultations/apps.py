from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the consultations' audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "consultation.created": _("Consultation prepared"),
    "consultation.changed": _("Consultation changed"),
    "consultation.announced": _("Consultation announced"),
    "consultation.invitations_sent": _("Invitations to the consultation sent"),
    "consultation.answers_published": _("Answers to the postulates published"),
    "consultation.report_published": _("Consultation report published"),
    "postulate.submitted": _("Postulate submitted"),
    "postulate.entered": _("Remark received outside the platform entered"),
    "postulate.hidden": _("Postulate hidden by a moderator"),
    "postulate.shown": _("Postulate shown again"),
    "response.drafted": _("Answer to a postulate drafted"),
    "response.reviewed": _("Answer to a postulate reviewed"),
    "response.grouped": _("Similar postulates grouped for one answer"),
    "response.ungrouped": _("Postulate taken out of a group"),
    "tracked_postulate.created": _("Postulate added to the tracker"),
    "tracked_postulate.changed": _("Tracked postulate changed"),
    "tracked_postulate.status": _("Status of a tracked postulate changed"),
    "tracked_postulate.imported": _("Tracked postulates imported"),
}

# Change keys of the entries above that are not model fields.
AUDIT_FIELDS = {
    "group": _("answered together with"),
    "meeting": _("meeting"),
    "attachment": _("attachment"),
    "sections": _("sections"),
    "postulates": _("postulates"),
    "invited": _("organizations invited"),
    "note": _("progress note"),
    "link": _("link"),
    "history": _("history"),
    "related_links": _("links"),
}


class ConsultationsConfig(AppConfig):
    name = "wspolpraca.consultations"
    label = "consultations"
    verbose_name = _("Consultations and postulates")

    def ready(self):
        from wspolpraca.accounts import services as account_services
        from wspolpraca.core import audit, feed

        from . import rules, signals  # noqa: F401  (registers the permissions)
        from .services import consultations_feed, meetings_feed
        from .surveys import AUDIT_ACTIONS as SURVEY_AUDIT_ACTIONS
        from .surveys import AUDIT_FIELDS as SURVEY_AUDIT_FIELDS
        from .surveys import export_person_data as export_surveys

        signals.connect()
        feed.register("consultation", consultations_feed, label=_("Consultation"))
        feed.register("consultation_meeting", meetings_feed, label=_("Consultation meeting"))
        audit.register_actions(AUDIT_ACTIONS)
        audit.register_fields(AUDIT_FIELDS)
        audit.register_actions(SURVEY_AUDIT_ACTIONS)
        audit.register_fields(SURVEY_AUDIT_FIELDS)
        account_services.register_exporter(export_surveys)
