from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the events' audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "event.submitted": _("Event submitted for moderation"),
    "event.published": _("Event published by the city"),
    "event.approved": _("Event approved and published"),
    "event.rejected": _("Event rejected"),
    "event.cancelled": _("Event cancelled"),
    "mentoring_slot.published": _("Mentoring consultation published"),
    "mentoring_slot.withdrawn": _("Mentoring consultation withdrawn"),
    "mentoring_booking.booked": _("Mentoring consultation booked"),
    "mentoring_booking.cancelled": _("Mentoring consultation booking cancelled"),
}


class EventsConfig(AppConfig):
    name = "wspolpraca.events"
    label = "events"
    verbose_name = _("Calendar and events")

    def ready(self):
        from wspolpraca.accounts import services as account_services
        from wspolpraca.core import audit, feed, jobs

        from . import rules  # noqa: F401  (registers the permissions)
        from .services import (
            events_feed,
            export_person_data,
            meetings_feed,
            mentoring_feed,
            send_reminders_task,
            trainings_feed,
        )

        account_services.register_exporter(export_person_data)
        feed.register("event", events_feed, label=_("NGO event"))
        feed.register("training", trainings_feed, label=_("Training or workshop"))
        feed.register("meeting", meetings_feed, label=_("Sector meeting"))
        feed.register("mentoring", mentoring_feed, label=_("Consultation with a mentor"))
        jobs.register_daily(send_reminders_task)
        audit.register_actions(AUDIT_ACTIONS)
