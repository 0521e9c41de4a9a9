"""Reports on a public task, the reminders of their due dates, and the settlement of the grant.

The law (art. 18 of the public benefit act) asks for a report within 30 days of the end
of the task, and the reporting period is the budget year: a task that runs over two years
has a final report for each (`schedule_reports`, run when the agreement is signed). The
city may ask for a partial report, due no sooner than 30 days after it asks
(`request_partial_report`). Both numbers are read from `LegalRules`.

A report follows the form of Annex 5 to the regulation of 24 October 2018 (Dz.U. 2018 poz.
2057): what was done and achieved, each planned result with its planned and achieved
value, the expenses by cost line (the agreement's amount, incurred in total and from the
grant) and by source (planned against actual, with the shares computed here, never
typed), other income, fees from the people served, and the declarations. The
organization's members fill it in as `Report.draft` (`save_draft`, which may be left
unfinished); `report_problems` lists what stops its submission, each at its field; an
admin submits it (`submit_report`), which freezes the content as a `ReportVersion` with
its SHA-256. The supervising department accepts it (`accept_report`) or returns it with
a reason (`return_report`); a returned report is corrected and submitted again as a new
version, and every version is kept. An accepted report is never edited: a correction
starts with `reopen_report`, recorded with its reason.

The organization's admins are reminded of a report before its due date and while it is
late (`send_report_reminders`, a daily job); no reminder goes twice. Once every report
is accepted, an official settles the grant (`settle`): what was used, what was paid, and
what is to be returned by when (`record_refund` records the return).

Each action checks who acts, locks the rows two people could change at once, writes the
audit entry and e-mails the people concerned; a refused action raises `ReportError`,
whose message is shown to the person as it is (and `errors`, field → message, next to the
fields of a form).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import rules
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from wspolpraca.city.models import department_recipients
from wspolpraca.competitions.models import LegalRules
from wspolpraca.core import mail, workdays
from wspolpraca.core.audit import record
from wspolpraca.offers.checks import share
from wspolpraca.organizations.services import organization_admins

from .models import Agreement, Report, ReportVersion, Settlement
from .rules import is_member_of_organization, manages
from .signals import agreement_settled

Kind = Report.Kind
Status = Report.Status
ZERO = Decimal("0")
CENT = Decimal("0.01")
CONTENT_FORMAT = 1

# Who may do what, beyond the app's own rules: the organization's members fill its
# reports in (its admins submit them: agreements.act_for_organization); the city's side
# reviews them, never a person who belongs to the organization that reports.
rules.add_perm("agreements.fill_report", is_member_of_organization)
rules.add_perm("agreements.review_report", manages & ~is_member_of_organization)


class ReportError(Exception):
    """A refused action; `message` is shown to the person as it is, and `errors`
    (field → message) next to the fields of a form, where the refusal is about one."""

    def __init__(self, message, *, errors=None):
        super().__init__(message)
        self.message = str(message)
        self.errors = errors or {}


# The parts of the form (Annex 5). Keys are stored in the content; labels are read here.

TEXTS = ("achievements", "actions", "other_income", "fees_info", "additional_info")
SOURCES = ("grant", "own_financial", "own_non_financial", "other_public", "fees")
SOURCE_LABELS = {
    "grant": gettext_lazy("Grant"),
    "own_financial": gettext_lazy("Own financial contribution"),
    "own_non_financial": gettext_lazy("Own non-financial contribution (personal and in kind)"),
    "other_public": gettext_lazy("Other public funds"),
    "fees": gettext_lazy("Fees from the people served"),
}
# The declarations of the form (verify the wording against the annex in force).
DECLARATIONS = ("legal_status", "truth", "personal_data")
DECLARATION_LABELS = {
    "legal_status": gettext_lazy(
        "Since the agreement was made, the legal status of the organization has not changed."
    ),
    "truth": gettext_lazy(
        "All the information in this report is true and agrees with the law and the facts."
    ),
    "personal_data": gettext_lazy(
        "The people whose personal data were collected for the task or are given in this "
        "report were informed of it and agreed to it as the law on personal data requires."
    ),
}
BASIS_LABELS = {
    "budget_update": gettext_lazy("the updated cost calculation accepted before signing"),
    "offer": gettext_lazy("the cost calculation of the offer"),
}


# Numbers.


def amount(value):
    """A stored amount ("1234.50") as a Decimal; None when not given or not a number."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _text(value):
    return "" if value is None else format(Decimal(value).quantize(CENT), "f")


def _cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _money(value):
    from wspolpraca.core.templatetags.core_tags import money

    return money(value)


def _day(value):
    return formats.date_format(value, "j E Y")


