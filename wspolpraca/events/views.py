"""The pages of the calendar and of events: the calendar (a month and a list, with filters
in the URL, and its iCal feed), an event's page with registration, submitting an event
(form, check your answers, confirmation), "my events", the organizer's list of registered
people, cancelling, and the moderation queue for city staff."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wspolpraca.city.models import department_of
from wspolpraca.core import feed
from wspolpraca.core.pagination import CappedPaginator
from wspolpraca.organizations.models import District, Organization, PublicBenefitArea

from . import agenda, services
from .forms import CalendarFilterForm, EventForm, ReasonForm, add_service_error
from .models import Event, Registration

PAGE_SIZE = 20
REGISTRATIONS_PER_PAGE = 50
# What the iCal feed holds: from a month back to a year ahead.
ICAL_PAST_DAYS = 31
ICAL_FUTURE_DAYS = 366
# The kinds this app owns, for the "events" landing address.
OWN_KINDS = [Event.Kind.EVENT, Event.Kind.TRAINING, Event.Kind.MEETING]


# ---------------------------------------------------------------------------------------
# The calendar


def _filters(request):
    """The bound filter form and what it asks of the feed."""
    form = CalendarFilterForm(
        request.GET or None,
        areas=list(PublicBenefitArea.objects.current()),
        districts=list(District.objects.all()),
    )
    today = timezone.localdate()
    first = form.value("miesiac") or today.replace(day=1)
    area = form.value("obszar")
    district = form.value("dzielnica")
    kinds = form.value("rodzaj")
    wanted = {
        "kinds": set(kinds) if kinds else set(feed.kinds(dated=True)),
        "areas": [area] if area else None,
        "district": int(district) if district else None,
    }
    return form, first, wanted


def _filter_query(form, **extra):
    """The filters as a query string (month left out unless given in `extra`)."""
    params = []
    if form.is_bound:
        form.is_valid()
        data = form.data
        for name in ("obszar", "dzielnica"):
            if data.get(name) and name not in form.errors:
                params.append((name, data.get(name)))
        if "rodzaj" not in form.errors:
            params += [("rodzaj", kind) for kind in data.getlist("rodzaj")]
    params += [(k, v) for k, v in extra.items() if v]
    return urlencode(params)


def _calendar_context(request):
    form, first, wanted = _filters(request)
    start, end = agenda.month_window(first)
    items = feed.items(start, end, **wanted)
    last = agenda.next_month(first) - timedelta(days=1)
    entries = agenda.by_day(items, first, last)
    previous, following = agenda.previous_month(first), agenda.next_month(first)
    return {
        "form": form,
        "first": first,
        "entries": entries,
        "item_count": len(items),
        "previous_query": _filter_query(form, miesiac=previous.strftime("%Y-%m")),
        "next_query": _filter_query(form, miesiac=following.strftime("%Y-%m")),
        "month_query": _filter_query(form, miesiac=first.strftime("%Y-%m")),
        "ical_query": _filter_query(form),
        "previous": previous,
        "following": following,
    }


def calendar_month(request):
    """The month as a table: weeks as rows, days with their items as lists."""
    context = _calendar_context(request)
    context["weeks"] = agenda.weeks(context["first"], context["entries"])
    context["view"] = "month"
    return render(request, "events/calendar_month.html", context)


def calendar_list(request):
    """The month as a list of days that have items, in order."""
    context = _calendar_context(request)
    context["days"] = sorted(context["entries"].items())
    context["view"] = "list"
    return render(request, "events/calendar_list.html", context)


def calendar_ical(request):
    """The calendar's items, filtered as the page, as an iCalendar feed to subscribe to."""
    form, _first, wanted = _filters(request)
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today - timedelta(days=ICAL_PAST_DAYS), time.min))
    end = start + timedelta(days=ICAL_PAST_DAYS + ICAL_FUTURE_DAYS)
    items = feed.items(start, end, **wanted)
    names = [_("Calendar of cooperation")]
    if form.value("rodzaj"):  # named only when chosen; by default all dated kinds
        names.append(", ".join(feed.label(k) for k in sorted(wanted["kinds"])))
    body = agenda.to_ical(
        items,
        name=" — ".join(names),
        host=request.get_host().split(":")[0],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalendarz.ics"'
    return response


def events_landing(request):
    """/wydarzenia/: the calendar's list of this app's own kinds."""
    query = urlencode([("rodzaj", kind) for kind in OWN_KINDS])
    return redirect(f"{reverse('events:list')}?{query}")


# ---------------------------------------------------------------------------------------
# An event's page


def _may_see(user, event):
    if event.status in (Event.Status.PUBLISHED, Event.Status.CANCELLED):
        return True
    return user.has_perm("events.manage_event", event) or user.has_perm(
        "events.moderate_event", event
    )


def _event(request, pk):
    """An event the person may see; anyone else is told it does not exist."""
    event = get_object_or_404(
        Event.objects.select_related("organization", "department", "district"), pk=pk
    )
    if not _may_see(request.user, event):
        raise Http404
    return event


def _managed(request, pk):
    event = _event(request, pk)
    if not request.user.has_perm("events.manage_event", event):
        raise PermissionDenied
    return event


def detail(request, pk):
    event = _event(request, pk)
    mine = services.registration_of(event, request.user)
    taken = services.taken_places(event) if event.has_registration else 0
    manages = request.user.has_perm("events.manage_event", event)
    waiting_position = None
    if mine and mine.status == Registration.Status.WAITING:
        waiting_position = (
            event.registrations.filter(
                status=Registration.Status.WAITING, created_at__lt=mine.created_at
            ).count()
            + 1
        )
    # The link to join online is for those registered when registration is needed.
    show_link = event.online_link and (
        not event.has_registration
        or manages
        or (mine is not None and mine.status == Registration.Status.REGISTERED)
    )
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "areas": list(event.areas.all()),
            "topics": list(event.topics.all()) if event.is_training else [],
            "mine": mine,
            "taken": taken,
            "free": max(event.capacity - taken, 0) if event.has_registration else None,
            "registration_open": event.registration_open(),
            "manages": manages,
            "sees_registrations": request.user.has_perm("events.see_registrations", event),
            "moderates": "moderate" in event.offers
            and request.user.has_perm("events.moderate_event", event),
            "waiting_position": waiting_position,
            "can_cancel": mine is not None and timezone.now() < event.starts_at,
            "show_link": show_link,
        },
    )


