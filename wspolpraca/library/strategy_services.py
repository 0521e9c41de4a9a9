"""What may be done with strategies and programmes, checked and recorded here: creating and
changing a strategy, its indicators, targets and yearly values, publishing and removing
reports, keeping the monitoring team. Each function checks the person's permission
(`library.create_strategy` / `library.manage_strategy`, strategy_rules.py) and the
domain's rules, changes the rows and writes the audit entry (core.audit). A refusal of
the rules is a `StrategyError` whose message the view shows next to its field."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wspolpraca.core.audit import diff, record, snapshot
from wspolpraca.core.search import fold
from wspolpraca.core.uploads import delete_replaced

from .strategy_models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    MonitoringTeamMember,
    Strategy,
    StrategyReport,
)

CENTS = Decimal("0.01")
# Years a strategy, a value or a target may name.
FIRST_YEAR = 1990
LAST_YEAR = 2100

STRATEGY_FIELDS = (
    "kind",
    "title",
    "year_from",
    "year_to",
    "department",
    "summary",
    "document",
    "document_url",
    "status_setting",
    "resolution",
    "adopted_on",
)
INDICATOR_FIELDS = ("name", "unit", "direction", "description", "baseline_value", "baseline_year")


class StrategyError(Exception):
    """Why something cannot be done; `field` names the form field it is about."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _require(by, perm, obj=None):
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _check_year(year, field):
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise StrategyError(
            _("Give a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field,
        )


def _check_strategy(data):
    _check_year(data.get("year_from"), "year_from")
    _check_year(data.get("year_to"), "year_to")
    if data["year_to"] < data["year_from"]:
        raise StrategyError(_("The last year cannot be before the first."), "year_to")
    if (
        data.get("kind") == Strategy.Kind.YEARLY_COOPERATION
        and data["year_to"] != data["year_from"]
    ):
        raise StrategyError(
            _("A yearly cooperation programme covers one year: give the same first and last year."),
            "year_to",
        )
    if data.get("document") and data.get("document_url"):
        raise StrategyError(
            _("Give the document as a file or as a link, not both."), "document_url"
        )


def unique_slug(title, year_from, year_to, exclude_pk=None):
    """An address from the title and period, in plain letters, unique among strategies."""
    period = str(year_from) if year_from == year_to else f"{year_from}-{year_to}"
    base = slugify(fold(f"{title} {period}"))[:100].strip("-") or "strategia"
    slug, n = base, 2
    others = Strategy.objects.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _with_department(by, data):
    """Officials create strategies for their own department; platform admins for any."""
    from wspolpraca.city.models import department_of

    own = department_of(by)
    if data.get("department") is None:
        data["department"] = own
    if data["department"] is None:
        raise StrategyError(_("Choose the owner department."), "department")
    if own is not None and data["department"] != own and not _is_platform_admin(by):
        raise StrategyError(
            _("You can create strategies of your own department only."), "department"
        )
    return data


def _is_platform_admin(user):
    return user.is_authenticated and (user.is_superuser or user.role == "platform_admin")


@transaction.atomic
def create_strategy(by, data):
    _require(by, "library.create_strategy")
    data = _with_department(by, dict(data))
    _check_strategy(data)
    strategy = Strategy(slug=unique_slug(data["title"], data["year_from"], data["year_to"]))
    for name in STRATEGY_FIELDS:
        if name in data:
            setattr(strategy, name, data[name])
    strategy.save()
    strategy.areas.set(data.get("areas") or [])
    strategy.consultations.set(data.get("consultations") or [])
    record(by, "strategy.created", strategy, diff({}, snapshot(strategy, exclude=("slug",))))
    return strategy


@transaction.atomic
def update_strategy(strategy, by, data):
    """Change a strategy. `data["document"]` is a new file, False to remove the file, or
    None (or absent) to keep it."""
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    _require(by, "library.manage_strategy", strategy)
    data = dict(data)
    # The owner department is changed by platform admins only: an official who moved a
    # strategy away could no longer keep it.
    if not _is_platform_admin(by) or data.get("department") is None:
        data["department"] = strategy.department
    new_file = data.pop("document", None)
    merged = {
        name: data[name] if name in data else getattr(strategy, name)
        for name in STRATEGY_FIELDS
        if name != "document"
    }
    keeps_file = bool(strategy.document) and new_file is None
    _check_strategy({**merged, "document": bool(new_file) or keeps_file})
    before = snapshot(strategy)
    old_file = strategy.document.name
    for name, value in merged.items():
        setattr(strategy, name, value)
    if new_file is False:
        strategy.document = ""
    elif new_file:
        strategy.document = new_file
    strategy.save()
    if "areas" in data:
        strategy.areas.set(data["areas"])
    if "consultations" in data:
        strategy.consultations.set(data["consultations"])
    delete_replaced(old_file, strategy.document)
    changes = diff(before, snapshot(strategy))
    if changes:
        record(by, "strategy.updated", strategy, changes)
    return strategy


@transaction.atomic
def delete_strategy(strategy, by):
    _require(by, "library.manage_strategy", strategy)
    record(by, "strategy.deleted", strategy, {"title": [strategy.title, None]})
    strategy.delete()


# --- indicators, targets and values ----------------------------------------------------


def _check_indicator(data):
    if data.get("baseline_year") is not None:
        _check_year(data["baseline_year"], "baseline_year")
    if (data.get("baseline_value") is None) != (data.get("baseline_year") is None):
        field = "baseline_year" if data.get("baseline_year") is None else "baseline_value"
        raise StrategyError(_("Give the baseline value together with its year."), field)


@transaction.atomic
def add_indicator(strategy, by, data):
    _require(by, "library.manage_strategy", strategy)
    _check_indicator(data)
    last = strategy.indicators.order_by("-position").values_list("position", flat=True).first()
    indicator = Indicator(strategy=strategy, position=(last or 0) + 1)
    for name in INDICATOR_FIELDS:
        setattr(indicator, name, data.get(name, getattr(indicator, name)))
    indicator.save()
    record(by, "strategy.indicator_added", strategy, {"indicator": [None, indicator.name]})
    return indicator


@transaction.atomic
def update_indicator(indicator, by, data):
    _require(by, "library.manage_strategy", indicator.strategy)
    _check_indicator(data)
    before = snapshot(indicator)
    for name in INDICATOR_FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    indicator.save()
    changes = diff(before, snapshot(indicator))
    if changes:
        record(by, "indicator.changed", indicator, changes)
    return indicator


@transaction.atomic
def delete_indicator(indicator, by):
    strategy = indicator.strategy
    _require(by, "library.manage_strategy", strategy)
    record(by, "strategy.indicator_removed", strategy, {"indicator": [indicator.name, None]})
    indicator.delete()


def _check_period_year(indicator, year):
    _check_year(year, "year")


@transaction.atomic
def enter_value(indicator, by, *, year, value, note="", source=""):
    """Enter (or correct) the indicator's value for a year; each change is audited with the
    old and new number."""
    _require(by, "library.manage_strategy", indicator.strategy)
    _check_period_year(indicator, year)
    if year > timezone.localdate().year:
        raise StrategyError(_("A value can be entered for a year that has begun."), "year")
    row = IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year).first()
    before = {"value": row.value, "note": row.note, "source": row.source} if row else {}
    if row is None:
        row = IndicatorValue(indicator=indicator, year=year)
    value = Decimal(value).quantize(CENTS)
    row.value, row.note, row.source, row.entered_by = value, note, source, by
    row.save()
    after = {"value": row.value, "note": row.note, "source": row.source}
    changes = diff(before, after)
    if changes:
        changes["year"] = [year, year] if before else [None, year]
        record(
            by,
            "indicator.value_entered" if not before else "indicator.value_changed",
            indicator,
            changes,
        )
    return row


