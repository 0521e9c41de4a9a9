"""The rooms' pages: the search (list and map), a room with its week, booking (form →
check your answers → the booking's page), the waiting list, "my bookings", the managers'
queue and decisions, iCal feeds, and the support places."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from icalendar import Calendar, Event

from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.organizations.models import District, Organization

from . import services
from .forms import (
    ApproveForm,
    BookingForm,
    RefuseForm,
    RoomFilterForm,
    WaitingListForm,
    add_service_error,
    aware,
)
from .models import Booking, Room, SupportPlace, WaitingListEntry

PAGE_SIZE = 20
MAP_POINTS = 1000
ICAL_DAYS_BACK = 31
ICAL_DAYS_AHEAD = 366
ICAL_SALT = "venues.organization-ical"
DRAFT_KEY = "venues_booking_draft"


def _organizations_of(user):
    if not user.is_authenticated:
        return []
    return list(
        Organization.objects.filter(memberships__user=user)
        .exclude(verification=Organization.Verification.REJECTED)
        .order_by("sort_name", "id")
    )


def _room(slug):
    rooms = Room.objects.select_related("building__district").prefetch_related(
        "hours", "building__hours", "photos"
    )
    return get_object_or_404(rooms, slug=slug, is_active=True)


# ---------------------------------------------------------------------------------------
# Search: list and map


def _search(request):
    form = RoomFilterForm(request.GET or None)
    rooms = form.filter(Room.objects.active().for_listing()) if form.is_bound else None
    if rooms is None:
        rooms = Room.objects.active().for_listing()
    return form, rooms


def room_list(request):
    form, rooms = _search(request)
    page = CappedPaginator(rooms.order_by("building__name", "name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "venues/list.html",
        {"form": form, "page": page, "free_at": form.free_at() if form.is_bound else None},
    )


def room_map(request):
    """The filtered rooms by building on a map; the list view is the fallback."""
    form, rooms = _search(request)
    rows = rooms.filter(
        building__latitude__isnull=False, building__longitude__isnull=False
    ).values_list(
        "name",
        "slug",
        "capacity",
        "building_id",
        "building__name",
        "building__street",
        "building__latitude",
        "building__longitude",
    )[:MAP_POINTS]
    buildings = {}
    for name, slug, capacity, building_id, b_name, street, lat, lon in rows:
        point = buildings.setdefault(
            building_id,
            {"name": b_name, "address": street, "lat": float(lat), "lon": float(lon), "rooms": []},
        )
        point["rooms"].append(
            {
                "name": name,
                "url": reverse("venues:room", args=[slug]),
                "capacity": capacity,
            }
        )
    return render(
        request,
        "venues/map.html",
        {"form": form, "points": list(buildings.values())},
    )


# ---------------------------------------------------------------------------------------
# A room


def _week(request):
    try:
        day = date.fromisoformat(request.GET.get("tydzien", ""))
    except ValueError:
        day = timezone.localdate()
    return services.week_of(day)


def room_detail(request, slug):
    room = _room(slug)
    monday = _week(request)
    return render(
        request,
        "venues/room.html",
        {
            "room": room,
            "building": room.building,
            "hours": room.bookable_hours(),
            "photos": list(room.photos.all()),
            "week": services.week_table(room, monday),
            "monday": monday,
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "sunday": monday + timedelta(days=6),
            "manages": request.user.has_perm("venues.manage_room", room),
        },
    )


# ---------------------------------------------------------------------------------------
# Booking: the form, check your answers, the booking's page


def _typed(post):
    return {name: post.getlist(name) for name in post if name != "csrfmiddlewaretoken"}


def _as_query_dict(typed):
    data = QueryDict(mutable=True)
    for name, values in (typed or {}).items():
        data.setlist(name, values)
    return data


def _draft(request, room):
    draft = request.session.get(DRAFT_KEY) or {}
    return draft.get("data") if draft.get("room") == room.pk else None


def _initial(request, organizations):
    initial = {"weeks": 1}
    for name in ("data", "od", "do"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    if len(organizations) == 1:
        initial["kto"] = f"org-{organizations[0].pk}"
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def book(request, slug):
    """Step 1: the request's questions; a taken time is said next to the date already."""
    room = _room(slug)
    organizations = _organizations_of(request.user)
    waiting_url = ""
    if request.method == "POST":
        form = BookingForm(request.POST, room=room, organizations=organizations)
        if form.is_valid():
            try:
                services.check_request(room, request.user, **form.request_values())
            except services.BookingError as error:
                if error.message == services.taken_message():
                    waiting_url = _waiting_url(room, form)  # before the error drops the date
                add_service_error(form, error)
            else:
                request.session[DRAFT_KEY] = {"room": room.pk, "data": _typed(request.POST)}
                return redirect("venues:book_check", slug=room.slug)
    elif _draft(request, room) and "data" not in request.GET:
        form = BookingForm(
            _as_query_dict(_draft(request, room)), room=room, organizations=organizations
        )
    else:
        form = BookingForm(
            room=room, organizations=organizations, initial=_initial(request, organizations)
        )
    return render(
        request,
        "venues/book.html",
        {"room": room, "form": form, "waiting_url": waiting_url},
    )


