"""The pages of the training offer and of mentoring: the list of upcoming trainings with
filters in the URL, a page per training topic, consultation slots with mentors (the list,
a slot's page, publishing, booking for an organization, cancelling, withdrawing) and
the mentor's own list of slots and bookings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wspolpraca.city.models import TrainingTopic
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.organizations.models import Organization, PublicBenefitArea

from . import services
from .forms import BookingForm, SlotFilterForm, SlotForm, TrainingFilterForm, add_slot_error
from .models import Event, MentoringBooking, MentoringSlot

PAGE_SIZE = 20


# ---------------------------------------------------------------------------------------
# The training offer


def trainings(request):
    """/szkolenia/: upcoming trainings with their free places and waiting lists."""
    topics = list(TrainingTopic.objects.all())
    form = TrainingFilterForm(
        request.GET or None, topics=topics, areas=list(PublicBenefitArea.objects.current())
    )
    found = form.apply(Event.objects.upcoming_trainings())
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/trainings.html",
        {
            "form": form,
            "page": page,
        },
    )


def topics(request):
    """Every training topic with the number of trainings planned on it."""
    now = timezone.now()
    rows = TrainingTopic.objects.annotate(
        planned=Count(
            "events",
            filter=Q(
                events__status=Event.Status.PUBLISHED,
                events__kind=Event.Kind.TRAINING,
                events__ends_at__gt=now,
            ),
        )
    ).order_by("position", "name")
    return render(request, "events/topics.html", {"rows": rows})


def topic(request, pk):
    """A training topic: its planned trainings (or that none is planned) and the free
    consultations with mentors on it."""
    topic = get_object_or_404(TrainingTopic, pk=pk)
    found = Event.objects.upcoming_trainings().filter(topics=topic)
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    slots = list(MentoringSlot.objects.bookable().filter(topic=topic).for_listing()[:10])
    return render(
        request,
        "events/topic.html",
        {"topic": topic, "page": page, "slots": slots},
    )


# ---------------------------------------------------------------------------------------
# Mentoring: the slots


def slots(request):
    """Free consultations with mentors, soonest first; booking closes at their start."""
    topics = list(TrainingTopic.objects.all())
    form = SlotFilterForm(request.GET or None, topics=topics)
    found = MentoringSlot.objects.bookable().for_listing()
    topic = form.value("temat")
    if topic:
        found = found.filter(topic=topic)
    page = CappedPaginator(found.order_by("starts_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/slots.html",
        {
            "form": form,
            "page": page,
            "may_publish": request.user.has_perm("events.publish_mentoring_slot"),
        },
    )


def _organizations_of(user):
    if not user.is_authenticated:
        return []
    return list(Organization.objects.filter(memberships__user=user).order_by("sort_name", "pk"))


def slot(request, pk):
    slot = get_object_or_404(MentoringSlot.objects.for_listing(), pk=pk)
    booking = slot.bookings.active().select_related("organization", "booked_by").first()
    user = request.user
    is_mentor = user.is_authenticated and slot.mentor_id == user.pk
    organizations = _organizations_of(user)
    # The booking's details are for the mentor and the organization that booked.
    sees_booking = booking is not None and (
        is_mentor or booking.organization_id in {o.pk for o in organizations}
    )
    return render(
        request,
        "events/slot.html",
        {
            "slot": slot,
            "booking": booking,
            "is_mentor": is_mentor,
            "sees_booking": sees_booking,
            "can_cancel": booking is not None
            and booking.booked_by_id == user.pk
            and slot.bookable(),
            "bookable": booking is None and slot.bookable() and not is_mentor,
            "may_book": bool(organizations),
            "show_link": slot.online and (is_mentor or sees_booking),
            "may_withdraw": not slot.is_withdrawn
            and slot.bookable()
            and user.has_perm("events.withdraw_mentoring_slot", slot),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def slot_new(request):
    """Publish a consultation slot: listed mentors, officials and coordinators."""
    if not request.user.has_perm("events.publish_mentoring_slot"):
        raise PermissionDenied
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slot = services.publish_slot(request.user, form.service_data())
        except services.EventError as error:
            add_slot_error(form, error)
        else:
            messages.success(
                request, _("The consultation is published: organizations can book it now.")
            )
            return redirect(slot.get_absolute_url())
    return render(request, "events/slot_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def book(request, pk):
    """Book a free slot for one's organization, saying what the help is needed with."""
    slot = get_object_or_404(MentoringSlot.objects.for_listing(), pk=pk)
    organizations = _organizations_of(request.user)
    if not organizations:
        return render(request, "events/slot_not_allowed.html", {"slot": slot}, status=403)
    form = BookingForm(request.POST or None, organizations=organizations)
    obstacles = []
    if slot.is_withdrawn:
        obstacles.append(_("The mentor has withdrawn this consultation."))
    elif not slot.bookable():
        obstacles.append(_("Booking closed when the consultation started."))
    elif slot.bookings.active().exists():
        obstacles.append(services.taken_message())
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            services.book_slot(
                slot, request.user, form.chosen_organization(), form.cleaned_data["need"]
            )
        except services.EventError as error:
            if error.field:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                obstacles.append(error.message)
        else:
            messages.success(
                request,
                _("The consultation is booked. We have e-mailed you and the mentor."),
            )
            return redirect(slot.get_absolute_url())
    return render(request, "events/book.html", {"slot": slot, "form": form, "obstacles": obstacles})


