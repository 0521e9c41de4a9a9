"""Public pages of the public tasks: the yearly schedule of calls, with its CSV and iCal."""

from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from wspolpraca.core import exports
from wspolpraca.core.caching import public_page

from .filters import PlannedCallFilter
from .models import CallSchedule, FundingMode, LegalRules


def _published(year):
    return get_object_or_404(CallSchedule.objects.published(), year=year)


def _filtered(request, schedule):
    planned = schedule.planned_calls.select_related("department").prefetch_related("areas")
    return PlannedCallFilter(request.GET or None, queryset=planned)


@public_page("competitions")
def schedule_latest(request):
    """The schedule of the current year, else the latest one published."""
    years = list(CallSchedule.objects.published().values_list("year", flat=True))
    if not years:
        return render(request, "competitions/schedule.html", {"schedule": None, "years": []})
    this_year = timezone.localdate().year
    year = this_year if this_year in years else max(years)
    return redirect("competitions:schedule", year=year)


@public_page("competitions")
def schedule(request, year):
    schedule = _published(year)
    filterset = _filtered(request, schedule)
    planned = filterset.qs
    totals = planned.order_by().aggregate(
        count=Count("id"),
        amount=Sum("planned_amount"),
        early=Count("id", filter=Q(planned_announcement__lt=schedule.year_starts)),
    )
    return render(
        request,
        "competitions/schedule.html",
        {
            "schedule": schedule,
            "filter": filterset,
            "planned": planned,
            "totals": totals,
            "years": list(CallSchedule.objects.published().values_list("year", flat=True)),
            "rules": LegalRules.current(),
        },
    )


def _rows(planned):
    modes = dict(FundingMode.choices)
    for p in planned:
        yield [
            p.title,
            str(p.department),
            ", ".join(a.short_label for a in p.areas.all()),
            str(modes[p.funding_mode]),
            p.planned_announcement.isoformat(),
            p.planned_deadline.isoformat(),
            f"{p.planned_amount:.2f}",
        ]


@public_page("competitions")
def schedule_csv(request, year):
    schedule = _published(year)
    planned = _filtered(request, schedule).qs
    header = [
        _("Task"),
        _("Department"),
        _("Public benefit areas"),
        _("Funding mode"),
        _("Planned announcement"),
        _("Planned deadline for offers"),
        _("Planned amount (zł)"),
    ]
    # Read now, in the request's language, not while the rows stream.
    rows = list(_rows(planned))
    return exports.csv_response(f"harmonogram-konkursow-{year}.csv", header, rows)


@public_page("competitions")
def schedule_ical(request, year):
    """Each planned call as two all-day events: its announcement and its deadline."""
    schedule = _published(year)
    planned = _filtered(request, schedule).qs
    calendar = Calendar()
    calendar.add("prodid", "-//Współpraca//harmonogram konkursów//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Schedule of calls %(year)s") % {"year": year})
    page = request.build_absolute_uri(reverse("competitions:schedule", args=[year]))
    stamp = schedule.published_at
    host = request.get_host().split(":")[0]
    for p in planned:
        for what, day, summary in (
            ("ogloszenie", p.planned_announcement, _("Planned announcement: %(title)s")),
            ("termin", p.planned_deadline, _("Planned deadline for offers: %(title)s")),
        ):
            event = Event()
            event.add("uid", f"planowany-{p.pk}-{what}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("summary", summary % {"title": p.title})
            event.add("description", f"{p.department}\n{page}#planowany-{p.pk}")
            event.add("url", f"{page}#planowany-{p.pk}")
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="harmonogram-konkursow-{year}.ics"'
    return response
