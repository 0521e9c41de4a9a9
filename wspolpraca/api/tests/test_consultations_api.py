"""/api/v1/consultations/, /api/v1/postulates/ and /api/v1/tracker/: announced
consultations only, postulates not hidden, answers once published, never an author's
e-mail, strict filters, a constant number of queries a page."""

from datetime import timedelta

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.consultations.models import (
    Catalogue,
    Consultation,
    Meeting,
    Postulate,
    ProgressNote,
    Response,
    Section,
    TrackedPostulate,
    TrackerLink,
)
from wspolpraca.organizations.models import PublicBenefitArea
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CONSULTATIONS = "/api/v1/consultations/"
POSTULATES = "/api/v1/postulates/"
TRACKER = "/api/v1/tracker/"


def days(n):
    return timezone.localdate() + timedelta(days=n)


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An announced consultation, open today."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    slug = factory.Sequence(lambda n: f"konsultacja-{n}")
    title = factory.Sequence(lambda n: f"Konsultacja nr {n}")
    summary = "Najważniejsze zmiany projektu."
    document_title = "Projekt uchwały"
    forms = ["online", "meeting", "written"]
    information_from = factory.LazyFunction(lambda: days(-10))
    opens_on = factory.LazyFunction(lambda: days(-3))
    closes_on = factory.LazyFunction(lambda: days(18))
    report_due = factory.LazyFunction(lambda: days(48))
    announced_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=11))

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)

    @factory.post_generation
    def districts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.districts.set(extracted)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Rozdział {n + 1}")
    text = "Treść rozdziału."


class PostulateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postulate

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 1)
    proposal = factory.Sequence(lambda n: f"Propozycja {n + 1}")
    author = factory.SubFactory(UserFactory)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    consultation = factory.SubFactory(ConsultationFactory)
    outcome = Response.Outcome.ACCEPTED
    reason = "Słuszna uwaga."
    status = Response.Status.REVIEWED


class TrackedPostulateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackedPostulate
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T.{n + 1}")
    title = factory.Sequence(lambda n: f"Postulat śledzony {n + 1}")
    description = "Opis postulatu."
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


