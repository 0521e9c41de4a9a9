"""What a submitted offer is: its frozen content, the content's SHA-256, its PDF in the
official layout, and the check of a copy signed outside the platform.

The content is a plain dict (JSON) built once at submission from the draft and the
organization's profile, in the site's language: what the city received, never re-read
from records that may change later. The PDF and the public small-grant page render this
dict. The SHA-256 is taken over its canonical JSON, so anyone holding the content can
recompute it.
"""

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from wspolpraca.core.pdf import render_pdf
from wspolpraca.core.templatetags.core_tags import money

CONTENT_FORMAT = 1
DECLARATIONS = [
    "declares_public_benefit",
    "declares_fees",
    "declares_no_arrears",
    "declares_register_data",
    "declares_truth",
    "declares_personal_data",
]


def _label(model, name):
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _date(value):
    return formats.date_format(value) if value else ""


def _yes_no(value):
    return str(_("yes")) if value else str(_("no"))


def _items(obj, names, formatters=None):
    formatters = formatters or {}
    items = []
    for name in names:
        value = getattr(obj, name)
        shown = formatters.get(name, lambda v: "" if v in (None, "") else str(v))(value)
        items.append({"label": _label(type(obj), name), "value": shown})
    return items


def _share(part, total):
    if not total:
        return "0,00%"
    return formats.number_format((part * 100 / total).quantize(Decimal("0.01")), 2) + "%"


def costs_of(offer):
    """V.A: cost lines by action, then administrative costs, with sums (zł as Decimal)."""
    actions = list(offer.actions.all())
    lines = list(offer.cost_lines.all())
    groups = []
    for action in [*actions, None]:
        rows = [line for line in lines if line.action_id == (action.pk if action else None)]
        if action is None and not rows:
            continue
        groups.append(
            {
                "action": action.name if action else str(_("Administrative costs")),
                "administrative": action is None,
                "lines": rows,
                "total": sum((line.value for line in rows), Decimal("0")),
            }
        )
    total = sum((group["total"] for group in groups), Decimal("0"))
    years = sorted({line.year for line in lines})
    by_year = {
        year: sum((line.value for line in lines if line.year == year), Decimal("0"))
        for year in years
    }
    return groups, total, by_year


