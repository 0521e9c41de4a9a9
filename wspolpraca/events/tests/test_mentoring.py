"""Mentoring: consultation slots published by mentors and city staff, booked by a member
for their organization (one booking per slot, by the database too), cancelled after a
confirmation page, withdrawn by the mentor; the e-mails, the audit entries, the mentor's
own list, the feed; and the refused side: a resident publishing, a non-member booking, a
person cancelling someone else's booking."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login, with_totp
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core import feed
from wspolpraca.core.audit import AuditEntry
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.events import services
from wspolpraca.events.models import Mentor, MentoringBooking, MentoringSlot
from wspolpraca.organizations.tests.factories import MembershipFactory

from .factories import MentoringBookingFactory, MentoringSlotFactory, TrainingTopicFactory, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SLOTS = reverse("events:slots")
NEW = reverse("events:slot_new")
MINE = reverse("events:mentoring_mine")


@pytest.fixture
def slot(official):
    return MentoringSlotFactory(mentor=official, topic=TrainingTopicFactory(name="Pisanie ofert"))


def _slot_form(**changes):
    day = timezone.localdate() + timedelta(days=5)
    data = {
        "day": day.isoformat(),
        "starts": "10:00",
        "ends": "11:00",
        "topic": "",
        "topic_text": "pomoc w pisaniu oferty",
        "place": "ul. Reymonta 20, pokój 5",
        "online_link": "",
        "note": "",
    }
    data.update(changes)
    return data


def _emails_to(user):
    return list(OutgoingEmail.objects.filter(to=user.email).order_by("pk"))


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Publishing slots


def test_an_official_publishes_a_slot_with_a_free_text_topic(client, official):
    login(client, official)
    response = client.post(NEW, _slot_form())
    slot = MentoringSlot.objects.get()
    assert response["Location"] == slot.get_absolute_url()
    assert slot.mentor == official and slot.subject == "pomoc w pisaniu oferty"
    assert AuditEntry.objects.filter(action="mentoring_slot.published").count() == 1


def test_a_listed_mentor_publishes_a_slot_on_a_training_topic(client):
    mentor = Mentor.objects.create(user=UserFactory(), note="Piszę oferty od 10 lat.").user
    topic = TrainingTopicFactory(name="Rozliczanie dotacji")
    login(client, mentor)
    client.post(NEW, _slot_form(topic=topic.pk, topic_text=""))
    assert MentoringSlot.objects.get().topic == topic


def test_a_resident_cannot_publish_slots(client, outsider):
    login(client, outsider)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _slot_form()).status_code == 403
    assert not MentoringSlot.objects.exists()


def test_an_inactive_mentor_cannot_publish_slots(client):
    mentor = Mentor.objects.create(user=UserFactory(), is_active=False).user
    login(client, mentor)
    assert client.post(NEW, _slot_form()).status_code == 403
    assert not MentoringSlot.objects.exists()


def test_a_slot_without_a_topic_is_refused_next_to_the_topic(client, official):
    login(client, official)
    response = client.post(NEW, _slot_form(topic_text=""))
    assert 'id="id_topic_error"' in response.content.decode()
    assert not MentoringSlot.objects.exists()


def test_a_slot_in_the_past_is_refused_next_to_the_date(client, official):
    login(client, official)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(NEW, _slot_form(day=yesterday))
    assert 'id="id_day_error"' in response.content.decode()
    assert not MentoringSlot.objects.exists()


def test_a_slot_ending_before_it_starts_is_refused(client, official):
    login(client, official)
    response = client.post(NEW, _slot_form(ends="09:00"))
    assert 'id="id_ends_error"' in response.content.decode()


# Booking


def test_a_member_books_a_free_slot_for_their_organization(
    client, slot, organization, org_member, official
):
    login(client, org_member)
    url = reverse("events:book", args=[slot.pk])
    assert "What do you need help with?" in client.get(url).content.decode()
    response = client.post(url, {"need": "Budżet oferty na konkurs senioralny."})
    assert response["Location"] == slot.get_absolute_url()
    booking = MentoringBooking.objects.get()
    assert booking.organization == organization and booking.booked_by == org_member
    assert booking.need == "Budżet oferty na konkurs senioralny."
    assert AuditEntry.objects.filter(action="mentoring_booking.booked").count() == 1


def test_booking_emails_the_mentor_and_confirms_to_the_booker(slot, organization, org_member):
    services.book_slot(slot, org_member, organization, "Budżet oferty.")
    (to_mentor,) = _emails_to(slot.mentor)
    assert "Budżet oferty." in to_mentor.body and organization.name in to_mentor.body
    (to_booker,) = _emails_to(org_member)
    assert "Zarezerwowano konsultację z mentorem" in to_booker.body


def test_what_is_needed_is_required(client, slot, org_member):
    login(client, org_member)
    response = client.post(reverse("events:book", args=[slot.pk]), {"need": " "})
    assert 'id="id_need_error"' in response.content.decode()
    assert not MentoringBooking.objects.exists()


def test_a_member_of_several_organizations_chooses_one(client, slot, organization, org_member):
    other = MembershipFactory(user=org_member).organization
    login(client, org_member)
    url = reverse("events:book", args=[slot.pk])
    response = client.post(url, {"need": "Pomoc."})
    assert 'id="id_organization_error"' in response.content.decode()
    client.post(url, {"need": "Pomoc.", "organization": other.pk})
    assert MentoringBooking.objects.get().organization == other


def test_a_person_in_no_organization_cannot_book(client, slot, outsider):
    login(client, outsider)
    url = reverse("events:book", args=[slot.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"need": "Pomoc."}).status_code == 403
    assert not MentoringBooking.objects.exists()


def test_a_member_cannot_book_for_an_organization_they_are_not_in(
    client, slot, organization, other_organization
):
    stranger = MembershipFactory(organization=other_organization).user
    MembershipFactory(user=stranger)  # two organizations: the form asks which
    login(client, stranger)
    response = client.post(
        reverse("events:book", args=[slot.pk]), {"need": "Pomoc.", "organization": organization.pk}
    )
    assert 'id="id_organization_error"' in response.content.decode()
    assert not MentoringBooking.objects.exists()


def test_the_service_refuses_a_booking_for_someone_elses_organization(slot, organization, outsider):
    with pytest.raises(PermissionDenied):
        services.book_slot(slot, outsider, organization, "Pomoc.")
    assert not MentoringBooking.objects.exists()


def test_a_booked_slot_cannot_be_booked_again(slot, organization, org_member, other_organization):
    services.book_slot(slot, org_member, organization, "Pomoc.")
    second = MembershipFactory(organization=other_organization).user
    with pytest.raises(services.EventError) as error:
        services.book_slot(slot, second, other_organization, "Też pomoc.")
    assert "Someone has just booked this consultation" in error.value.message
    assert MentoringBooking.objects.count() == 1


def test_the_database_holds_one_active_booking_per_slot(slot, organization, org_member):
    MentoringBookingFactory(slot=slot, organization=organization, booked_by=org_member)
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringBookingFactory(slot=slot)


def test_a_booking_that_loses_the_race_gets_the_clear_message(
    slot, organization, org_member, monkeypatch
):
    """Someone else's booking committed between the check and the insert: the unique
    constraint refuses the second, and the person is told the slot is taken."""
    MentoringBookingFactory(slot=slot)
    real_active = MentoringBooking.objects.active

    class SeesNothing:
        def exists(self):
            return False

    monkeypatch.setattr(type(slot.bookings), "active", lambda self: SeesNothing(), raising=False)
    with pytest.raises(services.EventError) as error:
        services.book_slot(slot, org_member, organization, "Pomoc.")
    assert error.value.message == services.taken_message()
    assert real_active().count() == 1


def test_a_slot_that_has_started_cannot_be_booked(slot, organization, org_member):
    with time_machine.travel(slot.starts_at + timedelta(minutes=1)):
        with pytest.raises(services.EventError) as error:
            services.book_slot(slot, org_member, organization, "Pomoc.")
    assert "Booking closed" in error.value.message
    assert not MentoringBooking.objects.exists()


def test_booking_closes_at_the_slots_start_on_the_page_too(client, slot, org_member):
    login(client, org_member)
    with time_machine.travel(slot.starts_at + timedelta(minutes=1)):
        response = client.post(reverse("events:book", args=[slot.pk]), {"need": "Pomoc."})
    assert "Booking closed when the consultation started." in response.content.decode()
    assert not MentoringBooking.objects.exists()


def test_a_mentor_cannot_book_their_own_slot(slot, official, organization):
    MembershipFactory(organization=organization, user=official)
    with pytest.raises(services.EventError):
        services.book_slot(slot, official, organization, "Pomoc.")


# Cancelling


def test_the_booker_cancels_after_a_confirmation_page(client, slot, organization, org_member):
    booking = services.book_slot(slot, org_member, organization, "Pomoc.")
    login(client, org_member)
    url = reverse("events:cancel_booking", args=[booking.pk])
    page = client.get(url).content.decode()
    assert "Cancel the consultation" in page
    booking.refresh_from_db()
    assert booking.status == MentoringBooking.Status.BOOKED
    client.post(url)
    booking.refresh_from_db()
    assert booking.status == MentoringBooking.Status.CANCELLED
    assert AuditEntry.objects.filter(action="mentoring_booking.cancelled").count() == 1


def test_cancelling_emails_the_mentor_and_frees_the_slot(slot, organization, org_member):
    booking = services.book_slot(slot, org_member, organization, "Pomoc.")
    services.cancel_booking(booking, org_member)
    assert "anulowała rezerwację" in _emails_to(slot.mentor)[-1].body
    assert MentoringSlot.objects.bookable().filter(pk=slot.pk).exists()
    second = MembershipFactory(organization=organization).user
    services.book_slot(slot, second, organization, "Jednak my.")


def test_a_person_cannot_cancel_someone_elses_booking(client, slot, organization, org_member):
    booking = services.book_slot(slot, org_member, organization, "Pomoc.")
    colleague = MembershipFactory(organization=organization).user
    login(client, colleague)
    url = reverse("events:cancel_booking", args=[booking.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    booking.refresh_from_db()
    assert booking.status == MentoringBooking.Status.BOOKED
    with pytest.raises(PermissionDenied):
        services.cancel_booking(booking, colleague)


def test_a_booking_cannot_be_cancelled_once_the_slot_started(slot, organization, org_member):
    booking = services.book_slot(slot, org_member, organization, "Pomoc.")
    with time_machine.travel(slot.starts_at + timedelta(minutes=1)):
        with pytest.raises(services.EventError):
            services.cancel_booking(booking, org_member)


# Withdrawing


def test_the_mentor_withdraws_a_booked_slot_and_the_booker_is_told(
    client, slot, official, organization, org_member
):
    booking = services.book_slot(slot, org_member, organization, "Pomoc.")
    login(client, official)
    url = reverse("events:withdraw", args=[slot.pk])
    assert "Withdraw the consultation" in client.get(url).content.decode()
    client.post(url)
    slot.refresh_from_db()
    booking.refresh_from_db()
    assert slot.is_withdrawn and booking.status == MentoringBooking.Status.CANCELLED
    assert "konsultacja została wycofana" in _emails_to(org_member)[-1].body


def test_another_official_cannot_withdraw_a_mentors_slot(client, slot):
    other = with_totp(UserFactory(role="official"))
    login(client, other)
    assert client.post(reverse("events:withdraw", args=[slot.pk])).status_code == 403
    slot.refresh_from_db()
    assert not slot.is_withdrawn


# Pages


def test_the_list_shows_free_slots_to_come_only(client, official):
    MentoringSlotFactory(mentor=official, topic_text="Wolny", topic=None)
    taken = MentoringSlotFactory(mentor=official, topic_text="Zajęty", topic=None)
    MentoringBookingFactory(slot=taken)
    MentoringSlotFactory(
        mentor=official,
        topic_text="Miniony",
        topic=None,
        starts_at=in_days(-2, 10),
        ends_at=in_days(-2, 11),
    )
    html = client.get(SLOTS).content.decode()
    assert "Wolny" in html and "Zajęty" not in html and "Miniony" not in html


def test_the_list_filters_by_topic_in_the_url(client, official):
    writing = TrainingTopicFactory(name="Pisanie ofert")
    MentoringSlotFactory(mentor=official, topic=writing)
    MentoringSlotFactory(mentor=official, topic=TrainingTopicFactory(name="Księgowość"))
    page = client.get(SLOTS, {"temat": writing.pk}).context["page"]
    assert [slot.subject for slot in page] == ["Pisanie ofert"]


def test_the_list_makes_the_same_queries_for_3_and_30_slots(client, official):
    for _n in range(3):
        MentoringSlotFactory(mentor=official)
    few = _queries(client, SLOTS)
    for _n in range(27):
        MentoringSlotFactory(mentor=official)
    assert _queries(client, SLOTS) == few


def test_the_booking_and_the_link_are_hidden_from_other_people(client, official, outsider):
    slot = MentoringSlotFactory(
        mentor=official, online=True, place="", online_link="https://meet.example.org/tajne"
    )
    MentoringBookingFactory(slot=slot, need="Tajna sprawa fundacji.")
    login(client, outsider)
    html = client.get(slot.get_absolute_url()).content.decode()
    assert "meet.example.org/tajne" not in html and "Tajna sprawa" not in html
    assert "This date is booked." in html


def test_the_mentor_sees_the_booking_on_the_slots_page(client, slot, official):
    MentoringBookingFactory(slot=slot, need="Tajna sprawa fundacji.")
    login(client, official)
    assert "Tajna sprawa fundacji." in client.get(slot.get_absolute_url()).content.decode()


def test_the_mentor_sees_their_slots_and_bookings(client, slot, official, organization):
    MentoringBookingFactory(slot=slot, organization=organization, need="Budżet oferty.")
    MentoringSlotFactory(mentor=official, topic_text="Drugi termin", topic=None)
    login(client, official)
    html = client.get(MINE).content.decode()
    assert "Pisanie ofert" in html and "Budżet oferty." in html
    assert organization.name in html and "Drugi termin" in html


def test_my_consultations_list_my_organizations_bookings(client, slot, organization, org_member):
    services.book_slot(slot, org_member, organization, "Pomoc.")
    login(client, org_member)
    html = client.get(MINE).content.decode()
    assert "Pisanie ofert" in html and "Cancel the booking" in html


def test_my_consultations_make_the_same_queries_for_2_and_20_slots(client, official):
    def make(n):
        for _i in range(n):
            MentoringBookingFactory(slot=MentoringSlotFactory(mentor=official))

    make(2)
    login(client, official)
    few = _queries(client, MINE)
    make(18)
    assert _queries(client, MINE) == few


# The feed


def test_free_slots_are_in_the_feed_without_booker_names(official):
    MentoringSlotFactory(mentor=official, topic_text="Wolny termin", topic=None)
    booked = MentoringSlotFactory(mentor=official, topic_text="Zajęty termin", topic=None)
    MentoringBookingFactory(slot=booked)
    items = feed.items(in_days(0, 0), in_days(10, 0), kinds={"mentoring"})
    assert [i.title for i in items] == ["Consultation: Wolny termin"]
    assert feed.label("mentoring") == "Consultation with a mentor"
    assert "mentoring" in feed.kinds(dated=True)


# Listing mentors in the back office


def test_staff_list_a_mentor_by_the_e_mail_of_their_account(client, platform_admin):
    person = UserFactory(email="joanna@example.org")
    login(client, platform_admin)
    response = client.post(
        reverse("admin:events_mentor_add"),
        {"email": "Joanna@example.org", "note": "Pisze oferty.", "is_active": "on"},
    )
    assert response.status_code == 302
    mentor = Mentor.objects.get()
    assert mentor.user == person and mentor.note == "Pisze oferty."
    assert AuditEntry.objects.filter(action="mentor.created").exists()
    assert person.has_perm("events.publish_mentoring_slot")


def test_an_unknown_address_is_refused_next_to_the_field(client, platform_admin):
    login(client, platform_admin)
    response = client.post(
        reverse("admin:events_mentor_add"), {"email": "nikt@example.org", "is_active": "on"}
    )
    assert "No account has this e-mail address." in response.content.decode()
    assert not Mentor.objects.exists()


def test_my_export_lists_my_mentoring_bookings(client, slot, organization, org_member):
    import json

    services.book_slot(slot, org_member, organization, "Budżet oferty.")
    login(client, org_member)
    data = json.loads(client.post(reverse("accounts:export")).content)
    (booking,) = data["mentoring_bookings"]
    assert (booking["organization"], booking["need"]) == (organization.name, "Budżet oferty.")
    assert data["event_registrations"] == []
