"""The awarded grants as a 360Giving data package (https://standard.threesixtygiving.org/),
at stable public addresses: /dane/360giving.json (the package) and /dane/360giving.csv
(the standard's flat spreadsheet form, one grant a row, its column titles).

Both stream in constant memory: the grants are read with `.iterator(chunk_size=CHUNK)` and
written out as they come, the JSON piece by piece by `package_chunks`, the CSV by
`core.exports`. The identifiers (docs/decisions/0004-360giving-identifiers.md):

- a grant is `<GRANTS_360_PREFIX>-<id of the decision that awarded it>`: the decision
  exists from the award on and never changes, where an agreement may come later or never;
- the recipient is `PL-KRS-<10 digits>` (org-id.guide's list code of the KRS), else
  `PL-REGON-<REGON>`, else the installation's own `<GRANTS_360_PREFIX>-ORG-<id>`;
- the funder is `GRANTS_360_FUNDER_ID` / `GRANTS_360_FUNDER_NAME` from the settings, its
  department the call's.
"""

import json
import re

from django.conf import settings
from django.db.models import F
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from wspolpraca.agreements.statistics import FRESHNESS_KEYS, public_grants
from wspolpraca.core import exports
from wspolpraca.core.caching import public_page

# Grants read from the database at a time, and written out per piece of the JSON.
CHUNK = 1000
PER_PIECE = 100
# The version of the standard the package follows (major.minor, as its schema asks).
STANDARD_VERSION = "1.4"

# What a record needs, read as plain values (no model instances: at tens of thousands of
# grants, building six model objects a grant costs more than everything else).
FIELDS = {
    "id": "id",
    "amount": "amount",
    "decided_at": "decided_at",
    "title": "offer__title",
    "summary": "offer__summary",
    "requested": "offer__requested_grant",
    "offer_starts": "offer__starts",
    "offer_ends": "offer__ends",
    "call_id": "offer__call_id",
    "call_title": "offer__call__title",
    "call_reference": "offer__call__reference",
    "call_decided_at": "offer__call__decided_at",
    "department": "offer__call__department__name",
    "organization_id": "offer__organization_id",
    "organization": "offer__organization__name",
    "krs": "offer__organization__krs",
    "regon": "offer__organization__regon",
    "city": "offer__organization__city",
    "agreement_starts": "offer__agreement__starts",
    "agreement_ends": "offer__agreement__ends",
    "agreement_created_at": "offer__agreement__created_at",
}


def package_grants():
    """The awarded grants, oldest first, as dicts of FIELDS' names."""
    own = [name for name, path in FIELDS.items() if name == path]
    related = {name: F(path) for name, path in FIELDS.items() if name != path}
    return public_grants().values(*own, **related).order_by("id")


def organization_id(organization_pk, krs, regon):
    """The recipient's org-id: KRS, else REGON, else the installation's own."""
    if re.fullmatch(r"\d{10}", krs or ""):
        return f"PL-KRS-{krs}"
    if re.fullmatch(r"\d{9}|\d{14}", regon or ""):
        return f"PL-REGON-{regon}"
    return f"{settings.GRANTS_360_PREFIX}-ORG-{organization_pk}"


def _moment(value):
    return timezone.localtime(value).isoformat(timespec="seconds")


class CallUrls:
    """The call pages' absolute addresses: reversed once, not once a grant."""

    PLACEHOLDER = 999999999

    def __init__(self, base_url):
        self.pattern = base_url + reverse("competitions:call", args=[self.PLACEHOLDER])

    def __call__(self, call_id):
        return self.pattern.replace(str(self.PLACEHOLDER), str(call_id))


def grant_record(grant, call_url):
    """One grant (a dict of FIELDS' names) in the 360Giving schema's shape; `call_url(id)`
    gives the absolute address of a call's page."""
    url = call_url(grant["call_id"])
    recipient = {
        "id": organization_id(grant["organization_id"], grant["krs"], grant["regon"]),
        "name": grant["organization"],
    }
    if grant["city"]:
        recipient["addressLocality"] = grant["city"]
    programme = {"title": grant["call_title"], "url": url}
    if grant["call_reference"]:
        programme = {"code": grant["call_reference"], **programme}
    record = {
        "id": f"{settings.GRANTS_360_PREFIX}-{grant['id']}",
        "title": grant["title"],
        "description": grant["summary"] or grant["title"],
        "currency": "PLN",
        "amountAwarded": float(grant["amount"]),
        "awardDate": timezone.localdate(grant["decided_at"]).isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {
                "id": settings.GRANTS_360_FUNDER_ID,
                "name": settings.GRANTS_360_FUNDER_NAME,
                "department": grant["department"],
            }
        ],
        "grantProgramme": [programme],
        "beneficiaryLocation": [{"name": settings.MUNICIPALITY_NAME, "countryCode": "PL"}],
        "fromOpenCall": "Yes",
        "dataSource": url,
    }
    if grant["requested"] is not None:
        record["amountAppliedFor"] = float(grant["requested"])
    agreed = grant["agreement_created_at"] is not None
    starts = grant["agreement_starts"] if agreed else grant["offer_starts"]
    ends = grant["agreement_ends"] if agreed else grant["offer_ends"]
    if starts and ends:
        record["plannedDates"] = [{"startDate": starts.isoformat(), "endDate": ends.isoformat()}]
    changes = [grant["decided_at"], grant["call_decided_at"], grant["agreement_created_at"]]
    record["dateModified"] = _moment(max(moment for moment in changes if moment))
    return record


