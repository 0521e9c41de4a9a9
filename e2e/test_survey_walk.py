"""The acceptance walk of surveys (issue 11), at 1366 and at 390 px, with axe on every page
visited. Each person works in a browser of their own.

1. A city official of a department signs in for the first time (setting up TOTP), goes
   from their account to the department's surveys and prepares a signed survey for
   organizations, one answer per organization, open from today for two weeks. They add
   a required single-choice question, a second one asked only if the first got "Tak"
   (the skip condition) and an optional long-text question, and publish the survey.
2. A member of organization A finds the survey from the policy plane, answers "Tak",
   leaves the conditional question empty and is refused at that question (what was typed
   kept); answers it and reaches "check your answers".
3. A colleague from the same organization fills the survey in meanwhile and reaches the
   check page too. A's member sends the answers; the colleague's "Send" is then refused
   with the message that the organization has already answered, and the survey's page
   says so too. One response of organization A is stored.
4. A member of organization B first answers "Tak" and the conditional question, sees it on
   the check page, goes back through "Change", answers "Nie" and sees the conditional
   question gone from the check page; sends. Its answer to the skipped question is dropped.
5. The official opens the results from the department's list: the SVG charts (role=img)
   and the tables of numbers count both responses, and the text answers are shown. The
   CSV export, downloaded through its link, has both responses as rows, the conditional
   answer only in organization A's.

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons and messages by their text through `shown()` (the msgid through the Polish
catalogue).
"""

import csv
import io
import signal
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from e2e.conftest import TEST_TIMEOUT_S
from e2e.helpers import log_in, visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (TOTP codes are single-use: a clean cache)
    download,
    first_sign_in_with_totp,
    follow,
    path_of,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)
from e2e.test_staff_signin import new_staff

WALK_TIMEOUT_S = 3 * TEST_TIMEOUT_S
TITLE = "Wolontariat w organizacjach pozarządowych 2027"
INTRODUCTION = (
    "Ankieta zajmie pięć minut. Na podstawie odpowiedzi miasto zaplanuje szkolenia "
    "i wsparcie dla organizacji, które współpracują z wolontariuszami."
)
FIRST = "Czy Wasza organizacja współpracuje z wolontariuszami?"
YES, NO, PLANNED = "Tak", "Nie", "Planujemy w tym roku"
SECOND = "Czego Wasi wolontariusze potrzebują najbardziej?"
TRAINING, INSURANCE, ROOM = "Szkoleń", "Ubezpieczenia", "Miejsca na spotkania"
THIRD = "Co miasto mogłoby zrobić, aby ułatwić Wam pracę z wolontariuszami?"
A_TEXT = "Szkolenia z udzielania pierwszej pomocy w soboty."
A2_TEXT = "Wzór porozumienia wolontariackiego po polsku i po ukraińsku."
B_TEXT = "Dobrze byłoby mieć w dzielnicy salę na spotkania informacyjne."


@pytest.fixture(autouse=True)
def _longer_watchdog(_watchdog):
    """Four people's work from an empty survey to its export, some 35 pages each checked
    by axe: three times the limit conftest gives one test, which still fails a hung
    browser."""
    signal.alarm(WALK_TIMEOUT_S)


@pytest.fixture
def world(db):
    """The department's official (an account never signed in, no second factor), two
    verified organizations, two plain members of the first and one of the second."""
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.city.models import Official
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.organizations.models import Membership, Organization
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    department = DepartmentFactory(name="Wydział Polityki Społecznej", short_name="WPS")
    official = new_staff(User.Role.OFFICIAL)
    Official.objects.create(user=official, department=department)
    volunteers = OrganizationFactory(
        name="Stowarzyszenie Wolontariat Podgórze",
        verification=Organization.Verification.VERIFIED,
    )
    foundation = OrganizationFactory(
        name="Fundacja Dobry Sąsiad",
        kind=Organization.Kind.FOUNDATION,
        verification=Organization.Verification.VERIFIED,
    )
    member = UserFactory(full_name="Halina Wójcik", email="halina@wolontariat.example.org")
    colleague = UserFactory(full_name="Marek Zając", email="marek@wolontariat.example.org")
    other = UserFactory(full_name="Paweł Nowak", email="pawel@dobry-sasiad.example.org")
    for organization, user in ((volunteers, member), (volunteers, colleague), (foundation, other)):
        Membership.objects.create(organization=organization, user=user, role=Membership.Role.MEMBER)
    return SimpleNamespace(
        department=department,
        official=official,
        volunteers=volunteers,
        foundation=foundation,
        member=member,
        colleague=colleague,
        other=other,
        password=PASSWORD,
    )


