"""The acceptance walk of the public tasks (issue 7), at 1366 and at 390 px, with axe on
every page, in the site and in the back office.

1. An official signing in for the first time sets up two-factor sign-in, adds a call in
   the back office (the statutory criteria come with it), opens "Publish…", is refused
   with the earliest allowed deadline named, moves the deadline and publishes the call.
2. The administrator of a foundation finds the call, prepares an offer and fills some
   sections; signs out; in a second session finds what was typed kept; is told next to
   the grant that it is above the call's largest, and fixes it.
3. A plain member of the same foundation completes a section of the same draft and is told
   that only an administrator can submit it: no submit button.
4. The administrator fills the last section, checks the answers (nothing to fix), submits,
   sees the offer number and the SHA-256 on the receipt and in the downloaded receipt PDF.
5. The administrator adds a signed copy of a different PDF and is told, next to the field,
   that the signed file is not this offer's PDF.

Polish wording asserted here is the catalogue's (locale/pl/LC_MESSAGES/django.po).
"""

import datetime as dt
import io
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from e2e.helpers import check_a11y, log_in, submit, visit
from e2e.test_staff_signin import (
    fill_and_submit,
    new_staff,
    path_of,
    session_of,
    sign_in_with_password,
    sign_out,
    totp_code,
)
from wspolpraca.offers.tests.signing import self_signed

CALL_TITLE = "Aktywni seniorzy w dzielnicach"
MAX_GRANT = Decimal("20000")
OFFER_TITLE = "Warsztaty dla seniorów z Podgórza"
SUMMARY = "Zajęcia w domu kultury dla 40 osób z Podgórza."


@pytest.fixture(autouse=True)
def _fresh_cache():
    """TOTP codes are single-use per period, remembered in the cache: start clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(db):
    """An official of a department (no second factor yet), and a verified foundation with
    an administrator and a plain member."""
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.city.models import Official
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.organizations.models import Membership, Organization
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    department = DepartmentFactory(name="Wydział Polityki Społecznej")
    official = new_staff(User.Role.OFFICIAL)
    Official.objects.create(user=official, department=department)
    foundation = OrganizationFactory(
        name="Fundacja Pod Wawelem",
        kind=Organization.Kind.FOUNDATION,
        verification=Organization.Verification.VERIFIED,
        street="ul. Grodzka 1",
        postal_code="31-001",
    )
    admin = UserFactory(full_name="Anna Nowak")
    Membership.objects.create(organization=foundation, user=admin, role=Membership.Role.ADMIN)
    member = UserFactory(full_name="Piotr Zieliński")
    Membership.objects.create(organization=foundation, user=member, role=Membership.Role.MEMBER)
    return SimpleNamespace(
        department=department,
        official=official,
        foundation=foundation,
        admin=admin,
        member=member,
        password=PASSWORD,
    )


def polish(function, *args):
    with translation.override("pl"):
        return str(function(*args))


def day(value):
    """A date as the back office's date fields take it (Polish format)."""
    return value.strftime("%d.%m.%Y")


def click_and_check(page, locator):
    with page.expect_navigation():
        locator.click()
    check_a11y(page)


def messages_of(page):
    return page.locator(".messagelist, .messages")


# 1. The official.


def fill_the_call(form, dates, department):
    form.locator("#id_department").select_option(label=str(department))
    form.locator("#id_title").fill(CALL_TITLE)
    form.locator("#id_description").fill("Zajęcia dla seniorów w dzielnicach Krakowa.")
    form.locator(".field-areas").get_by_label("Seniorzy", exact=True).check()
    form.locator("#id_budget").fill("100000")
    form.locator("#id_min_grant").fill("5000")
    form.locator("#id_max_grant").fill(str(MAX_GRANT))
    form.locator("#id_min_own_contribution_percent").fill("10")
    form.locator("#id_admin_cost_cap_percent").fill("15")
    kinds = form.locator(".field-eligible_kinds")
    kinds.get_by_label("fundacja", exact=True).check()
    kinds.get_by_label("spółdzielnia socjalna", exact=True).uncheck()
    form.locator("#id_task_starts").fill(day(dates.task_starts))
    form.locator("#id_task_ends").fill(day(dates.task_ends))
    form.locator("#id_deadline_0").fill(day(dates.too_early))
    form.locator("#id_deadline_1").fill("15:30")
    form.locator("#id_selection_date").fill(day(dates.selection))
    form.locator("#id_award_rules").fill("Dotacja do 90% kosztów zadania.")
    form.locator("#id_task_conditions").fill("Zadanie realizowane w Krakowie.")
    form.locator("#id_selection_procedure").fill("Ocena formalna, potem komisja konkursowa.")
    form.locator("#id_previous_funding").fill("W zeszłym roku: 2 zadania, 80 000 zł.")
    form.locator("#id_contact").fill("Wydział Polityki Społecznej, konkursy@example.org")


