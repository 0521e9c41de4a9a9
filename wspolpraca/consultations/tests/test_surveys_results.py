"""Results of surveys: counts and percentages with a chart and a table, text answers,
constant queries, CSV and XLSX exports, trainings planned for the needs named, and who
may see them."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.models import TrainingTopic
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.consultations import surveys
from wspolpraca.consultations.models import Survey
from wspolpraca.core.models import AuditEntry

from .consultation_factories import official_of
from .survey_factories import SurveyFactory, add_question, answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def official(department):
    return official_of(department)


@pytest.fixture
def survey(department):
    survey = SurveyFactory(department=department, title="Jakość współpracy")
    add_question(survey, "single", ["Tak", "Nie"], text="Czy współpraca jest dobra?")
    add_question(survey, "multiple", ["Szkolenia", "Lokal", "Granty"], text="Czego brakuje?")
    add_question(survey, "scale", text="Ocena", scale_min_label="źle", scale_max_label="dobrze")
    add_question(survey, "long_text", text="Uwagi", required=False)
    return survey


def _give(survey, count, start=0):
    single, multiple, scale, text = survey.questions.order_by("position")
    for n in range(start, start + count):
        answer(
            survey,
            UserFactory(),
            {
                single: "Tak" if n % 4 else "Nie",
                multiple: ["Szkolenia", "Granty"] if n % 2 else ["Lokal"],
                scale: 1 + n % 5,
                text: f"Uwaga numer {n}",
            },
        )


def _url(survey, name="consultations:survey_results"):
    return reverse(name, args=[survey.slug])


def test_results_count_each_option_with_percentages(survey):
    _give(survey, 8)
    single, multiple, scale, text = surveys.results(survey)
    assert [(r["label"], r["count"], r["percent"]) for r in single.rows] == [
        ("Tak", 6, 75.0),
        ("Nie", 2, 25.0),
    ]
    assert [r["count"] for r in multiple.rows] == [4, 4, 4]
    assert multiple.answered == 8
    assert [r["count"] for r in scale.rows] == [2, 2, 2, 1, 1]
    assert scale.rows[0]["label"] == "1 — źle" and scale.rows[-1]["label"] == "5 — dobrze"
    assert scale.mean == 2.62
    assert len(text.texts) == 5


def test_results_page_draws_an_accessible_chart_beside_a_table(client, official, survey):
    _give(survey, 4)
    login(client, official)
    body = client.get(_url(survey)).content.decode()
    assert 'role="img"' in body and "<title" in body and "<desc" in body
    assert "<caption>Answers to question 1</caption>" in body
    assert "3 (75%)" in body  # the number written on the bar
    assert "4 responses." in body


@pytest.mark.parametrize("name", ["survey_results", "survey_export_csv", "survey_export_xlsx"])
def test_results_are_refused_to_people_outside_the_department_until_published(client, survey, name):
    login(client, official_of(DepartmentFactory()))
    assert client.get(_url(survey, f"consultations:{name}")).status_code == 403


def test_published_results_are_public_but_exports_stay_with_the_department(
    client, official, survey
):
    _give(survey, 2)
    surveys.set_results_public(survey, by=official, public=True)
    assert client.get(_url(survey)).status_code == 200
    assert "All responses as CSV" not in client.get(_url(survey)).content.decode()
    login(client, official_of(DepartmentFactory()))
    assert client.get(_url(survey, "consultations:survey_export_csv")).status_code == 403
    assert client.get(_url(survey, "consultations:survey_export_xlsx")).status_code == 403


def test_owner_publishes_the_results_and_it_is_audited(client, official, survey):
    login(client, official)
    client.post(_url(survey, "consultations:survey_results_publish"), {"public": "1"})
    survey.refresh_from_db()
    assert survey.results_public
    assert AuditEntry.objects.filter(action="survey.results_published").exists()


def test_outsider_cannot_publish_the_results(client, outsider, survey):
    login(client, outsider)
    response = client.post(_url(survey, "consultations:survey_results_publish"), {"public": "1"})
    assert response.status_code == 403
    survey.refresh_from_db()
    assert not survey.results_public


def _results_queries(client, survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(survey)).status_code == 200
    return len(queries)


def test_results_page_makes_the_same_number_of_queries_whatever_the_responses(
    client, official, survey
):
    login(client, official)
    _give(survey, 3)
    client.get(_url(survey))  # the session's first request writes to it
    few = _results_queries(client, survey)
    _give(survey, 20, start=3)
    assert _results_queries(client, survey) == few


def test_text_answers_are_paginated(client, official, survey):
    _give(survey, 3)
    login(client, official)
    text = survey.questions.get(kind="long_text")
    body = client.get(
        reverse("consultations:survey_text_answers", args=[survey.slug, text.pk])
    ).content.decode()
    assert body.count("Uwaga numer") == 3


def _csv(response):
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_csv_export_has_one_row_per_response_and_a_column_per_question(client, official, survey):
    _give(survey, 3)
    login(client, official)
    lines = _csv(client.get(_url(survey, "consultations:survey_export_csv")))
    assert lines[0] == (
        "Response;1. Czy współpraca jest dobra?;2. Czego brakuje?;3. Ocena;4. Uwagi"
    )
    assert len(lines) == 4
    assert any(';"Szkolenia; Granty";' in line for line in lines)
    assert "Person" not in lines[0]  # anonymous: nobody named


def test_csv_export_of_a_signed_survey_names_who_answered(client, official, survey):
    Survey.objects.filter(pk=survey.pk).update(anonymous=False)
    survey.refresh_from_db()
    person = UserFactory(email="ania@example.org")
    answer(survey, person, {survey.questions.get(position=1): "Tak"})
    login(client, official)
    lines = _csv(client.get(_url(survey, "consultations:survey_export_csv")))
    assert lines[0].startswith("Response;Person;Organization;")
    assert ";ania@example.org;" in lines[1]


def test_csv_export_keeps_responses_that_skipped_every_question(client, official):
    survey = SurveyFactory(department=official.official.department)
    add_question(survey, "short_text", required=False)
    answer(survey, UserFactory(), {})
    login(client, official)
    assert len(_csv(client.get(_url(survey, "consultations:survey_export_csv")))) == 2


def test_xlsx_export_has_the_same_rows(client, official, survey):
    from openpyxl import load_workbook

    _give(survey, 2)
    login(client, official)
    response = client.get(_url(survey, "consultations:survey_export_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert len(rows) == 3 and rows[0][1] == "1. Czy współpraca jest dobra?"


def _events_have_topics():
    return any(f.name == "events" for f in TrainingTopic._meta.get_fields())


def test_needs_without_the_events_link_show_no_count(survey):
    topic = TrainingTopic.objects.create(name="Rozliczanie dotacji")
    question = add_question(survey, "multiple", [("Rozliczanie", topic), "Inne"])
    rows = next(r for r in surveys.results(survey) if r.question == question).rows
    if _events_have_topics():
        assert rows[0]["planned"] == 0
    else:
        assert rows[0]["planned"] is None
    assert "topic" not in rows[1]


@pytest.mark.skipif(not _events_have_topics(), reason="Event.topics is not there yet")
def test_results_say_which_needs_have_trainings_planned(client, official, survey):
    from wspolpraca.events.models import Event

    planned = TrainingTopic.objects.create(name="Rozliczanie dotacji")
    missing = TrainingTopic.objects.create(name="RODO w organizacji")
    question = add_question(survey, "multiple", [("Rozliczanie", planned), ("RODO", missing)])
    fields = {
        "kind": "training",
        "status": "published",
        "title": "Szkolenie z rozliczeń",
        "starts_at": timezone.now() + timedelta(days=5),
        "ends_at": timezone.now() + timedelta(days=5, hours=2),
    }
    event = Event.objects.create(
        **{k: v for k, v in fields.items() if k in {f.name for f in Event._meta.fields}}
    )
    event.topics.add(planned)
    past = Event.objects.create(
        **{
            **{k: v for k, v in fields.items() if k in {f.name for f in Event._meta.fields}},
            "starts_at": timezone.now() - timedelta(days=5),
            "ends_at": timezone.now() - timedelta(days=5) + timedelta(hours=2),
        }
    )
    past.topics.add(missing)
    rows = next(r for r in surveys.results(survey) if r.question == question).rows
    assert [r["planned"] for r in rows] == [1, 0]
    login(client, official)
    body = client.get(_url(survey)).content.decode()
    assert "1 training planned" in body and "none planned" in body
    assert f'href="/szkolenia/tematy/{planned.pk}/"' in body
