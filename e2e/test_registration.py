"""A newcomer signs up, verifies the e-mail and registers an organization from the KRS.

The KRS open API is replaced by FakeKrs, a local HTTP server that answers like the real
one; the live server runs in this process, so pointing settings.KRS_API_URL at it is enough.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from e2e.helpers import check_a11y, log_in, submit, visit
from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory

KNOWN_KRS = "0000123456"
KNOWN_NAME = "FUNDACJA NOWE ŻYCIE PODGÓRZA"
UNKNOWN_KRS = "0000999999"
CONFIRM_LINK = re.compile(r"https?://[^\s<>\"']+/accounts/confirm-email/[^\s<>\"']+")
# Values a person would type into required fields the register could not fill.
TYPED = {
    "postal_code": "30-551",
    "city": "Kraków",
    "street": "ul. Limanowskiego 1",
    "phone": "+48 12 345 67 89",
    "website": "https://example.org",
    "description": "Pomagamy sąsiadom w Podgórzu.",
}


@pytest.fixture
def fake_krs(settings):
    from wspolpraca.organizations.tests.fake_krs import FakeKrs, sample_extract

    fake = FakeKrs()
    fake.start()
    fake.add_extract(KNOWN_KRS, sample_extract(KNOWN_KRS, KNOWN_NAME, city="KRAKÓW"))
    settings.KRS_API_URL = fake.url
    settings.KRS_BACKOFF = 0
    settings.KRS_TIMEOUT = 5
    # The organization must stay pending so the page can say so; automatic verification
    # has its own tests in the organizations app.
    settings.KRS_AUTO_VERIFY = False
    yield fake
    fake.stop()


def field_error(field):
    """The error text shown for a field: referenced by aria-describedby or right beside it."""
    return field.evaluate(
        """(input) => {
          const ids = (input.getAttribute('aria-describedby') || '').split(/\\s+/);
          for (const id of ids.filter(Boolean)) {
            const el = document.getElementById(id);
            if (el && /error/i.test(id + ' ' + el.className) && el.textContent.trim()) {
              return el.textContent.trim();
            }
          }
          let node = input.parentElement;
          for (let i = 0; i < 3 && node && node.tagName !== 'FORM'; i++) {
            const err = node.querySelector('.errorlist, [role=alert], .error, .field-error');
            if (err && err.textContent.trim()) { return err.textContent.trim(); }
            node = node.parentElement;
          }
          return null;
        }"""
    )


def form_errors(page):
    return page.locator("main .errorlist, main [role=alert]").all_inner_texts()


def complete_required_fields(form, email):
    """Fill what a person would: every required field left empty, and one area of activity."""
    for field in form.locator("input[required], select[required], textarea[required]").all():
        if not field.is_visible():
            continue
        tag = field.evaluate("e => e.tagName.toLowerCase()")
        kind = (field.get_attribute("type") or "").lower()
        name = field.get_attribute("name") or ""
        if kind == "checkbox" and not field.is_checked():
            field.check()
        elif kind == "radio":
            group = form.locator(f"input[type=radio][name='{name}']")
            if not any(radio.is_checked() for radio in group.all()):
                group.first.check()
        elif tag == "select" and not field.input_value():
            values = [
                v
                for v in field.locator("option").evaluate_all(
                    "options => options.map(o => o.value)"
                )
                if v
            ]
            field.select_option(values[0])
        elif tag in {"input", "textarea"} and not field.input_value():
            if kind == "email" or "email" in name:
                field.fill(email)
            elif kind == "date":
                field.fill("2020-01-15")
            elif kind == "number":
                field.fill("1")
            else:
                field.fill(TYPED.get(name, "Test"))
    areas = form.locator("input[type=checkbox][name=areas]")
    if areas.count() and not any(box.is_checked() for box in areas.all()):
        form.locator("input[type=checkbox][name=areas][value='16']").or_(areas.first).first.check()


def pending_label():
    from wspolpraca.organizations.models import Organization

    with translation.override("pl"):
        return str(Organization.Verification.PENDING.label)


def test_newcomer_signs_up_verifies_email_and_registers_an_organization_from_krs(
    page, fake_krs, mailoutbox
):
    from wspolpraca.organizations.models import Organization

    email = "nowa.osoba@example.org"

    # Sign up: the e-mail must be verified before the account can be used.
    visit(page, reverse("account_signup"))
    form = page.locator("main form:has(input[name=password1])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    submit(form)
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    assert mailoutbox[0].to == [email]
    link = CONFIRM_LINK.search(mailoutbox[0].body)
    assert link, f"no confirmation link in the e-mail:\n{mailoutbox[0].body}"

    # The link opens a page that asks to confirm (a GET never changes anything).
    confirm_path = urlsplit(link.group(0)).path
    visit(page, confirm_path)
    submit(page.locator("main form[method=post]:has(button[type=submit])").first)

    # Log in (allauth may already have done it right after the confirmation).
    log_in(page, email, PASSWORD)

    # Register: the KRS number fills the form from the register.
    visit(page, reverse("organizations:register"))
    krs = page.locator("main input[name=krs]")
    krs.fill(KNOWN_KRS)
    page.locator("main form:has(input[name=krs])").locator(
        "button[type=submit], input[type=submit]"
    ).first.click()
    name = page.locator("main input[name=name]")
    expect(name).to_have_value(re.compile(re.escape(KNOWN_NAME), re.IGNORECASE))
    page.wait_for_load_state("load")
    check_a11y(page)

    form = page.locator("main form:has(input[name=name])")
    complete_required_fields(form, email)
    form.locator("button[type=submit], input[type=submit]").last.click()
    try:
        page.wait_for_url(re.compile(r"/organizacje/(?!zarejestruj/)[^/]+/$"))
    except Exception as error:
        raise AssertionError(
            f"the registration did not reach the organization's page: {page.url}\n"
            f"errors shown: {form_errors(page)}"
        ) from error
    page.wait_for_load_state("load")
    check_a11y(page)

    organization = Organization.objects.get(krs=KNOWN_KRS)
    assert page.url.endswith(organization.get_absolute_url())
    assert organization.verification == Organization.Verification.PENDING
    main_text = page.locator("main").inner_text()
    assert organization.name in main_text
    assert pending_label() in main_text or re.search(
        r"pending verification|(oczekuj|czeka)\w* na weryfikacj", main_text, re.IGNORECASE
    ), f"the page does not say the organization is pending verification:\n{main_text}"


def test_krs_number_unknown_to_the_register_shows_the_error_next_to_the_field(page, fake_krs):
    user = UserFactory()
    log_in(page, user.email, PASSWORD)

    visit(page, reverse("organizations:register"))
    page.locator("main input[name=krs]").fill(UNKNOWN_KRS)
    page.locator("main form:has(input[name=krs])").locator(
        "button[type=submit], input[type=submit]"
    ).first.click()
    krs = page.locator("main input[name=krs]")
    expect(page.locator("main .errorlist, main [role=alert], main .error").first).to_be_visible()
    page.wait_for_load_state("load")
    check_a11y(page)

    expect(krs).to_have_value(UNKNOWN_KRS)
    # The error is the register's answer, not a check of the number's format.
    assert fake_krs.count(UNKNOWN_KRS) >= 1, fake_krs.requests
    error = field_error(krs)
    assert error, f"no error beside the KRS field; errors on the page: {form_errors(page)}"