def publish(page, dates):
    """Fill the dates of the BIP and the notice board on the publish page and confirm."""
    form = page.locator("#content form[method=post]")
    form.locator("#id_bip_on").fill(dates.bip.isoformat())
    form.locator("#id_board_on").fill(dates.board.isoformat())
    submit(form)


def the_official_adds_and_publishes_the_call(page, people, dates):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    from wspolpraca.competitions.models import Call
    from wspolpraca.competitions.services import STATUTORY_CRITERIA

    # First sign-in: straight on to two-factor set-up, then the back office.
    sign_in_with_password(page, people.official.email)
    assert path_of(page) == reverse("mfa_activate_totp"), f"not sent to set up TOTP: {page.url}"
    fill_and_submit(page, {"code": totp_code(session_of(page)[SECRET_SESSION_KEY])})
    visit(page, reverse("admin:index"))

    # Konkursy → Dodaj.
    changelist = reverse("admin:competitions_call_changelist")
    click_and_check(page, page.locator(f'#content-main a[href="{changelist}"]').first)
    assert path_of(page) == changelist
    click_and_check(page, page.locator(".object-tools a.addlink"))
    form = page.locator("#call_form")
    fill_the_call(form, dates, people.department)
    click_and_check(page, form.locator("input[name=_continue]"))
    call = Call.objects.get(title=CALL_TITLE)
    assert path_of(page) == reverse("admin:competitions_call_change", args=[call.pk]), page.url
    assert call.status == Call.Status.DRAFT
    expect(messages_of(page).locator(".success")).to_be_visible()
    # The act's criteria came with the call (the support mode: all six).
    names = page.locator("#criteria-group .inline-related:not(.empty-form) input[name$='-name']")
    assert names.evaluate_all("inputs => inputs.map(i => i.value)") == [
        polish(str, name) for _code, name in STATUTORY_CRITERIA
    ]

    # Publish…: the deadline is too early, and the page says which is the earliest.
    click_and_check(page, page.locator(".object-tools").get_by_role("link", name="Opublikuj…"))
    publish(page, dates)
    earliest = max(dates.bip, dates.board, timezone.localdate()) + dt.timedelta(days=21)
    refusal = page.locator("#problems")
    expect(refusal).to_contain_text("Konkursu nie można jeszcze opublikować")
    expect(refusal).to_contain_text("najwcześniejszy dopuszczalny termin to")
    expect(refusal).to_contain_text(polish(formats.date_format, earliest))
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT

    # The deadline moved in the call's form (a draft needs no note of the change).
    click_and_check(page, refusal.get_by_role("link", name="Zmień konkurs"))
    form = page.locator("#call_form")
    form.locator("#id_deadline_0").fill(day(dates.deadline))
    click_and_check(page, form.locator("input[name=_continue]"))
    expect(messages_of(page).locator(".success")).to_be_visible()
    click_and_check(page, page.locator(".object-tools").get_by_role("link", name="Opublikuj…"))
    expect(page.locator("#problems")).to_have_count(0)
    publish(page, dates)
    expect(messages_of(page)).to_contain_text("Konkurs został opublikowany w serwisie.")
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED
    assert timezone.localdate(call.deadline) == dates.deadline
    sign_out(page)
    return call


# 2–4. The foundation.


def continue_to_next_step(page):
    click_and_check(page, page.locator("#step-form .button-group button[type=submit]"))


def add_row(page, value, first_field):
    """The "add" button of a formset, as htmx does it: the row appears in place."""
    page.locator(f'button[name=add][value="{value}"]').click()
    expect(page.locator(first_field)).to_be_focused()


def go_to_step(page, slug):
    """Follow a link to a section: the sections' list on a step, "Change" on the check page."""
    click_and_check(page, page.locator(f'main a[href*="/krok/{slug}/"]').first)


def open_the_draft(page):
    """From "Your offers" to the draft's check-your-answers page."""
    visit(page, reverse("offers:list"))
    click_and_check(page, page.get_by_role("link", name=OFFER_TITLE))


