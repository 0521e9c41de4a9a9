"""Who may do what with events: an organization's members submit and run its events;
city staff (officials, coordinators, platform admins) publish trainings and meetings,
moderate NGO events and see every list of registered people."""

import rules

from wspolpraca.organizations.rules import is_city_staff, is_platform_admin


@rules.predicate
def is_member_of_its_organization(user, event):
    if not user.is_authenticated or event is None or event.organization_id is None:
        return False
    return event.organization.memberships.filter(user=user).exists()


@rules.predicate
def is_city_event(user, event):
    return event is not None and event.organization_id is None


@rules.predicate
def is_member_of(user, organization):
    if not user.is_authenticated or organization is None:
        return False
    return organization.memberships.filter(user=user).exists()


# Submitting an event for an organization: its members.
rules.add_perm("events.submit_event", is_member_of)
# Trainings and sector meetings are the city's: staff publish them.
rules.add_perm("events.publish_city_event", is_city_staff)
# Changing, cancelling and seeing who registered: the organizer's people.
rules.add_perm(
    "events.manage_event",
    is_member_of_its_organization | (is_city_event & is_city_staff) | is_platform_admin,
)
rules.add_perm("events.see_registrations", is_member_of_its_organization | is_city_staff)
rules.add_perm("events.moderate_event", is_city_staff)


# ---------------------------------------------------------------------------------------
# Mentoring


@rules.predicate
def is_listed_mentor(user):
    """An account city staff listed as a mentor (events.Mentor, active)."""
    if not user.is_authenticated:
        return False
    mentor = getattr(user, "mentor", None)
    return mentor is not None and mentor.is_active


@rules.predicate
def is_slots_mentor(user, slot):
    return user.is_authenticated and slot is not None and slot.mentor_id == user.pk


@rules.predicate
def booked_it(user, booking):
    return user.is_authenticated and booking is not None and booking.booked_by_id == user.pk


# Consultation slots: a listed mentor, or any official or coordinator.
rules.add_perm("events.publish_mentoring_slot", is_listed_mentor | is_city_staff)
# Withdrawing a slot: its mentor, or a platform administrator.
rules.add_perm("events.withdraw_mentoring_slot", is_slots_mentor | is_platform_admin)
# Booking for an organization: its members.
rules.add_perm("events.book_mentoring", is_member_of)
# Cancelling a booking: the person who made it, nobody else.
rules.add_perm("events.cancel_mentoring_booking", booked_it)