def event_ical(request, pk):
    event = _event(request, pk)
    if event.status != Event.Status.PUBLISHED:
        raise Http404
    body = agenda.to_ical(
        [services.feed_item(event)],
        name=event.title,
        host=request.get_host().split(":")[0],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wydarzenie-{event.pk}.ics"'
    return response


@require_POST
def register(request, pk):
    event = _event(request, pk)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={event.get_absolute_url()}")
    try:
        registration = services.register(event, request.user)
    except services.EventError as error:
        messages.error(request, error.message)
    else:
        if registration.status == Registration.Status.WAITING:
            messages.success(
                request,
                _(
                    "The event is full: you are on the waiting list. We will write if a "
                    "place frees up."
                ),
            )
        else:
            messages.success(request, _("Your place is confirmed. We have sent you an e-mail."))
    return redirect(event.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def cancel_registration(request, pk):
    event = _event(request, pk)
    mine = services.registration_of(event, request.user)
    if mine is None:
        messages.error(request, _("You are not registered for this event."))
        return redirect(event.get_absolute_url())
    if request.method == "POST":
        try:
            services.cancel_registration(event, request.user)
        except services.EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(event.get_absolute_url())
    waiting = mine.status == Registration.Status.WAITING
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Cancel your registration for “%(title)s”?")
            % {"title": event.title},
            "consequences": [
                _("You leave the waiting list.")
                if waiting
                else _("Your place goes to the first person on the waiting list."),
                _("You can register again while registration is open, if places are left."),
            ],
            "confirm_button": _("Cancel my registration"),
            "cancel_url": event.get_absolute_url(),
            "cancel_label": _("Keep my registration"),
        },
    )


@login_required
def registrations(request, pk):
    """Who registered: for the organizer's people and city staff only."""
    event = _event(request, pk)
    if not request.user.has_perm("events.see_registrations", event):
        raise PermissionDenied
    rows = (
        event.registrations.active().select_related("user").order_by("status", "created_at", "pk")
    )
    page = CappedPaginator(rows, REGISTRATIONS_PER_PAGE, cap=100_000).get_page(
        request.GET.get("page")
    )
    taken = services.taken_places(event) if event.has_registration else 0
    return render(
        request,
        "events/registrations.html",
        {"event": event, "page": page, "taken": taken},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel_event(request, pk):
    event = _managed(request, pk)
    form = ReasonForm(
        request.POST or None,
        label=_("Why is the event cancelled?"),
        help_text=_("The people registered read it in the e-mail and on the event's page."),
    )
    obstacles = []
    if "cancel" not in event.offers:
        obstacles.append(_("Only a published event can be cancelled."))
    elif event.ends_at <= timezone.now():
        obstacles.append(_("This event is over; it can no longer be cancelled."))
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            services.cancel_event(event, request.user, form.cleaned_data["reason"])
        except services.EventError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The event is cancelled. The people registered are told by e-mail.")
            )
            return redirect(event.get_absolute_url())
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Cancel “%(title)s”?") % {"title": event.title},
            "consequences": [
                _("The event leaves the calendar; its page says it is cancelled, with the reason."),
                _("Everyone registered or waiting gets an e-mail with the reason."),
                _("This cannot be undone: to hold it later, submit it again as a new event."),
            ],
            "confirm_button": _("Cancel the event"),
            "cancel_url": event.get_absolute_url(),
            "cancel_label": _("Keep the event"),
            "form": form,
            "obstacles": obstacles,
        },
    )


# ---------------------------------------------------------------------------------------
# Submitting an event