def sha256_of(content):
    """The SHA-256 of the content's canonical JSON: anyone holding it can recompute it."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# When reports are due.


def budget_year_periods(starts, ends):
    """The reporting periods of a task from `starts` to `ends`: one per budget year."""
    return [
        (max(starts, date(year, 1, 1)), min(ends, date(year, 12, 31)))
        for year in range(starts.year, ends.year + 1)
    ]


def due_after(period_ends, legal_rules=None):
    """The day a report on a period ending `period_ends` is due: 30 days after it (art. 18),
    moved to the next working day when it falls on a Saturday, Sunday or public holiday —
    a term of a civil-law agreement (art. 115 of the Civil Code)."""
    legal_rules = legal_rules or LegalRules.current()
    return workdays.next_working_day(period_ends + timedelta(days=legal_rules.report_due_days))


def earliest_partial_due(today=None, legal_rules=None):
    """The earliest due date the city may give a partial report it asks for today."""
    legal_rules = legal_rules or LegalRules.current()
    return (today or timezone.localdate()) + timedelta(days=legal_rules.partial_report_min_days)


def schedule_reports(agreement, by=None):
    """Make the final report of each budget year of `agreement`'s task, due
    `report_due_days` after the period's end. Safe to run again: a year that has its
    final report gets no second one, and a final report not yet submitted follows the
    task's dates if an annex changed them (run it again after such an annex). Returns
    the reports made."""
    legal_rules = LegalRules.current()
    made = []
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
        existing = {
            report.period_starts.year: report
            for report in agreement.reports.filter(kind=Kind.FINAL).order_by("pk")
        }
        periods = budget_year_periods(agreement.starts, agreement.ends)
        # An annex that shortened the task: a year it no longer has needs no report, unless
        # the organization has begun writing one (kept for the official to see).
        years = {starts.year for starts, _ends in periods}
        for year, report in existing.items():
            if year not in years and report.status == Status.DUE and not report.draft:
                report.delete()
        for starts, ends in periods:
            due = due_after(ends, legal_rules)
            report = existing.get(starts.year)
            if report is None:
                made.append(
                    Report.objects.create(
                        agreement=agreement,
                        kind=Kind.FINAL,
                        period_starts=starts,
                        period_ends=ends,
                        due=due,
                    )
                )
            elif report.status == Status.DUE and (
                report.period_starts,
                report.period_ends,
                report.due,
            ) != (starts, ends, due):
                report.period_starts, report.period_ends = starts, ends
                if report.due != due:
                    report.due, report.reminders_sent = due, []
                report.save(update_fields=["period_starts", "period_ends", "due", "reminders_sent"])
    return made


def schedule_on_signing(sender, agreement, by, **kwargs):
    """Receiver of `agreement_signed` and `agreement_amended` (an annex may move the end)."""
    schedule_reports(agreement, by)


# What a report is about: the contract's cost lines, results and sources for its period.


@dataclass(frozen=True)
class ContractLine:
    key: str
    name: str
    action: str
    amount: Decimal
    year: int | None


def _latest(rows, key):
    rows = list(rows)
    return max(rows, key=key) if rows else None


def contract_lines(agreement):
    """The cost calculation the agreement is settled against, as (the calculation,
    [ContractLine]):
    the one in force (`agreements.cost_calculation`: the updated cost calculation
    accepted after a cut, else the offer's), which is what the signed agreement and its
    annexes freeze. Lines keep their order, so their keys stay the same."""
    from .agreements import cost_calculation

    calculation = cost_calculation(agreement)
    small_grant = agreement.offer.kind == agreement.offer.Kind.SMALL_GRANT
    no_action = str(_("Costs of the task") if small_grant else _("Administrative costs"))
    return calculation, [
        ContractLine(
            key=f"c{index}",
            name=line["name"] or "—",
            action=line["action_name"] or no_action,
            amount=line["value"],
            year=line["year"] or None,
        )
        for index, line in enumerate(calculation.lines, start=1)
    ]


def planned_results(offer):
    """The results the offer promised: its results table, or else its expected results."""
    rows = [
        {"key": f"r{r.pk}", "name": r.name, "planned": r.target_value, "monitoring": r.monitoring}
        for r in offer.results.all()
    ]
    if rows:
        return rows
    texts = [
        ("effects", "results_effects"),
        ("change", "results_change"),
        ("durability", "results_durability"),
    ]
    return [
        {
            "key": key,
            "name": str(capfirst(type(offer)._meta.get_field(field).verbose_name)),
            "planned": getattr(offer, field).strip(),
            "monitoring": "",
        }
        for key, field in texts
        if getattr(offer, field).strip()
    ]


def _years_of(report):
    return set(range(report.period_starts.year, report.period_ends.year + 1))


def plan(report):
    """The planned part of `report`: the cost lines of its period with the agreement's
    amounts, the planned results and sources, and the limit of the grant it may show.

    A task within one budget year reports its whole cost calculation. A task over
    several years reports, for each year, the cost lines of that year; the sources of
    the year are the year's tranches (the grant) and the year's share of the costs (the
    rest). Cost lines without a year of the period are shared by days."""
    agreement = report.agreement
    offer = agreement.offer
    calculation, lines = contract_lines(agreement)
    basis = calculation.source
    years = _years_of(report)
    multi_year = agreement.starts.year != agreement.ends.year
    total = sum((line.amount for line in lines), ZERO)
    fraction = Decimal(1)
    if multi_year:
        of_period = [line for line in lines if line.year in years]
        if of_period:
            fraction = sum((line.amount for line in of_period), ZERO) / total if total else ZERO
            lines = of_period
        else:
            task_days = (agreement.ends - agreement.starts).days + 1
            period_days = (report.period_ends - report.period_starts).days + 1
            fraction = Decimal(period_days) / Decimal(task_days)
            lines = [
                ContractLine(line.key, line.name, line.action, _cents(line.amount * fraction), None)
                for line in lines
            ]
    tranches = list(agreement.tranches.all())
    if multi_year:
        tranches = [t for t in tranches if t.year in years]
    if multi_year and tranches:
        grant = sum((t.amount for t in tranches), ZERO)
    else:
        grant = _cents(agreement.amount * fraction)
    non_financial = offer.own_personal + offer.own_in_kind
    own_financial = offer.own_financial
    update = calculation.update
    if update is not None:
        non_financial = min(non_financial, update.own_contribution)
        own_financial = update.own_contribution - non_financial
    planned = {
        "grant": grant,
        "own_financial": _cents(own_financial * fraction),
        "own_non_financial": _cents(non_financial * fraction),
        "other_public": _cents(offer.other_public_funds * fraction),
        "fees": _cents(offer.beneficiary_fees * fraction),
    }
    paid = [t for t in tranches if t.paid_on]
    limit = (sum((t.amount for t in paid), ZERO), "paid") if paid else (grant, "awarded")
    return {
        "results": planned_results(offer),
        "costs": {
            "basis": basis,
            "lines": [
                {
                    "key": line.key,
                    "name": line.name,
                    "action": line.action,
                    "contract": _text(line.amount),
                }
                for line in lines
            ],
        },
        "sources": [{"key": key, "planned": _text(planned[key])} for key in SOURCES],
        "grant_limit": {"amount": _text(limit[0]), "basis": limit[1]},
    }


def working_content(report):
    """The report as the organization is filling it in: the plan of its period with what
    was typed so far (the draft), in the shape a submitted version has."""
    typed = report.draft if isinstance(report.draft, dict) else {}
    base = plan(report)

    def typed_rows(name):
        rows = typed.get(name)
        if isinstance(rows, dict):  # costs
            rows = rows.get("lines")
        return {row.get("key"): row for row in rows or [] if isinstance(row, dict)}

    results, lines, sources = typed_rows("results"), typed_rows("costs"), typed_rows("sources")
    declarations = typed.get("declarations") if isinstance(typed.get("declarations"), dict) else {}
    content = {"format": CONTENT_FORMAT}
    for name in TEXTS:
        content[name] = str(typed.get(name) or "")
    content["results"] = [
        {
            **row,
            "achieved": str(results.get(row["key"], {}).get("achieved") or ""),
            "comment": str(results.get(row["key"], {}).get("comment") or ""),
        }
        for row in base["results"]
    ]
    content["costs"] = {
        "basis": base["costs"]["basis"],
        "lines": [
            {
                **row,
                "incurred": str(lines.get(row["key"], {}).get("incurred") or ""),
                "from_grant": str(lines.get(row["key"], {}).get("from_grant") or ""),
            }
            for row in base["costs"]["lines"]
        ],
    }
    content["sources"] = [
        {
            **row,
            "actual": ""
            if row["key"] == "grant"
            else str(sources.get(row["key"], {}).get("actual") or ""),
        }
        for row in base["sources"]
    ]
    content["grant_limit"] = base["grant_limit"]
    content["declarations"] = {key: bool(declarations.get(key)) for key in DECLARATIONS}
    return content


def draft_revision(report):
    """What the draft is now, for telling whether someone saved it meanwhile."""
    return sha256_of(report.draft if isinstance(report.draft, dict) else {})[:16]


# The numbers of a report, computed from its content (a draft or a submitted version).


def figures(content):
    """Sums and shares of a report's content. The grant spent is the sum of the cost
    lines' parts from the grant; every share is computed here."""
    lines = []
    for row in content.get("costs", {}).get("lines", []):
        lines.append(
            {
                **row,
                "contract": amount(row.get("contract")) or ZERO,
                "incurred": amount(row.get("incurred")),
                "from_grant": amount(row.get("from_grant")),
            }
        )
    contract_total = sum((line["contract"] for line in lines), ZERO)
    incurred_total = sum((line["incurred"] or ZERO for line in lines), ZERO)
    grant_total = sum((line["from_grant"] or ZERO for line in lines), ZERO)
    planned, actual = {}, {}
    for row in content.get("sources", []):
        planned[row["key"]] = amount(row.get("planned")) or ZERO
        actual[row["key"]] = amount(row.get("actual"))
    actual["grant"] = grant_total
    planned_total = sum(planned.values(), ZERO)
    actual_total = sum((value or ZERO for value in actual.values()), ZERO)
    sources = [
        {
            "key": key,
            "label": SOURCE_LABELS.get(key, key),
            "planned": planned.get(key, ZERO),
            "planned_share": share(planned.get(key, ZERO), planned_total),
            "actual": actual.get(key),
            "actual_share": share(actual.get(key) or ZERO, actual_total),
        }
        for key in SOURCES
        if key in planned
    ]
    limit = content.get("grant_limit") or {}
    basis = content.get("costs", {}).get("basis", "")
    texts = content.get("declaration_texts") or {}
    ticked = content.get("declarations") or {}
    return {
        "basis_label": BASIS_LABELS.get(basis, basis),
        "declarations": [
            {
                "key": key,
                "text": texts.get(key) or DECLARATION_LABELS.get(key, key),
                "ticked": bool(ticked.get(key)),
            }
            for key in ticked
        ],
        "lines": lines,
        "contract_total": contract_total,
        "incurred_total": incurred_total,
        "grant_total": grant_total,
        "sources": sources,
        "planned_total": planned_total,
        "actual_total": actual_total,
        "grant_limit": amount(limit.get("amount")),
        "grant_limit_basis": limit.get("basis", "awarded"),
    }


# What stops a submission.


@dataclass(frozen=True)
class Problem:
    """One thing to fix: the form's field it is about and what, in words that say how."""

    field: str
    message: str

    @property
    def anchor(self):
        return f"id_{self.field}"


def result_field(key, part):
    return f"result_{key}_{part}"


def line_field(key, part):
    return f"line_{key}_{part}"


def source_field(key):
    return f"source_{key}_actual"


def declaration_field(key):
    return f"declaration_{key}"


def report_problems(report, content=None):
    """Everything that stops `report` from being submitted, in the order of the form.
    `content` defaults to what the organization has typed so far."""
    content = content if content is not None else working_content(report)
    numbers = figures(content)
    tolerance = Decimal(settings.REPORT_COST_LINE_TOLERANCE_PERCENT)
    found = []

    def add(field, message):
        found.append(Problem(field, str(message)))

    if not content.get("achievements", "").strip():
        add("achievements", _("Describe the results achieved, with numbers."))
    if not content.get("actions", "").strip():
        add("actions", _("Describe how each action was carried out."))
    for row in content.get("results", []):
        if not row.get("achieved", "").strip():
            add(
                result_field(row["key"], "achieved"),
                _("Give the value achieved for “%(name)s”.") % {"name": row["name"]},
            )
    for line in numbers["lines"]:
        names = {"name": line["name"]}
        if line["incurred"] is None:
            add(
                line_field(line["key"], "incurred"),
                _("Give the costs incurred for “%(name)s” (0 if none).") % names,
            )
        elif line["contract"] and line["incurred"] > line["contract"] * (1 + tolerance / 100):
            add(
                line_field(line["key"], "incurred"),
                _(
                    "“%(name)s”: %(incurred)s is more than %(tolerance)s%% above the "
                    "%(contract)s of the agreement. Move the excess to your own or other "
                    "funds, or ask the department for an annex."
                )
                % {
                    **names,
                    "incurred": _money(line["incurred"]),
                    "tolerance": tolerance,
                    "contract": _money(line["contract"]),
                },
            )
        elif not line["contract"] and line["incurred"] > ZERO:
            add(
                line_field(line["key"], "incurred"),
                _("“%(name)s” has no amount in the agreement, so no costs can be shown for it.")
                % names,
            )
        if line["from_grant"] is None:
            add(
                line_field(line["key"], "from_grant"),
                _("Give how much of “%(name)s” was paid from the grant (0 if nothing).") % names,
            )
        elif line["incurred"] is not None and line["from_grant"] > line["incurred"]:
            add(
                line_field(line["key"], "from_grant"),
                _(
                    "“%(name)s”: the part paid from the grant cannot be more than the costs "
                    "incurred."
                )
                % names,
            )
    limit = numbers["grant_limit"]
    if limit is not None and numbers["grant_total"] > limit:
        first = numbers["lines"][0]["key"] if numbers["lines"] else None
        message = (
            _("The grant spent, %(spent)s, is more than the grant paid, %(limit)s.")
            if numbers["grant_limit_basis"] == "paid"
            else _("The grant spent, %(spent)s, is more than the grant awarded, %(limit)s.")
        )
        add(
            line_field(first, "from_grant") if first else "achievements",
            message % {"spent": _money(numbers["grant_total"]), "limit": _money(limit)},
        )
    for source in numbers["sources"]:
        if source["key"] != "grant" and source["actual"] is None:
            add(
                source_field(source["key"]),
                _("Give the actual amount of “%(source)s” (0 if none).")
                % {"source": source["label"]},
            )
    sources_given = all(s["actual"] is not None for s in numbers["sources"])
    lines_given = all(line["incurred"] is not None for line in numbers["lines"])
    if sources_given and lines_given and numbers["actual_total"] != numbers["incurred_total"]:
        add(
            source_field("own_financial"),
            _(
                "The sources add up to %(sources)s but the costs incurred to %(costs)s: "
                "they must be equal."
            )
            % {
                "sources": _money(numbers["actual_total"]),
                "costs": _money(numbers["incurred_total"]),
            },
        )
    fees = next((s["actual"] for s in numbers["sources"] if s["key"] == "fees"), None)
    if fees and not content.get("fees_info", "").strip():
        add("fees_info", _("Say what the fees from the people served were charged for."))
    for key in DECLARATIONS:
        if not content.get("declarations", {}).get(key):
            add(
                declaration_field(key),
                _("Tick the declaration: %(text)s") % {"text": DECLARATION_LABELS[key]},
            )
    return found


# Who is told, and where to look.


def report_url(report):
    return settings.SITE_URL + reverse("agreements:report", args=[report.pk])


def _mail_context(report, **extra):
    agreement = report.agreement
    return {
        "report": report,
        "agreement": agreement,
        "organization": agreement.organization,
        "department": agreement.department,
        "report_url": report_url(report),
        **extra,
    }


def _period(report):
    return f"{_day(report.period_starts)} – {_day(report.period_ends)}"


# In e-mails the period is formatted when each recipient's message is rendered, in their
# language (core.mail renders under translation.override).
_period_in_mail = lazy(_period, str)


def _locked(report):
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related(
            "agreement", "agreement__organization", "agreement__department", "agreement__offer"
        )
        .get(pk=report.pk)
    )