def shown_count(singular, plural, n):
    """A "{{ counter }} …" blocktranslate with a plural, as the Polish page shows it."""
    with translation.override("pl"):
        return translation.ngettext(singular, plural, n) % {"counter": n}


def option(question, text):
    return question.options.get(text=text)


# 1. The official prepares and publishes the survey.


def fill_options(form, texts):
    for n, text in enumerate(texts):
        form.locator(f"input[name=options-{n}-text]").fill(text)


def the_official_prepares_and_publishes(page, world):
    from wspolpraca.consultations.models import Survey, SurveyQuestion

    today = timezone.localdate()
    first_sign_in_with_totp(page, world.official)
    follow(page, reverse("consultations:survey_department"))
    follow(page, reverse("consultations:survey_create"))

    form = page.locator("main form[method=post]")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=introduction]").fill(INTRODUCTION)
    form.locator("input[name=opens_on]").fill(today.isoformat())
    form.locator("input[name=closes_on]").fill((today + timedelta(days=14)).isoformat())
    form.locator("input[name=audience][value=organizations]").check()
    form.locator("input[name=per_organization]").check()
    # Signed: the department sees which organization sent which answers.
    form.locator("input[name=anonymous]").uncheck()
    press(page, shown("Save and add questions"))

    survey = Survey.objects.get()
    questions_url = reverse("consultations:survey_questions", args=[survey.slug])
    assert path_of(page) == questions_url, page.url
    assert (survey.department, survey.created_by) == (world.department, world.official)
    assert survey.audience == Survey.Audience.ORGANIZATIONS
    assert (survey.per_organization, survey.anonymous) == (True, False)
    assert survey.published_at is None
    assert timezone.localdate(survey.opens_at) == today
    # Open until the end of the fourteenth day.
    last_moment = timezone.localtime(survey.closes_at - timedelta(microseconds=1))
    assert last_moment.date() == today + timedelta(days=14), survey.closes_at

    # 1. One choice, required.
    add_url = reverse("consultations:survey_question_add", args=[survey.slug])
    follow(page, add_url)
    form = page.locator("main form[method=post]")
    form.locator("input[name=text]").fill(FIRST)
    form.locator("input[name=kind][value=single]").check()
    expect(form.locator("input[name=required]")).to_be_checked()
    fill_options(form, [YES, NO, PLANNED])
    press(page, shown("Save the question"))
    assert path_of(page) == questions_url, page.url
    first = SurveyQuestion.objects.get(survey=survey, position=1)
    assert (first.text, first.kind, first.required) == (FIRST, SurveyQuestion.Kind.SINGLE, True)
    assert list(first.options.values_list("text", flat=True)) == [YES, NO, PLANNED]

    # 2. Asked only if the first got "Tak".
    follow(page, add_url)
    form = page.locator("main form[method=post]")
    form.locator("input[name=text]").fill(SECOND)
    form.locator("input[name=kind][value=single]").check()
    form.locator("select[name=show_if]").select_option(str(option(first, YES).pk))
    fill_options(form, [TRAINING, INSURANCE, ROOM])
    press(page, shown("Save the question"))
    assert path_of(page) == questions_url, page.url
    second = SurveyQuestion.objects.get(survey=survey, position=2)
    assert (second.text, second.show_if, second.required) == (SECOND, option(first, YES), True)
    hint = shown("Asked only if “%(option)s” was chosen in question %(number)s.") % {
        "option": YES,
        "number": 1,
    }
    expect(page.locator(f"#pytanie-{second.pk}")).to_contain_text(hint)

    # 3. A long text, optional.
    follow(page, add_url)
    form = page.locator("main form[method=post]")
    form.locator("input[name=text]").fill(THIRD)
    form.locator("input[name=kind][value=long_text]").check()
    form.locator("input[name=required]").uncheck()
    press(page, shown("Save the question"))
    assert path_of(page) == questions_url, page.url
    third = SurveyQuestion.objects.get(survey=survey, position=3)
    assert (third.kind, third.required) == (SurveyQuestion.Kind.LONG_TEXT, False)
    assert not third.options.exists()

    # Publish, through the confirmation page.
    follow(page, reverse("consultations:survey_publish", args=[survey.slug]))
    press(page, shown("Publish the survey"))
    assert path_of(page) == survey.get_absolute_url(), page.url
    survey.refresh_from_db()
    assert survey.published_at is not None
    assert survey.phase() == Survey.Phase.OPEN
    expect(page.locator("main h1")).to_have_text(TITLE)
    return SimpleNamespace(survey=survey, first=first, second=second, third=third)


