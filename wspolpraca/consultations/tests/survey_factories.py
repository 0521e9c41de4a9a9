"""Surveys open now, their questions, and answers given quickly (through the service,
as a person answering would)."""

from datetime import timedelta

import factory
from django.utils import timezone

from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.consultations import surveys
from wspolpraca.consultations.models import Survey, SurveyOption, SurveyQuestion


class SurveyFactory(factory.django.DjangoModelFactory):
    """A published survey of everyone with an account, anonymous, open since yesterday
    for two weeks."""

    class Meta:
        model = Survey
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    slug = factory.Sequence(lambda n: f"ankieta-{n}")
    title = factory.Sequence(lambda n: f"Ankieta numer {n}")
    introduction = "Zajmie Ci to pięć minut."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda s: s.opens_at + timedelta(days=14))
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


def add_question(survey, kind="single", options=(), **fields):
    """A question at the end of `survey`, with options (texts, or (text, topic) pairs)."""
    position = survey.questions.count() + 1
    fields.setdefault("text", f"Pytanie {position}")
    if kind == SurveyQuestion.Kind.SCALE:
        fields.setdefault("scale_max", 5)
    question = SurveyQuestion.objects.create(survey=survey, position=position, kind=kind, **fields)
    for n, option in enumerate(options, start=1):
        text, topic = option if isinstance(option, tuple) else (option, None)
        SurveyOption.objects.create(question=question, position=n, text=text, topic=topic)
    return question


def option(question, text):
    return question.options.get(text=text)


def answer(survey, user, values, organization=None):
    """Answer as `user` through the service: {question: option text | [texts] | value}."""
    converted = {}
    for question, value in values.items():
        if question.is_choice:
            if isinstance(value, list):
                converted[question.pk] = [str(option(question, v).pk) for v in value]
            else:
                converted[question.pk] = str(option(question, value).pk)
        else:
            converted[question.pk] = str(value)
    return surveys.submit_response(survey, by=user, values=converted, organization=organization)