def _required_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        message = _("Write the reason: the organization will read it.")
        raise ReportError(message, errors={"reason": message})
    return reason


# The organization's side.


def editing_problem(report, user, *, may_fill=None):
    """Why `user` cannot change `report`'s draft now, or None. `may_fill`: whether the
    person may fill the report in, when the caller has asked already."""
    if may_fill is None:
        may_fill = user.has_perm("agreements.fill_report", report.agreement)
    if not may_fill:
        return _("Only the organization's members can fill in its report.")
    if report.status == Status.ACCEPTED:
        return _(
            "This report has been accepted and cannot be changed. The department can reopen "
            "it for a correction."
        )
    if report.status == Status.SUBMITTED:
        return _("This report waits for the department's review and cannot be changed now.")
    if report.agreement.status != Agreement.Status.SIGNED:
        return _("The agreement is no longer in force; its reports cannot be changed.")
    return None


def save_draft(report, by, values, *, revision=None):
    """Keep what a member has typed into the report (it may be unfinished). `values` holds
    the texts, and {key: {part: text}} for "results", "lines", "sources", and
    {key: bool} for "declarations". A save based on an older draft than the one stored
    (`revision`, from `draft_revision`) is refused, so nobody overwrites another
    member's work unseen."""
    with transaction.atomic():
        report = _locked(report)
        problem = editing_problem(report, by)
        if problem:
            raise ReportError(problem)
        if revision is not None and revision != draft_revision(report):
            raise ReportError(
                _(
                    "Someone else saved this report while you were filling it in. What you "
                    "typed is still in the form: check it against the saved report and save "
                    "again to keep yours."
                )
            )
        draft = {name: values.get(name, "") for name in TEXTS}
        draft["results"] = [
            {"key": key, **parts} for key, parts in (values.get("results") or {}).items()
        ]
        draft["costs"] = {
            "lines": [{"key": key, **parts} for key, parts in (values.get("lines") or {}).items()]
        }
        draft["sources"] = [
            {"key": key, **parts} for key, parts in (values.get("sources") or {}).items()
        ]
        draft["declarations"] = dict(values.get("declarations") or {})
        report.draft = draft
        report.draft = working_content(report)
        report.save(update_fields=["draft"])
    return report