def _organizations_of(user):
    return list(Organization.objects.filter(memberships__user=user).order_by("sort_name", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """Step 1: the event's questions. NGO members submit their organization's events; city
    staff prepare trainings and sector meetings."""
    city = request.user.has_perm("events.publish_city_event")
    organizations = [] if city else _organizations_of(request.user)
    if not city and not organizations:
        return render(request, "events/not_allowed.html", status=403)
    form = EventForm(request.POST or None, organizations=organizations, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                request.user, form.service_data(), organization=form.chosen_organization()
            )
        except services.EventError as error:
            add_service_error(form, error)
        else:
            return redirect("events:check", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": None, "city": city})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    event = _managed(request, pk)
    if "edit" not in event.offers:
        messages.error(request, _("Only a draft or a rejected event can be changed."))
        return redirect(event.get_absolute_url())
    city = event.organization_id is None
    form = EventForm(
        request.POST or None,
        instance=event,
        city=city,
        initial={"areas": list(event.areas.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(event, request.user, form.service_data())
        except services.EventError as error:
            add_service_error(form, error)
        else:
            return redirect("events:check", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": event, "city": city})


@login_required
@require_http_methods(["GET", "POST"])
def check(request, pk):
    """Step 2: check your answers, each with a "Change" link; the button sends it."""
    event = _managed(request, pk)
    if "submit" not in event.offers:
        return redirect(event.get_absolute_url())
    data = services.submission_data(event)
    areas = data["areas"]
    problems = list(services.event_errors(data).values())
    if request.method == "POST" and not problems:
        try:
            services.submit(event, request.user)
        except services.EventError as error:
            problems.append(error.message)
        else:
            return redirect("events:sent", pk=event.pk)
    return render(
        request,
        "events/check.html",
        {"event": event, "areas": areas, "topics": data.get("topics", []), "problems": problems},
    )


@login_required
def sent(request, pk):
    """Step 3: the confirmation, with the event's number and what happens next."""
    event = _managed(request, pk)
    return render(request, "events/sent.html", {"event": event})


# ---------------------------------------------------------------------------------------
# My events


@login_required
def mine(request):
    """The person's registrations to come, and the events of their organizations (or, for
    city staff, of their department) in every status."""
    now = timezone.now()
    registrations_page = CappedPaginator(
        Registration.objects.active()
        .filter(user=request.user, event__ends_at__gte=now)
        .select_related("event")
        .order_by("event__starts_at", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("zapisy"))
    organizations = _organizations_of(request.user)
    own = Event.objects.filter(organization__in=organizations)
    department = department_of(request.user)
    city = request.user.has_perm("events.publish_city_event")
    if city:
        own = own | Event.objects.filter(organization__isnull=True, submitted_by=request.user)
        if department is not None:
            own = own | Event.objects.filter(organization__isnull=True, department=department)
    events_page = CappedPaginator(
        own.select_related("organization").order_by("-starts_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "events/mine.html",
        {
            "registrations": registrations_page,
            "events": events_page,
            "can_submit": city or bool(organizations),
            "moderates": request.user.has_perm("events.moderate_event"),
        },
    )


# ---------------------------------------------------------------------------------------
# Moderation


def _moderator(request):
    if not request.user.has_perm("events.moderate_event"):
        raise PermissionDenied


@login_required
def queue(request):
    """The NGO events waiting for moderation, oldest first."""
    _moderator(request)
    waiting = (
        Event.objects.filter(status=Event.Status.SUBMITTED)
        .select_related("organization", "submitted_by", "district")
        .order_by("submitted_at", "pk")
    )
    page = CappedPaginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/queue.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, pk):
    """The whole event as it would be published, with "Publish" and "Reject"."""
    _moderator(request)
    event = _event(request, pk)
    if "moderate" not in event.offers:
        messages.info(request, _("This event has been moderated already."))
        return redirect("events:queue")
    problem = None
    if request.method == "POST":
        try:
            services.approve(event, request.user)
        except services.EventError as error:
            problem = error.message
        else:
            messages.success(
                request,
                _("“%(title)s” is published in the calendar; its author is told by e-mail.")
                % {"title": event.title},
            )
            return redirect("events:queue")
    return render(
        request,
        "events/moderate.html",
        {
            "event": event,
            "areas": list(event.areas.all()),
            "topics": list(event.topics.all()) if event.is_training else [],
            "problem": problem,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reject(request, pk):
    _moderator(request)
    event = _event(request, pk)
    form = ReasonForm(
        request.POST or None,
        label=_("Why is the event not published?"),
        help_text=_(
            "Its author reads it in the e-mail and can correct the event and submit it again."
        ),
    )
    obstacles = [] if "moderate" in event.offers else [_("This event has been moderated already.")]
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            services.reject(event, request.user, form.cleaned_data["reason"])
        except services.EventError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is rejected; its author is told the reason by e-mail.")
                % {"title": event.title},
            )
            return redirect("events:queue")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Reject “%(title)s”?") % {"title": event.title},
            "consequences": [
                _("The event is not published in the calendar."),
                _("Its author gets an e-mail with your reason and can submit it again."),
            ],
            "confirm_button": _("Reject the event"),
            "cancel_url": reverse("events:moderate", args=[event.pk]),
            "form": form,
            "obstacles": obstacles,
        },
    )
