from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the venues' audit entries say, by action code (see core.audit).
AUDIT_ACTIONS = {
    "booking.requested": _("Room booking requested"),
    "booking.confirmed_at_once": _("Room booked (confirmed at once)"),
    "booking.approved": _("Room booking approved"),
    "booking.refused": _("Room booking refused"),
    "booking.cancelled": _("Room booking cancelled"),
    "booking.no_show": _("Room booking marked as a no-show"),
    "waiting.offered": _("Freed room time offered to the waiting list"),
}

# Change keys of the entries above that are not model fields.
AUDIT_FIELDS = {
    "room": _("room"),
}


class VenuesConfig(AppConfig):
    name = "wspolpraca.venues"
    label = "venues"
    verbose_name = _("Rooms and support places")

    def ready(self):
        from wspolpraca.core import audit, feed, jobs
        from wspolpraca.core.uploads import delete_files_on_delete

        from . import rules  # noqa: F401  (registers the permissions)
        from .models import RoomPhoto
        from .services import bookings_feed, expire_offers, rooms_feed

        feed.register("room_booking", bookings_feed, label=_("Room booking"))
        feed.register("room", rooms_feed, label=_("Room for NGOs"), dated=False)
        jobs.register_daily(expire_offers)
        audit.register_actions(AUDIT_ACTIONS)
        audit.register_fields(AUDIT_FIELDS)
        delete_files_on_delete(RoomPhoto, "image")
