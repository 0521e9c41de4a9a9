"""What a signed agreement says: its frozen content, the content's SHA-256 and its PDF.

The content is a plain dict (JSON) built when the agreement is signed (version 1) and at
each annex (version N+1), in the site's language, from the agreement, its offer and the
cost calculation in force (`agreements.cost_calculation`): the parties, the task, the
dates, the grant in figures and in Polish words, the cost calculation and schedule, the
tranches and the duty to report. The PDF is rendered from this dict only, so a version
reads the same for ever; the SHA-256 is taken over its canonical JSON (as for offers).

Shape (strings are as shown, amounts also as plain decimals for machines)::

    {"format", "number", "version", "annex": None | {"reason", "changes": [{label, old, new}]},
     "signed_on", "signed_on_text", "parties": {"city": {...}, "organization": {...}},
     "task": {"title", "call", "offer_number", "offer_sha256", "kind", "funding_mode",
              "starts", "ends", "starts_text", "ends_text", "summary"},
     "amount", "amount_text", "amount_words",
     "costs": {"source", "lines": [{action, name, unit, unit_cost, quantity, year, value}],
               "total", "own_contribution", "other_sources", "by_year": [{year, total}]},
     "schedule": [{action, starts, ends}],
     "tranches": [{number, year, amount, amount_text, planned_on, planned_on_text}],
     "reporting": {"due_days", "periods": [{year, starts, ends, due, final}]}}
"""

import datetime as dt

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from wspolpraca.competitions.models import LegalRules
from wspolpraca.core import workdays
from wspolpraca.core.pdf import render_pdf
from wspolpraca.core.templatetags.core_tags import money
from wspolpraca.offers.checks import number as quantity_text
from wspolpraca.offers.documents import canonical, sha256_of  # noqa: F401  (same hashing)

CONTENT_FORMAT = 1


def _date(value):
    return formats.date_format(value, "j E Y") if value else ""


def reporting_periods(starts, ends, due_days):
    """One report per budget year of the task: its period, and the day it is due
    (`due_days` after the period ends; the last one is the final report)."""
    periods = []
    for year in range(starts.year, ends.year + 1):
        period_starts = max(starts, dt.date(year, 1, 1))
        period_ends = min(ends, dt.date(year, 12, 31))
        # As the platform schedules it (reports.due_after): a weekend or holiday moves on.
        due = workdays.next_working_day(period_ends + dt.timedelta(days=due_days))
        periods.append(
            {
                "year": year,
                "starts": period_starts.isoformat(),
                "ends": period_ends.isoformat(),
                "due": due.isoformat(),
                "starts_text": _date(period_starts),
                "ends_text": _date(period_ends),
                "due_text": _date(due),
                "final": year == ends.year,
            }
        )
    return periods


def build_content(agreement, *, version, annex_reason="", changes=()):
    """The frozen content of `agreement` as it stands now, as version `version`."""
    from .agreements import amount_in_words, cost_calculation

    offer = agreement.offer
    organization = agreement.organization
    call = offer.call
    with translation.override(settings.LANGUAGE_CODE):
        costs = cost_calculation(agreement)
        address = ", ".join(
            part
            for part in [organization.street, organization.postal_code, organization.city]
            if part
        )
        rules = LegalRules.current()
        content = {
            "format": CONTENT_FORMAT,
            "number": agreement.number,
            "version": version,
            "annex": (
                {"number": version - 1, "reason": annex_reason, "changes": list(changes)}
                if version > 1
                else None
            ),
            "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
            "signed_on_text": _date(agreement.signed_on),
            "parties": {
                "city": {
                    "name": str(
                        _("Municipality of %(name)s") % {"name": settings.MUNICIPALITY_NAME}
                    ),
                    "department": str(agreement.department),
                    "representative": agreement.city_representative,
                },
                "organization": {
                    "name": organization.name,
                    "legal_form": str(organization.get_kind_display()),
                    "register": organization.krs or getattr(organization, "other_register", ""),
                    "nip": organization.nip or "",
                    "regon": organization.regon or "",
                    "address": address,
                    "representatives": offer.representatives,
                    "partners": [partner.name for partner in offer.partners.all()],
                },
            },
            "task": {
                "title": offer.title,
                "call": call.title if call else "",
                "offer_number": offer.number or "",
                "offer_sha256": offer.content_sha256,
                "kind": str(offer.get_kind_display()),
                "funding_mode": str(call.get_funding_mode_display()) if call else "",
                "starts": agreement.starts.isoformat(),
                "ends": agreement.ends.isoformat(),
                "starts_text": _date(agreement.starts),
                "ends_text": _date(agreement.ends),
                "summary": offer.summary,
            },
            "amount": str(agreement.amount),
            "amount_text": money(agreement.amount),
            "amount_words": amount_in_words(agreement.amount),
            "costs": {
                "source": costs.source,
                "lines": [
                    {
                        "action": line["action_name"]
                        or (
                            str(_("Costs of the task"))
                            if offer.kind == offer.Kind.SMALL_GRANT
                            else str(_("Administrative costs"))
                        ),
                        "name": line["name"],
                        "unit": line["unit"],
                        "unit_cost": money(line["unit_cost"]),
                        "quantity": quantity_text(line["quantity"]),
                        "year": line["year"],
                        "value": money(line["value"]),
                    }
                    for line in costs.lines
                ],
                "total": money(costs.total),
                "own_contribution": money(costs.own_contribution),
                "other_sources": money(costs.other_sources) if costs.other_sources else "",
                "by_year": [
                    {"year": year, "total": money(total)} for year, total in costs.by_year.items()
                ],
            },
            "schedule": [
                {
                    "action": row["action_name"],
                    "starts": _date(row["starts"]),
                    "ends": _date(row["ends"]),
                }
                for row in costs.schedule
            ],
            "tranches": [
                {
                    "number": tranche.number,
                    "year": tranche.year,
                    "amount": str(tranche.amount),
                    "amount_text": money(tranche.amount),
                    "planned_on": tranche.planned_on.isoformat(),
                    "planned_on_text": _date(tranche.planned_on),
                }
                for tranche in agreement.tranches.order_by("number")
            ],
            "reporting": {
                "due_days": rules.report_due_days,
                "periods": reporting_periods(
                    agreement.starts, agreement.ends, rules.report_due_days
                ),
            },
        }
    return content


def agreement_pdf(version):
    """The version's PDF, rendered from its frozen content only, in the site's language
    (a document of the city, whoever's request or job renders it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "agreements/pdf/agreement.html", {"content": version.content, "version": version}
        )


def draft_pdf(agreement):
    """The agreement as it would be signed today, marked as a draft: for the parties to read
    and print before the signing. Nothing is kept; version 1 is frozen at the signing."""
    from .models import AgreementVersion

    content = build_content(agreement, version=1)
    draft = AgreementVersion(
        agreement=agreement, number=1, content=content, content_sha256=sha256_of(content)
    )
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "agreements/pdf/agreement.html", {"content": content, "version": draft, "draft": True}
        )
