"""The awarded grants as a 360Giving data package: /dane/360giving.json and .csv."""

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wspolpraca.agreements.tests.grants_data import known_data
from wspolpraca.api import giving360

pytestmark = pytest.mark.django_db
JSON_URL = reverse("api:grants-360giving-json")
CSV_URL = reverse("api:grants-360giving-csv")
SCHEMAS = Path("/work/shared/domain/360giving")
GRANT_SCHEMA_URL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"


@pytest.fixture
def data():
    return known_data()


def package(client):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def by_title(package_data):
    return {grant["title"]: grant for grant in package_data["grants"]}


def csv_rows(client):
    response = client.get(CSV_URL)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def validator():
    if not SCHEMAS.is_dir():
        pytest.skip(f"the 360Giving schema is not here ({SCHEMAS}): nothing to validate against")
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package_schema = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    grant_schema = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    # The package's items $ref the grant schema by its published URL (1.4.2); the file's
    # own $id says 1.4.3. Both names lead to the local copy: no network in tests. Its
    # "$schema" (http://, not https://) is not one referencing recognises: say which.
    grant = DRAFT202012.create_resource(grant_schema)
    registry = Registry().with_resources([(GRANT_SCHEMA_URL, grant), (grant_schema["$id"], grant)])
    return Draft202012Validator(package_schema, registry=registry, format_checker=formats())


RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def formats():
    """The schema's dates are `oneOf` a date-time format or a YYYY-MM-DD pattern, so the
    formats must be checked (else a date matches both and fails the oneOf). jsonschema
    checks date-time and uri only with optional packages this project does not need; these
    two checks do it in a few lines (RFC 3339's date-time, an absolute URI)."""
    from jsonschema import FormatChecker

    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def date_time(value):
        if not isinstance(value, str):
            return True
        if not RFC3339.fullmatch(value):
            return False
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    @checker.checks("uri")
    def uri(value):
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)

    return checker


def test_the_package_validates_against_the_360giving_schema(client, data, validator):
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(package(client))]
    assert errors == []


def test_the_validator_refuses_a_grant_that_breaks_the_schema(client, data, validator):
    body = package(client)
    body["grants"][0]["awardDate"] = "03.05.2024"
    body["grants"][1]["amountAwarded"] = "8000,00"
    body["grants"][2]["dateModified"] = "2024-05-10"
    assert len(list(validator.iter_errors(body))) == 3


def test_a_grant_without_an_agreement_or_krs_still_validates(client, data, validator):
    offer = data.offers["o4"]
    offer.organization.krs = None
    offer.organization.save()
    assert list(validator.iter_errors(package(client))) == []


def test_the_package_holds_only_grants_of_published_results(client, data):
    assert set(by_title(package(client))) == {"Teatr na podwórku", "Liga osiedlowa", "Klub seniora"}


def test_a_grant_in_the_package(client, data, settings):
    settings.GRANTS_360_PREFIX = "360G-test-miasto"
    settings.GRANTS_360_FUNDER_ID = "PL-REGON-000000000"
    settings.GRANTS_360_FUNDER_NAME = "Gmina Testowa"
    decision, offer = data.decisions["o1"], data.offers["o1"]
    grant = by_title(package(client))["Teatr na podwórku"]
    call_url = f"http://testserver/konkursy/{offer.call.pk}/"
    assert grant == {
        "id": f"360G-test-miasto-{decision.pk}",
        "title": "Teatr na podwórku",
        "description": "Warsztaty dla seniorów w domu kultury.",
        "currency": "PLN",
        "amountAwarded": 10000.0,
        "amountAppliedFor": 10000.0,
        "awardDate": "2024-05-03",
        "plannedDates": [
            {"startDate": offer.starts.isoformat(), "endDate": offer.ends.isoformat()}
        ],
        "recipientOrganization": [
            {
                "id": f"PL-KRS-{offer.organization.krs}",
                "name": offer.organization.name,
                "addressLocality": "Kraków",
            }
        ],
        "fundingOrganization": [
            {"id": "PL-REGON-000000000", "name": "Gmina Testowa", "department": "Wydział Kultury"}
        ],
        "grantProgramme": [{"code": "K/2024/1", "title": offer.call.title, "url": call_url}],
        "beneficiaryLocation": [{"name": settings.MUNICIPALITY_NAME, "countryCode": "PL"}],
        "fromOpenCall": "Yes",
        "dataSource": call_url,
        # The agreement, prepared a week after the decision, is the latest change.
        "dateModified": "2024-05-10T12:00:00+02:00",
    }


def test_the_package_names_its_version_licence_and_publisher(client, data, settings):
    body = package(client)
    assert body["version"] == "1.4"
    assert body["license"] == settings.DATA_LICENCE_URL
    assert body["publisher"]["identifier"] == settings.GRANTS_360_FUNDER_ID