# 2.-4. The organizations answer.


def open_the_form(page, survey, person, world):
    """From the policy plane to the survey's list, its page and the form."""
    log_in(page, person.email, world.password)
    visit(page, reverse("pages:plane", args=["polityki"]))
    follow(page, reverse("consultations:surveys"))
    answer_url = reverse("consultations:survey_answer", args=[survey.slug])
    expect(page.locator(f'main .cards a[href="{answer_url}"]')).to_have_count(1)
    follow(page, survey.get_absolute_url())
    expect(page.locator("main")).to_contain_text(INTRODUCTION)
    follow(page, answer_url)


def choose(page, question, text):
    page.locator(f"main input[name=q{question.pk}][value='{option(question, text).pk}']").check()


def check_rows(page):
    """The check page's questions and answers, as (question, answer) texts."""
    rows = page.locator("main dl.check-answers")
    terms = [t.strip() for t in rows.locator("dt").all_inner_texts()]
    answers = [d.strip() for d in rows.locator("dd").all_inner_texts()]
    change = shown("Change")
    return [(t, a.split(change)[0].strip()) for t, a in zip(terms, answers, strict=True)]


def answers_for(organization):
    return shown("You answer for %(name)s.") % {"name": organization.name}


def the_member_reaches_the_check_page(page, world, built):
    from wspolpraca.consultations.models import SurveyParticipation

    survey, first, second, third = built.survey, built.first, built.second, built.third
    open_the_form(page, survey, world.member, world)
    answer_url = reverse("consultations:survey_answer", args=[survey.slug])
    expect(page.locator("main")).to_contain_text(answers_for(world.volunteers))
    condition = shown("Answer only if you chose “%(option)s” in question %(number)s.") % {
        "option": YES,
        "number": 1,
    }
    expect(page.locator(f"#id_q{second.pk}_helptext")).to_contain_text(condition)

    # "Tak", and the question that then applies left empty: refused at that question.
    choose(page, first, YES)
    page.locator(f"main textarea[name=q{third.pk}]").fill(A_TEXT)
    press(page, shown("Continue to check your answers"))
    assert path_of(page) == answer_url, page.url
    expect(page.locator(f"#id_q{second.pk}_error")).to_contain_text(shown("Choose an answer."))
    expect(page.locator(f"#id_q{first.pk}_error")).to_have_count(0)
    expect(page.locator(".error-summary a")).to_have_count(1)
    expect(page.locator(f"main textarea[name=q{third.pk}]")).to_have_value(A_TEXT)
    expect(
        page.locator(f"main input[name=q{first.pk}][value='{option(first, YES).pk}']")
    ).to_be_checked()

    choose(page, second, TRAINING)
    press(page, shown("Continue to check your answers"))
    assert path_of(page) == reverse("consultations:survey_check", args=[survey.slug]), page.url
    expect(page.locator("main")).to_contain_text(answers_for(world.volunteers))
    expect(page.locator("main")).to_contain_text(
        shown("This survey is signed: the department sees who sent these answers.")
    )
    assert check_rows(page) == [
        (f"1. {FIRST}", YES),
        (f"2. {SECOND}", TRAINING),
        (f"3. {THIRD}", A_TEXT),
    ], check_rows(page)
    assert not SurveyParticipation.objects.exists(), "sent before the check"


