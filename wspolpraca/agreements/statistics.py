"""Statistics of the calls and their grants (PRODUCT II13), and what counts as a public grant.

Everything is counted in the database, grouped into *cells*: by the call's year (of its
deadline for offers), department and funding mode, and by those and the public benefit
area, in one query of the offers and one of the calls each (`cells()`). There are a few
hundred to a few thousand cells, whatever the number of offers; every table and every
filter of the page is a sum of them (`summarize()`). The cells are cached until calls or
decisions change, in one cache entry that serves every filter. So the page costs the same
handful of queries over ten years of calls as over one, and, while nothing changed, only
the one that asks when the data last changed.

What is counted:

- *calls*: every announced call (published, decided or annulled; never a draft);
- *decided*: the calls whose results are published;
- *offers*, *requested*, *grants*, *granted*, *cut*, *days to results*: only in decided
  calls. Offers of a call still open or in evaluation are not counted (how many offers a
  call has before its results is not published anywhere else either), so that grants and
  offers compare like with like. Offers are those on record as submitted (a withdrawn or
  replaced version is not an offer any more); small grants (art. 19a) have no call and
  are not here.
- *cut*: (requested − granted) / requested over the offers that got a grant: how much less
  than they asked for they received.
- *days to results*: the mean, over decided calls, of the calendar days from the deadline
  for offers to the publication of the results (`Call.decided_at`), in the city's time
  zone, as `evaluations.decisions.days_to_results` counts them for one call.

The cells are cached (the default cache, for settings.STATISTICS_CACHE_SECONDS) under a
key that holds `core.caching.last_changed` of "competitions" (touched by the competitions
app on every change of a call, a department or an area) and of `KEY`, touched here on every
change of a decision or an agreement and when a call's results are published.

What is a public grant is written once, in `public_grants()`; the API's results of a call
are `evaluations.decisions.results_of`.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import caches
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from wspolpraca.competitions.models import Call
from wspolpraca.core.caching import last_changed, touch
from wspolpraca.evaluations.models import Decision
from wspolpraca.offers.models import Offer

# The freshness key of grants' data (core.caching): decisions and agreements.
KEY = "grants"
# What the statistics, the grants API and the 360Giving package depend on.
FRESHNESS_KEYS = ("competitions", KEY)
ANNOUNCED = (Call.Status.PUBLISHED, Call.Status.DECIDED, Call.Status.ANNULLED)
GRANTED = Q(decision__outcome=Decision.Outcome.GRANTED)
ONE_DECIMAL = Decimal("0.1")
# The cells are kept in the default cache: per process, or shared in Redis (REDIS_URL).
CACHE = "default"


# --- what is public ------------------------------------------------------------------


def public_grants():
    """The awarded grants the city has published: granted decisions on submitted offers
    in calls whose results are published. A decision entered before the results are
    published is not public, nor is anything of a call that was annulled."""
    return Decision.objects.filter(
        outcome=Decision.Outcome.GRANTED,
        offer__status=Offer.Status.SUBMITTED,
        offer__call__status=Call.Status.DECIDED,
    )


def year_bounds(year):
    """The first moment of `year` and of the next one, in the city's time zone."""
    zone = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


# --- invalidation --------------------------------------------------------------------


def grants_changed(sender, **kwargs):
    touch(KEY)


def connect():
    """Decisions and agreements touch KEY; so does the publication of results, in case a
    service changes the call's status without saving the model (queryset.update)."""
    from wspolpraca.evaluations.signals import results_published

    from .models import Agreement
    from .signals import agreement_settled, agreement_signed

    for model in (Decision, Agreement):
        post_save.connect(grants_changed, sender=model, dispatch_uid=f"statistics-{model}")
        post_delete.connect(grants_changed, sender=model, dispatch_uid=f"statistics-d-{model}")
    for signal in (results_published, agreement_signed, agreement_settled):
        signal.connect(grants_changed, dispatch_uid=f"statistics-{id(signal)}")


# --- the numbers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the statistics are narrowed to; None is everything. `area` is the area's id."""

    year: int | None = None
    department: int | None = None
    area: int | None = None
    mode: str | None = None


