"""The feed: dated things that several pages show, collected without importing their apps.

Calls for proposals, consultations, meetings, trainings, events and room bookings are also
*items* that readers show side by side: the calendar, the newsletter's digest, the home
page, iCal and Atom feeds. An app registers a *source* once, in its AppConfig.ready()::

    from wspolpraca.core import feed

    feed.register("call", calls_in_window, label=_("Call for proposals"))

where `calls_in_window(start, end)` returns the app's `feed.Item`s that are published and
whose dates meet the window. A reader asks `feed.items(start, end, kinds=…, areas=…)` and
never imports the apps it shows; no app imports a reader.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

_sources = {}
_labels = {}
_undated = set()


@dataclass(frozen=True)
class Item:
    """One dated thing, as every reader needs it.

    `starts` and `ends` are when it happens (a deadline has `starts` only); `published` is
    when it became public (the newsletter sends what was published since its last issue).
    `areas` are public benefit area codes, `district` a district number, both for filters.
    """

    kind: str
    title: str
    url: str
    published: datetime
    starts: datetime | date | None = None
    ends: datetime | date | None = None
    summary: str = ""
    areas: tuple = field(default_factory=tuple)
    district: int | None = None
    place: str = ""

    @property
    def sort_key(self):
        moment = self.starts or self.published
        if not isinstance(moment, datetime):  # a whole day sorts at its start
            moment = datetime(moment.year, moment.month, moment.day, tzinfo=self.published.tzinfo)
        return (moment, self.title)


def register(kind, source, label=None, dated=True):
    """Make `source(start, end)` the source of items of `kind` (once per kind); `label`
    (translatable) is how readers name the kind, so they need not import its app.
    `dated=False` marks things that are published rather than happening (a room, news):
    their window is when they were published, and a calendar leaves them out."""
    if kind in _sources and _sources[kind] is not source:
        raise ValueError(f"A feed source for {kind!r} is already registered.")
    _sources[kind] = source
    if label is not None:
        _labels[kind] = label
    if not dated:
        _undated.add(kind)


def unregister(kind):
    _sources.pop(kind, None)
    _labels.pop(kind, None)
    _undated.discard(kind)


def label(kind):
    """The readable name of `kind` in the active language (the code when none was given)."""
    return str(_labels.get(kind, kind))


def kinds(dated=None):
    """The registered kinds; with `dated=True` only those that happen at a time."""
    if dated is None:
        return sorted(_sources)
    return sorted(kind for kind in _sources if (kind not in _undated) == dated)


def items(start, end, *, kinds=None, areas=None, district=None):
    """The items of every registered source (or of `kinds`) in the window, in date order.

    `areas` keeps the items of any of those area codes; `district` the items of that
    district. Each source makes its own few queries, whatever the window holds.
    """
    wanted = set(areas or ())
    found = []
    for kind, source in sorted(_sources.items()):
        if kinds is not None and kind not in kinds:
            continue
        for item in source(start, end):
            if wanted and not wanted.intersection(item.areas):
                continue
            if district is not None and item.district != district:
                continue
            found.append(item)
    return sorted(found, key=lambda item: item.sort_key)
