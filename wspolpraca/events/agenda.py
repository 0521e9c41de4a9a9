"""The calendar's arithmetic, apart from the views: the month's window, the feed's items
laid out by day and by week, and the same items as an iCalendar file.

The calendar reads the feed (core.feed) and never imports the apps whose items it shows.
An item starts either on a date (a whole day, e.g. a deadline) or at an aware moment.
Everything a template needs per item is worked out here once, so that a month with
hundreds of items renders in one pass of simple loops.
"""

import calendar as stdlib_calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from wspolpraca.core import feed


def month_window(first):
    """The aware moments [start, end) of the month that begins on `first`."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(next_month(first), time.min))
    return start, end


def next_month(first):
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(first):
    return (first - timedelta(days=1)).replace(day=1)


def _day_of(moment):
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date()
    return moment


@dataclass
class Entry:
    """An item as a day's list shows it."""

    item: feed.Item
    kind_label: str
    time: str = ""  # "17:30", or "" for a whole day
    until: date | None = None  # the last day, for items that last several days
    started_before: bool = False  # began before the day it is listed on

    @property
    def title(self):
        return self.item.title

    @property
    def url(self):
        return self.item.url


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    entries: list = field(default_factory=list)


def by_day(items, first, last):
    """{date: [Entry]} for the days first…last: each item once, on the day it starts (or
    on `first` when it started earlier)."""
    labels = {}
    days = {}
    for item in items:
        if item.kind not in labels:
            labels[item.kind] = feed.label(item.kind)
        starts = item.starts or item.published
        start_day = _day_of(starts)
        end_day = _day_of(item.ends) if item.ends else start_day
        listed_on = max(start_day, first)
        if listed_on > last:
            continue
        entry = Entry(
            item=item,
            kind_label=labels[item.kind],
            time=timezone.localtime(starts).strftime("%H:%M")
            if isinstance(starts, datetime)
            else "",
            until=end_day if end_day > start_day else None,
            started_before=start_day < listed_on,
        )
        days.setdefault(listed_on, []).append(entry)
    return days


def weeks(first, entries_by_day, today=None):
    """The month as weeks (Monday first) of Days, with the neighbouring months' days
    that fill its first and last week."""
    today = today or timezone.localdate()
    grid = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [
            Day(
                date=day,
                in_month=day.month == first.month,
                is_today=day == today,
                entries=entries_by_day.get(day, []) if day.month == first.month else [],
            )
            for day in week
        ]
        for week in grid
    ]


# ---------------------------------------------------------------------------------------
# iCalendar


def _uid(item, host):
    key = f"{item.kind}|{item.url}|{item.starts}".encode()
    return f"{item.kind}-{hashlib.sha1(key).hexdigest()[:20]}@{host}"


def _local(moment, zone):
    return moment.astimezone(zone)


def to_ical(items, *, name, host, base_url):
    """An iCalendar file (bytes) of the items: times in Europe/Warsaw with its VTIMEZONE,
    whole-day items as DATE values (an end date is exclusive in iCalendar, hence +1)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//Współpraca//kalendarz//PL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    # How often subscribers' apps should fetch it again (Outlook and Apple read this).
    cal.add("x-published-ttl", "PT6H")
    stamp = timezone.now()
    for item in items:
        starts = item.starts or item.published
        event = VEvent()
        event.add("uid", _uid(item, host))
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        if isinstance(starts, datetime):
            event.add("dtstart", _local(starts, zone))
            if isinstance(item.ends, datetime) and item.ends > starts:
                event.add("dtend", _local(item.ends, zone))
        else:
            event.add("dtstart", starts)
            ends = (
                item.ends
                if isinstance(item.ends, date) and not isinstance(item.ends, datetime)
                else starts
            )
            event.add("dtend", max(ends, starts) + timedelta(days=1))
        url = item.url if item.url.startswith("http") else base_url + item.url
        event.add("url", url)
        description = "\n".join(part for part in (feed.label(item.kind), item.summary, url) if part)
        event.add("description", description)
        if item.place:
            event.add("location", item.place)
        event.add("categories", [feed.label(item.kind)])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