def the_admin_starts_the_offer(page, people, call, dates):
    from wspolpraca.offers.models import Offer

    log_in(page, people.admin.email, people.password)
    visit(page, reverse("competitions:calls"))
    click_and_check(page, page.get_by_role("link", name=CALL_TITLE))
    expect(page.get_by_role("heading", level=1)).to_have_text(CALL_TITLE)
    click_and_check(page, page.get_by_role("link", name="Przygotuj ofertę"))
    click_and_check(page, page.get_by_role("button", name="Utwórz ofertę"))
    offer = Offer.objects.get(call=call)
    assert path_of(page) == reverse("offers:step", args=[offer.pk, "podstawowe"]), page.url
    expect(page.locator("main")).to_contain_text(str(people.department))

    # II: the profile is shown, the contact person comes filled in.
    continue_to_next_step(page)
    expect(page.locator(".profile")).to_contain_text("ul. Grodzka 1")
    expect(page.locator("#id_contact_name")).to_have_value("Anna Nowak")
    page.locator("#id_contact_phone").fill("600 100 200")
    continue_to_next_step(page)

    # III: the task, one action and one result.
    page.locator("#id_title").fill(OFFER_TITLE)
    page.locator("#id_starts").fill(dates.offer_starts.isoformat())
    page.locator("#id_ends").fill(dates.offer_ends.isoformat())
    page.locator("#id_summary").fill(SUMMARY)
    add_row(page, "actions", "#id_actions-0-name")
    page.locator("#id_actions-0-name").fill("Warsztaty")
    page.locator("#id_actions-0-starts").fill(dates.offer_starts.isoformat())
    page.locator("#id_actions-0-ends").fill(dates.offer_ends.isoformat())
    page.locator("#id_results_effects").fill("40 osób ukończy warsztaty.")
    page.locator("#id_results_change").fill("Mniej osamotnienia.")
    page.locator("#id_results_durability").fill("Grupa spotyka się dalej.")
    add_row(page, "results", "#id_results-0-name")
    page.locator("#id_results-0-name").fill("Uczestnicy")
    page.locator("#id_results-0-target_value").fill("40 osób")
    page.locator("#id_results-0-monitoring").fill("Listy obecności")
    check_a11y(page)
    continue_to_next_step(page)
    sign_out(page)
    return offer


def the_admin_comes_back_and_fixes_the_budget(page, people, offer):
    from wspolpraca.core.templatetags.core_tags import money

    # A second session: what was typed in the first is there.
    log_in(page, people.admin.email, people.password)
    open_the_draft(page)
    assert path_of(page) == reverse("offers:check", args=[offer.pk]), page.url
    task = page.locator("#section-task").locator("xpath=..")
    expect(task).to_contain_text(OFFER_TITLE)
    expect(task).to_contain_text(SUMMARY)
    go_to_step(page, "zadanie")
    expect(page.locator("#id_title")).to_have_value(OFFER_TITLE)
    expect(page.locator("#id_summary")).to_have_value(SUMMARY)
    expect(page.locator("#id_actions-0-name")).to_have_value("Warsztaty")

    # V: a grant above the call's largest is named next to it; fixed.
    go_to_step(page, "koszty")
    action = offer.actions.get()
    add_row(page, f"cost_lines:{action.pk}", "#id_cost_lines-0-name")
    page.locator("#id_cost_lines-0-name").fill("Trenerka")
    page.locator("#id_cost_lines-0-unit").fill("godz.")
    page.locator("#id_cost_lines-0-unit_cost").fill("100")
    page.locator("#id_cost_lines-0-quantity").fill("100")
    page.locator("#id_requested_grant").fill("25000")
    grant_check = page.locator("#id_requested_grant_check")
    expect(grant_check).to_be_visible()
    expect(grant_check).to_contain_text(polish(money, MAX_GRANT))
    described_by = page.locator("#id_requested_grant").get_attribute("aria-describedby") or ""
    assert "id_requested_grant_check" in described_by.split(), described_by
    check_a11y(page)
    page.locator("#id_requested_grant").fill("9000")
    page.locator("#id_own_financial").fill("1000")
    expect(grant_check).to_be_hidden()
    expect(page.locator("#budget-summary .ok-message")).to_be_visible()
    continue_to_next_step(page)

    # VII: the declarations and who represents the foundation.
    go_to_step(page, "oswiadczenia")
    for checkbox in page.locator("#step-form input[type=checkbox]").all():
        checkbox.check()
    page.locator("#id_representatives").fill("Anna Nowak — prezeska zarządu")
    continue_to_next_step(page)
    # Section IV is still empty: the check page lists it, and nothing can be submitted.
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_role("button", name="Złóż ofertę")).to_have_count(0)
    sign_out(page)