@pytest.mark.parametrize(
    "krs, regon, expected",
    [
        ("0000030897", "123456785", "PL-KRS-0000030897"),
        (None, "123456785", "PL-REGON-123456785"),
        ("", "12345678512347", "PL-REGON-12345678512347"),
        (None, "", "{prefix}-ORG-42"),
        ("12", "abc", "{prefix}-ORG-42"),
    ],
)
def test_the_recipient_is_identified_by_krs_else_regon_else_the_installation(
    settings, krs, regon, expected
):
    assert giving360.organization_id(42, krs, regon) == expected.format(
        prefix=settings.GRANTS_360_PREFIX
    )


def test_a_recipient_without_krs_in_the_package(client, data, settings):
    organization = data.offers["o4"].organization
    organization.krs, organization.regon = None, ""
    organization.save()
    grant = by_title(package(client))["Klub seniora"]
    assert grant["recipientOrganization"][0]["id"] == (
        f"{settings.GRANTS_360_PREFIX}-ORG-{organization.pk}"
    )


def test_the_grant_ids_stay_when_the_agreement_comes(client, data):
    before = {g["title"]: g["id"] for g in package(client)["grants"]}
    from wspolpraca.agreements.tests.grants_data import agreement_for

    agreement_for(data.decisions["o3"], number="UM/2024/002")
    after = {g["title"]: g["id"] for g in package(client)["grants"]}
    assert before == after


def test_the_json_streams_the_grants_as_it_reads_them(client, data, monkeypatch):
    sizes = []
    iterator = QuerySet.iterator

    def spy(queryset, chunk_size=None):
        sizes.append(chunk_size)
        return iterator(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(JSON_URL)
        read_in_view = [q["sql"] for q in queries if "evaluations_decision" in q["sql"]]
        assert response.streaming
        assert read_in_view == []  # the view has not read the grants…
        pieces = list(response.streaming_content)
    read_later = [q["sql"] for q in queries if "evaluations_decision" in q["sql"]]
    assert len(read_later) == 1  # …they are read once, while the response is sent
    assert sizes == [giving360.CHUNK]
    assert len(pieces) >= 3  # the header, the grants, the end
    assert json.loads(b"".join(pieces))["grants"]


def test_the_json_is_written_in_pieces_of_grants(data):
    from wspolpraca.agreements.statistics import public_grants

    decisions = list(giving360.package_grants())
    pieces = list(giving360.package_chunks(iter(decisions * 70), "http://example.org"))
    # 210 grants, 100 to a piece: header, 3 pieces, end.
    assert len(pieces) == 5
    assert len(json.loads(b"".join(pieces))["grants"]) == 70 * public_grants().count()


def test_an_empty_package_is_still_json(client, db):
    assert package(client)["grants"] == []


def test_the_csv_has_the_standards_columns_and_the_same_grants(client, data):
    rows = csv_rows(client)
    assert sorted(row["Title"] for row in rows) == [
        "Klub seniora",
        "Liga osiedlowa",
        "Teatr na podwórku",
    ]
    row = next(row for row in rows if row["Title"] == "Liga osiedlowa")
    assert row["Identifier"].endswith(f"-{data.decisions['o3'].pk}")
    assert row["Amount Awarded"] == "8000.00" and row["Amount Applied For"] == "10000.00"
    assert row["Currency"] == "PLN" and row["From An Open Call?"] == "Yes"
    assert row["Recipient Org:Identifier"].startswith("PL-KRS-")
    assert row["Funding Org:Department"] == "Wydział Sportu"
    assert row["Grant Programme:Code"] == "K/2024/2"


def test_the_csv_streams_from_an_iterator(client, data, monkeypatch):
    sizes = []
    iterator = QuerySet.iterator

    def spy(queryset, chunk_size=None):
        sizes.append(chunk_size)
        return iterator(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    response = client.get(CSV_URL)
    assert response.streaming
    b"".join(response.streaming_content)
    assert sizes == [giving360.CHUNK]


def test_the_files_name_their_licence(client, data, settings):
    for url in (JSON_URL, CSV_URL):
        assert client.get(url)["Link"] == f'<{settings.DATA_LICENCE_URL}>; rel="license"'


def test_no_export_holds_an_offer_of_a_call_without_published_results(client, data):
    hidden = data.offers["o5"]
    texts = [
        b"".join(client.get(JSON_URL).streaming_content).decode(),
        b"".join(client.get(CSV_URL).streaming_content).decode("utf-8-sig"),
        json.dumps(client.get(reverse("api:grant-list")).json()),
        json.dumps(client.get(reverse("api:call-detail", args=[hidden.call.pk])).json()),
        b"".join(
            client.get(reverse("agreements:statistics_csv", args=["lata"])).streaming_content
        ).decode("utf-8-sig"),
    ]
    for text in texts:
        assert hidden.title not in text
        assert hidden.organization.name not in text
    # Its 7 000 zł are in no year's numbers either: 2025 has 5 000 granted.
    assert ";5000.00;5000.00;" in texts[-1]
