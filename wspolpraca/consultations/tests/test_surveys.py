"""Answering surveys: the form, check your answers, one answer per account or
organization, the window enforced by the server, skip conditions, and anonymity."""

from datetime import timedelta

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.consultations import surveys
from wspolpraca.consultations.models import (
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
)
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .survey_factories import SurveyFactory, add_question, answer, option

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def survey():
    survey = SurveyFactory()
    add_question(survey, "single", ["Tak", "Nie"], text="Czy korzystasz z sal miejskich?")
    add_question(survey, "long_text", text="Co zmienić?", required=False)
    return survey


def _questions(survey):
    return list(survey.questions.order_by("position"))


def _post(client, survey, data):
    return client.post(reverse("consultations:survey_answer", args=[survey.slug]), data)


def _check_url(survey):
    return reverse("consultations:survey_check", args=[survey.slug])


def test_answering_goes_through_check_your_answers_before_anything_is_stored(
    client, outsider, survey
):
    first, second = _questions(survey)
    login(client, outsider)
    response = _post(
        client, survey, {f"q{first.pk}": option(first, "Tak").pk, f"q{second.pk}": "Więcej sal"}
    )
    assert response.status_code == 302 and response.url == _check_url(survey)
    assert SurveyResponse.objects.count() == 0
    page = client.get(_check_url(survey))
    assert "Check your answers before sending them" in page.content.decode()
    assert "Więcej sal" in page.content.decode() and "Tak" in page.content.decode()
    sent = client.post(_check_url(survey))
    assert sent.url == reverse("consultations:survey_done", args=[survey.slug])
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    survey.refresh_from_db()
    assert survey.response_count == 1


