from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core.audit import AuditEntry
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.organizations.models import Organization
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory
from wspolpraca.venues import services
from wspolpraca.venues.models import Booking, RoomHours, WaitingListEntry

from .factories import BlockedPeriodFactory, BookingFactory, RoomFactory, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def manager():
    return UserFactory(email="kierownik@example.org")


@pytest.fixture
def room(manager):
    room = RoomFactory(capacity=30)
    room.managers.add(manager)
    return room


def book(room, user, starts=None, ends=None, **values):
    starts = starts or at(3, 10)
    values.setdefault("purpose", "Warsztaty dla seniorów")
    values.setdefault("expected_people", 10)
    values.setdefault("non_commercial", True)
    values.setdefault("rules_accepted", True)
    values.setdefault("group_name", "Klub sąsiedzki")
    values.setdefault("as_informal_group", True)
    return services.request_booking(
        room, user, starts=starts, ends=ends or starts + timedelta(hours=2), **values
    )


# Overlaps


def test_a_request_for_a_taken_time_is_refused_and_offered_the_waiting_list(room, outsider):
    book(room, UserFactory())
    with pytest.raises(services.BookingError) as refused:
        book(room, outsider, at(3, 11), at(3, 12))
    assert "already booked" in refused.value.message
    assert "waiting list" in refused.value.message
    assert Booking.objects.count() == 1


def test_bookings_that_touch_end_to_start_are_both_allowed(room, outsider):
    book(room, UserFactory(), at(3, 10), at(3, 12))
    book(room, outsider, at(3, 12), at(3, 14))
    assert Booking.objects.held().count() == 2


def test_a_cancelled_or_refused_booking_does_not_hold_the_time(room, outsider):
    BookingFactory(room=room, status=Booking.Status.CANCELLED, starts=at(3, 10))
    BookingFactory(
        room=room, status=Booking.Status.REFUSED, refusal_reason="Remont", starts=at(3, 10)
    )
    assert book(room, outsider)[0].status == Booking.Status.REQUESTED


def test_the_database_refuses_an_overlapping_held_booking_written_past_the_services(room):
    BookingFactory(room=room, starts=at(3, 10), ends=at(3, 12))
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        BookingFactory(room=room, starts=at(3, 11), ends=at(3, 13))
    assert services.OVERLAP_CONSTRAINT in str(refused.value)