@login_required
@require_http_methods(["GET", "POST"])
def cancel_booking(request, pk):
    """The person who booked gives the slot up, after a page of its own."""
    booking = get_object_or_404(
        MentoringBooking.objects.select_related("slot", "slot__topic", "organization"), pk=pk
    )
    if not request.user.has_perm("events.cancel_mentoring_booking", booking):
        raise PermissionDenied
    slot = booking.slot
    obstacles = []
    if booking.status != MentoringBooking.Status.BOOKED:
        obstacles.append(_("This booking is cancelled already."))
    elif timezone.now() >= slot.starts_at:
        obstacles.append(_("The consultation has started; the booking can no longer be cancelled."))
    if request.method == "POST" and not obstacles:
        try:
            services.cancel_booking(booking, request.user)
        except services.EventError as error:
            obstacles.append(error.message)
        else:
            messages.success(request, _("Your booking is cancelled; the mentor is told."))
            return redirect("events:mentoring_mine")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Cancel the consultation “%(subject)s”?")
            % {"subject": slot.subject},
            "consequences": [
                _("The mentor gets an e-mail that you will not come."),
                _("The date is free again: another organization may book it."),
            ],
            "confirm_button": _("Cancel the booking"),
            "cancel_url": slot.get_absolute_url(),
            "cancel_label": _("Keep the booking"),
            "obstacles": obstacles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """The mentor takes a slot back, after a page of its own."""
    slot = get_object_or_404(MentoringSlot.objects.for_listing(), pk=pk)
    if not request.user.has_perm("events.withdraw_mentoring_slot", slot):
        raise PermissionDenied
    obstacles = []
    if slot.is_withdrawn:
        obstacles.append(_("This consultation is withdrawn already."))
    elif not slot.bookable():
        obstacles.append(_("The consultation has started; it can no longer be withdrawn."))
    if request.method == "POST" and not obstacles:
        try:
            services.withdraw_slot(slot, request.user)
        except services.EventError as error:
            obstacles.append(error.message)
        else:
            messages.success(request, _("The consultation is withdrawn."))
            return redirect("events:mentoring_mine")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Withdraw the consultation “%(subject)s”?")
            % {"subject": slot.subject},
            "consequences": [
                _("It is no longer offered to organizations."),
                _("If an organization has booked it, the booking is cancelled and they are told."),
            ],
            "confirm_button": _("Withdraw the consultation"),
            "cancel_url": slot.get_absolute_url(),
            "cancel_label": _("Keep it"),
            "obstacles": obstacles,
        },
    )


@login_required
def mentoring_mine(request):
    """The mentor's slots to come with their bookings, and the bookings of the person's
    organizations."""
    now = timezone.now()
    user = request.user
    own_slots = CappedPaginator(
        MentoringSlot.objects.filter(mentor=user, ends_at__gte=now)
        .select_related("topic")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=MentoringBooking.objects.active().select_related(
                    "organization", "booked_by"
                ),
                to_attr="active_bookings",
            )
        )
        .order_by("starts_at", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    bookings = CappedPaginator(
        MentoringBooking.objects.active()
        .filter(organization__memberships__user=user, slot__ends_at__gte=now)
        .select_related("slot", "slot__topic", "slot__mentor", "organization", "booked_by")
        .order_by("slot__starts_at", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("rezerwacje"))
    return render(
        request,
        "events/mentoring_mine.html",
        {
            "own_slots": own_slots,
            "bookings": bookings,
            "may_publish": user.has_perm("events.publish_mentoring_slot"),
            "slots_url": reverse("events:slots"),
        },
    )