@transaction.atomic
def delete_value(row, by):
    indicator = row.indicator
    _require(by, "library.manage_strategy", indicator.strategy)
    record(
        by,
        "indicator.value_removed",
        indicator,
        {"year": [row.year, None], "value": [str(row.value), None]},
    )
    row.delete()


@transaction.atomic
def set_target(indicator, by, *, year, value):
    _require(by, "library.manage_strategy", indicator.strategy)
    _check_period_year(indicator, year)
    row = IndicatorTarget.objects.select_for_update().filter(indicator=indicator, year=year).first()
    old = row.value if row else None
    if row is None:
        row = IndicatorTarget(indicator=indicator, year=year)
    row.value = Decimal(value).quantize(CENTS)
    row.save()
    if old != row.value:
        record(
            by,
            "indicator.target_set",
            indicator,
            {
                "year": [year, year] if old is not None else [None, year],
                "target": [None if old is None else str(old), str(row.value)],
            },
        )
    return row


@transaction.atomic
def delete_target(row, by):
    indicator = row.indicator
    _require(by, "library.manage_strategy", indicator.strategy)
    record(
        by,
        "indicator.target_removed",
        indicator,
        {"year": [row.year, None], "target": [str(row.value), None]},
    )
    row.delete()


# --- reports ---------------------------------------------------------------------------


@transaction.atomic
def publish_report(strategy, by, data):
    _require(by, "library.manage_strategy", strategy)
    _check_year(data.get("year"), "year")
    if not data.get("file") and not data.get("url"):
        raise StrategyError(_("Attach the report's file or give a link to it."), "file")
    if data.get("file") and data.get("url"):
        raise StrategyError(_("Give the report as a file or as a link, not both."), "url")
    if data.get("kind") == StrategyReport.Kind.EXECUTION and not strategy.is_yearly_cooperation:
        raise StrategyError(
            _("A report on the programme's execution belongs to a yearly cooperation programme."),
            "kind",
        )
    report = StrategyReport.objects.create(
        strategy=strategy,
        kind=data["kind"],
        title=data["title"],
        year=data["year"],
        summary=data.get("summary", ""),
        file=data.get("file") or "",
        url=data.get("url", ""),
        published_on=data.get("published_on") or timezone.localdate(),
        published_by=by,
    )
    record(
        by,
        "strategy.report_published",
        strategy,
        {"report": [None, report.title], "kind": [None, report.kind]},
    )
    return report


@transaction.atomic
def remove_report(report, by):
    strategy = report.strategy
    _require(by, "library.manage_strategy", strategy)
    record(by, "strategy.report_removed", strategy, {"report": [report.title, None]})
    report.delete()


# --- the monitoring team ---------------------------------------------------------------


@transaction.atomic
def add_member(strategy, by, data):
    _require(by, "library.manage_strategy", strategy)
    last = strategy.team.order_by("-position").values_list("position", flat=True).first()
    member = MonitoringTeamMember.objects.create(
        strategy=strategy,
        full_name=data["full_name"],
        organization=data.get("organization"),
        role=data.get("role", ""),
        position=(last or 0) + 1,
    )
    record(by, "strategy.member_added", strategy, {"member": [None, str(member)]})
    return member


@transaction.atomic
def remove_member(member, by):
    strategy = member.strategy
    _require(by, "library.manage_strategy", strategy)
    record(by, "strategy.member_removed", strategy, {"member": [str(member), None]})
    member.delete()
