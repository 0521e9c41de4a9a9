"""The directory's spreadsheet export (CSV and XLSX): safe to open, streamed, limited."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from wspolpraca.core.exports import neutralise
from wspolpraca.organizations.models import PublicBenefitArea
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
EXPORT = reverse("organizations:export_csv")


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def rows(response):
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def column(table, title):
    index = table[0].index(title)
    return [row[index] for row in table[1:]]


@pytest.fixture
def podgorze():
    return DistrictFactory(number=13, roman="XIII", name="Podgórze")


def test_csv_export_holds_the_filtered_list(client, podgorze):
    OrganizationFactory(name="W eksporcie", district=podgorze, nip="5213003700")
    OrganizationFactory(name="Poza eksportem")
    table = rows(client.get(EXPORT, {"district": 13}))
    assert column(table, "Nazwa") == ["W eksporcie"]
    assert column(table, "NIP") == ["5213003700"]
    assert column(table, "Dzielnica") == ["XIII Podgórze"]


def test_csv_export_is_streamed_as_a_download(client):
    OrganizationFactory()
    response = client.get(EXPORT)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organizacje-')


def test_csv_export_uses_semicolons_and_starts_with_a_byte_order_mark(client):
    OrganizationFactory(name="Fundacja, która ma przecinek")
    text = body(client.get(EXPORT))
    assert text.startswith("\ufeffNazwa;Forma prawna;KRS;NIP;")
    assert "\r\nFundacja, która ma przecinek;" in text


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil.example","klik")',
        "+48 cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, dangerous):
    OrganizationFactory(name=dangerous, street=dangerous)
    table = rows(client.get(EXPORT))
    assert column(table, "Nazwa") == ["'" + dangerous]
    assert column(table, "Ulica") == ["'" + dangerous]


def test_neutralise_leaves_ordinary_text_and_empty_cells_alone():
    assert neutralise("Fundacja = Dobro") == "Fundacja = Dobro"
    assert neutralise("") == ""
    assert neutralise(None) == ""
    assert neutralise("-") == "'-"


def test_csv_export_gives_area_names_not_codes(client):
    seniors = PublicBenefitArea.objects.get(code="10")
    culture = PublicBenefitArea.objects.get(code="16")
    OrganizationFactory(areas=[culture, seniors])
    assert column(rows(client.get(EXPORT)), "Sfery zadań publicznych") == ["Seniorzy, Kultura"]


def test_csv_export_with_a_search_follows_the_directory_order(client):
    OrganizationFactory(name="Zzz Fundacja Seniorów")
    OrganizationFactory(name="Aaa Klub", description="fundacja pomaga")
    assert column(rows(client.get(EXPORT, {"q": "fundacja"})), "Nazwa") == [
        "Zzz Fundacja Seniorów",
        "Aaa Klub",
    ]


@pytest.mark.parametrize("count", [3, 40])
def test_csv_export_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, podgorze, count
):
    culture = PublicBenefitArea.objects.get(code="16")
    for n in range(count):
        OrganizationFactory(name=f"Org {n}", district=podgorze, areas=[culture])
    # validating the district, the areas' names, and the rows with their area ids
    with django_assert_num_queries(3):
        table = rows(client.get(EXPORT, {"district": 13}))
    assert len(table) == count + 1


def test_bad_filter_values_in_the_export_are_ignored_not_crashed(client):
    OrganizationFactory(name="Jedyna")
    response = client.get(EXPORT, {"district": "abc", "area": "zzz", "opp": "maybe"})
    assert response.status_code == 200
    assert column(rows(response), "Nazwa") == ["Jedyna"]


def test_exports_beyond_the_limit_are_refused_with_429(client, rate_limits, monkeypatch):
    from wspolpraca.organizations import views

    monkeypatch.setattr(views, "EXPORT_LIMIT", 2)
    OrganizationFactory()
    for _ in range(2):
        assert client.get(EXPORT, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(EXPORT, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Zbyt wiele" in refused.content.decode() or "Too many" in refused.content.decode()


def test_the_export_limit_counts_each_client_address_apart(client, rate_limits, monkeypatch):
    from wspolpraca.organizations import views

    monkeypatch.setattr(views, "EXPORT_LIMIT", 1)
    assert client.get(EXPORT, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert client.get(EXPORT, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get(EXPORT, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_xlsx_export_has_the_same_columns_with_every_cell_as_text(client):
    from openpyxl import load_workbook

    culture = PublicBenefitArea.objects.get(code="16")
    OrganizationFactory(name="=1+1", areas=[culture])
    response = client.get(EXPORT, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    name = sheet.cell(row=2, column=header.index("Nazwa") + 1)
    assert name.value == "=1+1"
    assert name.data_type == "s"  # a string, never a formula
    assert sheet.cell(row=2, column=header.index("Sfery zadań publicznych") + 1).value == (
        "Kultura"
    )