def the_colleague_reaches_the_check_page(page, world, built):
    survey, first, third = built.survey, built.first, built.third
    open_the_form(page, survey, world.colleague, world)
    choose(page, first, PLANNED)
    page.locator(f"main textarea[name=q{third.pk}]").fill(A2_TEXT)
    press(page, shown("Continue to check your answers"))
    assert path_of(page) == reverse("consultations:survey_check", args=[survey.slug]), page.url
    assert check_rows(page) == [(f"1. {FIRST}", PLANNED), (f"3. {THIRD}", A2_TEXT)], check_rows(
        page
    )


def send(page, survey):
    press(page, shown("Send the answers"))
    assert path_of(page) == reverse("consultations:survey_done", args=[survey.slug]), page.url
    expect(page.locator("main h1")).to_have_text(shown("Answers sent"))


def the_member_sends(page, world, built):
    from wspolpraca.consultations.models import SurveyAnswer, SurveyParticipation

    send(page, built.survey)
    participation = SurveyParticipation.objects.get(survey=built.survey)
    assert (participation.user, participation.organization) == (world.member, world.volunteers)
    answers = SurveyAnswer.objects.filter(response=participation.response)
    assert sorted((a.question_id, a.option_id, a.text) for a in answers) == sorted(
        [
            (built.first.pk, option(built.first, YES).pk, ""),
            (built.second.pk, option(built.second, TRAINING).pk, ""),
            (built.third.pk, None, A_TEXT),
        ]
    )


def the_colleague_is_refused(page, world, built):
    from wspolpraca.consultations.models import Survey, SurveyParticipation

    survey = built.survey
    already = shown("Your organization has already answered this survey.")
    press(page, shown("Send the answers"))
    assert path_of(page) == reverse("consultations:survey_check", args=[survey.slug]), page.url
    expect(page.locator("main h1")).to_have_text(shown("You cannot answer this survey"))
    expect(page.locator("main")).to_contain_text(already)
    assert SurveyParticipation.objects.filter(organization=world.volunteers).count() == 1
    assert not SurveyParticipation.objects.filter(user=world.colleague).exists()
    assert Survey.objects.get(pk=survey.pk).response_count == 1

    # Coming back later: the survey's page says so and offers no form.
    follow(page, reverse("consultations:surveys"))
    answer_url = reverse("consultations:survey_answer", args=[survey.slug])
    expect(page.locator(f'main a[href="{answer_url}"]')).to_have_count(0)
    follow(page, survey.get_absolute_url())
    expect(page.locator("main")).to_contain_text(already)
    expect(page.locator(f'main a[href="{answer_url}"]')).to_have_count(0)


def the_other_answers_so_that_the_second_is_skipped(page, world, built):
    from wspolpraca.consultations.models import SurveyAnswer, SurveyParticipation

    survey, first, second, third = built.survey, built.first, built.second, built.third
    open_the_form(page, survey, world.other, world)
    expect(page.locator("main")).to_contain_text(answers_for(world.foundation))
    answer_url = reverse("consultations:survey_answer", args=[survey.slug])
    check_url = reverse("consultations:survey_check", args=[survey.slug])

    # First "Tak", with the question that then applies.
    choose(page, first, YES)
    choose(page, second, INSURANCE)
    page.locator(f"main textarea[name=q{third.pk}]").fill(B_TEXT)
    press(page, shown("Continue to check your answers"))
    assert path_of(page) == check_url, page.url
    assert check_rows(page)[1] == (f"2. {SECOND}", INSURANCE), check_rows(page)

    # Changed to "Nie": the second question no longer applies, and goes.
    follow(page, f"{answer_url}#id_q{first.pk}_0", lands_on=answer_url)
    expect(page.locator(f"main textarea[name=q{third.pk}]")).to_have_value(B_TEXT)
    choose(page, first, NO)
    press(page, shown("Continue to check your answers"))
    assert path_of(page) == check_url, page.url
    expect(page.locator("main")).to_contain_text(answers_for(world.foundation))
    assert check_rows(page) == [(f"1. {FIRST}", NO), (f"3. {THIRD}", B_TEXT)], check_rows(page)

    send(page, survey)
    participation = SurveyParticipation.objects.get(organization=world.foundation)
    assert participation.user == world.other
    answers = SurveyAnswer.objects.filter(response=participation.response)
    assert sorted((a.question_id, a.option_id, a.text) for a in answers) == sorted(
        [(first.pk, option(first, NO).pk, ""), (third.pk, None, B_TEXT)]
    ), "the answer to the skipped question was kept"


