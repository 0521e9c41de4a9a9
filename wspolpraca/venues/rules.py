"""Who may do what with rooms and bookings (checked with user.has_perm):

- a room's managers (and platform admins) decide on its requests, mark no-shows and see
  its queue; the manager of one room has no say over another;
- a booking is cancelled by the person who requested it, an administrator of its
  organization, or a manager of its room; a plain member of another organization cannot;
- a booking is seen by those, and by the members of its organization.
"""

import rules

from wspolpraca.organizations.rules import is_platform_admin


@rules.predicate
def is_room_manager(user, room):
    if not user.is_authenticated or room is None:
        return False
    return room.managers.filter(pk=user.pk).exists()


@rules.predicate
def manages_booking_room(user, booking):
    return booking is not None and is_room_manager(user, booking.room)


@rules.predicate
def requested_booking(user, booking):
    return user.is_authenticated and booking is not None and booking.requested_by_id == user.pk


@rules.predicate
def admins_booking_organization(user, booking):
    if not user.is_authenticated or booking is None or not booking.organization_id:
        return False
    return booking.organization.memberships.filter(user=user, role="admin").exists()


@rules.predicate
def member_of_booking_organization(user, booking):
    if not user.is_authenticated or booking is None or not booking.organization_id:
        return False
    return booking.organization.memberships.filter(user=user).exists()


rules.add_perm("venues.manage_room", is_platform_admin | is_room_manager)
rules.add_perm("venues.decide_booking", is_platform_admin | manages_booking_room)
rules.add_perm(
    "venues.cancel_booking",
    requested_booking | admins_booking_organization | manages_booking_room | is_platform_admin,
)
rules.add_perm(
    "venues.view_booking",
    requested_booking | member_of_booking_organization | manages_booking_room | is_platform_admin,
)
