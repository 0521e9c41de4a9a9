"""The electronic offer in a browser: an NGO's admin starts an offer in an open call, fills
the sections step by step, reloads a page and finds what was typed (saved as it was typed),
is told next to the grant that it is above the call's largest, fixes the budget, and reaches
the check-your-answers page with nothing left to fix. On a laptop and on a 390 px phone,
with axe on every page."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, log_in, visit


@pytest.fixture
def open_call(db):
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.competitions.tests.factories import CallFactory

    return CallFactory(
        title="Aktywni seniorzy",
        department=DepartmentFactory(name="Wydział Polityki Społecznej"),
        min_grant=Decimal("5000.00"),
        max_grant=Decimal("20000.00"),
        min_own_contribution_percent=Decimal("10"),
        admin_cost_cap_percent=Decimal("15"),
        eligible_kinds=["foundation", "association"],
    )


@pytest.fixture
def ngo_admin(db):
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.organizations.models import Membership
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory(
        name="Fundacja Pod Wawelem", kind="foundation", street="ul. Grodzka 1"
    )
    user = UserFactory(full_name="Anna Nowak")
    Membership.objects.create(organization=organization, user=user, role="admin")
    return user, PASSWORD


def eventually(check, timeout=8):
    """Wait for what the page saved in the background to reach the database."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the page did not save in time"
        time.sleep(0.1)


def the_offer():
    from wspolpraca.offers.models import Offer

    return Offer.objects.get()


def continue_to_next_step(page):
    with page.expect_navigation():
        page.locator("#step-form .button-group button[type=submit]").click()
    check_a11y(page)


def add_row(page, value, first_field):
    """The "add" button of a formset, as htmx does it: the row appears in place."""
    page.locator(f'button[name=add][value="{value}"]').click()
    expect(page.locator(first_field)).to_be_focused()


