from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the dialogue bodies' audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "body_member.added": _("Added a member of a dialogue body"),
    "body_member.changed": _("Changed a member of a dialogue body"),
    "body_member.removed": _("Deleted a member of a dialogue body"),
    "body_meeting.planned": _("Added a meeting of a dialogue body"),
    "body_meeting.changed": _("Changed a meeting of a dialogue body"),
    "body_meeting.deleted": _("Deleted a meeting of a dialogue body"),
    "opinion.drafted": _("Prepared a draft opinion or resolution"),
    "opinion.changed": _("Changed a draft opinion or resolution"),
    "opinion.published": _("Published an opinion or resolution"),
    "opinion.draft_deleted": _("Deleted a draft opinion or resolution"),
    "opinion_request.created": _("Asked a dialogue body for an opinion"),
    "opinion_request.changed": _("Changed a request for an opinion"),
    "opinion_request.answered": _("Recorded the opinion given on a request"),
}


class CityConfig(AppConfig):
    name = "wspolpraca.city"
    label = "city"
    verbose_name = _("City")

    def ready(self):
        from wspolpraca.accounts import services as account_services
        from wspolpraca.core import audit, feed
        from wspolpraca.core.uploads import delete_files_on_delete

        from . import (
            rules,  # noqa: F401  (registers the permissions)
            signals,
        )
        from .models import BodyMeeting, DialogueBody, Opinion, OpinionRequest
        from .services import export_person_data, meetings_feed

        signals.connect()
        account_services.register_exporter(export_person_data)
        feed.register("body_meeting", meetings_feed, label=_("Meeting of a dialogue body"))
        audit.register_actions(AUDIT_ACTIONS)
        audit.register_fields(
            {
                "member": _("member"),
                "meeting": _("meeting"),
                "opinion": _("opinion or resolution"),
                "state": _("status"),
            }
        )
        delete_files_on_delete(DialogueBody, "regulations_file")
        delete_files_on_delete(BodyMeeting, "minutes_file")
        delete_files_on_delete(Opinion, "file")
        delete_files_on_delete(OpinionRequest, "draft_file")