def submission_problem(report, user, today=None):
    """Why `user` cannot submit `report` now (beyond the problems of its content), or None."""
    today = today or timezone.localdate()
    if not user.has_perm("agreements.act_for_organization", report.agreement):
        return _("Only an administrator of the organization can submit its report.")
    if report.status == Status.SUBMITTED:
        return _("This report has been submitted and waits for the department's review.")
    if report.status == Status.ACCEPTED:
        return _("This report has been accepted already.")
    if report.agreement.status != Agreement.Status.SIGNED:
        return _("The agreement is no longer in force; its reports cannot be submitted.")
    if report.kind == Kind.FINAL and today <= report.period_ends:
        return _("A final report can be submitted once its period has ended: from %(day)s.") % {
            "day": _day(report.period_ends + timedelta(days=1))
        }
    return None


def days_late(report, when):
    """How many days after the due date `when` (a moment) is; 0 when in time."""
    return max((timezone.localdate(when) - report.due).days, 0)


def _frozen(report, content, now, late):
    agreement = report.agreement
    with translation.override(settings.LANGUAGE_CODE):
        numbers = figures(content)
        return {
            **content,
            "report": {
                "kind": report.kind,
                "kind_label": str(report.get_kind_display()),
                "period_starts": report.period_starts.isoformat(),
                "period_ends": report.period_ends.isoformat(),
                "due": report.due.isoformat(),
                "period_text": _period(report),
                "due_text": _day(report.due),
            },
            "agreement": {
                "number": agreement.number,
                "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
                "signed_on_text": _day(agreement.signed_on) if agreement.signed_on else "",
                "title": agreement.offer.title,
                "organization": agreement.organization.name,
                "department": str(agreement.department),
                "starts": agreement.starts.isoformat(),
                "ends": agreement.ends.isoformat(),
            },
            "submitted_at": timezone.localtime(now).isoformat(timespec="seconds"),
            "days_late": late,
            "declaration_texts": {key: str(DECLARATION_LABELS[key]) for key in DECLARATIONS},
            "computed": {
                "contract_total": _text(numbers["contract_total"]),
                "incurred_total": _text(numbers["incurred_total"]),
                "grant_total": _text(numbers["grant_total"]),
                "sources": [
                    {
                        "key": s["key"],
                        "label": str(s["label"]),
                        "planned": _text(s["planned"]),
                        "planned_share": _text(s["planned_share"]),
                        "actual": _text(s["actual"]),
                        "actual_share": _text(s["actual_share"]),
                    }
                    for s in numbers["sources"]
                ],
            },
        }