@pytest.mark.both_widths
def test_an_ngo_admin_fills_an_offer_and_reaches_check_your_answers(page, open_call, ngo_admin):
    from django.utils import translation

    from wspolpraca.core.templatetags.core_tags import money

    user, password = ngo_admin
    starts = open_call.task_starts + dt.timedelta(days=1)
    ends = starts + dt.timedelta(days=60)
    log_in(page, user.email, password)

    # The list of offers names the open call; its link starts an offer.
    visit(page, reverse("offers:list"))
    page.locator(f'a[href="{reverse("offers:start", args=[open_call.pk])}"]').click()
    page.wait_for_load_state("load")
    check_a11y(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    check_a11y(page)
    offer = the_offer()
    assert page.url.endswith(reverse("offers:step", args=[offer.pk, "podstawowe"]))
    expect(page.locator("main")).to_contain_text("Wydział Polityki Społecznej")

    # II: what the profile holds is shown, the contact person comes filled in.
    continue_to_next_step(page)
    expect(page.locator(".profile")).to_contain_text("ul. Grodzka 1")
    expect(page.locator("#id_contact_name")).to_have_value("Anna Nowak")
    continue_to_next_step(page)

    # III: typed text is saved as it is typed and is there after a reload.
    page.locator("#id_title").fill("Warsztaty dla seniorów")
    page.locator("#id_starts").fill(starts.isoformat())
    page.locator("#id_ends").fill(ends.isoformat())
    page.locator("#id_summary").fill("Zajęcia w domu kultury dla 40 osób z Podgórza.")
    eventually(lambda: the_offer().summary.startswith("Zajęcia"))
    page.reload()
    expect(page.locator("#id_title")).to_have_value("Warsztaty dla seniorów")
    expect(page.locator("#id_summary")).to_have_value(
        "Zajęcia w domu kultury dla 40 osób z Podgórza."
    )
    add_row(page, "actions", "#id_actions-0-name")
    page.locator("#id_actions-0-name").fill("Warsztaty")
    page.locator("#id_actions-0-starts").fill(starts.isoformat())
    page.locator("#id_actions-0-ends").fill(ends.isoformat())
    page.locator("#id_results_effects").fill("40 osób ukończy warsztaty.")
    page.locator("#id_results_change").fill("Mniej osamotnienia.")
    page.locator("#id_results_durability").fill("Grupa spotyka się dalej.")
    add_row(page, "results", "#id_results-0-name")
    page.locator("#id_results-0-name").fill("Uczestnicy")
    page.locator("#id_results-0-target_value").fill("40 osób")
    page.locator("#id_results-0-monitoring").fill("Listy obecności")
    check_a11y(page)
    continue_to_next_step(page)
    assert the_offer().actions.get().name == "Warsztaty"

    # IV.
    page.locator("#id_earlier_activity").fill("Od 2015 roku prowadzimy zajęcia.")
    page.locator("#id_resources").fill("Dwie trenerki i sala.")
    continue_to_next_step(page)

    # V: a grant above the call's largest is named next to it as it is typed; fixed.
    action = the_offer().actions.get()
    add_row(page, f"cost_lines:{action.pk}", "#id_cost_lines-0-name")
    page.locator("#id_cost_lines-0-name").fill("Trenerka")
    page.locator("#id_cost_lines-0-unit").fill("godz.")
    page.locator("#id_cost_lines-0-unit_cost").fill("100")
    page.locator("#id_cost_lines-0-quantity").fill("100")
    page.locator("#id_requested_grant").fill("25000")
    with translation.override("pl"):
        largest = money(Decimal("20000.00"))
    grant_check = page.locator("#id_requested_grant_check")
    expect(grant_check).to_be_visible()
    expect(grant_check).to_contain_text(largest)
    expect(page.locator("#budget-summary")).to_contain_text(money(Decimal("10000.00")))
    check_a11y(page)
    page.locator("#id_requested_grant").fill("9000")
    page.locator("#id_own_financial").fill("1000")
    expect(grant_check).to_be_hidden()
    expect(page.locator("#budget-summary .ok-message")).to_be_visible()
    continue_to_next_step(page)

    # VI, VII.
    continue_to_next_step(page)
    for checkbox in page.locator("#step-form input[type=checkbox]").all():
        checkbox.check()
    page.locator("#id_representatives").fill("Anna Nowak — prezeska zarządu")
    continue_to_next_step(page)

    # Check your answers: nothing to fix, and the admin may submit.
    assert page.url.endswith(reverse("offers:check", args=[offer.pk]))
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(
        page.locator(f'form[action="{reverse("offers:submit", args=[offer.pk])}"]')
    ).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Warsztaty dla seniorów")


def started_offer(call, user):
    from wspolpraca.offers import drafts

    return drafts.start_offer(user.memberships.get().organization, user, call=call)


def test_what_is_typed_after_the_session_ended_is_offered_back_after_signing_in(
    page, open_call, ngo_admin
):
    user, password = ngo_admin
    offer = started_offer(open_call, user)
    url = reverse("offers:step", args=[offer.pk, "zadanie"])
    log_in(page, user.email, password)
    visit(page, url)
    page.locator("#id_title").fill("Warsztaty dla seniorów")
    eventually(lambda: the_offer().title == "Warsztaty dla seniorów")

    # The session ends (the cookie is gone): the next save asks to sign in again.
    page.context.clear_cookies(name="sessionid")
    page.locator("#id_summary").fill("Opis wpisany po końcu sesji.")
    signed_out = page.locator("#autosave-status [data-autosave-state=signed_out]")
    expect(signed_out).to_be_visible()
    check_a11y(page)
    assert the_offer().summary == ""

    # Signing in again leads back to the step, which offers what the browser kept.
    with page.expect_navigation():
        signed_out.locator("a").click()
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(url)
    notice = page.locator("#restore-notice")
    expect(notice).to_be_visible()
    expect(page.locator("#id_summary")).to_have_value("")
    check_a11y(page)
    notice.locator("[data-restore]").click()
    expect(page.locator("#id_summary")).to_have_value("Opis wpisany po końcu sesji.")
    eventually(lambda: the_offer().summary == "Opis wpisany po końcu sesji.")
    page.reload()
    expect(notice).to_be_hidden()


def test_without_javascript_rows_are_added_and_steps_saved_with_the_buttons(
    nojs_page, open_call, ngo_admin
):
    page = nojs_page
    user, password = ngo_admin
    offer = started_offer(open_call, user)
    log_in(page, user.email, password)
    visit(page, reverse("offers:step", args=[offer.pk, "zadanie"]))
    page.locator("#id_title").fill("Warsztaty dla seniorów")
    with page.expect_navigation():
        page.locator("button[name=add][value=actions]").click()
    check_a11y(page)
    assert the_offer().title == "Warsztaty dla seniorów"
    page.locator("#id_actions-0-name").fill("Warsztaty")
    continue_to_next_step(page)
    assert page.url.endswith(reverse("offers:step", args=[offer.pk, "zasoby"]))
    assert the_offer().actions.get().name == "Warsztaty"


def test_two_tabs_saving_the_same_section_show_the_conflict_and_keep_the_chosen_version(
    context, open_call, ngo_admin
):
    user, password = ngo_admin
    offer = started_offer(open_call, user)
    url = reverse("offers:step", args=[offer.pk, "zadanie"])
    first = context.new_page()
    log_in(first, user.email, password)
    visit(first, url)
    second = context.new_page()
    visit(second, url)

    first.locator("#id_title").fill("Tytuł z pierwszej karty")
    eventually(lambda: the_offer().title == "Tytuł z pierwszej karty")
    second.locator("#id_title").fill("Tytuł z drugiej karty")
    conflict = second.locator("#autosave-status [data-autosave-state=conflict]")
    expect(conflict).to_be_visible()
    assert the_offer().title == "Tytuł z pierwszej karty"

    with second.expect_navigation():
        conflict.locator("button").click()
    expect(second.locator("#conflict")).to_contain_text("Tytuł z pierwszej karty")
    expect(second.locator("#id_title")).to_have_value("Tytuł z drugiej karty")
    check_a11y(second)
    with second.expect_navigation():
        second.locator("#step-form button[name=stay]").click()
    assert the_offer().title == "Tytuł z drugiej karty"
    expect(second.locator("#id_title")).to_have_value("Tytuł z drugiej karty")