def the_member_completes_a_section_and_may_not_submit(page, people, offer):
    log_in(page, people.member.email, people.password)
    open_the_draft(page)
    go_to_step(page, "zasoby")
    expect(page.locator("#id_earlier_activity")).to_have_value("")
    page.locator("#id_earlier_activity").fill("Od 2015 roku prowadzimy zajęcia dla seniorów.")
    page.locator("#id_resources").fill("Dwie trenerki, sala w domu kultury.")
    continue_to_next_step(page)
    click_and_check(page, page.locator(f'.offer-steps a[href="{check_url(offer)}"]'))
    # Nothing left to fix, but a member does not submit: the page says who does.
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator(".submit-offer .notice")).to_contain_text(
        f"Złożyć ją może tylko administrator organizacji {people.foundation.name}"
    )
    expect(page.get_by_role("button", name="Złóż ofertę")).to_have_count(0)
    expect(
        page.locator(f'form[action="{reverse("offers:submit", args=[offer.pk])}"]')
    ).to_have_count(0)
    sign_out(page)


def check_url(offer):
    return reverse("offers:check", args=[offer.pk])


def pdf_text(data):
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def the_admin_completes_and_submits_the_offer(page, people, offer):
    from wspolpraca.offers.models import Offer

    log_in(page, people.admin.email, people.password)
    open_the_draft(page)
    # VI, the last section nobody filled yet; then VII again, and the check.
    go_to_step(page, "inne")
    page.locator("#id_other_information").fill("Zajęcia są bezpłatne dla uczestników.")
    continue_to_next_step(page)
    continue_to_next_step(page)
    assert path_of(page) == check_url(offer), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sprawdź odpowiedzi przed złożeniem oferty"
    )
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Dwie trenerki, sala w domu kultury.")
    click_and_check(page, page.get_by_role("button", name="Złóż ofertę"))

    # The receipt: the number and the checksum of what was submitted.
    offer = Offer.objects.get(pk=offer.pk)
    assert offer.status == Offer.Status.SUBMITTED
    assert path_of(page) == reverse("offers:receipt", args=[offer.pk]), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Złożono ofertę")
    expect(page.locator(".offer-number")).to_have_text(offer.number)
    expect(page.locator(".checksum")).to_have_text(offer.content_sha256)
    assert re.fullmatch(r"OF/\d{4}/\d{6}", offer.number), offer.number
    assert re.fullmatch(r"[0-9a-f]{64}", offer.content_sha256), offer.content_sha256

    # The receipt as a PDF holds both.
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz potwierdzenie złożenia (PDF)").click()
    text = pdf_text(Path(download.value.path()).read_bytes()).replace("\n", "")
    assert offer.number in text, text
    assert offer.content_sha256 in text.replace(" ", ""), text
    return offer


# 5. A signed copy of another file.


def a_signed_copy_of_another_file_is_refused(page, offer):
    from wspolpraca.core.pdf import render_pdf

    # pyHanko signs with asyncio.run(), which refuses to run beside Playwright's own loop
    # in this thread: the signing gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as worker:
        other = worker.submit(self_signed, render_pdf("core/pdf/sample.html", {})).result()
    field = page.locator("#id_file")
    field.set_input_files(
        files=[{"name": "oferta-podpisana.pdf", "mimeType": "application/pdf", "buffer": other}]
    )
    click_and_check(page, page.get_by_role("button", name="Dodaj podpisane potwierdzenie"))
    field = page.locator("#id_file")
    error = page.locator("#id_file_error")
    expect(error).to_contain_text("Podpisany plik nie jest plikiem PDF tej oferty")
    assert "id_file_error" in (field.get_attribute("aria-describedby") or "").split()
    offer.refresh_from_db()
    assert not offer.signed_by and not offer.signed_pdf


@pytest.mark.both_widths
def test_a_call_is_published_and_an_offer_prepared_together_and_submitted(page, people):
    today = timezone.localdate()
    dates = SimpleNamespace(
        bip=today - dt.timedelta(days=1),
        board=today,
        too_early=today + dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=30),
        selection=today + dt.timedelta(days=60),
        task_starts=today + dt.timedelta(days=45),
        task_ends=today + dt.timedelta(days=200),
        offer_starts=today + dt.timedelta(days=50),
        offer_ends=today + dt.timedelta(days=110),
    )
    call = the_official_adds_and_publishes_the_call(page, people, dates)
    offer = the_admin_starts_the_offer(page, people, call, dates)
    the_admin_comes_back_and_fixes_the_budget(page, people, offer)
    the_member_completes_a_section_and_may_not_submit(page, people, offer)
    offer = the_admin_completes_and_submits_the_offer(page, people, offer)
    a_signed_copy_of_another_file_is_refused(page, offer)