def _waiting_url(room, form):
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    if not (data.get("data") and data.get("od") and data.get("do")):
        return ""
    query = QueryDict(mutable=True)
    query.update(
        {"data": data["data"].isoformat(), "od": f"{data['od']:%H:%M}", "do": f"{data['do']:%H:%M}"}
    )
    if str(data.get("kto", "")).startswith("org-"):  # the waiting list keeps who asked
        query["organizacja"] = data["kto"][4:]
    return f"{reverse('venues:wait', args=[room.slug])}?{query.urlencode()}"


@login_required
@require_http_methods(["GET", "POST"])
def book_check(request, slug):
    """Step 2: check your answers; the button sends the request (or books at once)."""
    room = _room(slug)
    organizations = _organizations_of(request.user)
    typed = _draft(request, room)
    if typed is None:
        return redirect("venues:book", slug=room.slug)
    form = BookingForm(_as_query_dict(typed), room=room, organizations=organizations)
    if not form.is_valid():
        return redirect("venues:book", slug=room.slug)
    values = form.request_values()
    problem, waiting_url = None, ""
    if request.method == "POST":
        try:
            bookings = services.request_booking(room, request.user, **values)
        except services.BookingError as error:
            problem = error.message
            if error.message == services.taken_message():
                waiting_url = _waiting_url(room, form)
        else:
            request.session.pop(DRAFT_KEY, None)
            first = bookings[0]
            if first.status == Booking.Status.CONFIRMED:
                messages.success(
                    request,
                    _("The room is booked: booking no. %(number)s. A confirmation is on its way.")
                    % {"number": first.number},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your request no. %(number)s is sent. The room's manager decides on "
                        "it; you will get an e-mail."
                    )
                    % {"number": first.number},
                )
            return redirect(first.get_absolute_url())
    times = services.occurrences(values["starts"], values["ends"], values["weeks"])
    return render(
        request,
        "venues/check.html",
        {
            "room": room,
            "form": form,
            "values": values,
            "answers": form.answers(),
            "times": [(timezone.localtime(s), timezone.localtime(e)) for s, e in times],
            "problem": problem,
            "waiting_url": waiting_url,
            "change_url": reverse("venues:book", args=[room.slug]),
        },
    )