def test_the_database_refuses_to_reinstate_a_cancelled_booking_over_a_held_one(room):
    cancelled = BookingFactory(room=room, status=Booking.Status.CANCELLED, starts=at(3, 10))
    BookingFactory(room=room, starts=at(3, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CONFIRMED)


def test_the_database_refuses_a_booking_that_ends_before_it_starts(room):
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(room=room, starts=at(3, 12), ends=at(3, 10))


# Hours, blocked periods, capacity, the future


def test_a_request_outside_the_buildings_opening_hours_is_refused(room, outsider):
    with pytest.raises(services.BookingError) as refused:
        book(room, outsider, at(3, 20), at(3, 22))
    assert refused.value.field == "od"
    assert "within its hours" in refused.value.message


def test_a_rooms_own_bookable_hours_replace_the_buildings(room, outsider):
    day = at(3, 10).weekday()
    RoomHours.objects.create(room=room, weekday=day, opens=time(16), closes=time(20))
    with pytest.raises(services.BookingError):
        book(room, outsider, at(3, 10), at(3, 12))
    assert book(room, outsider, at(3, 17), at(3, 19))


def test_a_request_in_a_blocked_period_is_refused_with_its_reason(room, outsider):
    BlockedPeriodFactory(room=room, starts=at(3, 8), ends=at(3, 21), reason="Malowanie ścian")
    with pytest.raises(services.BookingError) as refused:
        book(room, outsider)
    assert "Malowanie ścian" in refused.value.message


def test_more_people_than_the_room_holds_are_refused(room, outsider):
    with pytest.raises(services.BookingError) as refused:
        book(room, outsider, expected_people=31)
    assert refused.value.field == "expected_people"
    assert "at most 30 people" in refused.value.message


def test_a_time_in_the_past_is_refused(room, outsider):
    with pytest.raises(services.BookingError) as refused:
        book(room, outsider, at(-1, 10))
    assert refused.value.field == "data"


def test_the_non_commercial_declaration_is_required(room, outsider):
    with pytest.raises(services.BookingError) as refused:
        book(room, outsider, non_commercial=False)
    assert refused.value.field == "non_commercial"


def test_the_house_rules_must_be_accepted(room, outsider):
    with pytest.raises(services.BookingError) as refused:
        book(room, outsider, rules_accepted=False)
    assert refused.value.field == "rules_accepted"


# Who may book


def test_a_room_for_verified_organizations_refuses_an_organization_not_verified(room):
    room.for_informal_groups = False
    room.save()
    pending = OrganizationFactory(verification=Organization.Verification.PENDING)
    member = MembershipFactory(organization=pending).user
    with pytest.raises(services.BookingError) as refused:
        book(room, member, organization=pending, group_name="")
    assert refused.value.field == "kto"


def test_a_verified_organization_books_as_verified(room, organization, org_member):
    booking = book(room, org_member, organization=organization, group_name="")[0]
    assert booking.requester_kind == Booking.Requester.VERIFIED_ORGANIZATION
    assert booking.organization == organization


def test_nobody_books_for_an_organization_they_do_not_belong_to(room, organization, outsider):
    with pytest.raises(PermissionDenied):
        book(room, outsider, organization=organization, group_name="")


def test_a_person_alone_is_refused_where_only_organizations_and_groups_may_book(room, outsider):
    with pytest.raises(services.BookingError):
        book(room, outsider, as_informal_group=False, group_name="Jan Kowalski")


# Approval


def test_a_room_without_approval_confirms_at_once_and_tells_the_requester(room, outsider):
    room.needs_approval = False
    room.save()
    booking = book(room, outsider)[0]
    assert booking.status == Booking.Status.CONFIRMED
    assert OutgoingEmail.objects.filter(
        to=outsider.email, template="venues/email/confirmed.txt"
    ).exists()


def test_a_request_tells_the_managers(room, outsider, manager):
    book(room, outsider)
    assert OutgoingEmail.objects.filter(
        to=manager.email, template="venues/email/requested.txt"
    ).exists()


def test_the_manager_approves_and_the_requester_is_told_with_an_audit_entry(
    room, outsider, manager
):
    booking = book(room, outsider)[0]
    services.approve(booking, manager)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.decided_by == manager
    assert OutgoingEmail.objects.filter(
        to=outsider.email, template="venues/email/confirmed.txt"
    ).exists()
    assert AuditEntry.objects.filter(action="booking.approved", actor=manager).exists()


def test_a_manager_of_another_room_cannot_decide(room, outsider):
    booking = book(room, outsider)[0]
    other_manager = UserFactory()
    RoomFactory().managers.add(other_manager)
    with pytest.raises(PermissionDenied):
        services.approve(booking, other_manager)
    with pytest.raises(PermissionDenied):
        services.refuse(booking, other_manager, reason="Nie")


def test_a_refusal_needs_a_reason_and_the_requester_reads_it(room, outsider, manager):
    booking = book(room, outsider)[0]
    with pytest.raises(services.BookingError) as refused:
        services.refuse(booking, manager, reason="  ")
    assert refused.value.field == "reason"
    services.refuse(booking, manager, reason="Sala zajęta przez dyrekcję")
    message = OutgoingEmail.objects.get(to=outsider.email, template="venues/email/refused.txt")
    assert "Sala zajęta przez dyrekcję" in message.body


# Series


def test_a_weekly_series_books_every_week_at_the_same_time(room, outsider):
    bookings = book(room, outsider, weeks=4)
    assert [b.starts - bookings[0].starts for b in bookings] == [
        timedelta(weeks=n) for n in range(4)
    ]
    assert len({b.series_id for b in bookings}) == 1


def test_a_series_with_one_taken_date_is_refused_whole_naming_the_date(room, outsider):
    BookingFactory(room=room, starts=at(17, 10))
    with pytest.raises(services.BookingError) as refused:
        book(room, outsider, weeks=4)
    assert Booking.objects.count() == 1
    assert str(at(17, 10).day) in refused.value.message
    assert "whole or not at all" in refused.value.message


def test_approving_the_whole_series_confirms_every_request_in_it(room, outsider, manager):
    bookings = book(room, outsider, weeks=3)
    services.approve(bookings[0], manager, whole_series=True)
    assert set(Booking.objects.values_list("status", flat=True)) == {Booking.Status.CONFIRMED}


# Cancellation and the waiting list


def test_the_requester_cancels_and_the_time_is_free_again(room, outsider):
    booking = book(room, outsider)[0]
    services.cancel(booking, outsider)
    assert book(room, UserFactory())


def test_an_admin_of_the_organization_cancels_its_booking(room, organization, org_admin):
    booking = BookingFactory(room=room, organization=organization, group_name="")
    services.cancel(booking, org_admin)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_a_member_of_another_organization_cannot_cancel(room, organization, other_organization):
    booking = BookingFactory(room=room, organization=organization, group_name="")
    stranger = MembershipFactory(organization=other_organization, role="admin").user
    with pytest.raises(PermissionDenied):
        services.cancel(booking, stranger)


def test_a_plain_member_cannot_cancel_a_booking_someone_else_requested(
    room, organization, org_member
):
    booking = BookingFactory(room=room, organization=organization, group_name="")
    with pytest.raises(PermissionDenied):
        services.cancel(booking, org_member)


def test_a_cancelled_slot_is_offered_to_the_first_who_waits_and_held_for_them(
    room, outsider, settings
):
    settings.VENUES_OFFER_HOURS = 12
    booking = book(room, UserFactory())[0]
    first, second = UserFactory(), UserFactory()
    services.join_waiting_list(room, first, starts=at(3, 10), ends=at(3, 12))
    services.join_waiting_list(room, second, starts=at(3, 10), ends=at(3, 12))
    services.cancel(booking, booking.requested_by)
    entry = WaitingListEntry.objects.get(user=first)
    assert entry.status == WaitingListEntry.Status.OFFERED
    assert entry.offer_expires_at - entry.offered_at == timedelta(hours=12)
    assert WaitingListEntry.objects.get(user=second).status == WaitingListEntry.Status.WAITING
    assert OutgoingEmail.objects.filter(to=first.email, template="venues/email/offer.txt").exists()
    with pytest.raises(services.BookingError) as held:
        book(room, outsider)
    assert "offered to the next person" in held.value.message
    book(room, first)
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.BOOKED


def test_an_expired_offer_passes_to_the_next_in_line(room, settings):
    booking = book(room, UserFactory())[0]
    first, second = UserFactory(), UserFactory()
    services.join_waiting_list(room, first, starts=at(3, 10), ends=at(3, 12))
    services.join_waiting_list(room, second, starts=at(3, 10), ends=at(3, 12))
    services.cancel(booking, booking.requested_by)
    WaitingListEntry.objects.filter(user=first).update(offer_expires_at=at(-1, 10))
    services.expire_offers.call()
    assert WaitingListEntry.objects.get(user=first).status == WaitingListEntry.Status.EXPIRED
    assert WaitingListEntry.objects.get(user=second).status == WaitingListEntry.Status.OFFERED


def test_a_free_time_cannot_be_waited_for(room, outsider):
    with pytest.raises(services.BookingError) as refused:
        services.join_waiting_list(room, outsider, starts=at(3, 10), ends=at(3, 12))
    assert "free" in refused.value.message


def test_a_refused_request_frees_the_slot_for_the_waiting_list(room, manager):
    booking = book(room, UserFactory())[0]
    waiting = UserFactory()
    services.join_waiting_list(room, waiting, starts=at(3, 10), ends=at(3, 12))
    services.refuse(booking, manager, reason="Sala w remoncie")
    assert WaitingListEntry.objects.get(user=waiting).status == WaitingListEntry.Status.OFFERED


# No-shows


def test_the_manager_marks_a_no_show_only_after_the_time(room, manager):
    upcoming = BookingFactory(room=room)
    with pytest.raises(services.BookingError):
        services.mark_no_show(upcoming, manager)
    past = BookingFactory(room=room, starts=at(-2, 10))
    services.mark_no_show(past, manager)
    past.refresh_from_db()
    assert past.status == Booking.Status.NO_SHOW
    assert AuditEntry.objects.filter(action="booking.no_show").exists()


def test_a_requester_cannot_mark_a_no_show(room):
    past = BookingFactory(room=room, starts=at(-2, 10))
    with pytest.raises(PermissionDenied):
        services.mark_no_show(past, past.requested_by)


# Free-at search


def test_free_between_leaves_out_rooms_taken_blocked_or_closed_at_that_time(room):
    taken = RoomFactory()
    BookingFactory(room=taken, starts=at(3, 9), ends=at(3, 11))
    blocked = RoomFactory()
    BlockedPeriodFactory(room=blocked)
    closed = RoomFactory(building__open_daily=False)
    touching = RoomFactory()
    BookingFactory(room=touching, starts=at(3, 12), ends=at(3, 14))
    free = room.__class__.objects.free_between(at(3, 10), at(3, 12))
    assert set(free) == {room, touching}
    assert closed not in free
