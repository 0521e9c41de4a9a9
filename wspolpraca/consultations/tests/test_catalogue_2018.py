"""The 2018 catalogue as the project ships it: loaded by the command a deployer runs,
shown and filtered in the tracker, exported and imported back unchanged."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from wspolpraca.city.models import Department
from wspolpraca.consultations import tracker
from wspolpraca.consultations.models import Consultation, TrackedPostulate

pytestmark = pytest.mark.django_db

# The counts docs/consultations.md gives, read from the 2018 report.
PLANES = {"I": 27, "II": 31, "III": 51}
SECTOR_IDEAS = 57


@pytest.fixture
def catalogue():
    for symbol in (
        "WS",
        "KD",
        "WE",
        "WSP",
        "WKŚ",
        "SS",
        "WRM",
        "WKS",
        "WBZK",
        "WPT",
        "WPI",
        "WIC",
        "WSN",
        "MCW",
        "KRM",
    ):
        Department.objects.create(name=f"Wydział {symbol}", short_name=symbol)
    call_command("load_catalogue", verbosity=0)


def test_the_catalogue_holds_every_postulate_of_the_three_planes_and_every_sector_idea(catalogue):
    for plane, count in PLANES.items():
        assert TrackedPostulate.objects.filter(plane=plane).count() == count
    assert TrackedPostulate.objects.filter(plane="").exclude(sector="").count() == SECTOR_IDEAS


def test_the_2018_consultation_is_loaded_with_its_meetings_and_numbers(catalogue):
    consultation = Consultation.objects.get(slug="wpw-2019-2022")
    assert consultation.meetings.count() == 11
    assert (consultation.recorded_participants, consultation.recorded_organizations) == (94, 72)


@pytest.mark.parametrize(
    "query, plane, sector, symbol, status",
    [
        ("plane=II", "II", None, None, None),
        ("sector=culture", "", "culture", None, None),
        ("department=MCW", None, None, "MCW", None),
        ("plane=III&status=submitted", "III", None, None, "submitted"),
    ],
)
def test_the_tracker_filters_the_catalogue_from_the_url(
    client, catalogue, query, plane, sector, symbol, status
):
    rows = client.get(f"{reverse('consultations:tracker')}?{query}").context["page"].object_list
    assert rows
    for row in rows:
        assert plane is None or row.plane == plane
        assert sector is None or row.sector == sector
        assert symbol is None or row.department.short_name == symbol
        assert status is None or row.status == status


def test_the_catalogues_export_imports_back_to_the_same_data(catalogue, platform_admin):
    def exported():
        rows = tracker.export_rows(TrackedPostulate.objects.order_by("code"))
        return [list(row) for row in rows]

    before = exported()
    result = tracker.import_csv(_csv_file(tracker.COLUMNS, before), platform_admin)
    assert (result.created, result.updated) == (0, 0)
    assert exported() == before


def _csv_file(header, rows):
    import io

    from wspolpraca.core.exports import csv_chunks

    return io.BytesIO("".join(csv_chunks(header, rows)).encode("utf-8"))