@dataclass
class Row:
    """The numbers of one group (a year, a department, an area, a mode or all)."""

    key: object = None
    label: str = ""
    calls: int = 0
    decided: int = 0
    offers: int = 0
    requested: Decimal = Decimal("0.00")
    grants: int = 0
    requested_awarded: Decimal = Decimal("0.00")
    granted: Decimal = Decimal("0.00")
    days_total: float = 0.0
    timed: int = 0  # decided calls with a date of results

    NUMBERS = (
        "calls",
        "decided",
        "offers",
        "requested",
        "grants",
        "requested_awarded",
        "granted",
        "days_total",
        "timed",
    )

    @property
    def cut(self):
        """The share cut, in per cent with one decimal; None without grants."""
        if not self.requested_awarded:
            return None
        share = (self.requested_awarded - self.granted) / self.requested_awarded * 100
        return share.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    @property
    def mean_days(self):
        """Mean days from the deadline to the results, one decimal; None if no call is
        decided."""
        if not self.timed:
            return None
        return Decimal(self.days_total / self.timed).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class GrantStatistics:
    filters: Filters
    years: list = field(default_factory=list)  # every year with an announced call
    total: Row = field(default_factory=Row)
    by_year: list = field(default_factory=list)
    by_department: list = field(default_factory=list)
    by_area: list = field(default_factory=list)
    by_mode: list = field(default_factory=list)

    def labelled(self, departments, areas, modes):
        """A copy whose rows carry labels: `departments`, `areas` and `modes` map keys to
        them. Rows are kept in the order of those maps (years in order)."""

        def label(rows, names):
            ordered = sorted(rows, key=lambda row: _position(names, row.key))
            return [replace(row, label=str(names.get(row.key, row.key))) for row in ordered]

        return replace(
            self,
            by_year=[replace(row, label=str(row.key)) for row in self.by_year],
            by_department=label(self.by_department, departments),
            by_area=label(self.by_area, areas),
            by_mode=label(self.by_mode, modes),
        )


def _position(names, key):
    keys = list(names)
    return keys.index(key) if key in keys else len(keys)


def _days_to_results(prefix=""):
    """Calendar days from the deadline to the results, in the city's time zone, as
    `evaluations.decisions.days_to_results` counts them."""
    return ExpressionWrapper(
        TruncDate(f"{prefix}decided_at") - TruncDate(f"{prefix}deadline"),
        output_field=DurationField(),
    )


def _year_of(years, prefix=""):
    """The year of the call's deadline as a CASE over the years' bounds: plain comparisons
    that every database runs natively (Django's ExtractYear is a Python function per row on
    SQLite)."""
    whens = [
        When(**{f"{prefix}deadline__lt": year_bounds(year)[1]}, then=Value(year)) for year in years
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _years():
    bounds = Call.objects.filter(status__in=ANNOUNCED).aggregate(
        first=Min("deadline"), last=Max("deadline")
    )
    if bounds["first"] is None:
        return []
    first = timezone.localtime(bounds["first"]).year
    last = timezone.localtime(bounds["last"]).year
    return list(range(first, last + 1))


def _offer_numbers(offers):
    return offers.annotate(
        n_offers=Count("id"),
        n_requested=Sum("requested_grant"),
        n_grants=Count("id", filter=GRANTED),
        n_requested_awarded=Sum("requested_grant", filter=GRANTED),
        n_granted=Sum("decision__amount", filter=GRANTED),
    ).order_by()


def _call_numbers(calls, prefix=""):
    decided = Q(**{f"{prefix}status": Call.Status.DECIDED})
    timed = decided & Q(**{f"{prefix}decided_at__isnull": False})
    return calls.annotate(
        n_calls=Count(f"{prefix}id"),
        n_decided=Count(f"{prefix}id", filter=decided),
        n_days_total=Sum(_days_to_results(prefix), filter=timed),
        n_timed=Count(f"{prefix}id", filter=timed),
    ).order_by()


# The numbers of a cell, in Row's order; money in grosze (whole numbers add up exactly and
# keep the cached cells small and quick to read back).
MONEY_FIELDS = {"requested", "requested_awarded", "granted"}


def _numbers(values):
    """A cell's numbers from a grouped query's values (annotations named "n_" + the Row's
    fields); None (nothing to count) is 0."""
    numbers = []
    for name in Row.NUMBERS:
        value = values.get(f"n_{name}") or 0
        if name in MONEY_FIELDS:
            value = int(Decimal(value) * 100)
        elif isinstance(value, timedelta):
            value = value.total_seconds() / 86400
        numbers.append(value)
    return numbers


def _add(into, numbers):
    for index, value in enumerate(numbers):
        into[index] += value


def _as_row(key, numbers):
    row = Row(key=key)
    for name, value in zip(Row.NUMBERS, numbers, strict=True):
        if name in MONEY_FIELDS:
            value = Decimal(value) / 100
        setattr(row, name, value)
    return row


@dataclass
class Cells:
    """The numbers grouped by the call's (year, department, mode), and by (year,
    department, mode, area): {key: [numbers in Row.NUMBERS' order]}. Every table and every
    filter is a sum of these cells."""

    years: list = field(default_factory=list)
    plain: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)