def submit_report(report, by):
    """Freeze what the organization typed as the report's next version and send it to
    the department. A report submitted after its due date is accepted, and how late it
    is stays on record (the version, the audit entry, the report's first submission)."""
    now = timezone.now()
    with transaction.atomic():
        report = _locked(report)
        problem = submission_problem(report, by, timezone.localdate(now))
        if problem:
            raise ReportError(problem)
        content = working_content(report)
        found = report_problems(report, content)
        if found:
            raise ReportError(
                ngettext(
                    "The report has %(count)d problem to fix before it can be submitted.",
                    "The report has %(count)d problems to fix before it can be submitted.",
                    len(found),
                )
                % {"count": len(found)}
            )
        late = days_late(report, now)
        frozen = _frozen(report, content, now, late)
        number = report.versions.count() + 1
        version = ReportVersion.objects.create(
            report=report,
            number=number,
            content=frozen,
            content_sha256=sha256_of(frozen),
            submitted_by=by,
            submitted_at=now,
        )
        old_status = report.status
        report.status = Status.SUBMITTED
        report.draft = content
        # The first submission is the one that counts for the due date.
        report.submitted_at = report.submitted_at or now
        report.save(update_fields=["status", "draft", "submitted_at"])
        changes = {
            "status": [old_status, Status.SUBMITTED],
            "report_version": [None, number],
            "content_sha256": [None, version.content_sha256],
        }
        if late:
            changes["days_late"] = [None, late]
        record(by, "report.submitted", report, changes)
        agreement = report.agreement
        mail.send(
            department_recipients(agreement.department),
            gettext_lazy("Report on agreement %(number)s submitted"),
            "agreements/email/report_submitted.txt",
            _mail_context(report, version=version, days_late=late, period=_period_in_mail(report)),
            subject_params={"number": agreement.number},
        )
    return report