def test_missing_required_answer_is_shown_next_to_the_field_keeping_the_rest(
    client, outsider, survey
):
    first, second = _questions(survey)
    login(client, outsider)
    response = _post(client, survey, {f"q{second.pk}": "Mój tekst"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose an answer." in body
    assert f'href="#id_q{first.pk}_0"' in body  # the error summary links to the field
    assert "Mój tekst" in body


def test_change_link_brings_the_answers_back_into_the_form(client, outsider, survey):
    first, second = _questions(survey)
    login(client, outsider)
    _post(client, survey, {f"q{first.pk}": option(first, "Nie").pk, f"q{second.pk}": "Uwagi"})
    page = client.get(reverse("consultations:survey_answer", args=[survey.slug]))
    assert "Uwagi" in page.content.decode()


def test_second_answer_of_the_same_account_is_refused(client, outsider, survey):
    first, _second = _questions(survey)
    answer(survey, outsider, {first: "Tak"})
    with pytest.raises(surveys.SurveyError, match="already answered"):
        answer(survey, outsider, {first: "Nie"})
    login(client, outsider)
    page = client.get(reverse("consultations:survey_answer", args=[survey.slug]))
    assert "You have already answered this survey." in page.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_database_refuses_a_second_participation_of_an_account(outsider, survey):
    from django.db import IntegrityError, transaction

    SurveyParticipation.objects.create(survey=survey, user=outsider)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyParticipation.objects.create(survey=survey, user=outsider)


def test_one_answer_per_organization_refuses_another_member(survey):
    survey.audience = Survey.Audience.ORGANIZATIONS
    survey.per_organization = True
    survey.save()
    organization = OrganizationFactory()
    first_member = MembershipFactory(organization=organization).user
    second_member = MembershipFactory(organization=organization).user
    question = _questions(survey)[0]
    answer(survey, first_member, {question: "Tak"}, organization=organization)
    with pytest.raises(surveys.SurveyError, match="already answered"):
        answer(survey, second_member, {question: "Nie"}, organization=organization)
    assert SurveyParticipation.objects.filter(survey=survey).count() == 1


def test_list_tells_another_member_that_the_organization_has_answered(client, survey):
    survey.audience = Survey.Audience.ORGANIZATIONS
    survey.per_organization = True
    survey.save()
    organization = OrganizationFactory()
    first_member = MembershipFactory(organization=organization).user
    second_member = MembershipFactory(organization=organization).user
    answer(survey, first_member, {_questions(survey)[0]: "Tak"}, organization=organization)
    login(client, second_member)
    body = client.get(reverse("consultations:surveys")).content.decode()
    assert "Your organization has already answered this survey." in body
    assert "You have answered. Thank you." not in body


def test_database_refuses_a_second_participation_of_an_organization(survey):
    from django.db import IntegrityError, transaction

    organization = OrganizationFactory()
    SurveyParticipation.objects.create(
        survey=survey, user=UserFactory(), organization=organization, per_organization=True
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyParticipation.objects.create(
            survey=survey, user=UserFactory(), organization=organization, per_organization=True
        )


def test_survey_for_organizations_refuses_a_person_without_one(client, outsider, survey):
    survey.audience = Survey.Audience.ORGANIZATIONS
    survey.save()
    login(client, outsider)
    first = _questions(survey)[0]
    response = _post(client, survey, {f"q{first.pk}": option(first, "Tak").pk})
    assert "The survey is for organizations" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_survey_of_chosen_areas_refuses_an_organization_of_other_areas(survey):
    survey.audience = Survey.Audience.AREAS
    survey.save()
    survey.areas.set([PublicBenefitAreaFactory(code="T-sport")])
    elsewhere = OrganizationFactory(areas=[PublicBenefitAreaFactory(code="T-kult")])
    member = MembershipFactory(organization=elsewhere).user
    assert surveys.eligible_organizations(member, survey) == []
    with pytest.raises(surveys.SurveyError):
        answer(survey, member, {_questions(survey)[0]: "Tak"}, organization=elsewhere)


def test_member_of_an_organization_in_the_area_answers_for_it(survey):
    area = PublicBenefitAreaFactory(code="T-sport")
    survey.audience = Survey.Audience.AREAS
    survey.save()
    survey.areas.set([area])
    organization = OrganizationFactory(areas=[area])
    member = MembershipFactory(organization=organization).user
    answer(survey, member, {_questions(survey)[0]: "Tak"}, organization=organization)
    assert SurveyParticipation.objects.get(survey=survey).organization == organization


def test_person_with_two_organizations_chooses_which_one_answers(client, survey):
    survey.audience = Survey.Audience.ORGANIZATIONS
    survey.per_organization = True
    survey.save()
    member = UserFactory()
    one = MembershipFactory(user=member).organization
    other = MembershipFactory(user=member).organization
    first = _questions(survey)[0]
    login(client, member)
    response = _post(client, survey, {f"q{first.pk}": option(first, "Tak").pk})
    assert "Choose the organization you answer for." in response.content.decode()
    _post(client, survey, {f"q{first.pk}": option(first, "Tak").pk, "organization": other.pk})
    client.post(_check_url(survey))
    assert SurveyParticipation.objects.get(survey=survey).organization == other
    assert surveys.answering_obstacle(member, survey) is None  # `one` may still answer
    assert one != other


def test_server_refuses_answers_after_the_survey_closes(client, outsider, survey):
    first, _second = _questions(survey)
    login(client, outsider)
    _post(client, survey, {f"q{first.pk}": option(first, "Tak").pk})
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = client.post(_check_url(survey))
    assert "The survey is closed." in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_server_refuses_answers_before_the_survey_opens(outsider, survey):
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=9)
    )
    survey.refresh_from_db()
    with pytest.raises(surveys.SurveyError, match="opens on"):
        answer(survey, outsider, {_questions(survey)[0]: "Tak"})


def test_draft_survey_is_not_found_by_people_answering(client, outsider, survey):
    Survey.objects.filter(pk=survey.pk).update(published_at=None)
    login(client, outsider)
    assert client.get(reverse("consultations:survey", args=[survey.slug])).status_code == 404
    assert _post(client, survey, {}).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, survey):
    response = client.get(reverse("consultations:survey_answer", args=[survey.slug]))
    assert response.status_code == 302 and "login" in response.url


