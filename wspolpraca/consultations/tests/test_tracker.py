"""The postulate tracker: its public list and filters, the CSV export and import, the
forms of those who keep a postulate up to date, and the 2018 catalogue's loader."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.consultations import tracker
from wspolpraca.consultations.models import (
    Catalogue,
    Consultation,
    Meeting,
    ProgressNote,
    TrackedPostulate,
)
from wspolpraca.core.models import AuditEntry
from wspolpraca.organizations.models import PublicBenefitArea

from .factories import (
    CatalogueFactory,
    ProgressNoteFactory,
    TrackedPostulateFactory,
    TrackerLinkFactory,
    tracker_official,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TRACKER = reverse("consultations:tracker")
EXPORT = reverse("consultations:tracker_csv")
IMPORT = reverse("consultations:tracker_import")
MY_DEPARTMENT = reverse("consultations:tracker_department")


def _area(code):
    return PublicBenefitArea.objects.get(code=code)


def _consultation(department, slug="konsultacje-2018"):
    today = timezone.localdate()
    return Consultation.objects.create(
        department=department,
        slug=slug,
        title="Konsultacje programu współpracy",
        summary="Streszczenie.",
        document_title="Program współpracy",
        information_from=today - timedelta(days=60),
        opens_on=today - timedelta(days=50),
        closes_on=today - timedelta(days=20),
        report_due=today + timedelta(days=10),
        announced_at=timezone.now(),
    )


def _listed_codes(response):
    return [postulate.code for postulate in response.context["page"]]


def _export(client, query=""):
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def _csv(*rows):
    lines = [";".join(tracker.COLUMNS)] + [";".join(row) for row in rows]
    return io.BytesIO(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def _row(code="A-1", department="", areas="", consultation="", **cells):
    values = {
        "code": code,
        "title": f"Postulat {code}",
        "description": "Opis.",
        "plane": "I",
        "sector": "",
        "department": department,
        "status": "submitted",
        "status_reason": "",
        "areas": areas,
        "catalogue": "",
        "consultation": consultation,
        "history": "[]",
        "links": "[]",
    }
    values.update(cells)
    return [values[column] for column in tracker.COLUMNS]


# ---------------------------------------------------------------------------------------
# The public list


@pytest.fixture
def two_kinds():
    """Two postulates that differ in every filter."""
    first_department, second_department = (
        DepartmentFactory(short_name="WS"),
        DepartmentFactory(short_name="KD"),
    )
    first = TrackedPostulateFactory(
        code="2018-I-001",
        title="Świetlica dla seniorów w Nowej Hucie",
        plane=TrackedPostulate.Plane.POLICY,
        department=first_department,
        status=TrackedPostulate.Status.ACCEPTED,
        areas=[_area("10")],
    )
    second = TrackedPostulateFactory(
        code="2018-K-002",
        title="Granty na wydarzenia kulturalne",
        plane="",
        sector=TrackedPostulate.Sector.CULTURE,
        department=second_department,
        status=TrackedPostulate.Status.SUBMITTED,
        areas=[_area("16")],
    )
    return first, second


@pytest.mark.parametrize(
    "query, expected",
    [
        ("plane=I", "2018-I-001"),
        ("sector=culture", "2018-K-002"),
        ("department=KD", "2018-K-002"),
        ("status=accepted", "2018-I-001"),
        ("area=16", "2018-K-002"),
        ("q=kulturalne", "2018-K-002"),
    ],
)
def test_tracker_filters_from_the_url(client, two_kinds, query, expected):
    response = client.get(f"{TRACKER}?{query}")
    assert response.status_code == 200
    assert _listed_codes(response) == [expected]


def test_search_without_polish_letters_finds_the_postulate(client, two_kinds):
    response = client.get(TRACKER, {"q": "swietlica seniorow"})
    assert _listed_codes(response) == ["2018-I-001"]


def test_tracker_list_shows_code_title_link_plane_department_and_status(client, two_kinds):
    first, _second = two_kinds
    page = client.get(TRACKER).content.decode()
    assert f'href="{first.get_absolute_url()}"' in page
    assert "2018-I-001" in page
    assert "I. Making policy together" in page
    assert ">WS</abbr>" in page
    assert "accepted" in page


def test_tracker_list_makes_the_same_queries_for_3_and_30_postulates(client):
    department = DepartmentFactory()
    for _n in range(3):
        TrackedPostulateFactory(department=department, areas=[_area("33"), _area("13")])
    client.get(TRACKER)  # warm the layout's caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(TRACKER).status_code == 200
    for _n in range(27):
        TrackedPostulateFactory(areas=[_area("33")])
    with CaptureQueriesContext(connection) as many:
        response = client.get(TRACKER)
    assert len(response.context["rows"]) == 25  # a full page
    assert len(many) == len(few)


def test_the_export_link_keeps_the_filters(client, two_kinds):
    page = client.get(TRACKER, {"plane": "I", "page": "1"}).content.decode()
    assert f'href="{EXPORT}?plane=I"' in page


def test_unknown_code_is_not_found(client):
    assert client.get(reverse("consultations:tracked", args=["NIE-MA"])).status_code == 404


def test_postulate_page_shows_history_in_order_and_links(client):
    postulate = TrackedPostulateFactory(
        status=TrackedPostulate.Status.REJECTED, status_reason="Brak środków w budżecie."
    )
    ProgressNoteFactory(postulate=postulate, date=date(2024, 5, 1), text="Drugi krok")
    ProgressNoteFactory(postulate=postulate, date=date(2023, 5, 1), text="Pierwszy krok")
    TrackerLinkFactory(postulate=postulate, title="Konkurs dla seniorów")
    page = client.get(postulate.get_absolute_url()).content.decode()
    assert page.index("Pierwszy krok") < page.index("Drugi krok")
    assert "Brak środków w budżecie." in page
    assert "Konkurs dla seniorów" in page
    assert "Keep the postulate up to date" not in page


# ---------------------------------------------------------------------------------------
# Export and import


@pytest.fixture
def full_tracker():
    """Entries using every column: history, links, areas, catalogue, consultation, and
    texts a spreadsheet would take for formulas."""
    department = DepartmentFactory(short_name="MCW")
    consultation = _consultation(department)
    catalogue = CatalogueFactory(code="2018")
    first = TrackedPostulateFactory(
        code="2018-I-001",
        title="=Udział organizacji w diagnozowaniu problemów",
        description='-Opis;z średnikiem\ni nową linią, "cudzysłowem"',
        department=department,
        catalogue=catalogue,
        consultation=consultation,
        status=TrackedPostulate.Status.REJECTED,
        status_reason="+Powód odrzucenia",
        areas=[_area("33"), _area("13")],
    )
    ProgressNoteFactory(postulate=first, date=date(2019, 1, 15), text="Przekazano wydziałowi")
    ProgressNoteFactory(
        postulate=first, date=date(2020, 3, 2), text="@Odrzucono", status="rejected"
    )
    TrackerLinkFactory(postulate=first, kind="programme", title="Program", url="/programy/1/")
    TrackerLinkFactory(postulate=first, kind="other", title="BIP", url="https://bip.krakow.pl/")
    TrackedPostulateFactory(
        code="2018-K-002", plane="", sector="culture", department=None, title="Kultura"
    )
    return first


def test_export_then_import_of_the_export_gives_the_same_data(client, full_tracker, platform_admin):
    before = _export(client)
    TrackedPostulate.objects.all().delete()
    Catalogue.objects.all().delete()

    result = tracker.import_csv(io.BytesIO(before.encode("utf-8")), platform_admin)

    assert result.errors == []
    assert result.created == 2
    assert _export(client) == before


def test_export_neutralises_formulas_and_import_takes_the_mark_off(client, full_tracker):
    text = _export(client)
    assert "'=Udział organizacji" in text
    TrackedPostulate.objects.all().delete()
    tracker.import_csv(io.BytesIO(text.encode("utf-8")), None)
    assert TrackedPostulate.objects.get(code="2018-I-001").title.startswith("=Udział")


def test_import_refuses_a_bad_file_entirely_and_names_the_lines(platform_admin):
    DepartmentFactory(short_name="WS")
    bad_file = _csv(
        _row("A-1", department="WS", areas="33"),
        _row("A-2", department="XX"),
        _row("A-3", areas="33|999"),
        _row("A-4", status="finished"),
        _row("A-5", consultation="nie-ma-takich"),
    )

    result = tracker.import_csv(bad_file, platform_admin)

    assert [line for line, _message in result.errors] == [3, 4, 5, 6]
    assert "Unknown department symbol “XX”" in result.errors[0][1]
    assert "999" in result.errors[1][1]
    assert "finished" in result.errors[2][1]
    assert "nie-ma-takich" in result.errors[3][1]
    assert not TrackedPostulate.objects.exists()
    assert not AuditEntry.objects.filter(action="tracked_postulate.imported").exists()


def test_import_creates_an_unknown_catalogue_with_its_code_as_title():
    tracker.import_csv(_csv(_row("A-1", catalogue="nowy-katalog")), None)
    catalogue = Catalogue.objects.get(code="nowy-katalog")
    assert catalogue.title == "nowy-katalog"
    assert TrackedPostulate.objects.get(code="A-1").catalogue == catalogue


def test_reimporting_the_same_file_counts_it_unchanged_and_audits_nothing(
    client, full_tracker, platform_admin
):
    text = _export(client).encode("utf-8")
    audited = AuditEntry.objects.count()

    result = tracker.import_csv(io.BytesIO(text), platform_admin)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == audited


def test_import_of_a_changed_row_updates_it_and_audits_the_change(platform_admin):
    tracker.import_csv(_csv(_row("A-1", title="Stary tytuł")), platform_admin)

    result = tracker.import_csv(_csv(_row("A-1", title="Nowy tytuł")), platform_admin)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    entry = AuditEntry.objects.filter(action="tracked_postulate.imported").latest("id")
    assert entry.changes == {"title": ["Stary tytuł", "Nowy tytuł"]}


def test_import_audits_a_change_of_catalogue_by_the_catalogues_ids(platform_admin):
    tracker.import_csv(_csv(_row("A-1", catalogue="stary")), platform_admin)
    old = Catalogue.objects.get(code="stary")

    tracker.import_csv(_csv(_row("A-1", catalogue="nowy")), platform_admin)

    entry = AuditEntry.objects.filter(action="tracked_postulate.imported").latest("id")
    assert entry.changes == {"catalogue": [old.pk, Catalogue.objects.get(code="nowy").pk]}


def test_admin_imports_through_the_page_and_sees_the_counts(client, platform_admin):
    login(client, platform_admin)
    upload = _csv(_row("A-1"), _row("A-2"))
    upload.name = "postulaty.csv"
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert "2 postulates added" in response.content.decode()
    assert TrackedPostulate.objects.count() == 2


def test_import_page_lists_the_lines_of_a_refused_file(client, platform_admin):
    login(client, platform_admin)
    upload = _csv(_row("A-1"), _row("A-2", department="XX"))
    upload.name = "postulaty.csv"
    page = client.post(IMPORT, {"file": upload}).content.decode()
    assert "Nothing was imported" in page
    assert "Line 3:" in page
    assert not TrackedPostulate.objects.exists()


# ---------------------------------------------------------------------------------------
# Who may do what, from the refused side


@pytest.fixture
def postulate():
    return TrackedPostulateFactory(department=DepartmentFactory(short_name="WS"))


def _post_status(client, postulate, **data):
    fields = {"action": "status", "status-date": timezone.localdate().isoformat()}
    fields.update({f"status-{key}": value for key, value in data.items()})
    return client.post(reverse("consultations:tracked_progress", args=[postulate.code]), fields)


def test_a_resident_cannot_post_progress(client, postulate):
    login(client, UserFactory())
    response = _post_status(client, postulate, status="accepted")
    assert response.status_code == 403
    postulate.refresh_from_db()
    assert postulate.status == TrackedPostulate.Status.SUBMITTED


def test_an_official_of_another_department_cannot_post_progress(client, postulate):
    login(client, tracker_official(DepartmentFactory()))
    response = _post_status(client, postulate, status="accepted")
    assert response.status_code == 403
    assert not ProgressNote.objects.exists()


def test_a_non_admin_cannot_import(client, postulate):
    login(client, tracker_official(postulate.department))
    assert client.get(IMPORT).status_code == 403
    upload = _csv(_row("A-1"))
    upload.name = "postulaty.csv"
    assert client.post(IMPORT, {"file": upload}).status_code == 403
    assert not TrackedPostulate.objects.filter(code="A-1").exists()


def test_my_department_refuses_a_non_official(client):
    login(client, UserFactory())
    assert client.get(MY_DEPARTMENT).status_code == 403


def test_my_department_lists_only_the_department_postulates(client, postulate):
    other = TrackedPostulateFactory()
    login(client, tracker_official(postulate.department))
    response = client.get(MY_DEPARTMENT)
    assert _listed_codes(response) == [postulate.code]
    assert other.code not in response.content.decode()


def test_rejecting_without_a_reason_is_refused_next_to_the_reason(client, postulate):
    login(client, tracker_official(postulate.department))

    response = _post_status(client, postulate, status="rejected", reason="", note="Omówiono")

    assert response.status_code == 200
    form = response.context["forms"]["status"]
    assert form.errors["reason"] == [
        "Give the reason for rejecting the postulate: it is shown to the public."
    ]
    assert form["note"].value() == "Omówiono"
    postulate.refresh_from_db()
    assert postulate.status == TrackedPostulate.Status.SUBMITTED


def test_the_department_official_changes_the_status_with_a_dated_step_and_audit(client, postulate):
    official = tracker_official(postulate.department)
    login(client, official)

    response = _post_status(client, postulate, status="rejected", reason="Poza kompetencjami")

    assert response.status_code == 302
    postulate.refresh_from_db()
    assert (postulate.status, postulate.status_reason) == ("rejected", "Poza kompetencjami")
    note = postulate.notes.get()
    assert (note.status, note.author) == ("rejected", official)
    entry = AuditEntry.objects.get(action="tracked_postulate.status")
    assert entry.changes["status"] == ["submitted", "rejected"]


def test_a_link_must_be_a_site_path_or_a_web_address(client, postulate):
    login(client, tracker_official(postulate.department))
    url = reverse("consultations:tracked_progress", args=[postulate.code])
    response = client.post(
        url,
        {
            "action": "link",
            "link-kind": "call",
            "link-title": "Konkurs",
            "link-url": "javascript:x",
        },
    )
    assert response.status_code == 200
    assert "url" in response.context["forms"]["link"].errors
    assert not postulate.links.exists()


# ---------------------------------------------------------------------------------------
# The 2018 catalogue's loader


def test_load_catalogue_twice_gives_the_same_data(tmp_path, client):
    DepartmentFactory(short_name="MCW")
    consultation_file = tmp_path / "consultation.json"
    consultation_file.write_text(
        json.dumps(
            {
                "slug": "wpw-2019-2022",
                "title": "Konsultacje programu współpracy 2019–2022",
                "summary": "Jedenaście spotkań z organizacjami.",
                "department": "MCW",
                "opens": "2018-05-25",
                "closes": "2018-07-04",
                "participants": 94,
                "organizations": 72,
                "meetings": [
                    {"date": "2018-05-25", "title": "Kultura", "place": "", "kind": "meeting"},
                    {"date": "2018-06-05", "title": "Seniorzy", "place": "", "kind": "meeting"},
                ],
            }
        ),
        encoding="utf-8",
    )
    csv_file = tmp_path / "catalogue.csv"
    csv_file.write_bytes(
        _csv(
            _row(
                "2018-I-001",
                department="MCW",
                areas="33|13",
                catalogue="2018",
                consultation="wpw-2019-2022",
            ),
            _row(
                "2018-I-002", department="NIEZNANY", catalogue="2018", consultation="wpw-2019-2022"
            ),
        ).getvalue()
    )

    def load():
        call_command(
            "load_catalogue",
            str(csv_file),
            consultation=str(consultation_file),
            skip_unknown_departments=True,
            stdout=io.StringIO(),
        )
        return (
            _export(client),
            list(Consultation.objects.values()),
            list(Meeting.objects.values()),
            list(Catalogue.objects.values()),
        )

    first = load()
    second = load()

    assert second == first
    consultation = Consultation.objects.get(slug="wpw-2019-2022")
    assert consultation.recorded_participants == 94
    assert consultation.report_due == date(2018, 8, 3)
    assert consultation.meetings.count() == 2
    assert Catalogue.objects.get(code="2018").consultation == consultation
    assert TrackedPostulate.objects.get(code="2018-I-002").department is None