# The department's side.


def review_problem(report, user):
    """Why `user` cannot accept or return `report` now, or None."""
    if not user.has_perm("agreements.review_report", report.agreement):
        return _("Only an official of %(department)s can review the reports on this agreement.") % {
            "department": report.agreement.department
        }
    if report.status != Status.SUBMITTED:
        return _("Only a submitted report can be accepted or returned.")
    return None


def accept_report(report, by):
    now = timezone.now()
    with transaction.atomic():
        report = _locked(report)
        problem = review_problem(report, by)
        if problem:
            raise ReportError(problem)
        report.status = Status.ACCEPTED
        report.reviewed_by, report.reviewed_at = by, now
        report.return_reason = ""
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
        record(by, "report.accepted", report, {"status": [Status.SUBMITTED, Status.ACCEPTED]})
        mail.send(
            organization_admins(report.agreement.organization),
            gettext_lazy("Your report on agreement %(number)s is accepted"),
            "agreements/email/report_accepted.txt",
            _mail_context(report, period=_period_in_mail(report)),
            subject_params={"number": report.agreement.number},
        )
    return report


def return_report(report, by, reason):
    """Send a submitted report back to the organization for a correction, with the
    reason it reads; it is then corrected and submitted again as a new version."""
    now = timezone.now()
    with transaction.atomic():
        report = _locked(report)
        problem = review_problem(report, by)
        if problem:
            raise ReportError(problem)
        reason = _required_reason(reason)
        report.status = Status.RETURNED
        report.reviewed_by, report.reviewed_at = by, now
        report.return_reason = reason
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
        record(
            by,
            "report.returned",
            report,
            {"status": [Status.SUBMITTED, Status.RETURNED], "return_reason": ["", reason]},
        )
        _tell_returned(report, reopened=False)
    return report


def reopen_problem(report, user):
    if not user.has_perm("agreements.review_report", report.agreement):
        return _("Only an official of %(department)s can reopen the reports on this agreement.") % {
            "department": report.agreement.department
        }
    if report.status != Status.ACCEPTED:
        return _("Only an accepted report can be reopened.")
    if report.agreement.status != Agreement.Status.SIGNED:
        return _("The grant has been settled; its reports can no longer be reopened.")
    return None


def reopen_report(report, by, reason):
    """Open an accepted report for a correction: it goes back to the organization as
    returned, with the reason; the accepted version stays on record."""
    now = timezone.now()
    with transaction.atomic():
        report = _locked(report)
        problem = reopen_problem(report, by)
        if problem:
            raise ReportError(problem)
        reason = _required_reason(reason)
        report.status = Status.RETURNED
        report.reviewed_by, report.reviewed_at = by, now
        report.return_reason = reason
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
        record(
            by,
            "report.reopened",
            report,
            {"status": [Status.ACCEPTED, Status.RETURNED], "return_reason": ["", reason]},
        )
        _tell_returned(report, reopened=True)
    return report


def _tell_returned(report, *, reopened):
    mail.send(
        organization_admins(report.agreement.organization),
        gettext_lazy("Your report on agreement %(number)s is returned for a correction"),
        "agreements/email/report_returned.txt",
        _mail_context(report, reopened=reopened, period=_period_in_mail(report)),
        subject_params={"number": report.agreement.number},
    )


def partial_request_problems(agreement, period_ends, due, today=None, legal_rules=None):
    """{field: message} for the dates of a partial report's request (empty: they hold)."""
    today = today or timezone.localdate()
    legal_rules = legal_rules or LegalRules.current()
    errors = {}
    if period_ends is None:
        errors["period_ends"] = _("Give the last day the report should cover.")
    elif not agreement.starts <= period_ends <= agreement.ends:
        errors["period_ends"] = _(
            "The report covers the task: give a day from %(starts)s to %(ends)s."
        ) % {"starts": _day(agreement.starts), "ends": _day(agreement.ends)}
    earliest = earliest_partial_due(today, legal_rules)
    if due is None:
        errors["due"] = _("Give the day the report is due.")
    elif due < earliest:
        errors["due"] = ngettext(
            "A partial report is due no sooner than %(count)d day after the request: "
            "%(day)s at the earliest.",
            "A partial report is due no sooner than %(count)d days after the request: "
            "%(day)s at the earliest.",
            legal_rules.partial_report_min_days,
        ) % {"count": legal_rules.partial_report_min_days, "day": _day(earliest)}
    elif period_ends is not None and due <= period_ends:
        errors["due"] = _("The report is due after the end of the period it covers.")
    return errors


