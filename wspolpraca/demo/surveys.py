"""Demo surveys: the yearly training-needs survey, open now, signed, one answer per
organization, its first question's options tied to the training topics; and the
cooperation-quality survey of last year, anonymous, closed, with its results published.

Both are built through the services (so the audit trail shows who prepared and
published them); their few hundred answers are bulk inserts, shaped as the service
shapes them (a response, its answers, a participation that names the response only in
the signed survey).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.city.models import TrainingTopic
from wspolpraca.consultations import surveys
from wspolpraca.consultations.models import (
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from wspolpraca.organizations.models import Membership

# The same names as the trainings' demo: both get_or_create them by name.
TRAINING_TOPICS = [
    "Pisanie ofert i wniosków",
    "Rozliczanie dotacji",
    "Księgowość organizacji",
    "Pozyskiwanie funduszy",
    "Komunikacja i media społecznościowe",
    "Praca z wolontariuszami",
    "RODO w organizacji",
    "Zarządzanie projektem",
    "Ewaluacja projektów",
    "Prawo stowarzyszeń i fundacji",
]
# How often each topic is chosen, so the results show a clear order of needs.
TOPIC_WEIGHTS = [9, 8, 5, 7, 4, 3, 6, 3, 2, 2]

NEEDS_INTRO = (
    "Co roku pytamy organizacje, czego chcą się nauczyć. Na podstawie odpowiedzi "
    "układamy ofertę szkoleń i doradztwa na kolejny rok.\n\n"
    "Ankieta zajmie Ci około pięciu minut. Odpowiada jedna osoba w imieniu organizacji."
)
QUALITY_INTRO = (
    "Zapytaliśmy organizacje i mieszkańców, jak oceniają współpracę z urzędem w "
    "mijającym roku. Ankieta była anonimowa: nikt w urzędzie nie wie, kto co odpowiedział."
)
TEXT_REMARKS = [
    "Prosimy o szkolenia wieczorem, po pracy.",
    "Przydałyby się wzory dokumentów do rozliczeń.",
    "Więcej szkoleń w Nowej Hucie i na Podgórzu.",
    "Krótsze formularze przy małych grantach.",
    "Lepsza informacja o terminach konkursów z wyprzedzeniem.",
    "Dyżury doradców także w soboty.",
    "Nagrania szkoleń do obejrzenia później.",
    "Szybsze odpowiedzi na pytania w trakcie konkursu.",
]


def _topics():
    topics = []
    for position, name in enumerate(TRAINING_TOPICS, start=1):
        topic, _created = TrainingTopic.objects.get_or_create(
            name=name, defaults={"position": position}
        )
        topics.append(topic)
    return topics


def _question(survey, official, kind, text, options=(), **fields):
    question = SurveyQuestion(kind=kind, text=text, **fields)
    built = [
        SurveyOption(text=o[0], topic=o[1]) if isinstance(o, tuple) else SurveyOption(text=o)
        for o in options
    ]
    return surveys.save_question(survey, question, built, by=official)


def _insert(survey, answers_per_response, organizations=None):
    """Bulk insert responses: `answers_per_response` is a list of lists of unsaved
    answers (without their response); each gets a response and a participation."""
    responses, answers, participations = [], [], []
    for n, given in enumerate(answers_per_response):
        response = SurveyResponse(survey=survey)
        responses.append(response)
        for answer in given:
            answer.response = response
            answers.append(answer)
        participations.append(
            SurveyParticipation(
                survey=survey,
                user=None,  # demo answers come from nobody's account
                organization=organizations[n] if organizations else None,
                per_organization=survey.per_organization,
                response=None if survey.anonymous else response,
            )
        )
    SurveyResponse.objects.bulk_create(responses, batch_size=500)
    SurveyAnswer.objects.bulk_create(answers, batch_size=1000)
    SurveyParticipation.objects.bulk_create(participations, batch_size=500)
    Survey.objects.filter(pk=survey.pk).update(response_count=len(responses))


def _needs_survey(rng, official, orgs, topics):
    now = timezone.now()
    today = timezone.localdate()
    opens_at, closes_at = surveys.window(today - timedelta(days=12), today + timedelta(days=18))
    survey = surveys.create_survey(
        by=official,
        department=official.official.department,
        title=f"Diagnoza potrzeb szkoleniowych organizacji {today.year + 1}",
        introduction=NEEDS_INTRO,
        opens_at=opens_at,
        closes_at=closes_at,
        audience=Survey.Audience.ORGANIZATIONS,
        per_organization=True,
        anonymous=False,
    )
    needs = _question(
        survey,
        official,
        "multiple",
        "Z jakich szkoleń Twoja organizacja chce skorzystać w przyszłym roku?",
        [(t.name, t) for t in topics],
        max_choices=3,
        hint="Wybierz najwyżej trzy tematy, najważniejsze dla organizacji.",
    )
    form = _question(
        survey,
        official,
        "single",
        "Jaka forma szkoleń jest dla Was najwygodniejsza?",
        [
            "Stacjonarnie, w dzień powszedni po południu",
            "Stacjonarnie, w sobotę",
            "Online, na żywo",
            "Nagrania do obejrzenia w dowolnej chwili",
        ],
    )
    advice = _question(
        survey,
        official,
        "single",
        "Czy potrzebujecie indywidualnego doradztwa przy pisaniu oferty?",
        ["Tak", "Nie"],
    )
    project = _question(
        survey,
        official,
        "short_text",
        "Przy jakim projekcie potrzebujecie doradztwa?",
        show_if=advice.options.get(text="Tak"),
    )
    remarks = _question(
        survey, official, "long_text", "Czego jeszcze potrzebujecie?", required=False
    )
    surveys.publish(survey, by=official)
    Survey.objects.filter(pk=survey.pk).update(published_at=now - timedelta(days=12))

    need_options = list(needs.options.all())
    form_options = list(form.options.all())
    yes, no = list(advice.options.all())
    # The organizations of the demo accounts are left to answer by hand.
    with_members = set(Membership.objects.values_list("organization_id", flat=True))
    candidates = [o for o in orgs if o.pk not in with_members]
    answering = rng.sample(candidates, min(len(candidates), 240))
    given = []
    for _org in answering:
        chosen = set()
        for _n in range(rng.randint(1, 3)):
            chosen.add(rng.choices(need_options, weights=TOPIC_WEIGHTS)[0])
        rows = [SurveyAnswer(question=needs, option=o) for o in chosen]
        rows.append(
            SurveyAnswer(question=form, option=rng.choices(form_options, weights=[3, 2, 4, 2])[0])
        )
        wants_advice = rng.random() < 0.35
        rows.append(SurveyAnswer(question=advice, option=yes if wants_advice else no))
        if wants_advice:
            rows.append(
                SurveyAnswer(
                    question=project,
                    text=rng.choice(
                        [
                            "Półkolonie dla dzieci z dzielnicy",
                            "Klub seniora w bibliotece",
                            "Warsztaty ekologiczne w szkołach",
                            "Pomoc sąsiedzka na osiedlu",
                        ]
                    ),
                )
            )
        if rng.random() < 0.3:
            rows.append(SurveyAnswer(question=remarks, text=rng.choice(TEXT_REMARKS)))
        given.append(rows)
    _insert(survey, given, organizations=answering)
    return survey


def _quality_survey(rng, official, count=320):
    today = timezone.localdate()
    opens_at, closes_at = surveys.window(today - timedelta(days=50), today - timedelta(days=20))
    survey = Survey.objects.create(
        department=official.official.department,
        slug=surveys.unique_slug(f"Jakość współpracy z urzędem {today.year}"),
        title=f"Jakość współpracy z urzędem {today.year}",
        introduction=QUALITY_INTRO,
        opens_at=opens_at,
        closes_at=closes_at,
        audience=Survey.Audience.EVERYONE,
        anonymous=True,
        created_by=official,
    )
    rating = _question(
        survey,
        official,
        "scale",
        "Jak oceniasz współpracę z urzędem w mijającym roku?",
        scale_max=5,
        scale_min_label="bardzo źle",
        scale_max_label="bardzo dobrze",
    )
    applied = _question(
        survey,
        official,
        "single",
        "Czy w tym roku Twoja organizacja składała ofertę w otwartym konkursie?",
        ["Tak", "Nie"],
    )
    clarity = _question(
        survey,
        official,
        "scale",
        "Jak oceniasz jasność zasad konkursu?",
        scale_max=5,
        scale_min_label="niejasne",
        scale_max_label="zupełnie jasne",
        show_if=applied.options.get(text="Tak"),
    )
    obstacles = _question(
        survey,
        official,
        "multiple",
        "Co najbardziej utrudnia współpracę?",
        [
            "Krótkie terminy",
            "Formalności",
            "Brak informacji",
            "Trudny kontakt z urzędnikami",
            "Rozliczenia",
        ],
        required=False,
    )
    change = _question(
        survey,
        official,
        "long_text",
        "Co miasto powinno zmienić w pierwszej kolejności?",
        required=False,
    )
    # Published before it opened, as the department did; the results were published
    # after it closed.
    Survey.objects.filter(pk=survey.pk).update(
        published_at=opens_at - timedelta(days=3), results_public=True
    )
    yes, no = list(applied.options.all())
    obstacle_options = list(obstacles.options.all())
    given = []
    for _n in range(count):
        rows = [
            SurveyAnswer(question=rating, value=rng.choices([1, 2, 3, 4, 5], [1, 3, 6, 8, 4])[0])
        ]
        if rng.random() < 0.55:
            rows.append(SurveyAnswer(question=applied, option=yes))
            rows.append(
                SurveyAnswer(
                    question=clarity, value=rng.choices([1, 2, 3, 4, 5], [2, 4, 6, 5, 2])[0]
                )
            )
        else:
            rows.append(SurveyAnswer(question=applied, option=no))
        for option in rng.sample(obstacle_options, rng.randint(0, 2)):
            rows.append(SurveyAnswer(question=obstacles, option=option))
        if rng.random() < 0.25:
            rows.append(SurveyAnswer(question=change, text=rng.choice(TEXT_REMARKS)))
        given.append(rows)
    _insert(survey, given)
    return survey


def make_surveys(rng, orgs):
    """The two surveys with their answers; returns nothing (no new accounts)."""
    official = User.objects.get(email="urzednik@example.org")
    with transaction.atomic():
        topics = _topics()
        _needs_survey(rng, official, list(orgs), topics)
        _quality_survey(rng, official)