# Skip conditions


@pytest.fixture
def branching():
    survey = SurveyFactory()
    uses = add_question(survey, "single", ["Tak", "Nie"], text="Czy korzystasz z sal?")
    which = add_question(
        survey, "multiple", ["Sale szkolne", "Domy kultury"], text="Z których?", max_choices=1
    )
    which.show_if = option(uses, "Tak")
    which.save()
    return survey, uses, which


def test_conditional_question_is_required_when_its_condition_is_met(client, outsider, branching):
    survey, uses, which = branching
    login(client, outsider)
    response = _post(client, survey, {f"q{uses.pk}": option(uses, "Tak").pk})
    assert response.status_code == 200
    assert "Choose at least one answer." in response.content.decode()


def test_conditional_question_is_not_required_when_its_condition_is_not_met(
    client, outsider, branching
):
    survey, uses, _which = branching
    login(client, outsider)
    response = _post(client, survey, {f"q{uses.pk}": option(uses, "Nie").pk})
    assert response.status_code == 302


def test_answer_to_a_skipped_question_is_discarded(client, outsider, branching):
    survey, uses, which = branching
    login(client, outsider)
    _post(
        client,
        survey,
        {f"q{uses.pk}": option(uses, "Nie").pk, f"q{which.pk}": [option(which, "Domy kultury").pk]},
    )
    page = client.get(_check_url(survey)).content.decode()
    assert "Z których?" not in page
    client.post(_check_url(survey))
    assert not SurveyAnswer.objects.filter(question=which).exists()
    assert SurveyAnswer.objects.filter(question=uses).count() == 1


def test_conditional_question_says_when_to_answer_it(client, outsider, branching):
    survey, _uses, _which = branching
    login(client, outsider)
    page = client.get(reverse("consultations:survey_answer", args=[survey.slug]))
    assert "Answer only if you chose “Tak” in question 1." in page.content.decode()


def test_more_choices_than_allowed_are_refused(client, outsider, branching):
    survey, uses, which = branching
    login(client, outsider)
    response = _post(
        client,
        survey,
        {
            f"q{uses.pk}": option(uses, "Tak").pk,
            f"q{which.pk}": [o.pk for o in which.options.all()],
        },
    )
    assert "Choose at most 1 answers." in response.content.decode()


def test_scale_and_text_answers_are_stored(outsider):
    survey = SurveyFactory()
    scale = add_question(survey, "scale", text="Jak oceniasz współpracę?")
    text = add_question(survey, "short_text", text="Jednym zdaniem")
    answer(survey, outsider, {scale: 4, text: "Dobrze"})
    assert SurveyAnswer.objects.get(question=scale).value == 4
    assert SurveyAnswer.objects.get(question=text).text == "Dobrze"


# Anonymity


def test_anonymous_response_has_no_link_to_accounts_or_organizations():
    for model in (SurveyResponse, SurveyAnswer):
        targets = {
            f.related_model._meta.label for f in model._meta.concrete_fields if f.is_relation
        }
        assert targets <= {
            "consultations.Survey",
            "consultations.SurveyResponse",
            "consultations.SurveyQuestion",
            "consultations.SurveyOption",
        }


def test_anonymous_response_stores_no_time_and_a_random_key():
    for model in (SurveyResponse, SurveyAnswer):
        fields = model._meta.concrete_fields
        assert not [f for f in fields if isinstance(f, models.DateField | models.TimeField)]
        assert isinstance(model._meta.pk, models.UUIDField)


def test_participation_in_an_anonymous_survey_does_not_name_the_response(outsider, survey):
    first = _questions(survey)[0]
    answer(survey, outsider, {first: "Tak"})
    participation = SurveyParticipation.objects.get(survey=survey)
    assert participation.response_id is None
    assert not SurveyResponse.objects.filter(participation__user=outsider).exists()


