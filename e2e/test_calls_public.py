"""The calls for offers in a browser: a visitor finds the list from the public-tasks plane,
narrows it to one area, opens a call and reads its questions and answers, at 1366 and at
390 px, with no accessibility violation on any page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, log_in, submit, visit


@pytest.fixture
def calls(db):
    from django.utils import timezone

    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.competitions.models import Call, Criterion
    from wspolpraca.competitions.tests.factories import (
        CallFactory,
        CallQuestionFactory,
        CallVersionFactory,
        CriterionFactory,
    )
    from wspolpraca.organizations.models import PublicBenefitArea

    culture = PublicBenefitArea.objects.get(code="16")
    sport = PublicBenefitArea.objects.get(code="17")
    theatre = CallFactory(
        title="Teatr w dzielnicach",
        department=DepartmentFactory(name="Wydział Kultury"),
        areas=[culture],
        budget=Decimal("120000"),
    )
    CriterionFactory(
        call=theatre, kind=Criterion.Kind.STATUTORY, name="Możliwość realizacji zadania"
    )
    CriterionFactory(call=theatre, kind=Criterion.Kind.OWN, name="Zasięg w dzielnicach")
    CallVersionFactory(call=theatre, number=1)
    CallQuestionFactory(
        call=theatre,
        question="Czy spektakl może odbyć się w szkole?",
        answer="Tak, jeśli szkoła jest dostępna dla publiczności.",
        answered=True,
    )
    CallQuestionFactory(call=theatre, question="Pytanie jeszcze bez odpowiedzi")
    CallFactory(
        title="Sport dla dzieci",
        department=DepartmentFactory(name="Wydział Sportu"),
        areas=[sport],
    )
    CallFactory(
        title="Festiwal zimowy",
        areas=[culture],
        offers_from=timezone.now() + timedelta(days=10),
        deadline=timezone.now() + timedelta(days=40),
    )
    CallFactory(title="Dawny konkurs", areas=[culture], status=Call.Status.DECIDED)
    return theatre, culture


def card_titles(page):
    return [t.strip() for t in page.locator(".cards h3 a").all_inner_texts()]


@pytest.mark.both_widths
def test_a_visitor_filters_the_calls_by_area_and_reads_the_answers(page, calls):
    theatre, culture = calls
    list_url = reverse("competitions:calls")

    visit(page, reverse("pages:plane", args=["zadania-publiczne"]))
    # The card of the calls on the plane page (its text links there too).
    page.locator(f'main .cards a[href="{list_url}"]').click()
    page.wait_for_url(f"**{list_url}")
    assert sorted(card_titles(page)) == ["Sport dla dzieci", "Teatr w dzielnicach"]
    check_a11y(page)

    form = page.locator("form.filters")
    fold = form.locator("details.filter-fold")
    if not form.locator("#id_area").is_visible():  # folded on a phone
        fold.locator("summary").click()
    form.locator("#id_area").select_option(value=culture.code)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert card_titles(page) == ["Teatr w dzielnicach"]
    assert "area=16" in page.url
    check_a11y(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Teatr w dzielnicach").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teatr w dzielnicach")
    questions = page.locator("#pytania")
    expect(questions).to_contain_text("Czy spektakl może odbyć się w szkole?")
    expect(questions).to_contain_text("Tak, jeśli szkoła jest dostępna dla publiczności.")
    expect(questions).not_to_contain_text("Pytanie jeszcze bez odpowiedzi")
    expect(page.locator("#kryteria + *")).to_be_visible()
    check_a11y(page)

    with page.expect_navigation():
        page.locator("#wersje a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teatr w dzielnicach")
    check_a11y(page)


def test_the_other_phases_are_a_link_away_and_accessible(page, calls):
    visit(page, reverse("competitions:calls"))
    for name, title in [
        ("competitions:calls_upcoming", "Festiwal zimowy"),
        ("competitions:calls_decided", "Dawny konkurs"),
    ]:
        with page.expect_navigation():
            page.locator(f'nav a[href^="{reverse(name)}"]').click()
        assert card_titles(page) == [title]
        check_a11y(page)


def test_a_signed_in_person_asks_a_question_and_an_empty_one_is_refused(page, calls):
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.competitions.models import CallQuestion

    theatre, _culture = calls
    person = UserFactory()
    log_in(page, person.email, PASSWORD)
    visit(page, theatre.get_absolute_url())
    form = page.locator("#zadaj-pytanie form")
    submit(form)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_text_error")).to_be_visible()
    page.locator("#id_text").fill("Czy można złożyć ofertę wspólną?")
    submit(page.locator("#zadaj-pytanie form"))
    expect(page.locator(".messages")).to_be_visible()
    assert CallQuestion.objects.filter(
        call=theatre, asked_by=person, question="Czy można złożyć ofertę wspólną?"
    ).exists()
    expect(page.locator("#pytania")).to_contain_text("Czy można złożyć ofertę wspólną?")