def _booking(request, pk, perm="venues.view_booking"):
    booking = get_object_or_404(
        Booking.objects.select_related(
            "room__building__district", "organization", "requested_by", "decided_by", "series"
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, booking):
        raise PermissionDenied
    return booking


@login_required
def booking_detail(request, pk):
    booking = _booking(request, pk)
    user = request.user
    may_decide = user.has_perm("venues.decide_booking", booking)
    return render(
        request,
        "venues/booking.html",
        {
            "booking": booking,
            "room": booking.room,
            "may_cancel": user.has_perm("venues.cancel_booking", booking)
            and services.cancel_problem(booking) is None,
            "may_decide": may_decide and booking.status == Booking.Status.REQUESTED,
            "may_mark": may_decide
            and booking.status == Booking.Status.CONFIRMED
            and booking.ends <= timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    booking = _booking(request, pk, "venues.cancel_booking")
    detail_url = booking.get_absolute_url()
    if request.method == "POST":
        try:
            services.cancel(booking, request.user)
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The booking is cancelled."))
        return redirect(detail_url)
    problem = services.cancel_problem(booking)
    context = {
        "confirm_title": _("Cancel booking no. %(number)s?") % {"number": booking.number},
        "confirm_intro": _("%(room)s, %(when)s.")
        % {"room": booking.room, "when": services._span(booking.starts, booking.ends)},
        "consequences": [
            _("The room's time is freed; the first person on its waiting list is offered it."),
            _("The cancellation is recorded; the booking stays in the list as cancelled."),
            _("The room's managers are told by e-mail."),
        ],
        "confirm_button": _("Cancel the booking"),
        "cancel_url": detail_url,
        "cancel_label": _("Keep the booking"),
        "obstacles": [problem] if problem else [],
    }
    return render(request, "core/confirm.html", context)


# ---------------------------------------------------------------------------------------
# The waiting list


@login_required
@require_http_methods(["GET", "POST"])
def join_waiting_list(request, slug):
    room = _room(slug)
    source = request.POST if request.method == "POST" else request.GET
    try:
        day = date.fromisoformat(source.get("data", ""))
        starts = aware(day, datetime.strptime(source.get("od", ""), "%H:%M").time())
        ends = aware(day, datetime.strptime(source.get("do", ""), "%H:%M").time())
    except ValueError:
        messages.error(request, _("Choose the date and time you want to wait for."))
        return redirect(room.get_absolute_url())
    organizations = _organizations_of(request.user)
    form = WaitingListForm(
        request.POST or None,
        organizations=organizations,
        initial={"organization": request.GET.get("organizacja", "")},
    )
    obstacles = []
    if request.method == "POST" and form.is_valid():
        try:
            services.join_waiting_list(
                room, request.user, starts=starts, ends=ends, organization=form.chosen()
            )
        except services.BookingError as error:
            obstacles = [error.message]
        else:
            messages.success(
                request,
                _(
                    "You are on the waiting list. If the time frees up, we will e-mail you "
                    "and keep it for you for %(hours)s hours."
                )
                % {"hours": services.offer_hours()},
            )
            return redirect("venues:my_bookings")
    context = {
        "confirm_title": _("Join the waiting list for %(room)s?") % {"room": room},
        "confirm_intro": services._span(starts, ends),
        "consequences": [
            _("If this time frees up, it is offered first to those who joined first."),
            _("We e-mail you a link; the time is kept for you for %(hours)s hours.")
            % {"hours": services.offer_hours()},
            _("You can leave the waiting list at any time in “My bookings”."),
        ],
        "form": form if organizations else None,
        "hidden": {
            "data": source.get("data"),
            "od": source.get("od"),
            "do": source.get("do"),
        },
        "confirm_button": _("Join the waiting list"),
        "cancel_url": room.get_absolute_url(),
        "obstacles": obstacles,
    }
    return render(request, "venues/wait.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def leave_waiting_list(request, pk):
    entry = get_object_or_404(WaitingListEntry.objects.select_related("room"), pk=pk)
    if entry.user_id != request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        services.leave_waiting_list(entry, request.user)
        messages.success(request, _("You have left the waiting list."))
        return redirect("venues:my_bookings")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Leave the waiting list for %(room)s?") % {"room": entry.room},
            "confirm_intro": services._span(entry.starts, entry.ends),
            "consequences": [_("If the time frees up, it is offered to the next person.")],
            "confirm_button": _("Leave the waiting list"),
            "cancel_url": reverse("venues:my_bookings"),
        },
    )


# ---------------------------------------------------------------------------------------
# My bookings


def organization_token(organization):
    return signing.Signer(salt=ICAL_SALT).sign(str(organization.pk))


@login_required
def my_bookings(request):
    page = CappedPaginator(services.bookings_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    waiting = list(
        WaitingListEntry.objects.filter(
            user=request.user,
            status__in=(WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED),
            ends__gt=timezone.now(),
        )
        .select_related("room__building")
        .order_by("starts")[:50]
    )
    feeds = [
        (o, reverse("venues:organization_ical", args=[organization_token(o)]))
        for o in _organizations_of(request.user)
    ]
    return render(
        request,
        "venues/my_bookings.html",
        {
            "page": page,
            "waiting": waiting,
            "feeds": feeds,
            "offer_links": {e.pk: services.booking_link(e) for e in waiting},
        },
    )


# ---------------------------------------------------------------------------------------
# Managers: the queue, decisions, no-shows


@login_required
def queue(request):
    rooms = services.managed_rooms(request.user)
    if not rooms.exists():
        raise PermissionDenied
    page = CappedPaginator(services.decision_queue(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "venues/queue.html",
        {"page": page, "to_mark": list(services.to_mark(request.user)[:50])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    booking = _booking(request, pk, "venues.decide_booking")
    series = booking.series_id is not None
    approve_form = ApproveForm(prefix="zatwierdz", series=series)
    refuse_form = RefuseForm(prefix="odmowa", series=series)
    if request.method == "POST" and booking.status == Booking.Status.REQUESTED:
        try:
            if request.POST.get("action") == "approve":
                approve_form = ApproveForm(request.POST, prefix="zatwierdz", series=series)
                if approve_form.is_valid():
                    services.approve(
                        booking,
                        request.user,
                        whole_series=approve_form.cleaned_data.get("whole_series", False),
                    )
                    messages.success(
                        request, _("The booking is approved; the requester is told by e-mail.")
                    )
                    return redirect("venues:queue")
            else:
                refuse_form = RefuseForm(request.POST, prefix="odmowa", series=series)
                if refuse_form.is_valid():
                    services.refuse(
                        booking,
                        request.user,
                        reason=refuse_form.cleaned_data["reason"],
                        whole_series=refuse_form.cleaned_data.get("whole_series", False),
                    )
                    messages.success(
                        request, _("The request is refused; the requester is told by e-mail.")
                    )
                    return redirect("venues:queue")
        except services.BookingError as error:
            if error.field == "reason":
                refuse_form.add_error("reason", error.message)
            else:
                messages.error(request, error.message)
                return redirect(booking.get_absolute_url())
    return render(
        request,
        "venues/decide.html",
        {
            "booking": booking,
            "room": booking.room,
            "approve_form": approve_form,
            "refuse_form": refuse_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def no_show(request, pk):
    booking = _booking(request, pk, "venues.decide_booking")
    if request.method == "POST":
        try:
            services.mark_no_show(booking, request.user)
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The booking is marked as a no-show."))
        return redirect("venues:queue")
    problem = None
    if booking.status != Booking.Status.CONFIRMED:
        problem = _("Only a confirmed booking can be marked as a no-show.")
    elif booking.ends > timezone.now():
        problem = _("A no-show can be marked only after the booking's time.")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Mark booking no. %(number)s as a no-show?")
            % {"number": booking.number},
            "confirm_intro": _("%(who)s, %(room)s, %(when)s.")
            % {
                "who": booking.who,
                "room": booking.room,
                "when": services._span(booking.starts, booking.ends),
            },
            "consequences": [
                _("The booking is recorded as one nobody came to; this stays in its history.")
            ],
            "confirm_button": _("Mark as a no-show"),
            "cancel_url": reverse("venues:queue"),
            "obstacles": [problem] if problem else [],
        },
    )


# ---------------------------------------------------------------------------------------
# iCal


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//Współpraca//sale//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    return calendar


def _event(request, booking, summary, status):
    host = request.get_host().split(":")[0]
    event = Event()
    event.add("uid", f"rezerwacja-{booking.pk}@{host}")
    event.add("dtstamp", booking.decided_at or booking.created_at)
    # Local times with their zone: DTSTART;TZID=Europe/Warsaw, and a VTIMEZONE added.
    event.add("dtstart", timezone.localtime(booking.starts))
    event.add("dtend", timezone.localtime(booking.ends))
    event.add("summary", summary)
    event.add(
        "location",
        f"{booking.room.building.name}, {booking.room.name}, {booking.room.building.address}",
    )
    event.add("status", status)
    event.add("url", request.build_absolute_uri(booking.room.get_absolute_url()))
    return event


def _ics(calendar, filename):
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _window():
    now = timezone.now()
    return now - timedelta(days=ICAL_DAYS_BACK), now + timedelta(days=ICAL_DAYS_AHEAD)


def room_ical(request, slug):
    """The room's confirmed public bookings: their purpose and organization, no names."""
    room = _room(slug)
    start, end = _window()
    bookings = (
        Booking.objects.public_confirmed()
        .filter(room=room, starts__gte=start, starts__lt=end)
        .select_related("organization", "room__building")
        .order_by("starts")[:2000]
    )
    calendar = _calendar(str(room))
    for booking in bookings:
        calendar.add_component(_event(request, booking, booking.public_title, "CONFIRMED"))
    return _ics(calendar, f"sala-{room.slug}.ics")


def organization_ical(request, token):
    """An organization's bookings (requested ones as tentative), at an address signed so
    that a calendar can subscribe without signing in."""
    try:
        pk = signing.Signer(salt=ICAL_SALT).unsign(token)
    except signing.BadSignature:
        raise Http404 from None
    organization = get_object_or_404(Organization, pk=pk)
    start, end = _window()
    bookings = (
        Booking.objects.filter(
            organization=organization, status__in=Booking.HELD, starts__gte=start, starts__lt=end
        )
        .select_related("room__building")
        .order_by("starts")[:2000]
    )
    calendar = _calendar(_("Room bookings: %(name)s") % {"name": organization.name})
    for booking in bookings:
        confirmed = booking.status == Booking.Status.CONFIRMED
        summary = f"{booking.room.name}: {booking.purpose.splitlines()[0][:120]}"
        if not confirmed:
            summary = _("(waiting for approval) %(summary)s") % {"summary": summary}
        calendar.add_component(
            _event(request, booking, summary, "CONFIRMED" if confirmed else "TENTATIVE")
        )
    return _ics(calendar, f"rezerwacje-{organization.slug}.ics")


# ---------------------------------------------------------------------------------------
# Support places


def support_places(request):
    places = SupportPlace.objects.filter(is_active=True).select_related("district")
    district = None
    number = request.GET.get("dzielnica", "")
    if number.isdigit():
        district = District.objects.filter(number=int(number)).first()
        if district:
            places = places.filter(district=district)
    places = places.prefetch_related(Prefetch("hours"))
    page = CappedPaginator(places.order_by("name", "id"), 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    points = [
        {
            "name": p.name,
            "address": p.address,
            "lat": float(p.latitude),
            "lon": float(p.longitude),
            "url": f"#punkt-{p.pk}",
            "evening": p.has_evening_hours(),
        }
        for p in rows
        if p.latitude is not None and p.longitude is not None
    ]
    return render(
        request,
        "venues/support_places.html",
        {
            "page": page,
            "places": rows,
            "points": points,
            "districts": District.objects.all(),
            "district": district,
        },
    )
