"""Studies: the public list with Polish search and filters, a study's page and file, an
organization's submission through the check step, moderation, hiding, and who is refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core.models import AuditEntry, OutgoingEmail
from wspolpraca.library.models import Study
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

from .factories import PDF_BYTES, StudyFactory, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = reverse("library:studies")
NEW = reverse("library:study_new")
QUEUE = reverse("library:moderation")


def _listed(response):
    return [study.title for study in response.context["rows"]]


def _actions(study):
    return list(
        AuditEntry.objects.filter(object_id=str(study.pk), action__startswith="study.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# ---------------------------------------------------------------------------------------
# The public list


def test_the_list_shows_only_published_studies(client):
    StudyFactory(title="Opublikowane")
    for status in ("draft", "submitted", "rejected", "hidden"):
        StudyFactory(title=status, status=status)
    assert _listed(client.get(LIST)) == ["Opublikowane"]


def test_the_newest_year_comes_first(client):
    StudyFactory(title="Starsze", year=2019)
    StudyFactory(title="Nowsze", year=2025)
    assert _listed(client.get(LIST)) == ["Nowsze", "Starsze"]


def test_filter_by_area(client):
    seniors = PublicBenefitAreaFactory(code="10")
    culture = PublicBenefitAreaFactory(code="16")
    StudyFactory(title="Seniorzy", areas=[seniors])
    StudyFactory(title="Kultura", areas=[culture])
    assert _listed(client.get(LIST, {"area": "10"})) == ["Seniorzy"]


def test_filter_by_district_finds_studies_naming_it(client):
    nowa_huta = DistrictFactory(number=18)
    StudyFactory(title="Nowa Huta", districts=[nowa_huta, DistrictFactory(number=13)])
    StudyFactory(title="Podgórze", districts=[DistrictFactory(number=13)])
    assert _listed(client.get(LIST, {"district": "18"})) == ["Nowa Huta"]


def test_filter_by_publisher_type(client):
    StudyFactory(title="Uczelni", publisher_type=Study.PublisherType.UNIVERSITY)
    StudyFactory(title="Organizacji")
    assert _listed(client.get(LIST, {"publisher": "university"})) == ["Uczelni"]


def test_filter_by_year_range(client):
    for year in (2015, 2019, 2022, 2025):
        StudyFactory(title=str(year), year=year)
    assert _listed(client.get(LIST, {"year_from": "2018", "year_to": "2022"})) == [
        "2022",
        "2019",
    ]


def test_filter_by_licence(client):
    StudyFactory(title="Otwarte", licence=Study.Licence.CC0)
    StudyFactory(title="Zastrzeżone", licence=Study.Licence.ALL_RIGHTS_RESERVED)
    assert _listed(client.get(LIST, {"licence": "cc0-1.0"})) == ["Otwarte"]


def test_a_year_in_words_is_refused_next_to_the_field(client):
    StudyFactory()
    response = client.get(LIST, {"year_from": "dwa tysiące"})
    assert response.status_code == 200
    assert "year_from" in response.context["filters"].form.errors


def test_the_filters_stay_in_the_pagination_links(client):
    for _n in range(Study.PER_PAGE + 1):
        StudyFactory(licence=Study.Licence.CC0)
    page = client.get(LIST, {"licence": "cc0-1.0"}).content.decode()
    assert 'href="?licence=cc0-1.0&amp;page=2"' in page


# Search with the Polish normaliser, on SQLite and PostgreSQL alike


def test_a_query_without_polish_letters_finds_the_words_with_them(client):
    StudyFactory(title="Współpraca młodzieży z organizacjami")
    StudyFactory(title="Transport publiczny w Krakowie")
    assert _listed(client.get(LIST, {"q": "wspolpraca mlodziez"})) == [
        "Współpraca młodzieży z organizacjami"
    ]


def test_every_word_of_the_query_must_match(client):
    StudyFactory(title="Współpraca z seniorami")
    StudyFactory(title="Młodzież w dzielnicach")
    assert _listed(client.get(LIST, {"q": "wspolpraca mlodziez"})) == []


def test_search_reads_authors_publisher_and_abstract(client):
    StudyFactory(title="A", authors="Zespół Łukasiewicza")
    StudyFactory(title="B", publisher_name="Uniwersytet Jagielloński")
    StudyFactory(title="C", abstract="Ankieta wśród wolontariuszy hospicjów.")
    assert _listed(client.get(LIST, {"q": "lukasiewicz"})) == ["A"]
    assert _listed(client.get(LIST, {"q": "jagiellonski"})) == ["B"]
    assert _listed(client.get(LIST, {"q": "wolontariusze"})) == ["C"]


def test_search_finds_the_organization_by_a_declined_name(client):
    StudyFactory(title="Raport", organization=OrganizationFactory(name="Fundacja Dobrych Rąk"))
    StudyFactory(title="Inny")
    assert _listed(client.get(LIST, {"q": "fundacji"})) == ["Raport"]


def test_search_combines_with_the_filters(client):
    StudyFactory(title="Młodzież 2019", year=2019)
    StudyFactory(title="Młodzież 2024", year=2024)
    assert _listed(client.get(LIST, {"q": "mlodziezy", "year_from": "2020"})) == ["Młodzież 2024"]


def test_search_never_shows_an_unmoderated_study(client):
    StudyFactory(title="Współpraca młodzieży", status=Study.Status.SUBMITTED)
    assert _listed(client.get(LIST, {"q": "wspolpraca"})) == []


# Queries


def test_the_list_makes_the_same_queries_for_3_and_30_studies(client):
    areas = [PublicBenefitAreaFactory(code="10"), PublicBenefitAreaFactory(code="16")]
    for _n in range(3):
        StudyFactory(areas=areas)
    client.get(LIST)  # warm the layout's caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for n in range(27):
        StudyFactory(areas=areas, city=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["rows"]) == Study.PER_PAGE
    assert len(many) == len(few)


def test_a_filtered_search_makes_the_same_queries_for_3_and_30_studies(client):
    district = DistrictFactory(number=7)
    for _n in range(3):
        StudyFactory(title="Współpraca młodzieżowa", districts=[district])
    client.get(LIST, {"q": "wspolpraca"})
    query = {"q": "wspolpraca", "area": "33", "district": "7", "year_from": "2000"}
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, query)
    for _n in range(27):
        StudyFactory(title="Współpraca młodzieżowa", districts=[district])
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, query)
    assert len(response.context["rows"]) == Study.PER_PAGE
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------
# A study's page and its file


def test_a_published_study_and_its_file_are_public(client):
    study = StudyFactory(with_file=True)
    assert client.get(study.get_absolute_url()).status_code == 200
    response = client.get(reverse("library:study_file", args=[study.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_an_unmoderated_study_is_a_404_for_anonymous_people(client, status):
    study = StudyFactory(status=status, with_file=True)
    assert client.get(study.get_absolute_url()).status_code == 404
    assert client.get(reverse("library:study_file", args=[study.pk])).status_code == 404


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_an_unmoderated_study_is_a_404_for_another_organizations_member(
    client, status, other_organization
):
    study = StudyFactory(status=status, with_file=True)
    stranger = UserFactory()
    other_organization.memberships.create(user=stranger, role="admin")
    login(client, stranger)
    assert client.get(study.get_absolute_url()).status_code == 404
    assert client.get(reverse("library:study_file", args=[study.pk])).status_code == 404


def test_a_submitted_study_is_visible_to_its_organizations_members(
    client, organization, org_member
):
    study = StudyFactory(status=Study.Status.SUBMITTED, organization=organization, with_file=True)
    login(client, org_member)
    assert client.get(study.get_absolute_url()).status_code == 200
    assert client.get(reverse("library:study_file", args=[study.pk])).status_code == 200


def test_a_submitted_study_is_visible_to_city_staff(client, official):
    study = StudyFactory(status=Study.Status.SUBMITTED)
    login(client, official)
    assert client.get(study.get_absolute_url()).status_code == 200


def test_a_hidden_studys_page_gives_the_reason_but_not_the_study(client):
    study = StudyFactory(
        status=Study.Status.HIDDEN,
        hidden_reason="Naruszenie praw autorskich.",
        abstract="Tajny abstrakt",
        with_file=True,
    )
    page = client.get(study.get_absolute_url()).content.decode()
    assert "Naruszenie praw autorskich." in page
    assert "Tajny abstrakt" not in page
    assert client.get(reverse("library:study_file", args=[study.pk])).status_code == 404


# ---------------------------------------------------------------------------------------
# Submitting a study for an organization


def _answers(area, **extra):
    return {
        "title": "Współpraca młodzieży z organizacjami",
        "authors": "Anna Nowak",
        "year": "2024",
        "areas": [area.pk],
        "abstract": "Co robią młodzi w organizacjach.",
        "link": "",
        "licence": Study.Licence.CC_BY,
        **extra,
    }


def test_a_member_submits_a_study_through_the_check_step(client, organization, org_member):
    area = PublicBenefitAreaFactory(code="33")
    login(client, org_member)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW, _answers(area, organization=str(organization.pk), file=pdf_upload())
    )
    study = Study.objects.get()
    assert response.url == reverse("library:study_check", args=[study.pk])
    assert study.status == Study.Status.DRAFT
    assert study.publisher_type == Study.PublisherType.NGO
    assert study.organization == organization
    assert study.file_type == "pdf"
    assert client.get(response.url).status_code == 200
    sent = client.post(response.url)
    assert sent.url == reverse("library:study_sent", args=[study.pk])
    study.refresh_from_db()
    assert study.status == Study.Status.SUBMITTED
    assert _actions(study) == ["study.drafted", "study.submitted"]
    assert client.get(LIST).context["rows"] == []
    assert study.title in client.get(reverse("library:my_studies")).content.decode()
    assert client.get(sent.url).status_code == 200


def test_a_study_needs_a_file_or_a_link(client, organization, org_member):
    area = PublicBenefitAreaFactory(code="33")
    login(client, org_member)
    response = client.post(NEW, _answers(area, organization=str(organization.pk)))
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Study.objects.exists()


def test_a_file_that_is_not_a_document_is_refused(client, organization, org_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    area = PublicBenefitAreaFactory(code="33")
    login(client, org_member)
    fake = SimpleUploadedFile("raport.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(NEW, _answers(area, organization=str(organization.pk), file=fake))
    assert "file" in response.context["form"].errors
    assert not Study.objects.exists()


def test_another_licence_must_be_named(client, organization, org_member):
    area = PublicBenefitAreaFactory(code="33")
    login(client, org_member)
    response = client.post(
        NEW,
        _answers(
            area,
            organization=str(organization.pk),
            link="https://example.org/b",
            licence=Study.Licence.OTHER,
        ),
    )
    assert "licence_other" in response.context["form"].errors


def test_a_member_cannot_submit_for_an_organization_they_do_not_belong_to(
    client, org_member, other_organization
):
    area = PublicBenefitAreaFactory(code="33")
    login(client, org_member)
    response = client.post(
        NEW,
        _answers(area, organization=str(other_organization.pk), link="https://example.org/b"),
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Study.objects.exists()


def test_a_person_without_an_organization_cannot_submit_a_study(client, outsider):
    login(client, outsider)
    assert client.get(NEW).status_code == 403
    area = PublicBenefitAreaFactory(code="33")
    assert client.post(NEW, _answers(area, link="https://example.org/b")).status_code == 403
    assert not Study.objects.exists()


def test_another_organizations_member_cannot_send_or_change_a_draft(client, organization, outsider):
    study = StudyFactory(status=Study.Status.DRAFT, organization=organization)
    login(client, outsider)
    assert client.post(reverse("library:study_check", args=[study.pk])).status_code == 404
    assert client.get(reverse("library:study_edit", args=[study.pk])).status_code == 404
    study.refresh_from_db()
    assert study.status == Study.Status.DRAFT


def test_a_rejected_study_is_corrected_and_submitted_again(client, organization, org_member):
    study = StudyFactory(
        status=Study.Status.REJECTED, organization=organization, rejection_reason="Brak pliku."
    )
    login(client, org_member)
    answers = _answers(study.areas.get(), link="https://example.org/poprawione")
    response = client.post(reverse("library:study_edit", args=[study.pk]), answers)
    assert response.url == reverse("library:study_check", args=[study.pk])
    client.post(response.url)
    study.refresh_from_db()
    assert study.status == Study.Status.SUBMITTED
    assert study.link == "https://example.org/poprawione"
    assert study.rejection_reason == ""
    assert "study.changed" in _actions(study)


def test_a_submitted_study_cannot_be_changed(client, organization, org_member):
    study = StudyFactory(status=Study.Status.SUBMITTED, organization=organization)
    login(client, org_member)
    response = client.post(
        reverse("library:study_edit", args=[study.pk]),
        _answers(study.areas.get(), link="https://example.org/inne"),
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.link != "https://example.org/inne"


# ---------------------------------------------------------------------------------------
# City staff publish directly


def test_an_official_publishes_a_city_study_directly(client, official):
    area = PublicBenefitAreaFactory(code="33")
    login(client, official)
    response = client.post(
        NEW,
        _answers(
            area,
            publisher_type=Study.PublisherType.CITY_UNIT,
            publisher_name="Miejski Ośrodek Pomocy Społecznej",
            link="https://www.bip.krakow.pl/badanie",
        ),
    )
    study = Study.objects.get()
    assert client.get(response.url).status_code == 200
    client.post(response.url)
    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED
    assert study.added_by_city and study.organization is None
    assert _actions(study) == ["study.drafted", "study.published"]
    assert _listed(client.get(LIST)) == [study.title]


def test_an_official_names_an_organization_by_its_krs(client, official):
    area = PublicBenefitAreaFactory(code="33")
    ngo = OrganizationFactory(krs="0000123456")
    login(client, official)
    client.post(
        NEW,
        _answers(
            area,
            publisher_type=Study.PublisherType.NGO,
            organization_krs="0000123456",
            link="https://example.org/b",
        ),
    )
    assert Study.objects.get().organization == ngo


# ---------------------------------------------------------------------------------------
# Moderation


def test_an_official_publishes_a_submitted_study_and_the_submitter_is_told(client, official):
    study = StudyFactory(status=Study.Status.SUBMITTED)
    login(client, official)
    assert study.title in client.get(QUEUE).content.decode()
    assert client.get(reverse("library:moderate", args=[study.pk])).status_code == 200
    response = client.post(reverse("library:moderate", args=[study.pk]))
    assert response.url == QUEUE
    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED
    assert study.moderated_by == official and study.published_at
    mail = OutgoingEmail.objects.get()
    assert mail.to == study.submitted_by.email
    assert study.title in mail.subject
    assert _actions(study) == ["study.approved"]


def test_an_official_rejects_with_a_reason_the_submitter_reads(client, official):
    study = StudyFactory(status=Study.Status.SUBMITTED)
    login(client, official)
    client.post(reverse("library:reject", args=[study.pk]), {"reason": "Plik się nie otwiera."})
    study.refresh_from_db()
    assert study.status == Study.Status.REJECTED
    assert study.rejection_reason == "Plik się nie otwiera."
    assert "Plik się nie otwiera." in OutgoingEmail.objects.get().body
    assert _actions(study) == ["study.rejected"]


def test_a_rejection_without_a_reason_is_refused(client, official):
    study = StudyFactory(status=Study.Status.SUBMITTED)
    login(client, official)
    response = client.post(reverse("library:reject", args=[study.pk]), {"reason": " "})
    assert response.context["form"].errors
    study.refresh_from_db()
    assert study.status == Study.Status.SUBMITTED


def test_an_organizations_admin_cannot_moderate(client, organization, org_admin):
    study = StudyFactory(status=Study.Status.SUBMITTED, organization=organization)
    login(client, org_admin)
    assert client.get(QUEUE).status_code == 403
    assert client.post(reverse("library:moderate", args=[study.pk])).status_code == 403
    assert (
        client.post(reverse("library:reject", args=[study.pk]), {"reason": "x"}).status_code == 403
    )
    study.refresh_from_db()
    assert study.status == Study.Status.SUBMITTED
    assert not OutgoingEmail.objects.exists()


def test_an_official_hides_a_published_study_with_a_public_reason(client, official):
    study = StudyFactory()
    login(client, official)
    client.post(reverse("library:study_hide", args=[study.pk]), {"reason": "Dane osobowe."})
    study.refresh_from_db()
    assert study.status == Study.Status.HIDDEN
    assert study.hidden_reason == "Dane osobowe."
    client.logout()
    assert _listed(client.get(LIST)) == []
    assert "Dane osobowe." in client.get(study.get_absolute_url()).content.decode()
    assert _actions(study) == ["study.hidden"]


def test_a_hidden_study_is_shown_again(client, official):
    study = StudyFactory(status=Study.Status.HIDDEN, hidden_reason="Do sprawdzenia.")
    login(client, official)
    client.post(reverse("library:study_show", args=[study.pk]))
    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED and study.hidden_reason == ""
    assert _actions(study) == ["study.shown"]


def test_a_member_cannot_hide_their_own_study(client, organization, org_admin):
    study = StudyFactory(organization=organization)
    login(client, org_admin)
    response = client.post(reverse("library:study_hide", args=[study.pk]), {"reason": "x"})
    assert response.status_code == 403
    study.refresh_from_db()
    assert study.status == Study.Status.PUBLISHED


def test_the_audit_actions_read_as_words(client):
    from wspolpraca.core.audit import action_label

    assert action_label("study.rejected") == "Study rejected by a moderator"
    assert action_label("research_topic.answered") == "Research topic answered by the city"


def test_the_moderation_queue_makes_the_same_queries_for_3_and_30_studies(client, official):
    for _n in range(3):
        StudyFactory(status=Study.Status.SUBMITTED, submitted_at=timezone.now())
    login(client, official)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    for _n in range(27):
        StudyFactory(status=Study.Status.SUBMITTED, submitted_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE)
    assert len(response.context["page"].object_list) == 20
    assert len(many) == len(few)