def package_header(base_url):
    """The package's own fields, written before its grants."""
    return {
        "version": STANDARD_VERSION,
        "license": settings.DATA_LICENCE_URL,
        "publisher": {
            "identifier": settings.GRANTS_360_FUNDER_ID,
            "name": settings.GRANTS_360_FUNDER_NAME,
            "website": base_url + "/",
        },
    }


def package_chunks(grants, base_url):
    """The package as JSON text in pieces: its header, then the grants PER_PIECE at a
    time as `grants` (an iterator) yields them, then the end. Never all in memory."""
    header = json.dumps(package_header(base_url), ensure_ascii=False)
    yield (header[:-1] + ', "grants": [').encode()
    call_url = CallUrls(base_url)
    separator, piece = "", []
    for grant in grants:
        piece.append(json.dumps(grant_record(grant, call_url), ensure_ascii=False))
        if len(piece) == PER_PIECE:
            yield (separator + ",".join(piece)).encode()
            separator, piece = ",", []
    if piece:
        yield (separator + ",".join(piece)).encode()
    yield b"]}\n"


# The flat form: the schema's titles joined by ":" as the standard's spreadsheets have them.
CSV_COLUMNS = [
    ("Identifier", lambda r: r["id"]),
    ("Title", lambda r: r["title"]),
    ("Description", lambda r: r["description"]),
    ("Currency", lambda r: r["currency"]),
    ("Amount Applied For", lambda r: _amount(r.get("amountAppliedFor"))),
    ("Amount Awarded", lambda r: _amount(r["amountAwarded"])),
    ("Award Date", lambda r: r["awardDate"]),
    ("Planned Dates:Start Date", lambda r: _first(r, "plannedDates", "startDate")),
    ("Planned Dates:End Date", lambda r: _first(r, "plannedDates", "endDate")),
    ("Recipient Org:Identifier", lambda r: _first(r, "recipientOrganization", "id")),
    ("Recipient Org:Name", lambda r: _first(r, "recipientOrganization", "name")),
    ("Recipient Org:City", lambda r: _first(r, "recipientOrganization", "addressLocality")),
    ("Funding Org:Identifier", lambda r: _first(r, "fundingOrganization", "id")),
    ("Funding Org:Name", lambda r: _first(r, "fundingOrganization", "name")),
    ("Funding Org:Department", lambda r: _first(r, "fundingOrganization", "department")),
    ("Grant Programme:Code", lambda r: _first(r, "grantProgramme", "code")),
    ("Grant Programme:Title", lambda r: _first(r, "grantProgramme", "title")),
    ("Grant Programme:URL", lambda r: _first(r, "grantProgramme", "url")),
    ("Beneficiary Location:Name", lambda r: _first(r, "beneficiaryLocation", "name")),
    (
        "Beneficiary Location:Country Code",
        lambda r: _first(r, "beneficiaryLocation", "countryCode"),
    ),
    ("From An Open Call?", lambda r: r["fromOpenCall"]),
    ("Data Source", lambda r: r["dataSource"]),
    ("Last Modified", lambda r: r["dateModified"]),
]


def _amount(value):
    return None if value is None else f"{value:.2f}"


def _first(record, name, key):
    items = record.get(name) or [{}]
    return items[0].get(key)


def csv_rows(grants, base_url):
    call_url = CallUrls(base_url)
    for grant in grants:
        record = grant_record(grant, call_url)
        yield [getter(record) for _title, getter in CSV_COLUMNS]


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _licensed(response):
    response["Link"] = f'<{settings.DATA_LICENCE_URL}>; rel="license"'
    return response


@public_page(*FRESHNESS_KEYS, "directory")
def package_json(request):
    grants = package_grants().iterator(chunk_size=CHUNK)
    response = StreamingHttpResponse(
        package_chunks(grants, _base_url(request)), content_type="application/json"
    )
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    return _licensed(response)


@public_page(*FRESHNESS_KEYS, "directory")
def package_csv(request):
    grants = package_grants().iterator(chunk_size=CHUNK)
    header = [title for title, _getter in CSV_COLUMNS]
    # Commas, as the standard's own CSV files have them (the site's other exports use
    # semicolons for spreadsheets set to Polish).
    response = exports.csv_response(
        "360giving.csv", header, csv_rows(grants, _base_url(request)), delimiter=","
    )
    return _licensed(response)