def results(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(client, params=None):
    return sorted(row["slug"] for row in results(client, CONSULTATIONS, params))


def numbers(client, params=None):
    return sorted(row["number"] for row in results(client, POSTULATES, params))


def codes(client, params=None):
    return sorted(row["code"] for row in results(client, TRACKER, params))


def publish_answers(consultation):
    consultation.answers_published_at = timezone.now()
    consultation.save(update_fields=["answers_published_at"])


@pytest.fixture
def culture():
    return PublicBenefitArea.objects.get(code="16")


# --- consultations ---------------------------------------------------------------------


def test_draft_consultations_are_neither_listed_nor_shown(client):
    ConsultationFactory(slug="ogloszona")
    draft = ConsultationFactory(slug="robocza", announced_at=None)
    assert slugs(client) == ["ogloszona"]
    response = client.get(f"{CONSULTATIONS}{draft.slug}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_consultation_before_its_information_period_is_not_listed(client):
    ConsultationFactory(information_from=days(2), opens_on=days(9), closes_on=days(30))
    assert slugs(client) == []


def test_a_consultation_is_listed_with_its_fields(client, culture):
    department = DepartmentFactory(name="Wydział Polityki Społecznej", short_name="SO")
    consultation = ConsultationFactory(
        slug="program-wspolpracy",
        department=department,
        areas=[culture],
        districts=[DistrictFactory(number=13)],
        postulate_count=4,
    )
    item = results(client, CONSULTATIONS)[0]
    assert item["department"] == {
        "id": department.pk,
        "name": "Wydział Polityki Społecznej",
        "symbol": "SO",
    }
    assert item["areas"] == ["16"]
    assert item["districts"] == [13]
    assert item["forms"] == ["online", "meeting", "written"]
    assert item["phase"] == "open"
    assert item["url"] == f"http://testserver{consultation.get_absolute_url()}"
    assert item["postulate_count"] == 4
    assert item["opens_on"] == days(-3).isoformat()
    assert item["answers_published_at"] is None
    assert item["report_url"] is None
    assert item["report_pdf_url"] is None
    assert item["report_overdue"] is False
    assert "sections" not in item


def test_a_published_report_gives_its_page_and_an_overdue_one_says_so(client):
    ConsultationFactory(
        slug="z-raportem",
        opens_on=days(-60),
        closes_on=days(-40),
        report_due=days(-10),
        answers_published_at=timezone.now(),
        report_published_at=timezone.now(),
    )
    ConsultationFactory(
        slug="spozniona", opens_on=days(-60), closes_on=days(-40), report_due=days(-1)
    )
    items = {row["slug"]: row for row in results(client, CONSULTATIONS)}
    assert items["z-raportem"]["phase"] == "reported"
    assert items["z-raportem"]["report_url"].startswith("http://testserver/")
    assert items["z-raportem"]["report_overdue"] is False
    assert items["spozniona"]["report_url"] is None
    assert items["spozniona"]["report_overdue"] is True


def test_the_detail_adds_sections_and_meetings(client):
    consultation = ConsultationFactory()
    SectionFactory(consultation=consultation, number=1, title="Cele", text="Cele programu.")
    starts = timezone.now() + timedelta(days=3)
    Meeting.objects.create(
        consultation=consultation,
        kind=Meeting.Kind.WORKSHOP,
        title="Warsztat",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="ul. Józefińska 14",
    )
    body = client.get(f"{CONSULTATIONS}{consultation.slug}/").json()
    assert body["sections"] == [{"number": 1, "title": "Cele", "text": "Cele programu."}]
    [meeting] = body["meetings"]
    assert (meeting["kind"], meeting["title"], meeting["place"]) == (
        "workshop",
        "Warsztat",
        "ul. Józefińska 14",
    )
    assert meeting["capacity"] is None


def test_consultation_filters_keep_what_matches(client, culture):
    department = DepartmentFactory()
    district = DistrictFactory(number=5)
    ConsultationFactory(
        slug="pasuje",
        title="Program seniorów",
        department=department,
        areas=[culture],
        districts=[district],
    )
    ConsultationFactory(slug="inna-sfera", title="Program seniorów", department=department)
    ConsultationFactory(
        slug="zamknieta",
        title="Program seniorów",
        department=department,
        areas=[culture],
        districts=[district],
        opens_on=days(-40),
        closes_on=days(-20),
    )
    ConsultationFactory(slug="inny-wydzial", title="Program seniorów", areas=[culture])
    params = {"q": "seniorów", "phase": "open", "area": "16", "district": "5"}
    assert slugs(client, {**params, "department": department.pk}) == ["pasuje"]
    assert slugs(client, {"phase": "closed"}) == ["zamknieta"]


@pytest.mark.parametrize(
    ("param", "value"),
    [("phase", "draft"), ("area", "x"), ("district", "abc"), ("department", "abc")],
)
def test_a_wrong_consultation_filter_is_a_400_naming_it(client, param, value):
    response = client.get(CONSULTATIONS, {param: value})
    assert response.status_code == 400
    assert param in response.json()


# --- postulates ------------------------------------------------------------------------


def test_hidden_postulates_are_not_listed(client):
    consultation = ConsultationFactory()
    PostulateFactory(consultation=consultation, number=1)
    PostulateFactory(consultation=consultation, number=2, is_hidden=True, hidden_reason="Spam")
    assert numbers(client) == [1]


def test_postulates_of_a_draft_consultation_are_not_listed(client):
    PostulateFactory(consultation=ConsultationFactory(announced_at=None))
    assert numbers(client) == []


def test_a_postulate_is_listed_with_its_fields(client):
    consultation = ConsultationFactory(slug="budzet")
    section = SectionFactory(consultation=consultation, number=3)
    organization = OrganizationFactory(name="Fundacja Dobra")
    PostulateFactory(
        consultation=consultation,
        number=7,
        section=section,
        proposal="Więcej środków.",
        organization=organization,
        support_count=2,
    )
    [item] = results(client, POSTULATES)
    assert item["consultation"] == "budzet"
    assert (item["number"], item["section"]) == (7, 3)
    assert item["proposal"] == "Więcej środków."
    assert item["justification"] is None
    assert item["source"] == "online"
    assert item["signed"] == "Fundacja Dobra"
    assert item["support_count"] == 2
    assert item["answer"] is None
    assert item["tracker"] is None


def test_answers_are_null_until_published(client):
    consultation = ConsultationFactory(opens_on=days(-30), closes_on=days(-5))
    response = ResponseFactory(consultation=consultation, outcome="partly", reason="Częściowo.")
    PostulateFactory(consultation=consultation, response=response)
    assert results(client, POSTULATES)[0]["answer"] is None


def test_answers_are_given_once_published(client):
    consultation = ConsultationFactory(opens_on=days(-30), closes_on=days(-5))
    response = ResponseFactory(consultation=consultation, outcome="partly", reason="Częściowo.")
    PostulateFactory(consultation=consultation, response=response)
    publish_answers(consultation)
    answer = results(client, POSTULATES)[0]["answer"]
    assert answer == {"outcome": "partly", "reason": "Częściowo."}


def test_a_tracked_postulate_is_linked(client):
    postulate = PostulateFactory()
    TrackedPostulateFactory(code="K.1", postulate=postulate, status="accepted")
    tracker = results(client, POSTULATES)[0]["tracker"]
    assert tracker["code"] == "K.1" and tracker["status"] == "accepted"
    assert tracker["url"].startswith("http://testserver/")


def test_no_residents_name_or_email_is_anywhere_in_the_postulates(client):
    consultation = ConsultationFactory()
    resident = UserFactory(email="mieszkanka@example.org", full_name="Anna Nowak")
    nameless = UserFactory(email="bezimienny@example.org", full_name="")
    PostulateFactory(consultation=consultation, number=1, author=resident)
    PostulateFactory(consultation=consultation, number=2, author=nameless)
    PostulateFactory(
        consultation=consultation,
        number=3,
        author=None,
        author_name="Jan Kowalski",
        source=Postulate.Source.EMAIL,
        entered_by=UserFactory(email="urzednik@example.org"),
    )
    response = client.get(POSTULATES)
    text = response.content.decode()
    assert "@" not in text
    assert "Anna Nowak" not in text
    signed = {row["number"]: row["signed"] for row in response.json()["results"]}
    assert signed == {1: None, 2: None, 3: "Jan Kowalski"}
    assert not {"author", "author_id", "email", "entered_by"} & set(response.json()["results"][0])


def test_postulate_filters_keep_what_matches(client):
    consultation = ConsultationFactory(slug="ta")
    section = SectionFactory(consultation=consultation, number=2)
    accepted = ResponseFactory(consultation=consultation, outcome="accepted")
    rejected = ResponseFactory(consultation=consultation, outcome="rejected")
    PostulateFactory(consultation=consultation, number=1, section=section, response=accepted)
    PostulateFactory(consultation=consultation, number=2, section=section, response=rejected)
    PostulateFactory(consultation=consultation, number=3, response=accepted)
    PostulateFactory(consultation=ConsultationFactory(slug="inna"), number=4)
    assert numbers(client, {"consultation": "ta", "section": 2}) == [1, 2]
    assert numbers(client, {"consultation": "ta", "outcome": "accepted"}) == []
    publish_answers(consultation)
    assert numbers(client, {"consultation": "ta", "outcome": "accepted"}) == [1, 3]
    assert numbers(client, {"consultation": "nie-ma"}) == []


@pytest.mark.parametrize(
    ("param", "value"),
    [("section", "abc"), ("section", "1.5"), ("section", "99999"), ("outcome", "maybe")],
)
def test_a_wrong_postulate_filter_is_a_400_naming_it(client, param, value):
    response = client.get(POSTULATES, {param: value})
    assert response.status_code == 400
    assert param in response.json()


# --- the tracker -----------------------------------------------------------------------


def test_a_tracked_postulate_is_listed_with_its_history_and_links(client, culture):
    department = DepartmentFactory(name="Biuro Inicjatyw", short_name="BI")
    consultation = ConsultationFactory(slug="zrodlo")
    tracked = TrackedPostulateFactory(
        code="II.4",
        plane="II",
        department=department,
        areas=[culture],
        status="in_progress",
        catalogue=Catalogue.objects.create(code="2018", title="Katalog 2018"),
        consultation=consultation,
    )
    ProgressNote.objects.create(
        postulate=tracked, date=days(-5), text="Przyjęto.", status="accepted"
    )
    ProgressNote.objects.create(postulate=tracked, date=days(-1), text="Spotkanie.")
    TrackerLink.objects.create(
        postulate=tracked, kind="consultation", title="Konsultacja", url="/konsultacje/zrodlo/"
    )
    [item] = results(client, TRACKER)
    assert item["code"] == "II.4"
    assert (item["plane"], item["sector"]) == ("II", None)
    assert item["department"] == {"id": department.pk, "name": "Biuro Inicjatyw", "symbol": "BI"}
    assert item["areas"] == ["16"]
    assert (item["status"], item["status_reason"]) == ("in_progress", None)
    assert (item["catalogue"], item["consultation"]) == ("2018", "zrodlo")
    assert item["history"] == [
        {"date": days(-5).isoformat(), "text": "Przyjęto.", "status": "accepted"},
        {"date": days(-1).isoformat(), "text": "Spotkanie.", "status": None},
    ]
    assert item["links"] == [
        {
            "kind": "consultation",
            "title": "Konsultacja",
            "url": "http://testserver/konsultacje/zrodlo/",
        }
    ]
    assert client.get(f"{TRACKER}II.4/").json()["code"] == "II.4"


def test_a_tracked_postulate_does_not_name_a_draft_consultation(client):
    TrackedPostulateFactory(consultation=ConsultationFactory(announced_at=None))
    assert results(client, TRACKER)[0]["consultation"] is None


def test_an_unknown_code_is_a_404(client):
    response = client.get(f"{TRACKER}nie.ma/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_tracker_filters_keep_what_matches(client, culture):
    department = DepartmentFactory()
    TrackedPostulateFactory(
        code="A",
        title="Lokale dla organizacji",
        plane="III",
        status="accepted",
        department=department,
        areas=[culture],
    )
    TrackedPostulateFactory(code="B", title="Lokale dla organizacji", plane="III")
    TrackedPostulateFactory(code="C", title="Granty", sector="seniors", status="rejected")
    params = {"q": "lokale", "plane": "III", "status": "accepted", "area": "16"}
    assert codes(client, {**params, "department": department.pk}) == ["A"]
    assert codes(client, {"q": "lokale"}) == ["A", "B"]
    assert codes(client, {"sector": "seniors"}) == ["C"]


@pytest.mark.parametrize(
    ("param", "value"),
    [("plane", "IV"), ("sector", "x"), ("status", "done"), ("department", "abc"), ("area", "x")],
)
def test_a_wrong_tracker_filter_is_a_400_naming_it(client, param, value):
    response = client.get(TRACKER, {param: value})
    assert response.status_code == 400
    assert param in response.json()


# --- all three -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "param", "value"),
    [
        (CONSULTATIONS, "phase", "open"),
        (CONSULTATIONS, "q", "program"),
        (POSTULATES, "consultation", "a"),
        (POSTULATES, "section", "1"),
        (TRACKER, "status", "accepted"),
        (TRACKER, "q", "lokale"),
    ],
)
def test_a_filter_given_twice_is_a_400(client, url, param, value):
    response = client.get(f"{url}?{param}={value}&{param}={value}")
    assert response.status_code == 400
    assert param in response.json()


def test_the_three_endpoints_are_in_the_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in [
        "/api/v1/consultations/",
        "/api/v1/consultations/{slug}/",
        "/api/v1/postulates/",
        "/api/v1/tracker/",
        "/api/v1/tracker/{code}/",
    ]:
        assert path in paths, path
        assert {"200", "404"} <= set(paths[path]["get"]["responses"]), path


def test_nullable_fields_are_marked_in_the_schema(client):
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    nullable = {
        "Consultation": ["answers_published_at", "report_url", "report_pdf_url"],
        "Postulate": ["section", "justification", "signed", "answer", "tracker"],
        "TrackedPostulate": ["plane", "sector", "department", "status_reason", "catalogue"],
    }
    for component, names in nullable.items():
        for name in names:
            assert schemas[component]["properties"][name].get("nullable") is True, name


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def make_consultations(n, culture):
    for _ in range(n):
        ConsultationFactory(areas=[culture], districts=[DistrictFactory()])


def make_postulates(n, culture):
    consultation = ConsultationFactory()
    publish_answers(consultation)
    for _ in range(n):
        response = ResponseFactory(consultation=consultation)
        postulate = PostulateFactory(
            consultation=consultation,
            section=SectionFactory(consultation=consultation),
            organization=OrganizationFactory(),
            response=response,
        )
        TrackedPostulateFactory(postulate=postulate)


def make_tracked(n, culture):
    catalogue, _ = Catalogue.objects.get_or_create(code="k", defaults={"title": "Katalog"})
    for _ in range(n):
        tracked = TrackedPostulateFactory(
            areas=[culture], catalogue=catalogue, consultation=ConsultationFactory()
        )
        ProgressNote.objects.create(postulate=tracked, date=days(0), text="Krok.")
        TrackerLink.objects.create(postulate=tracked, kind="other", title="Link", url="/x/")


@pytest.mark.parametrize(
    ("url", "make"),
    [(CONSULTATIONS, make_consultations), (POSTULATES, make_postulates), (TRACKER, make_tracked)],
)
def test_a_page_takes_the_same_queries_for_2_and_10_items(client, culture, url, make):
    make(2, culture)
    with_two = count_queries(client, url)
    make(8, culture)
    assert len(results(client, url)) >= 10
    assert count_queries(client, url) == with_two
