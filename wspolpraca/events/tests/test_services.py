"""The rules of events, called directly: submission and its checks, moderation,
registration within capacity, the waiting list, deadlines by the server's clock,
cancellation and the day-before reminders."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import Official
from wspolpraca.city.tests.factories import DepartmentFactory, PublicBenefitAreaFactory
from wspolpraca.core import feed
from wspolpraca.core.audit import AuditEntry
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.events import services
from wspolpraca.events.models import Event, Registration
from wspolpraca.organizations.tests.factories import DistrictFactory, MembershipFactory

from .factories import EventFactory, RegistrationFactory, TrainingTopicFactory, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def area():
    return PublicBenefitAreaFactory(code="10")


def _data(area, **changes):
    data = {
        "kind": Event.Kind.EVENT,
        "title": "Dzień otwarty fundacji",
        "description": "Pokażemy, co robimy.",
        "place": "ul. Długa 5",
        "online": False,
        "online_link": "",
        "starts_at": in_days(10, 16),
        "ends_at": in_days(10, 19),
        "capacity": None,
        "registration_until": None,
        "district": None,
        "areas": [area],
    }
    data.update(changes)
    return data


def _emails_to(user):
    return list(OutgoingEmail.objects.filter(to=user.email).order_by("pk"))


# Submitting


def test_a_member_creates_a_draft_of_their_organizations_event(organization, org_member, area):
    event = services.create_event(org_member, _data(area), organization=organization)
    assert event.status == Event.Status.DRAFT
    assert event.organization == organization
    assert list(event.areas.all()) == [area]


def test_an_outsider_cannot_create_an_event_for_an_organization(organization, outsider, area):
    with pytest.raises(PermissionDenied):
        services.create_event(outsider, _data(area), organization=organization)


def test_a_resident_cannot_create_a_training(outsider, area):
    with pytest.raises(PermissionDenied):
        services.create_event(outsider, _data(area, kind=Event.Kind.TRAINING))


def test_an_event_that_ends_before_it_starts_is_refused_next_to_the_end(
    organization, org_member, area
):
    data = _data(area, ends_at=in_days(10, 15))
    with pytest.raises(services.EventError) as error:
        services.create_event(org_member, data, organization=organization)
    assert error.value.field == "ends_at"
    assert "end after it starts" in error.value.message


def test_an_event_in_the_past_is_refused(organization, org_member, area):
    data = _data(area, starts_at=in_days(-1, 10), ends_at=in_days(-1, 12))
    with pytest.raises(services.EventError) as error:
        services.create_event(org_member, data, organization=organization)
    assert error.value.field == "starts_at"


def test_a_capacity_of_zero_is_refused(organization, org_member, area):
    errors = services.event_errors(_data(area, capacity=0))
    assert "capacity" in errors


def test_registration_cannot_close_after_the_event_starts(area):
    errors = services.event_errors(_data(area, capacity=5, registration_until=in_days(10, 17)))
    assert "registration_until" in errors


def test_an_event_needs_a_place_or_to_be_online(area):
    assert "place" in services.event_errors(_data(area, place=""))
    assert (
        services.event_errors(_data(area, place="", online=True, online_link="https://x.pl")) == {}
    )


def test_submitting_sends_an_ngo_event_to_moderation_with_an_audit_entry(
    organization, org_member, area
):
    event = services.create_event(org_member, _data(area), organization=organization)
    services.submit(event, org_member)
    event.refresh_from_db()
    assert event.status == Event.Status.SUBMITTED
    assert event.submitted_at is not None
    assert AuditEntry.objects.filter(action="event.submitted", object_id=str(event.pk)).exists()


def test_a_city_training_is_published_when_sent(official, area):
    department = DepartmentFactory()
    Official.objects.create(user=official, department=department)
    training = _data(
        area, kind=Event.Kind.TRAINING, topics=[TrainingTopicFactory()], level="beginner"
    )
    event = services.create_event(official, training)
    services.submit(event, official)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.department == department
    assert event.organization is None


def test_a_member_of_another_organization_cannot_change_the_event(
    organization, other_organization, area
):
    event = EventFactory(organization=organization, status=Event.Status.DRAFT)
    stranger = MembershipFactory(organization=other_organization).user
    with pytest.raises(PermissionDenied):
        services.update_event(event, stranger, _data(area, title="Przejęte"))
    with pytest.raises(PermissionDenied):
        services.submit(event, stranger)


def test_a_submitted_event_cannot_be_changed(organization, org_member, area):
    event = EventFactory(organization=organization, status=Event.Status.SUBMITTED)
    with pytest.raises(services.EventError):
        services.update_event(event, org_member, _data(area, title="Zmiana"))


# Moderation


@pytest.fixture
def submitted(organization, org_member):
    return EventFactory(
        organization=organization,
        status=Event.Status.SUBMITTED,
        submitted_by=org_member,
        submitted_at=timezone.now(),
        published_at=None,
    )


def test_staff_approve_an_event_its_author_is_emailed_and_it_is_audited(
    submitted, official, org_member
):
    services.approve(submitted, official)
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.PUBLISHED
    assert submitted.moderated_by == official
    assert submitted.published_at is not None
    assert [m.template for m in _emails_to(org_member)] == ["events/email/approved.txt"]
    assert submitted.title in _emails_to(org_member)[0].subject
    assert AuditEntry.objects.filter(action="event.approved").count() == 1


def test_a_resident_cannot_moderate(submitted, outsider):
    with pytest.raises(PermissionDenied):
        services.approve(submitted, outsider)
    with pytest.raises(PermissionDenied):
        services.reject(submitted, outsider, "Nie.")
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.SUBMITTED


def test_an_organization_member_cannot_approve_their_own_event(submitted, org_member):
    with pytest.raises(PermissionDenied):
        services.approve(submitted, org_member)


def test_a_rejection_needs_a_reason(submitted, official):
    with pytest.raises(services.EventError) as error:
        services.reject(submitted, official, "  ")
    assert error.value.field == "reason"


def test_a_rejection_tells_the_author_the_reason(submitted, official, org_member):
    services.reject(submitted, official, "Brak adresu wejścia.")
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.REJECTED
    assert "Brak adresu wejścia." in _emails_to(org_member)[0].body
    entry = AuditEntry.objects.get(action="event.rejected")
    assert entry.changes["rejection_reason"] == [None, "Brak adresu wejścia."]


def test_a_rejected_event_can_be_corrected_and_submitted_again(
    submitted, official, org_member, area
):
    services.reject(submitted, official, "Dodaj opis.")
    services.update_event(submitted, org_member, _data(area, description="Pełny opis."))
    services.submit(submitted, org_member)
    submitted.refresh_from_db()
    assert submitted.status == Event.Status.SUBMITTED
    assert submitted.rejection_reason == ""


def test_an_event_that_has_started_cannot_be_approved(submitted, official):
    with time_machine.travel(submitted.starts_at + timedelta(minutes=1)):
        with pytest.raises(services.EventError):
            services.approve(submitted, official)


# Registration


def test_people_are_registered_up_to_capacity_then_put_on_the_waiting_list():
    event = EventFactory(capacity=2)
    people = UserFactory.create_batch(3)
    statuses = [services.register(event, person).status for person in people]
    assert statuses == ["registered", "registered", "waiting"]


def test_a_person_cannot_register_twice():
    event = EventFactory(capacity=5)
    person = UserFactory()
    services.register(event, person)
    with pytest.raises(services.EventError):
        services.register(event, person)
    assert event.registrations.count() == 1


def test_registration_is_refused_after_its_deadline_by_the_servers_clock():
    event = EventFactory(capacity=5, registration_until=in_days(3, 12))
    with time_machine.travel(in_days(3, 12) + timedelta(seconds=1)):
        with pytest.raises(services.EventError) as error:
            services.register(event, UserFactory())
    assert "closed" in error.value.message
    assert not event.registrations.exists()


def test_registration_closes_when_the_event_starts():
    event = EventFactory(capacity=5)
    with time_machine.travel(event.starts_at):
        with pytest.raises(services.EventError):
            services.register(event, UserFactory())


def test_an_event_without_capacity_takes_no_registrations():
    event = EventFactory(capacity=None)
    with pytest.raises(services.EventError):
        services.register(event, UserFactory())


def test_a_submitted_event_takes_no_registrations(submitted):
    with pytest.raises(services.EventError):
        services.register(submitted, UserFactory())


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_emailed():
    event = EventFactory(capacity=1)
    first, second, third = UserFactory.create_batch(3, language="en")
    services.register(event, first)
    services.register(event, second)
    services.register(event, third)
    services.cancel_registration(event, first)
    statuses = dict(event.registrations.values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "registered", third.pk: "waiting"}
    assert _emails_to(second)[-1].subject.endswith(f"A place for you: {event.title}")
    assert len(_emails_to(third)) == 1  # only the waiting-list notice


def test_the_registration_email_carries_the_title_and_place_unescaped():
    event = EventFactory(title="Kawa & ciasto", place="ul. Długa 5 <parter>")
    person = UserFactory()
    services.register(event, person)
    body = _emails_to(person)[0].body
    assert "Kawa & ciasto" in body and "ul. Długa 5 <parter>" in body
    assert event.get_absolute_url() in body


def test_leaving_the_waiting_list_moves_nobody_up():
    event = EventFactory(capacity=1)
    first, second = UserFactory.create_batch(2)
    services.register(event, first)
    services.register(event, second)
    services.cancel_registration(event, second)
    assert event.registrations.get(user=first).status == "registered"


def test_a_person_who_cancelled_may_register_again():
    event = EventFactory(capacity=3)
    person = UserFactory()
    services.register(event, person)
    services.cancel_registration(event, person)
    assert services.register(event, person).status == "registered"
    assert event.registrations.filter(user=person).count() == 2


# Cancelling an event


def test_cancelling_an_event_emails_everyone_registered_or_waiting(organization, org_member):
    event = EventFactory(organization=organization, capacity=1)
    registered = RegistrationFactory(event=event).user
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITING).user
    gone = RegistrationFactory(event=event, status=Registration.Status.CANCELLED).user
    services.cancel_event(event, org_member, "Choroba prowadzącej.")
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert "Choroba prowadzącej." in _emails_to(registered)[0].body
    assert len(_emails_to(waiting)) == 1
    assert _emails_to(gone) == []
    assert AuditEntry.objects.filter(action="event.cancelled").count() == 1


def test_a_member_of_another_organization_cannot_cancel_the_event(organization, other_organization):
    event = EventFactory(organization=organization)
    stranger = MembershipFactory(organization=other_organization).user
    with pytest.raises(PermissionDenied):
        services.cancel_event(event, stranger, "Nie.")


def test_a_cancelled_event_takes_no_registrations(organization, org_member):
    event = EventFactory(organization=organization)
    services.cancel_event(event, org_member, "Odwołane.")
    with pytest.raises(services.EventError):
        services.register(event, UserFactory())


# Reminders


def test_the_day_before_registered_people_get_one_reminder_however_often_it_runs():
    event = EventFactory(starts_at=in_days(1, 10), ends_at=in_days(1, 12))
    registered = RegistrationFactory(event=event, user=UserFactory(language="en")).user
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITING).user
    EventFactory(starts_at=in_days(2, 10), ends_at=in_days(2, 12))  # not tomorrow
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert [m.subject for m in _emails_to(registered)] == [f"[Współpraca] Tomorrow: {event.title}"]
    assert _emails_to(waiting) == []
    assert event.registrations.get(user=registered).reminded_at is not None


def test_the_reminder_job_is_registered_as_a_daily_task():
    from wspolpraca.core import jobs

    assert services.send_reminders_task in jobs._daily


# The feed


def test_the_feed_holds_published_events_only_with_their_areas_and_district(area):
    district = DistrictFactory(number=3)
    shown = EventFactory(areas=[area], district=district)
    EventFactory(status=Event.Status.SUBMITTED)
    EventFactory(status=Event.Status.CANCELLED)
    found = feed.items(in_days(0, 0), in_days(30, 0), kinds=["event"])
    assert [item.url for item in found] == [shown.get_absolute_url()]
    assert found[0].areas == ("10",)
    assert found[0].district == 3


def test_trainings_and_meetings_are_feed_kinds_of_their_own_with_labels():
    EventFactory(kind=Event.Kind.TRAINING, organization=None, title="Szkolenie z RODO")
    found = feed.items(in_days(0, 0), in_days(30, 0), kinds=["training"])
    assert [item.title for item in found] == ["Szkolenie z RODO"]
    assert feed.label("training") == "Training or workshop"
    assert {"event", "training", "meeting"} <= set(feed.kinds())


def test_the_feed_makes_two_queries_per_kind_whatever_the_number_of_events(
    area, django_assert_num_queries
):
    for _n in range(3):
        EventFactory(areas=[area])
    with django_assert_num_queries(2):
        feed.items(in_days(0, 0), in_days(30, 0), kinds=["event"])
    for _n in range(12):
        EventFactory(areas=[area])
    with django_assert_num_queries(2):
        assert len(feed.items(in_days(0, 0), in_days(30, 0), kinds=["event"])) == 15


def test_a_resident_role_is_not_city_staff():
    assert not UserFactory(role=User.Role.RESIDENT).has_perm("events.moderate_event")