def test_signed_survey_names_who_answered(outsider, survey):
    survey.anonymous = False
    survey.save()
    response = answer(survey, outsider, {_questions(survey)[0]: "Tak"})
    assert response.participation.user == outsider


def test_responses_are_not_in_the_order_they_were_given(survey):
    first = _questions(survey)[0]
    given = [answer(survey, UserFactory(), {first: "Tak"}).pk for _n in range(12)]
    stored = list(
        SurveyResponse.objects.filter(survey=survey).order_by("pk").values_list("pk", flat=True)
    )
    assert stored != given  # ordered by the random key, not by time


# Lists


def test_list_shows_open_surveys_with_what_the_person_may_do(client, outsider, survey):
    closed = SurveyFactory(title="Stara ankieta")
    Survey.objects.filter(pk=closed.pk).update(closes_at=timezone.now() - timedelta(days=1))
    login(client, outsider)
    body = client.get(reverse("consultations:surveys")).content.decode()
    assert survey.title in body and "Answer the survey" in body
    assert "Stara ankieta" not in body
    answer(survey, outsider, {_questions(survey)[0]: "Tak"})
    body = client.get(reverse("consultations:surveys")).content.decode()
    assert "You have answered. Thank you." in body


def test_list_filters_closed_surveys_with_public_results(client):
    closed = SurveyFactory(title="Stara ankieta")
    Survey.objects.filter(pk=closed.pk).update(
        closes_at=timezone.now() - timedelta(days=1), results_public=True
    )
    SurveyFactory(title="Trwająca ankieta")
    body = client.get(reverse("consultations:surveys"), {"stan": "zakonczone"}).content.decode()
    assert "Stara ankieta" in body and "Trwająca ankieta" not in body


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_makes_the_same_number_of_queries_whatever_its_size(client):
    user = MembershipFactory().user
    login(client, user)
    url = reverse("consultations:surveys")
    SurveyFactory.create_batch(2, audience=Survey.Audience.ORGANIZATIONS)
    few = _queries(client, url)
    SurveyFactory.create_batch(6, audience=Survey.Audience.AREAS)
    assert _queries(client, url) == few


def test_required_conditional_question_is_not_marked_optional(client, outsider, branching):
    survey, _uses, which = branching
    login(client, outsider)
    page = client.get(reverse("consultations:survey_answer", args=[survey.slug])).content.decode()
    legend = page[page.index(f'id="id_q{which.pk}_helptext"') - 300 :]
    assert "(optional)" not in legend.split("</legend>")[0]


def test_survey_page_says_it_is_anonymous_and_offers_to_answer(client, outsider, survey):
    login(client, outsider)
    body = client.get(reverse("consultations:survey", args=[survey.slug])).content.decode()
    assert "This survey is anonymous" in body
    assert reverse("consultations:survey_answer", args=[survey.slug]) in body
    assert reverse("consultations:survey_results", args=[survey.slug]) not in body


def test_survey_page_tells_a_visitor_to_sign_in(client, survey):
    body = client.get(reverse("consultations:survey", args=[survey.slug])).content.decode()
    assert "Sign in to answer." in body


# The person's data export


def test_my_export_has_my_answers_to_a_signed_survey(client, outsider, survey):
    import json

    survey.anonymous = False
    survey.save()
    answer(survey, outsider, {_questions(survey)[0]: "Tak"})
    login(client, outsider)
    data = json.loads(client.post(reverse("accounts:export")).content)
    (entry,) = data["surveys_answered"]
    assert entry["survey"] == survey.title
    assert {"question": _questions(survey)[0].text, "answer": "Tak"} in entry["answers"]


def test_my_export_says_only_that_i_took_part_in_an_anonymous_survey(client, outsider, survey):
    import json

    survey.anonymous = True
    survey.save()
    answer(survey, outsider, {_questions(survey)[0]: "Tak"})
    login(client, outsider)
    data = json.loads(client.post(reverse("accounts:export")).content)
    (entry,) = data["surveys_answered"]
    assert entry["survey"] == survey.title
    assert entry["answers"] is None