def request_partial_report(agreement, by, period_ends, due):
    """Ask the organization for a partial report on its task up to `period_ends`, due on
    `due` — no sooner than `partial_report_min_days` after today (art. 18)."""
    now = timezone.now()
    today = timezone.localdate(now)
    legal_rules = LegalRules.current()
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("organization", "department", "offer")
            .get(pk=agreement.pk)
        )
        if not by.has_perm("agreements.review_report", agreement):
            raise ReportError(
                _("Only an official of %(department)s can ask for a partial report.")
                % {"department": agreement.department}
            )
        if agreement.status != Agreement.Status.SIGNED:
            raise ReportError(_("Reports can be asked for only while the agreement is in force."))
        errors = partial_request_problems(agreement, period_ends, due, today, legal_rules)
        if errors:
            raise ReportError(next(iter(errors.values())), errors=errors)
        report = Report.objects.create(
            agreement=agreement,
            kind=Kind.PARTIAL,
            period_starts=max(agreement.starts, date(period_ends.year, 1, 1)),
            period_ends=period_ends,
            due=due,
            requested_at=now,
        )
        record(
            by,
            "report.partial_requested",
            report,
            {
                "period_starts": [None, report.period_starts.isoformat()],
                "period_ends": [None, period_ends.isoformat()],
                "due": [None, due.isoformat()],
            },
        )
        mail.send(
            organization_admins(agreement.organization),
            gettext_lazy("The city asks for a partial report on agreement %(number)s"),
            "agreements/email/report_requested.txt",
            _mail_context(report, period=_period_in_mail(report)),
            subject_params={"number": agreement.number},
        )
    return report


# Reminders.


def reminder_code(report, today, days_before=None, every=None):
    """The reminder `report` should get today, or None: "before-N" from N days before the
    due date (the nearest N that has come, so a day the job did not run is made up),
    then "after-1", "after-8", … — one for each `every` days while it is late. Nothing
    when that reminder went already."""
    days_before = sorted(days_before or settings.REPORT_REMINDER_DAYS_BEFORE)
    every = max(every or settings.REPORT_OVERDUE_REMINDER_EVERY_DAYS, 1)
    left = (report.due - today).days
    if left >= 0:
        come = [n for n in days_before if n >= left]
        code = f"before-{come[0]}" if come else None
    else:
        late = -left
        code = f"after-{1 + (late - 1) // every * every}"
    if code is None or code in (report.reminders_sent or []):
        return None
    return code


