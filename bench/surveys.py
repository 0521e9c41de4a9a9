"""Survey results at scale: one survey with 20,000 responses.

    .venv/bin/python bench/surveys.py [--db sqlite|postgres|both] [--responses 20000]
        [--clients N] [--seconds 15] [--workers N] [--wait 120] [--out DIR]

A fresh database per engine gets, with bulk inserts shaped as the answering service writes
them (a response with a random key, its answers, a participation that does not name it):
one anonymous survey with its results published and six questions — one choice, several
choices tied to training topics, a scale, a question asked only after a given answer, a
short and a long text — and `--responses` responses (a tenth first, for the first count of
queries). Pages, as a visitor sees them (the results are public): the results page, the
long text question's answers (page 1 and a middle page) and the list of surveys. Target
(issue 11): the results page p95 <= 200 ms, queries constant. How it is measured:
bench/pages.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import Page, PageBench  # noqa: E402

BATCH = 2000
SMALL_FRACTION = 10
SLUG = "potrzeby-szkoleniowe"
REMARKS = [
    "Prosimy o szkolenia wieczorem, po pracy.",
    "Przydałyby się wzory dokumentów do rozliczeń.",
    "Więcej szkoleń w Nowej Hucie i na Podgórzu.",
    "Krótsze formularze przy małych grantach.",
    "Lepsza informacja o terminach konkursów z wyprzedzeniem.",
    "Dyżury doradców także w soboty.",
]


class SurveysBench(PageBench):
    name = "surveys"
    title = "Survey results at scale"
    target_ms = 200
    target_label = " (the results page)"

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=20_000)

    def check_arguments(self, parser, args):
        if args.responses < 100:
            parser.error("--responses must be at least 100")

    def setup(self, rng, args):
        from datetime import timedelta

        from django.utils import timezone

        from wspolpraca.city.models import Department, TrainingTopic
        from wspolpraca.consultations.models import Survey, SurveyOption, SurveyQuestion
        from wspolpraca.demo.surveys import TRAINING_TOPICS

        now = timezone.now()
        department = Department.objects.create(name="Wydział Polityki Społecznej", short_name="PS")
        topics = [
            TrainingTopic.objects.get_or_create(name=name, defaults={"position": n})[0]
            for n, name in enumerate(TRAINING_TOPICS)
        ]
        survey = Survey.objects.create(
            department=department,
            slug=SLUG,
            title="Diagnoza potrzeb szkoleniowych organizacji",
            introduction="Co roku pytamy organizacje, czego chcą się nauczyć.",
            opens_at=now - timedelta(days=20),
            closes_at=now + timedelta(days=10),
            published_at=now - timedelta(days=21),
            results_public=True,
        )

        def question(position, kind, text, options=(), **fields):
            q = SurveyQuestion.objects.create(
                survey=survey, position=position, kind=kind, text=text, **fields
            )
            for n, option in enumerate(options, start=1):
                label, topic = option if isinstance(option, tuple) else (option, None)
                SurveyOption.objects.create(question=q, position=n, text=label, topic=topic)
            return q

        question(
            1,
            "single",
            "Jaka forma szkoleń jest najwygodniejsza?",
            ["Stacjonarnie", "Online", "Nagrania"],
        )
        question(
            2,
            "multiple",
            "Jakich szkoleń potrzebujecie?",
            [(t.name, t) for t in topics],
            max_choices=3,
        )
        question(
            3,
            "scale",
            "Jak oceniasz tegoroczne szkolenia?",
            scale_max=5,
            scale_min_label="źle",
            scale_max_label="dobrze",
        )
        advice = question(4, "single", "Czy potrzebujecie doradztwa?", ["Tak", "Nie"])
        question(5, "short_text", "Przy jakim projekcie?", show_if=advice.options.get(text="Tak"))
        text = question(6, "long_text", "Czego jeszcze potrzebujecie?", required=False)
        return {"rng": rng, "text": text, "made": 0}

    def grow(self, state, args, *, small):
        target = args.responses // SMALL_FRACTION if small else args.responses
        add_responses(target - state["made"], state["rng"])
        state["made"] = target

    def pages(self, state):
        from django.urls import reverse

        texts = reverse("consultations:survey_text_answers", args=[SLUG, state["text"].pk])
        return [
            Page("results page", reverse("consultations:survey_results", args=[SLUG])),
            Page("text answers, page 1", texts, target=False),
            Page("text answers, a middle page", f"{texts}?page=20", target=False),
            Page("list of surveys", reverse("consultations:surveys"), target=False),
        ]

    def sizes(self):
        from wspolpraca.consultations.models import SurveyAnswer, SurveyResponse

        return {
            "responses": SurveyResponse.objects.count(),
            "answers": SurveyAnswer.objects.count(),
        }

    def dataset(self, state, args):
        sizes = self.sizes()
        return {
            "Survey": "1, anonymous, 6 questions (one with a condition), results published",
            "Responses": f"{sizes['responses']:,}",
            "Answers (rows)": f"{sizes['answers']:,}",
            "Small size (queries counted first)": f"{args.responses // SMALL_FRACTION:,} responses",
        }


def add_responses(count, rng):
    """`count` responses as the service shapes them, in bulk."""
    from django.db.models import F

    from wspolpraca.consultations.models import (
        Survey,
        SurveyAnswer,
        SurveyParticipation,
        SurveyResponse,
    )

    survey = Survey.objects.get(slug=SLUG)
    questions = list(survey.questions.prefetch_related("options").order_by("position"))
    form, needs, scale, advice, project, remarks = questions
    yes, no = list(advice.options.all())
    for start in range(0, count, BATCH):
        responses, answers, participations = [], [], []
        for _n in range(min(BATCH, count - start)):
            response = SurveyResponse(survey=survey)
            responses.append(response)
            participations.append(SurveyParticipation(survey=survey, user=None))
            rows = [SurveyAnswer(question=form, option=rng.choice(list(form.options.all())))]
            for option in rng.sample(list(needs.options.all()), rng.randint(1, 3)):
                rows.append(SurveyAnswer(question=needs, option=option))
            rows.append(SurveyAnswer(question=scale, value=rng.randint(1, 5)))
            if rng.random() < 0.35:
                rows.append(SurveyAnswer(question=advice, option=yes))
                rows.append(SurveyAnswer(question=project, text=f"Projekt {rng.randint(1, 500)}"))
            else:
                rows.append(SurveyAnswer(question=advice, option=no))
            if rng.random() < 0.3:
                rows.append(SurveyAnswer(question=remarks, text=rng.choice(REMARKS)))
            for answer in rows:
                answer.response = response
            answers += rows
        SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
        SurveyAnswer.objects.bulk_create(answers, batch_size=BATCH)
        SurveyParticipation.objects.bulk_create(participations, batch_size=BATCH)
    Survey.objects.filter(pk=survey.pk).update(response_count=F("response_count") + count)


if __name__ == "__main__":
    sys.exit(SurveysBench().main())