def build_content(offer, *, number, submitted_at):
    """The frozen content of `offer` as submitted (a JSON-safe dict)."""
    from .models import CostLine, Offer, Partner, Result

    organization = offer.organization
    with translation.override(settings.LANGUAGE_CODE):
        groups, total, by_year = costs_of(offer)
        own = offer.own_financial + offer.own_personal + offer.own_in_kind
        sources = [
            (_label(Offer, "requested_grant"), offer.requested_grant or Decimal("0")),
            (_("Own contribution in total"), own),
            (_label(Offer, "own_financial"), offer.own_financial),
            (_label(Offer, "own_personal"), offer.own_personal),
            (_label(Offer, "own_in_kind"), offer.own_in_kind),
            (_label(Offer, "other_public_funds"), offer.other_public_funds),
            (_label(Offer, "beneficiary_fees"), offer.beneficiary_fees),
        ]
        address = ", ".join(
            part
            for part in [organization.street, organization.postal_code, organization.city]
            if part
        )
        register = organization.krs or organization.other_register
        sections = [
            {
                "title": str(_("I. Basic information")),
                "items": [
                    {"label": str(_("Authority addressed")), "value": str(offer.department)},
                    {
                        "label": str(_("Kind of public task")),
                        "value": offer.call.title if offer.call else offer.title,
                    },
                    {"label": str(_("Kind of offer")), "value": str(offer.get_kind_display())},
                ],
            },
            {
                "title": str(_("II. The offeror")),
                "items": [
                    {"label": str(_("Name")), "value": organization.name},
                    {"label": str(_("Legal form")), "value": str(organization.get_kind_display())},
                    {"label": str(_("KRS or other register number")), "value": register or ""},
                    {"label": "NIP", "value": organization.nip},
                    {"label": "REGON", "value": organization.regon},
                    {"label": str(_("Seat address")), "value": address},
                    {"label": str(_("Website")), "value": organization.website},
                    {"label": str(_("E-mail")), "value": organization.email},
                    {"label": str(_("Phone")), "value": organization.phone},
                    # The contact person's data go to the city, not to the public page
                    # a small-grant offer gets for comments.
                    *[
                        {**item, "public": False}
                        for item in _items(
                            offer,
                            [
                                "correspondence_address",
                                "contact_name",
                                "contact_email",
                                "contact_phone",
                            ],
                        )
                    ],
                ],
            },
            {
                "title": str(_("III. The task")),
                "items": [
                    *_items(offer, ["title"]),
                    {
                        "label": str(_("Dates of the task")),
                        "value": f"{_date(offer.starts)} – {_date(offer.ends)}",
                    },
                    *_items(
                        offer,
                        [
                            "summary",
                            "complementarity",
                            "results_effects",
                            "results_change",
                            "results_durability",
                        ],
                    ),
                ],
            },
            {
                "title": str(_("IV. The offeror's experience and resources")),
                "items": _items(offer, ["earlier_activity", "resources"]),
            },
            {
                "title": str(_("VI. Other information")),
                "items": _items(
                    offer, ["paid_activity", "other_information"], {"paid_activity": _yes_no}
                ),
            },
            {
                "title": str(_("VII. Declarations")),
                "items": _items(
                    offer,
                    [*DECLARATIONS, "representatives"],
                    dict.fromkeys(DECLARATIONS, _yes_no),
                ),
            },
        ]
        content = {
            "format": CONTENT_FORMAT,
            "number": number,
            "submitted_at": timezone.localtime(submitted_at).isoformat(timespec="seconds"),
            "kind": offer.kind,
            "call": {"id": offer.call_id, "title": offer.call.title} if offer.call else None,
            "organization": {"id": organization.pk, "name": organization.name},
            "sections": sections,
            "partners": [
                {
                    "name": p.name,
                    "items": _items(
                        p,
                        [
                            "kind",
                            "register_number",
                            "address",
                            "email",
                            "phone",
                            "website",
                            "cost_share",
                            "actions_and_representation",
                        ],
                        {
                            "kind": lambda v: str(
                                dict(Partner._meta.get_field("kind").choices).get(v, v)
                            ),
                            "cost_share": money,
                        },
                    ),
                }
                for p in offer.partners.all()
            ],
            "actions": [
                {
                    "name": a.name,
                    "items": _items(
                        a,
                        [
                            "description",
                            "target_group",
                            "starts",
                            "ends",
                            "done_by_non_party",
                            "partner",
                        ],
                        {"starts": _date, "ends": _date},
                    ),
                }
                for a in offer.actions.all()
            ],
            "results": [
                {"name": r.name, "target_value": r.target_value, "monitoring": r.monitoring}
                for r in offer.results.all()
            ],
            "result_labels": [_label(Result, n) for n in ["name", "target_value", "monitoring"]],
            "costs": {
                "groups": [
                    {
                        "action": g["action"],
                        "lines": [
                            {
                                "name": line.name,
                                "unit": line.unit,
                                "unit_cost": money(line.unit_cost),
                                "quantity": formats.number_format(line.quantity, 2),
                                "year": line.year,
                                "value": money(line.value),
                            }
                            for line in g["lines"]
                        ],
                        "total": money(g["total"]),
                    }
                    for g in groups
                ],
                "line_labels": [
                    _label(CostLine, n) for n in ["name", "unit", "unit_cost", "quantity", "year"]
                ]
                + [str(_("Value"))],
                "by_year": [{"year": y, "total": money(v)} for y, v in by_year.items()],
                "total": money(total),
            },
            "sources": [
                {"label": str(label), "value": money(value), "share": _share(value, total)}
                for label, value in sources
            ],
        }
    return content


def canonical(content):
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_of(content):
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def offer_pdf(offer):
    """The offer in the official layout, rendered from its frozen content."""
    return render_pdf("offers/pdf/offer.html", {"offer": offer, "content": offer.submitted_content})


def receipt_pdf(offer):
    return render_pdf("offers/pdf/receipt.html", {"offer": offer})


# Signed confirmations


@dataclass
class SignatureCheck:
    signer: str
    signed_at: object


class SignatureRefused(Exception):
    """The uploaded file is not an intact signature of this offer's PDF; the message says
    why, in words for the person who uploaded it."""


# Trust is not checked: the Polish trusted-profile and qualified roots are not bundled, so
# path building fails for every real certificate and pyHanko logs it as an error.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)


def check_signed_copy(offer, data):
    """Accept `data` (bytes of a PDF) as the signed confirmation of `offer` only if it holds
    an intact signature and what was signed is the very PDF the platform issued for it (a
    signature adds an incremental update after the original bytes)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    offer.pdf.open("rb")
    try:
        issued = offer.pdf.read()
    finally:
        offer.pdf.close()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # pyHanko raises several kinds for a broken file
        raise SignatureRefused(_("The file is not a PDF that can be read.")) from error
    if not signatures:
        raise SignatureRefused(_("The file has no electronic signature."))
    if not data.startswith(issued):
        raise SignatureRefused(
            _(
                "The signed file is not this offer's PDF: download the offer's PDF from this "
                "page, sign it without changing it, and upload it again."
            )
        )
    signature = signatures[-1]
    try:
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=[], allow_fetching=False)
        )
    except Exception as error:
        raise SignatureRefused(_("The signature cannot be read.")) from error
    if not (status.intact and status.valid):
        raise SignatureRefused(
            _("The signature does not match the file: it was changed after signing.")
        )
    if signature.signed_revision < 0 or status.coverage is None:
        raise SignatureRefused(_("The signature does not cover the offer."))
    cert = status.signing_cert
    signer = cert.subject.native.get("common_name") or cert.subject.human_friendly
    return SignatureCheck(signer=signer, signed_at=status.signer_reported_dt)