# 5. The results and the export.


def table_rows(table):
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def the_official_reads_the_results(page, world, built):
    from wspolpraca.consultations.models import Survey

    survey, first, second, third = built.survey, built.first, built.second, built.third
    assert Survey.objects.get(pk=survey.pk).response_count == 2
    visit(page, reverse("accounts:profile"))
    follow(page, reverse("consultations:survey_department"))
    results_url = reverse("consultations:survey_results", args=[survey.slug])
    follow(page, results_url)

    main = page.locator("main")
    expect(main).to_contain_text(shown_count("%(counter)s response.", "%(counter)s responses.", 2))
    # One chart per choice question, named by the question, its numbers as text.
    charts = main.locator("svg[role=img]")
    expect(charts).to_have_count(2)
    expect(main.get_by_role("img", name=FIRST)).to_have_count(1)
    expect(main.get_by_role("img", name=SECOND)).to_have_count(1)
    expect(charts.nth(0)).to_contain_text("1 (50%)")
    expect(charts.nth(1)).to_contain_text("1 (100%)")

    # The same numbers in tables.
    one, two = (main.locator(f"section[aria-labelledby='wynik-{q.pk}']") for q in (first, second))
    expect(one).to_contain_text(
        shown_count("%(counter)s person answered.", "%(counter)s people answered.", 2)
    )
    expect(two).to_contain_text(
        shown_count("%(counter)s person answered.", "%(counter)s people answered.", 1)
    )
    assert table_rows(one.locator("table")) == [
        [YES, "1", "50,0%"],
        [NO, "1", "50,0%"],
        [PLANNED, "0", "0,0%"],
    ], table_rows(one.locator("table"))
    assert table_rows(two.locator("table")) == [
        [TRAINING, "1", "100,0%"],
        [INSURANCE, "0", "0,0%"],
        [ROOM, "0", "0,0%"],
    ], table_rows(two.locator("table"))
    texts = main.locator(f"section[aria-labelledby='wynik-{third.pk}'] ul.survey-texts li")
    assert sorted(t.strip() for t in texts.all_inner_texts()) == sorted([A_TEXT, B_TEXT])

    # The export: one row per response; the conditional answer only in A's.
    data = download(page, reverse("consultations:survey_export_csv", args=[survey.slug]))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header == [
        shown("Response"),
        shown("Person"),
        shown("Organization"),
        f"1. {FIRST}",
        f"2. {SECOND}",
        f"3. {THIRD}",
    ], header
    assert len(body) == 2, body
    by_organization = {row[2]: row[1:] for row in body}
    assert by_organization == {
        world.volunteers.name: [
            world.member.email,
            world.volunteers.name,
            YES,
            TRAINING,
            A_TEXT,
        ],
        world.foundation.name: [world.other.email, world.foundation.name, NO, "", B_TEXT],
    }, body


@pytest.mark.both_widths
def test_a_survey_with_a_skip_condition_from_building_to_the_csv_export(
    page,
    window,  # noqa: F811
    world,
):
    built = the_official_prepares_and_publishes(page, world)
    member = window()
    the_member_reaches_the_check_page(member, world, built)
    colleague = window()
    the_colleague_reaches_the_check_page(colleague, world, built)
    the_member_sends(member, world, built)
    the_colleague_is_refused(colleague, world, built)
    the_other_answers_so_that_the_second_is_skipped(window(), world, built)
    the_official_reads_the_results(page, world, built)