def cells():
    """The cells from the database: five queries, each grouped in the database (a few
    hundred to a few thousand cells, whatever the number of offers)."""
    years = _years()
    result = Cells(years=years)
    if not years:
        return result
    announced = Call.objects.filter(status__in=ANNOUNCED)
    offers = Offer.objects.filter(status=Offer.Status.SUBMITTED, call__status=Call.Status.DECIDED)
    through = Call.areas.through.objects.filter(call__status__in=ANNOUNCED)
    # "g_" names do not clash with the models' fields.
    groups = ("g_year", "g_department", "g_mode")
    plain = {
        "g_year": _year_of(years),
        "g_department": F("department_id"),
        "g_mode": F("funding_mode"),
    }
    related = {
        "g_year": _year_of(years, "call__"),
        "g_department": F("call__department_id"),
        "g_mode": F("call__funding_mode"),
    }
    queries = [
        (result.plain, groups, _call_numbers(announced.values(**plain))),
        (result.plain, groups, _offer_numbers(offers.values(**related))),
        (
            result.areas,
            (*groups, "g_area"),
            _call_numbers(
                through.values(**related, g_area=F("publicbenefitarea_id")), prefix="call__"
            ),
        ),
        (
            result.areas,
            (*groups, "g_area"),
            _offer_numbers(offers.values(**related, g_area=F("call__areas"))),
        ),
    ]
    for target, names, rows in queries:
        for values in rows:
            key = tuple(values[name] for name in names)
            _add(target.setdefault(key, [0] * len(Row.NUMBERS)), _numbers(values))
    return result


def summarize(cells, filters):
    """The statistics for `filters`, added up from `cells`: with an area chosen, from that
    area's cells (a call counts once in an area); else from the plain ones. The area table
    adds up the area cells: a call in two areas counts in both."""

    def chosen(key):
        return (
            filters.year in (None, key[0])
            and filters.department in (None, key[1])
            and filters.mode in (None, key[2])
        )

    if filters.area is None:
        source = [(key, n) for key, n in cells.plain.items() if chosen(key)]
    else:
        source = [
            (key, n) for key, n in cells.areas.items() if key[3] == filters.area and chosen(key)
        ]
    size = len(Row.NUMBERS)
    total = [0] * size
    tables = ({}, {}, {})
    for key, numbers in source:
        _add(total, numbers)
        for table, group in zip(tables, key[:3], strict=False):
            _add(table.setdefault(group, [0] * size), numbers)
    by_area = {}
    for key, numbers in cells.areas.items():
        if chosen(key) and filters.area in (None, key[3]):
            _add(by_area.setdefault(key[3], [0] * size), numbers)
    by_year, by_department, by_mode = tables
    return GrantStatistics(
        filters=filters,
        years=cells.years,
        total=_as_row(None, total),
        by_year=[_as_row(year, by_year[year]) for year in sorted(by_year)],
        by_department=[_as_row(key, n) for key, n in by_department.items()],
        by_mode=[_as_row(key, n) for key, n in by_mode.items()],
        by_area=[_as_row(key, n) for key, n in by_area.items()],
    )


def compute(filters):
    """The statistics for `filters`, uncached."""
    return summarize(cells(), filters)


def grant_statistics(filters, changed=None):
    """The statistics for `filters`, added up from the cells, which are cached while the
    calls and decisions are unchanged (settings.STATISTICS_CACHE_SECONDS; 0 computes them
    every time). One cache entry serves every filter. `changed`: when the data last
    changed, if the caller has just asked (`core.caching.last_changed`)."""
    if settings.STATISTICS_CACHE_SECONDS <= 0:
        return compute(filters)
    changed = changed or last_changed(*FRESHNESS_KEYS)
    key = f"statistics:cells:{changed.isoformat()}"
    cache = caches[CACHE]
    stored = cache.get(key)
    if stored is None:
        stored = cells()
        cache.set(key, stored, settings.STATISTICS_CACHE_SECONDS)
    return summarize(stored, filters)