def send_report_reminders(today=None):
    """E-mail the organizations' admins about the reports that are due soon or late:
    reports not yet submitted or returned for a correction, of agreements in force.
    Returns the number of reports reminded of. Safe to run more than once a day."""
    today = today or timezone.localdate()
    days_before = tuple(settings.REPORT_REMINDER_DAYS_BEFORE)
    horizon = today + timedelta(days=max(days_before, default=0))
    candidates = Report.objects.filter(
        status__in=[Status.DUE, Status.RETURNED],
        agreement__status=Agreement.Status.SIGNED,
        due__lte=horizon,
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in candidates:
        with transaction.atomic():
            report = _locked(Report(pk=pk))
            if report.status not in (Status.DUE, Status.RETURNED):
                continue
            code = reminder_code(report, today, days_before)
            if code is None:
                continue
            report.reminders_sent = [*(report.reminders_sent or []), code]
            report.save(update_fields=["reminders_sent"])
            left = (report.due - today).days
            agreement = report.agreement
            mail.send(
                organization_admins(agreement.organization),
                gettext_lazy("Report on agreement %(number)s: due %(due)s")
                if left >= 0
                else gettext_lazy("Report on agreement %(number)s is late"),
                "agreements/email/report_reminder.txt",
                _mail_context(
                    report,
                    days_left=left,
                    days_late=-left,
                    period=_period_in_mail(report),
                    today=today,
                ),
                subject_params={"number": agreement.number, "due": report.due.strftime("%d.%m.%Y")},
            )
            reminded += 1
    return reminded


@task()
def send_report_reminders_task():
    """The daily reminders as a background task, for the nightly job to queue."""
    return {"sent": send_report_reminders()}


# Settlement.


@dataclass
class SettlementFigures:
    grant: Decimal
    used: Decimal
    paid: Decimal
    # No tranche is recorded as paid: the whole grant is taken as paid.
    paid_assumed: bool
    refund: Decimal
    obstacles: list


def settlement_figures(agreement):
    """What settling `agreement` would record now, and what stops it."""
    reports = list(agreement.reports.prefetch_related("versions"))
    obstacles = []
    if agreement.status == Agreement.Status.SETTLED:
        obstacles.append(_("The grant has been settled already."))
    elif agreement.status != Agreement.Status.SIGNED:
        obstacles.append(_("Only a signed agreement can be settled."))
    if not any(r.kind == Kind.FINAL for r in reports):
        obstacles.append(_("The agreement has no final report yet."))
    for report in reports:
        if report.status != Status.ACCEPTED:
            obstacles.append(
                _("The %(kind)s for %(period)s is not accepted: it is %(status)s.")
                % {
                    "kind": report.get_kind_display(),
                    "period": _period_in_mail(report),
                    "status": report.get_status_display(),
                }
            )
    used = ZERO
    for report in reports:
        if report.kind == Kind.FINAL and report.status == Status.ACCEPTED:
            version = _latest(report.versions.all(), key=lambda v: v.number)
            if version is not None:
                used += figures(version.content)["grant_total"]
    paid_tranches = [t for t in agreement.tranches.all() if t.paid_on]
    paid = sum((t.amount for t in paid_tranches), ZERO) if paid_tranches else agreement.amount
    return SettlementFigures(
        grant=agreement.amount,
        used=used,
        paid=paid,
        paid_assumed=not paid_tranches,
        refund=max(paid - used, ZERO),
        obstacles=[str(o) for o in obstacles],
    )


def refund_term(ends):
    """The last day to return the part of a grant not used by the task's end `ends` (art.
    251 sec. 1–2 of the public finance act, as the model agreement words it): REFUND_DAYS
    after the end, or 31 January of the next year for a task that ends on 31 December.
    Interest as on tax arrears runs from the day after (sec. 5). For a task over several
    years this is the final year's term; earlier years' unused tranches are not split out.
    """
    if (ends.month, ends.day) == (12, 31):
        term = date(ends.year + 1, 1, 31)
    else:
        term = ends + timedelta(days=settings.REFUND_DAYS)
    # A public-law debt: a term ending on a Saturday or holiday ends on the next working day
    # (art. 67 of the public finance act, art. 12 § 5 of the tax ordinance).
    return workdays.next_working_day(term)


def settle(agreement, by, refund_paid_on=None):
    """Settle the grant once every report of the agreement is accepted: the grant used
    is the part of the incurred costs paid from the grant in the accepted final reports;
    what was paid and not used was to be returned by `refund_term` of the task's end —
    usually before the settlement, which then records whether and when it came back."""
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("organization", "department", "offer")
            .get(pk=agreement.pk)
        )
        if not by.has_perm("agreements.review_report", agreement):
            raise ReportError(
                _("Only an official of %(department)s can settle this agreement.")
                % {"department": agreement.department}
            )
        numbers = settlement_figures(agreement)
        if numbers.obstacles:
            raise ReportError(numbers.obstacles[0])
        if refund_paid_on is not None and refund_paid_on > today:
            message = _("The day of the return cannot be in the future.")
            raise ReportError(message, errors={"refund_paid_on": message})
        settlement = Settlement.objects.create(
            agreement=agreement,
            grant_used=numbers.used,
            refund_due=numbers.refund,
            refund_due_by=refund_term(agreement.ends) if numbers.refund else None,
            refund_paid_on=refund_paid_on if numbers.refund else None,
            settled_by=by,
            settled_at=now,
        )
        old_status = agreement.status
        agreement.status = Agreement.Status.SETTLED
        agreement.save(update_fields=["status"])
        changes = {
            "status": [old_status, Agreement.Status.SETTLED],
            "grant_paid": [None, _text(numbers.paid)],
            "grant_used": [None, _text(numbers.used)],
            "refund_due": [None, _text(numbers.refund)],
        }
        if settlement.refund_due_by:
            changes["refund_due_by"] = [None, settlement.refund_due_by.isoformat()]
        if settlement.refund_paid_on:
            changes["refund_paid_on"] = [None, settlement.refund_paid_on.isoformat()]
        record(by, "agreement.settled", agreement, changes)
        agreement_settled.send(sender=Agreement, agreement=agreement, by=by)
        context = {
            "agreement": agreement,
            "settlement": settlement,
            "figures": numbers,
            "organization": agreement.organization,
        }
        mail.send(
            [
                *organization_admins(agreement.organization),
                *department_recipients(agreement.department),
            ],
            gettext_lazy("The grant of agreement %(number)s is settled"),
            "agreements/email/report_settlement.txt",
            context,
            subject_params={"number": agreement.number},
        )
    return settlement


def record_refund(settlement, by, paid_on):
    """Record the day the organization returned the unused grant."""
    with transaction.atomic():
        settlement = (
            Settlement.objects.select_for_update(of=("self",))
            .select_related("agreement", "agreement__department")
            .get(pk=settlement.pk)
        )
        agreement = settlement.agreement
        if not by.has_perm("agreements.review_report", agreement):
            raise ReportError(
                _("Only an official of %(department)s can record the return.")
                % {"department": agreement.department}
            )
        if not settlement.refund_due:
            raise ReportError(_("Nothing is to be returned under this settlement."))
        if settlement.refund_paid_on:
            raise ReportError(
                _("The return has been recorded already, on %(day)s.")
                % {"day": _day(settlement.refund_paid_on)}
            )
        errors = {}
        if paid_on is None:
            errors["paid_on"] = _("Give the day the money came back.")
        elif paid_on > timezone.localdate():
            errors["paid_on"] = _("The day of the return cannot be in the future.")
        if errors:
            raise ReportError(next(iter(errors.values())), errors=errors)
        settlement.refund_paid_on = paid_on
        settlement.save(update_fields=["refund_paid_on"])
        record(
            by,
            "settlement.refund_recorded",
            settlement,
            {"refund_paid_on": [None, paid_on.isoformat()]},
        )
    return settlement
