"""Research topics: proposing, one support per account, the city's answer with its reason,
the linked study, the list's filters and order, and who is refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core.models import AuditEntry, OutgoingEmail
from wspolpraca.library import services
from wspolpraca.library.models import ResearchTopic, Study, TopicSupport

from .factories import ResearchTopicFactory, StudyFactory, TopicSupportFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST = reverse("library:topics")
NEW = reverse("library:topic_new")


def _listed(response):
    return [topic.title for topic in response.context["rows"]]


def _support(topic):
    return reverse("library:topic_support", args=[topic.pk])


def _answer(topic):
    return reverse("library:topic_answer", args=[topic.pk])


# Proposing


def test_anyone_signed_in_proposes_a_topic(client, outsider):
    area = PublicBenefitAreaFactory(code="10")
    login(client, outsider)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {
            "title": "Samotność seniorów",
            "description": "Ilu seniorów mieszka samotnie?",
            "areas": [area.pk],
        },
    )
    topic = ResearchTopic.objects.get()
    assert response.url == topic.get_absolute_url()
    assert topic.proposed_by == outsider
    assert topic.status == ResearchTopic.Status.PROPOSED
    assert AuditEntry.objects.filter(action="research_topic.proposed").count() == 1
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_an_anonymous_person_cannot_propose_a_topic(client):
    area = PublicBenefitAreaFactory(code="10")
    response = client.post(NEW, {"title": "T", "description": "D", "areas": [area.pk]})
    assert response.status_code == 302
    assert not ResearchTopic.objects.exists()


def test_a_topic_needs_a_description_and_an_area(client, outsider):
    login(client, outsider)
    response = client.post(NEW, {"title": "Temat", "description": "", "areas": []})
    assert set(response.context["form"].errors) == {"description", "areas"}
    assert not ResearchTopic.objects.exists()


# Supporting


def test_a_support_is_counted_once_per_account(client, outsider):
    topic = ResearchTopicFactory()
    login(client, outsider)
    client.post(_support(topic))
    client.post(_support(topic))
    topic.refresh_from_db()
    assert topic.support_count == 1
    assert TopicSupport.objects.filter(topic=topic).count() == 1


def test_the_service_refuses_a_second_support_silently(outsider):
    topic = ResearchTopicFactory()
    services.support_topic(topic, outsider)
    services.support_topic(topic, outsider)
    topic.refresh_from_db()
    assert topic.support_count == 1


def test_supports_of_different_people_add_up(client, outsider, org_member):
    topic = ResearchTopicFactory()
    for person in (outsider, org_member):
        login(client, person)
        client.post(_support(topic))
    topic.refresh_from_db()
    assert topic.support_count == 2


def test_a_support_is_withdrawn(client, outsider):
    topic = ResearchTopicFactory()
    login(client, outsider)
    client.post(_support(topic))
    client.post(_support(topic), {"withdraw": "1"})
    client.post(_support(topic), {"withdraw": "1"})
    topic.refresh_from_db()
    assert topic.support_count == 0
    assert not TopicSupport.objects.exists()


def test_an_anonymous_person_cannot_support(client):
    topic = ResearchTopicFactory()
    assert client.post(_support(topic)).status_code == 302
    topic.refresh_from_db()
    assert topic.support_count == 0


def test_a_decided_topic_takes_no_more_support(client, outsider):
    topic = ResearchTopicFactory(status=ResearchTopic.Status.DECLINED, answer="Nie teraz.")
    login(client, outsider)
    client.post(_support(topic))
    topic.refresh_from_db()
    assert topic.support_count == 0


# The city's answer


def test_an_official_answers_with_a_reason_and_the_author_is_told(client, official):
    topic = ResearchTopicFactory()
    login(client, official)
    assert client.get(_answer(topic)).status_code == 200
    client.post(_answer(topic), {"status": "considered", "answer": "Sprawdzimy w 2027 r."})
    topic.refresh_from_db()
    assert topic.status == ResearchTopic.Status.UNDER_CONSIDERATION
    assert topic.answer == "Sprawdzimy w 2027 r." and topic.answered_by == official
    mail = OutgoingEmail.objects.get()
    assert mail.to == topic.proposed_by.email
    assert "Sprawdzimy w 2027 r." in mail.body
    assert AuditEntry.objects.filter(action="research_topic.answered").count() == 1
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Sprawdzimy w 2027 r." in page


def test_an_answer_without_a_reason_is_refused(client, official):
    topic = ResearchTopicFactory()
    login(client, official)
    response = client.post(_answer(topic), {"status": "declined", "answer": ""})
    assert "answer" in response.context["form"].errors
    topic.refresh_from_db()
    assert topic.status == ResearchTopic.Status.PROPOSED
    assert not OutgoingEmail.objects.exists()


def test_a_resident_cannot_answer_a_topic(client, outsider):
    topic = ResearchTopicFactory()
    login(client, outsider)
    assert client.get(_answer(topic)).status_code == 403
    response = client.post(_answer(topic), {"status": "declined", "answer": "Nie."})
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.status == ResearchTopic.Status.PROPOSED and topic.answer == ""


def test_a_topic_taken_up_links_the_resulting_study(client, official):
    topic = ResearchTopicFactory()
    study = StudyFactory(title="Samotność seniorów w Nowej Hucie")
    login(client, official)
    client.post(
        _answer(topic), {"status": "taken_up", "answer": "Zbadano.", "study": str(study.pk)}
    )
    topic.refresh_from_db()
    assert topic.status == ResearchTopic.Status.TAKEN_UP and topic.study == study
    assert study.title in client.get(topic.get_absolute_url()).content.decode()
    assert topic.title in client.get(study.get_absolute_url()).content.decode()


def test_only_a_published_study_can_be_linked(client, official):
    topic = ResearchTopicFactory()
    study = StudyFactory(status=Study.Status.SUBMITTED)
    login(client, official)
    response = client.post(
        _answer(topic), {"status": "taken_up", "answer": "Zbadano.", "study": str(study.pk)}
    )
    assert "study" in response.context["form"].errors
    topic.refresh_from_db()
    assert topic.study is None


def test_a_study_is_linked_only_to_a_topic_taken_up(client, official):
    topic = ResearchTopicFactory()
    study = StudyFactory()
    login(client, official)
    response = client.post(
        _answer(topic), {"status": "declined", "answer": "Nie.", "study": str(study.pk)}
    )
    assert "study" in response.context["form"].errors


# The list


def test_the_most_supported_topic_comes_first(client):
    ResearchTopicFactory(title="Dużo", support_count=9)
    ResearchTopicFactory(title="Mało", support_count=1)
    assert _listed(client.get(LIST)) == ["Dużo", "Mało"]


def test_the_list_can_show_the_newest_first(client):
    ResearchTopicFactory(title="Dużo", support_count=9)
    ResearchTopicFactory(title="Mało", support_count=1)
    assert _listed(client.get(LIST, {"sort": "new"})) == ["Mało", "Dużo"]


def test_filter_by_status_and_area(client):
    culture = PublicBenefitAreaFactory(code="16")
    ResearchTopicFactory(title="Odrzucony", status=ResearchTopic.Status.DECLINED, answer="x")
    ResearchTopicFactory(title="Kultura", areas=[culture])
    ResearchTopicFactory(title="Seniorzy")
    assert _listed(client.get(LIST, {"status": "declined"})) == ["Odrzucony"]
    assert _listed(client.get(LIST, {"area": "16"})) == ["Kultura"]


def test_the_list_makes_the_same_queries_for_3_and_30_topics(client, outsider):
    study = StudyFactory()
    for _n in range(3):
        TopicSupportFactory(topic=ResearchTopicFactory(study=study), user=outsider)
    login(client, outsider)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for _n in range(27):
        TopicSupportFactory(topic=ResearchTopicFactory(study=study), user=outsider)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["rows"]) == ResearchTopic.PER_PAGE
    assert all(topic.supported for topic in response.context["rows"])
    assert len(many) == len(few)


def test_one_account_proposes_a_limited_number_of_topics_a_day(client, outsider, rate_limits):
    rate_limits.LIBRARY_TOPICS_PER_DAY = 2
    area = PublicBenefitAreaFactory(code="10")
    login(client, outsider)
    for n in range(3):
        response = client.post(
            NEW, {"title": f"Temat {n}", "description": "Opis.", "areas": [area.pk]}
        )
    assert ResearchTopic.objects.count() == 2
    assert "title" in response.context["form"].errors
