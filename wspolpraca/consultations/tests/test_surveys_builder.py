"""Building surveys on the site: settings, questions with options and conditions,
publishing, questions frozen after the first answer, audit, and who may do it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.city.models import TrainingTopic
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.consultations import surveys
from wspolpraca.consultations.models import Survey, SurveyOption, SurveyQuestion
from wspolpraca.core.models import AuditEntry

from .consultation_factories import official_of
from .survey_factories import SurveyFactory, add_question, answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def department():
    return DepartmentFactory(short_name="WS")


@pytest.fixture
def official(department):
    return official_of(department)


@pytest.fixture
def draft(department):
    return SurveyFactory(department=department, published_at=None)


def _settings(**changes):
    today = timezone.localdate()
    data = {
        "title": "Potrzeby szkoleniowe organizacji 2027",
        "introduction": "Zajmie Ci to pięć minut.",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "audience": "everyone",
        "anonymous": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _question(**changes):
    data = {
        "text": "Jakich szkoleń potrzebujesz?",
        "kind": "multiple",
        "required": "on",
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-text": "Rozliczanie dotacji",
        "options-1-text": "Pisanie ofert",
        "options-2-text": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_official_prepares_a_draft_of_their_department(client, official, department):
    login(client, official)
    response = client.post(reverse("consultations:survey_create"), _settings())
    survey = Survey.objects.get()
    assert response.url == reverse("consultations:survey_questions", args=[survey.slug])
    assert survey.department == department and survey.published_at is None
    assert survey.closes_at - survey.opens_at == timedelta(days=21)
    assert AuditEntry.objects.filter(action="survey.created", object_id=str(survey.pk)).exists()


def test_closing_before_opening_is_refused_next_to_the_field(client, official):
    today = timezone.localdate()
    login(client, official)
    response = client.post(
        reverse("consultations:survey_create"),
        _settings(closes_on=(today - timedelta(days=1)).isoformat()),
    )
    assert "The closing day must not be before the opening day." in response.content.decode()
    assert not Survey.objects.exists()


def test_one_answer_per_organization_needs_an_organizations_audience(client, official):
    login(client, official)
    response = client.post(reverse("consultations:survey_create"), _settings(per_organization="on"))
    assert "needs a survey addressed to organizations" in response.content.decode()


def test_person_without_a_department_cannot_prepare_a_survey(client, outsider):
    login(client, outsider)
    assert client.get(reverse("consultations:survey_create")).status_code == 403
    assert client.post(reverse("consultations:survey_create"), _settings()).status_code == 403
    assert not Survey.objects.exists()


def test_official_of_another_department_cannot_change_a_survey(client, draft):
    other = official_of(DepartmentFactory())
    login(client, other)
    url = reverse("consultations:survey_question_add", args=[draft.slug])
    assert client.post(url, _question()).status_code == 404  # a draft: not even shown
    Survey.objects.filter(pk=draft.pk).update(published_at=timezone.now())
    assert client.post(url, _question()).status_code == 403
    assert not SurveyQuestion.objects.exists()


def test_official_adds_a_choice_question_with_options_in_order(client, official, draft):
    topic = TrainingTopic.objects.create(name="Rozliczanie dotacji")
    login(client, official)
    response = client.post(
        reverse("consultations:survey_question_add", args=[draft.slug]),
        _question(**{"options-0-topic": topic.pk, "max_choices": "2"}),
    )
    assert response.status_code == 302
    question = SurveyQuestion.objects.get()
    assert [o.text for o in question.options.all()] == ["Rozliczanie dotacji", "Pisanie ofert"]
    assert question.options.first().topic == topic and question.max_choices == 2
    assert AuditEntry.objects.filter(action="survey.question_added").exists()


def test_choice_question_needs_two_options(client, official, draft):
    login(client, official)
    response = client.post(
        reverse("consultations:survey_question_add", args=[draft.slug]),
        _question(**{"options-1-text": ""}),
    )
    assert "Give at least two options to choose from." in response.content.decode()
    assert not SurveyQuestion.objects.exists()


def test_scale_question_needs_its_highest_point(client, official, draft):
    login(client, official)
    response = client.post(
        reverse("consultations:survey_question_add", args=[draft.slug]),
        _question(kind="scale", scale_max="12"),
    )
    assert "from 2 to 10" in response.content.decode()


def test_question_can_depend_only_on_an_earlier_question(official, draft):
    first = add_question(draft, "single", ["Tak", "Nie"])
    second = add_question(draft, "single", ["A", "B"])
    first.show_if = second.options.first()
    with pytest.raises(surveys.SurveyError, match="earlier question"):
        surveys.save_question(draft, first, list(first.options.all()), by=official)


def test_condition_offers_only_options_of_earlier_choice_questions(draft):
    first = add_question(draft, "single", ["Tak", "Nie"])
    add_question(draft, "short_text")
    third = add_question(draft, "single", ["A", "B"])
    offered = list(surveys.condition_choices(draft, before=third))
    assert offered == list(first.options.all())


def test_questions_are_frozen_after_the_first_answer(client, official, draft, outsider):
    question = add_question(draft, "single", ["Tak", "Nie"])
    surveys.publish(draft, by=official)
    answer(draft, outsider, {question: "Tak"})
    login(client, official)
    response = client.post(
        reverse("consultations:survey_question", args=[draft.slug, question.pk]),
        _question(kind="single"),
    )
    assert "can no longer change" in response.content.decode()
    question.refresh_from_db()
    assert question.text == "Pytanie 1" and question.kind == "single"
    with pytest.raises(surveys.SurveyError):
        surveys.delete_question(question, by=official)
    with pytest.raises(surveys.SurveyError):
        surveys.move_question(question, by=official, up=False)


def test_questions_may_change_after_publication_until_the_first_answer(official, draft):
    question = add_question(draft, "short_text")
    surveys.publish(draft, by=official)
    question.text = "Nowa treść"
    surveys.save_question(draft, question, [], by=official)
    assert SurveyQuestion.objects.get().text == "Nowa treść"


def test_moving_a_question_swaps_it_with_its_neighbour(client, official, draft):
    first = add_question(draft, "short_text", text="Pierwsze")
    second = add_question(draft, "short_text", text="Drugie")
    login(client, official)
    client.post(
        reverse("consultations:survey_question_move", args=[draft.slug, second.pk]),
        {"direction": "up"},
    )
    assert [q.text for q in draft.questions.all()] == ["Drugie", "Pierwsze"]
    assert first.pk != second.pk


def test_question_never_moves_above_the_one_it_depends_on(official, draft):
    first = add_question(draft, "single", ["Tak", "Nie"])
    second = add_question(draft, "short_text", show_if=None)
    second.show_if = first.options.first()
    second.save()
    with pytest.raises(surveys.SurveyError, match="depends on"):
        surveys.move_question(second, by=official, up=True)


def test_deleting_a_question_renumbers_the_rest(client, official, draft):
    first = add_question(draft, "short_text", text="Pierwsze")
    add_question(draft, "short_text", text="Drugie")
    login(client, official)
    url = reverse("consultations:survey_question_delete", args=[draft.slug, first.pk])
    assert "Delete the question" in client.get(url).content.decode()
    client.post(url)
    assert list(draft.questions.values_list("text", "position")) == [("Drugie", 1)]
    assert AuditEntry.objects.filter(action="survey.question_deleted").exists()


def test_publishing_needs_a_question(official, draft):
    with pytest.raises(surveys.SurveyError, match="at least one question"):
        surveys.publish(draft, by=official)
    assert Survey.objects.get().published_at is None


def test_official_publishes_a_survey_on_a_confirmation_page(client, official, draft):
    add_question(draft, "short_text")
    login(client, official)
    url = reverse("consultations:survey_publish", args=[draft.slug])
    assert "Publish the survey" in client.get(url).content.decode()
    client.post(url)
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert AuditEntry.objects.filter(action="survey.published").exists()


def test_anonymity_cannot_change_after_publication(official, draft):
    add_question(draft, "short_text")
    surveys.publish(draft, by=official)
    with pytest.raises(surveys.SurveyError, match="after the survey is published"):
        surveys.update_survey(
            draft,
            by=official,
            title=draft.title,
            introduction=draft.introduction,
            opens_at=draft.opens_at,
            closes_at=draft.closes_at,
            audience=draft.audience,
            per_organization=False,
            anonymous=False,
        )
    draft.refresh_from_db()
    assert draft.anonymous is True


def test_settings_change_is_audited_with_what_changed(client, official, draft):
    login(client, official)
    client.post(
        reverse("consultations:survey_edit", args=[draft.slug]), _settings(title="Nowy tytuł")
    )
    entry = AuditEntry.objects.get(action="survey.changed")
    assert entry.changes["title"][1] == "Nowy tytuł"


def test_department_list_shows_drafts_of_the_department_only(client, official, draft):
    SurveyFactory(title="Ankieta innego wydziału")
    login(client, official)
    body = client.get(reverse("consultations:survey_department")).content.decode()
    assert draft.title in body and "Ankieta innego wydziału" not in body


def test_department_list_refuses_people_without_a_department(client, outsider):
    login(client, outsider)
    assert client.get(reverse("consultations:survey_department")).status_code == 403


def test_options_removed_from_a_question_are_deleted(client, official, draft):
    question = add_question(draft, "single", ["A", "B", "C"])
    options = list(question.options.all())
    login(client, official)
    data = {
        "text": "Pytanie",
        "kind": "single",
        "required": "on",
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "3",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for n, option in enumerate(options):
        data[f"options-{n}-id"] = option.pk
        data[f"options-{n}-question"] = question.pk
        data[f"options-{n}-text"] = option.text
    data["options-2-DELETE"] = "on"
    client.post(reverse("consultations:survey_question", args=[draft.slug, question.pk]), data)
    assert list(SurveyOption.objects.values_list("text", flat=True)) == ["A", "B"]


def test_builder_pages_open_for_the_department(client, official, draft):
    add_question(draft, "single", ["Tak", "Nie"])
    login(client, official)
    for url in [
        reverse("consultations:survey_create"),
        reverse("consultations:survey_edit", args=[draft.slug]),
        reverse("consultations:survey_questions", args=[draft.slug]),
        reverse("consultations:survey_question_add", args=[draft.slug]),
        reverse("consultations:survey", args=[draft.slug]),
    ]:
        assert client.get(url).status_code == 200, url


def test_every_survey_action_written_has_a_label():
    import re
    from pathlib import Path

    source = Path(surveys.__file__).read_text(encoding="utf-8")
    written = set(re.findall(r'"(survey\.[a-z_]+)"', source))
    assert written and written <= set(surveys.AUDIT_ACTIONS)
