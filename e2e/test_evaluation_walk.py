"""The acceptance walk of the evaluation and the settlement (issue 8), at 1366 and at 390 px,
with axe on every page visited. It continues issue 7's walk (test_public_tasks_walk.py):
a published call is past its deadline with two submitted offers, one of them by the
foundation whose administrator prepared it there.

Each person works in a browser of their own, from a fresh account: the official and the
two commission members sign in for the first time and set up two-factor sign-in through
the real pages; the foundation's administrator signs in with a password.

1. The official checks the offers' formal requirements: the foundation's offer names the
   wrong representatives, so a correction is asked for (the form, then check the
   request); the other offer passes.
2. The foundation's administrator finds the request on the offer's receipt, starts the
   correction, changes the one open section and submits it; the official checks the
   corrected version again and it passes.
3. The official appoints the commission (a chair and a member nominated by an
   organization) and starts the scoring.
4. The member declares a conflict of interest on the other offer and can no longer open
   it; both score the foundation's offer, the chair the other one too (each sheet
   through its check page). The chair closes the work and downloads the minutes.
5. The official grants the foundation 15% less than it asked: refused without a reason,
   saved with one; grants the other offer in full and publishes the results, which anyone
   can read.
6. The foundation sends the updated budget for the lower grant; the official accepts it
   and records the signing; the agreement's PDF states the cut grant, in figures and in
   words.
7. The task's period ends. The foundation's report is refused with the problem named at
   its field; fixed and submitted; the official accepts it.
8. The statistics page and the 360Giving file show the grant.

Wording: pages are found by the links' addresses (URL names) and forms by their fields'
names. Text asserted on the pages is either data (numbers, amounts, names) or a string
looked up with `shown()`: the msgid put through the Polish catalogue, exactly as the
page renders it, so it holds before and after the lead translates the new strings (it
breaks only if a msgid changes).
"""

import datetime as dt
import io
import json
import re
import signal
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from e2e.conftest import TEST_TIMEOUT_S, _new_context
from e2e.helpers import check_a11y, log_in, visit
from e2e.test_staff_signin import (
    fill_and_submit,
    new_staff,
    path_of,
    session_of,
    sign_in_with_password,
    totp_code,
)

WALK_TIMEOUT_S = 3 * TEST_TIMEOUT_S
CALL_TITLE = "Aktywni seniorzy w dzielnicach"
OFFER_TITLE = "Warsztaty dla seniorów z Podgórza"
OTHER_TITLE = "Spacery historyczne dla seniorów"
REQUESTED = Decimal("9000.00")
# The decision cuts the requested grant by 15%.
GRANTED = (REQUESTED * Decimal("0.85")).quantize(Decimal("0.01"))
GRANTED_IN_WORDS = "siedem tysięcy sześćset pięćdziesiąt złotych"
WRONG_REPRESENTATIVES = "Anna Nowak — prezeska"
RIGHT_REPRESENTATIVES = "Anna Nowak — prezeska zarządu, Piotr Zieliński — członek zarządu"
CUT_REASON = "Koszt godziny zajęć trenerki wyższy niż średni w mieście (85 zł)."


@pytest.fixture(autouse=True)
def _longer_watchdog(_watchdog):
    """The walk is five people's work from the deadline to the settlement, some 70 pages
    each checked by axe (about 2½ minutes on a busy two-core machine): it gets three times
    the limit conftest gives one test, which still fails a hung browser."""
    signal.alarm(WALK_TIMEOUT_S)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """TOTP codes are single-use per period, remembered in the cache: start clean."""
    cache.clear()
    yield
    cache.clear()


def shown(msgid, context=None):
    """A string as the pages show it: the msgid through the Polish catalogue (the msgid
    itself while it is not translated)."""
    with translation.override("pl"):
        if context:
            return str(translation.pgettext(context, msgid))
        return str(translation.gettext(msgid))


def money_text(value):
    from wspolpraca.core.templatetags.core_tags import money

    with translation.override("pl"):
        return str(money(value))


def pdf_text(data):
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def click_and_check(page, locator):
    with page.expect_navigation():
        locator.click()
    check_a11y(page)


def follow(page, url, lands_on=None):
    """Follow the page's own link to `url` (the first, in the main part of the page), which
    leads to `lands_on` when that is given (a redirect), else to `url`."""
    click_and_check(page, page.locator(f'main a[href="{url}"]').first)
    assert path_of(page) == (lands_on or url), f"{page.url} instead of {lands_on or url}"


def press(page, name=None):
    """Click the submit button of the main part of the page named `name` (or the only
    one of a confirmation page) and check the page it leads to."""
    if name is None:
        button = page.locator("main form button[type=submit]").last
    else:
        button = page.locator("main").get_by_role("button", name=name, exact=True)
    click_and_check(page, button)


def my_account(page):
    """The header's "My account" link, from any page: where each person's work starts."""
    profile = reverse("accounts:profile")
    click_and_check(page, page.locator(f'nav.account-nav a[href="{profile}"]'))
    assert path_of(page) == profile, page.url


def to_the_call(page, world):
    """The official's way to the call's evaluation: My account → Evaluation → the call."""
    my_account(page)
    follow(page, reverse("evaluations:index"))
    follow(page, reverse("evaluations:call", args=[world.call.pk]))


def download(page, url):
    """Download the file the page links to at `url`, through the link; its bytes."""
    with page.expect_download() as started:
        page.locator(f'main a[href="{url}"]').first.click()
    return Path(started.value.path()).read_bytes()


# The people and the call, as issue 7's walk left them (its deadline now passed).


@pytest.fixture
def world(db):
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.city.models import Official
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.competitions.services import add_statutory_criteria
    from wspolpraca.competitions.tests.factories import CallFactory
    from wspolpraca.evaluations.tests.factories import close_call
    from wspolpraca.offers.services import submit_offer
    from wspolpraca.offers.tests.factories import complete_offer
    from wspolpraca.organizations.models import Membership, Organization
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    department = DepartmentFactory(name="Wydział Polityki Społecznej", short_name="WPS")
    official = new_staff(User.Role.OFFICIAL)
    official.full_name = "Maria Urzędnicza"
    official.save(update_fields=["full_name"])
    Official.objects.create(user=official, department=department)
    call = CallFactory(department=department, title=CALL_TITLE)
    add_statutory_criteria(call)

    foundation = OrganizationFactory(
        name="Fundacja Pod Wawelem",
        kind=Organization.Kind.FOUNDATION,
        verification=Organization.Verification.VERIFIED,
        street="ul. Grodzka 1",
        postal_code="31-001",
    )
    admin = UserFactory(full_name="Anna Nowak")
    Membership.objects.create(organization=foundation, user=admin, role=Membership.Role.ADMIN)
    offer = submit_offer(
        complete_offer(
            call,
            organization=foundation,
            grant=REQUESTED,
            title=OFFER_TITLE,
            representatives=WRONG_REPRESENTATIVES,
        ),
        by=admin,
    )
    association = OrganizationFactory(
        name="Stowarzyszenie Seniorzy Razem",
        kind=Organization.Kind.ASSOCIATION,
        verification=Organization.Verification.VERIFIED,
    )
    other_admin = UserFactory(full_name="Tomasz Wiśniewski")
    Membership.objects.create(
        organization=association, user=other_admin, role=Membership.Role.ADMIN
    )
    other = submit_offer(
        complete_offer(call, organization=association, grant=REQUESTED, title=OTHER_TITLE),
        by=other_admin,
    )
    # The deadline passed: the call is in evaluation.
    call = close_call(call)

    # The commission's people: accounts made, never signed in, no second factor yet.
    chair = UserFactory(full_name="Jan Kowalski", email="jan.kowalski@example.org")
    member = UserFactory(full_name="Ewa Zielińska", email="ewa.zielinska@example.org")
    council = OrganizationFactory(name="Rada Organizacji Seniorów", krs="0000654321")
    return SimpleNamespace(
        department=department,
        official=official,
        call=call,
        foundation=foundation,
        admin=admin,
        offer=offer,
        association=association,
        other=other,
        chair=chair,
        member=member,
        council=council,
        password=PASSWORD,
    )


@pytest.fixture
def window(browser, live_server, request, viewport):
    """Another person's browser (its own cookies), at the same width as `page`."""

    def open_window():
        return _new_context(browser, live_server, request, viewport).new_page()

    return open_window


def first_sign_in_with_totp(page, user):
    """A person who must use two factors signs in for the first time and sets TOTP up."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    sign_in_with_password(page, user.email)
    assert path_of(page) == reverse("mfa_activate_totp"), f"not sent to set up TOTP: {page.url}"
    fill_and_submit(page, {"code": totp_code(session_of(page)[SECRET_SESSION_KEY])})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    visit(page, reverse("accounts:profile"))


# 1. The formal check.


def answer_checklist(page, unmet=None, note=""):
    """Every requirement met, except `unmet` (a requirement), which gets `note`."""
    form = page.locator("main form:has(input[type=radio][name^=met_])")
    for radio in form.locator("input[type=radio][value=yes]").all():
        radio.check()
    if unmet is not None:
        form.locator(f"input[name=met_{unmet.pk}][value=no]").check()
        form.locator(f"textarea[name=note_{unmet.pk}]").fill(note)
    click_and_check(page, form.locator("button[type=submit]"))


def the_official_checks_the_offers(page, world):
    from wspolpraca.evaluations.models import CorrectionRequest, FormalCheck, FormalRequirement

    first_sign_in_with_totp(page, world.official)
    follow(page, reverse("evaluations:index"))
    follow(page, reverse("evaluations:call", args=[world.call.pk]))
    expect(page.locator("main")).to_contain_text(world.offer.number)
    expect(page.locator("main")).to_contain_text(world.other.number)

    # The foundation's offer: the representatives do not match its register.
    follow(page, reverse("evaluations:formal_check", args=[world.offer.pk]))
    representation = FormalRequirement.objects.get(
        call=world.call, step="declarations", text__contains="KRS"
    )
    answer_checklist(
        page, representation, "W KRS zarząd to dwie osoby; oferta wymienia tylko jedną."
    )
    assert FormalCheck.objects.get(offer=world.offer).status == FormalCheck.Status.PENDING
    follow(page, reverse("evaluations:formal_correction", args=[world.offer.pk]))
    # The form comes filled from the check: the section and the note.
    form = page.locator("main form")
    expect(form.locator("input[name=steps][value=declarations]")).to_be_checked()
    expect(form.locator("textarea[name=message]")).to_contain_text("dwie osoby")
    click_and_check(page, form.locator("button[type=submit]"))
    assert path_of(page) == reverse("evaluations:formal_correction_confirm", args=[world.offer.pk])
    expect(page.locator("main")).to_contain_text("dwie osoby")
    press(page)
    request = CorrectionRequest.objects.get(offer=world.offer)
    assert request.steps == ["declarations"]
    assert request.status == CorrectionRequest.Status.OPEN

    # The other offer meets every requirement.
    follow(page, reverse("evaluations:call", args=[world.call.pk]))
    follow(page, reverse("evaluations:formal_check", args=[world.other.pk]))
    answer_checklist(page)
    assert FormalCheck.objects.get(offer=world.other).status == FormalCheck.Status.PASSED
    return request


# 2. The correction.


def the_foundation_corrects_the_offer(admin_page, world, request, mailoutbox):
    from wspolpraca.offers.models import Offer

    # The administrator is told by e-mail, with the request's address.
    correction_url = reverse("evaluations:correction", args=[request.pk])
    told = [m for m in mailoutbox if world.admin.email in m.to and correction_url in m.body]
    assert len(told) == 1, [(m.to, m.subject) for m in mailoutbox]
    page = admin_page
    log_in(page, world.admin.email, world.password)
    follow(page, reverse("offers:list"))
    follow(page, reverse("offers:receipt", args=[world.offer.pk]))
    follow(page, correction_url)
    expect(page.locator("main")).to_contain_text("dwie osoby")
    press(page)
    correction = Offer.objects.get(replaces=world.offer)
    assert path_of(page) == reverse("offers:step", args=[correction.pk, "oswiadczenia"]), page.url
    page.locator("#id_representatives").fill(RIGHT_REPRESENTATIVES)
    click_and_check(page, page.locator("#step-form .button-group button[type=submit]"))
    assert path_of(page) == reverse("offers:check", args=[correction.pk]), page.url
    expect(page.locator(".error-summary")).to_have_count(0)
    press(page, shown("Submit the offer"))
    correction.refresh_from_db()
    assert correction.status == Offer.Status.SUBMITTED
    assert path_of(page) == reverse("offers:receipt", args=[correction.pk]), page.url
    expect(page.locator(".offer-number")).to_have_text(correction.number)
    return correction


def the_official_checks_the_correction(page, world, correction):
    from wspolpraca.evaluations.models import FormalCheck

    follow(page, reverse("evaluations:call", args=[world.call.pk]))
    follow(page, reverse("evaluations:formal_check", args=[correction.pk]))
    expect(page.locator("main")).to_contain_text(correction.number)
    answer_checklist(page)
    assert FormalCheck.objects.get(offer=correction).status == FormalCheck.Status.PASSED


# 3. The commission.


def add_member(page, person, role, nominated_by=""):
    form = page.locator("main form:has(input[name=part][value=member])")
    form.locator("input[name=email]").fill(person.email)
    form.locator(f"input[name=role][value={role}]").check()
    form.locator("input[name=nominated_by]").fill(nominated_by)
    click_and_check(page, form.locator("button[type=submit]"))
    expect(page.locator("main table")).to_contain_text(person.email)


def the_official_appoints_the_commission(page, world):
    from wspolpraca.evaluations.models import Commission

    setup_url = reverse("evaluations:commission_setup", args=[world.call.pk])
    follow(page, reverse("evaluations:call", args=[world.call.pk]))
    follow(page, setup_url)
    add_member(page, world.chair, "chair")
    add_member(page, world.member, "ngo", world.council.krs)
    details = page.locator("main form:has(input[name=part][value=details])")
    details.locator("input[name=appointment_reference]").fill(
        "Zarządzenie nr 1234/2026 Prezydenta Miasta z 1 grudnia 2026"
    )
    click_and_check(page, details.locator("button[type=submit]"))
    follow(page, reverse("evaluations:commission_start", args=[world.call.pk]))
    press(page)
    assert path_of(page) == setup_url, page.url
    commission = Commission.objects.get(call=world.call)
    assert commission.status == Commission.Status.WORKING
    return commission


# 4. The scoring.


def sign_the_declaration(page, commission):
    follow(page, reverse("evaluations:my_commissions"))
    # Nothing of the offers before the declaration is signed.
    follow(
        page,
        reverse("evaluations:commission", args=[commission.pk]),
        lands_on=reverse("evaluations:declaration", args=[commission.pk]),
    )
    page.locator("main input[name=agree]").check()
    press(page)
    assert path_of(page) == reverse("evaluations:commission", args=[commission.pk]), page.url


def score(page, commission, offer, points, user):
    """Open the offer from the commission's page, score it, check and submit."""
    from wspolpraca.evaluations.models import ScoreSheet

    score_url = reverse("evaluations:score", args=[commission.pk, offer.pk])
    if path_of(page) != reverse("evaluations:commission", args=[commission.pk]):
        follow(page, reverse("evaluations:commission", args=[commission.pk]))
    follow(page, score_url)
    form = page.locator("main form:has(input[name^=points_])")
    for field in form.locator("input[name^=points_]").all():
        field.fill(str(points))
    for field in form.locator("textarea[name^=justification_]").all():
        field.fill(f"Za {points} pkt: zadanie dobrze opisane, koszty uzasadnione.")
    click_and_check(page, form.locator("button[name=action][value=submit]"))
    assert path_of(page) == reverse("evaluations:score_check", args=[commission.pk, offer.pk])
    press(page, shown("Submit the scores"))
    assert path_of(page) == score_url, page.url
    sheets = ScoreSheet.objects.filter(member__commission=commission, offer=offer)
    sheet = sheets.get(member__user=user)
    assert sheet.submitted_at is not None
    # Now the member sees their sheet, and the others' submitted ones.
    expect(page.locator(f"#sheet-{sheet.pk}")).to_be_visible()
    for other in sheets.exclude(pk=sheet.pk).filter(submitted_at__isnull=False):
        expect(page.locator(f"#sheet-{other.pk}")).to_be_visible()
    return sheet


def the_member_declares_a_conflict_and_scores(page, world, commission, offer, other):
    from wspolpraca.evaluations.models import ConflictOfInterest

    first_sign_in_with_totp(page, world.member)
    sign_the_declaration(page, commission)
    # The other offer: a conflict of interest, then it cannot be opened.
    other_url = reverse("evaluations:score", args=[commission.pk, other.pk])
    follow(page, other_url)
    follow(page, reverse("evaluations:conflict", args=[commission.pk, other.pk]))
    page.locator("main input[name=ground][value=family]").check()
    press(page)
    assert path_of(page) == reverse("evaluations:commission", args=[commission.pk]), page.url
    assert ConflictOfInterest.objects.filter(member__user=world.member, offer=other).exists()
    expect(page.locator(f'main a[href="{other_url}"]')).to_have_count(0)
    response = page.goto(other_url)
    assert response.status == 404, f"{other_url} answered {response.status}"
    check_a11y(page)
    page.go_back()
    assert path_of(page) == reverse("evaluations:commission", args=[commission.pk]), page.url
    score(page, commission, offer, 8, world.member)


def the_chair_scores_and_closes(page, world, commission, offers):
    first_sign_in_with_totp(page, world.chair)
    sign_the_declaration(page, commission)
    for offer, points in offers:
        score(page, commission, offer, points, world.chair)
    follow(page, reverse("evaluations:commission", args=[commission.pk]))
    follow(page, reverse("evaluations:close", args=[commission.pk]))
    press(page)
    assert path_of(page) == reverse("evaluations:ranking", args=[commission.pk]), page.url
    # The ranking: the foundation's offer first (9 and 8 points a criterion, against 7).
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(offers))
    expect(rows.first).to_contain_text(offers[0][0].number)
    text = pdf_text(download(page, reverse("evaluations:minutes", args=[commission.pk])))
    for offer, _points in offers:
        assert offer.number in text, text
    assert world.chair.full_name in text and world.member.full_name in text, text
    # The member's conflict is on record, with the offer it concerns.
    assert f"{world.member.full_name} {offers[1][0].number}" in text, text
    return text


# 5. The decisions and the results.


def decide(page, offer, amount, reason=""):
    form = page.locator("main form:has(input[name=outcome])")
    form.locator("input[name=outcome][value=granted]").check()
    form.locator("input[name=amount]").fill(str(amount))
    form.locator("textarea[name=reason]").fill(reason)
    click_and_check(page, form.locator("button[type=submit]"))


def the_official_decides_and_publishes(page, world, correction):
    from wspolpraca.competitions.models import Call
    from wspolpraca.evaluations.models import Decision

    decisions_url = reverse("evaluations:decisions", args=[world.call.pk])
    to_the_call(page, world)
    follow(page, decisions_url)

    # 15% less than requested needs a reason: refused without one, next to the field.
    follow(page, reverse("evaluations:decide", args=[correction.pk]))
    decide(page, correction, GRANTED)
    assert not Decision.objects.filter(offer=correction).exists()
    expect(page.locator("#id_reason_error")).to_be_visible()
    expect(page.locator("main")).to_contain_text(money_text(GRANTED))
    decide(page, correction, GRANTED, CUT_REASON)
    assert path_of(page) == decisions_url, page.url
    decision = Decision.objects.get(offer=correction)
    assert (decision.outcome, decision.amount, decision.reason) == (
        Decision.Outcome.GRANTED,
        GRANTED,
        CUT_REASON,
    )
    follow(page, reverse("evaluations:decide", args=[world.other.pk]))
    decide(page, world.other, REQUESTED)
    assert path_of(page) == decisions_url, page.url

    follow(page, reverse("evaluations:publish_results", args=[world.call.pk]))
    press(page)
    results_url = reverse("evaluations:results", args=[world.call.pk])
    assert path_of(page) == results_url, page.url
    world.call.refresh_from_db()
    assert world.call.status == Call.Status.DECIDED


def anyone_reads_the_results(page, world):
    visit(page, world.call.get_absolute_url())
    follow(page, reverse("evaluations:results", args=[world.call.pk]))
    main = page.locator("main")
    expect(main).to_contain_text(world.foundation.name)
    expect(main).to_contain_text(money_text(GRANTED))
    expect(main).to_contain_text(world.association.name)


# 6. The agreement: the updated budget, its review, the signing and its PDF.


def the_foundation_sends_the_updated_budget(page, world, agreement):
    from wspolpraca.agreements.models import Agreement, BudgetUpdate

    my_account(page)
    follow(page, reverse("agreements:list"))
    follow(page, reverse("agreements:detail", args=[agreement.pk]))
    follow(page, reverse("agreements:budget_update", args=[agreement.pk]))
    # The trainer's hour costs less: 90 hours at 85 zł instead of 100 zł; the accounting
    # and the own contribution stay. 7 650 + 1 000 = the grant + the own contribution.
    rows = page.locator("main fieldset[data-cost-row]")
    trainer = rows.filter(has=page.locator('input[name$="-name"][value="Trenerka"]'))
    expect(trainer).to_have_count(1)
    trainer.locator('input[name$="-unit_cost"]').fill("85")
    page.locator("main textarea[name=note]").fill("Niższa stawka godzinowa trenerki.")
    press(page, shown("Continue"))
    assert path_of(page) == reverse("agreements:budget_check", args=[agreement.pk]), page.url
    expect(page.locator("main")).to_contain_text(money_text(Decimal("7650")))
    press(page, shown("Send the updated budget"))
    assert path_of(page) == reverse("agreements:detail", args=[agreement.pk]), page.url
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.BUDGET_REVIEW
    return BudgetUpdate.objects.get(agreement=agreement)


def the_official_accepts_the_budget_and_signs(page, world, agreement, update):
    from wspolpraca.agreements.models import Agreement

    detail_url = reverse("agreements:detail", args=[agreement.pk])
    my_account(page)
    follow(page, reverse("agreements:list"))
    follow(page, detail_url)
    follow(page, reverse("agreements:review_budget", args=[agreement.pk, update.pk]))
    follow(page, reverse("agreements:accept_budget", args=[agreement.pk, update.pk]))
    press(page)
    assert path_of(page) == detail_url, page.url
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.READY

    follow(page, reverse("agreements:sign", args=[agreement.pk]))
    form = page.locator("main form:has(input[name=city_representative])")
    form.locator("input[name=signed_on]").fill(timezone.localdate().isoformat())
    form.locator("input[name=city_representative]").fill("Jan Nowak, Zastępca Prezydenta Miasta")
    click_and_check(page, form.locator("button[type=submit]").first)
    # Check the agreement before recording the signing: the grant in figures and words.
    main = page.locator("main")
    expect(main).to_contain_text(money_text(GRANTED))
    expect(main).to_contain_text(GRANTED_IN_WORDS)
    click_and_check(page, main.locator("button[name=confirm]"))
    assert path_of(page) == detail_url, page.url
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED

    text = pdf_text(download(page, reverse("agreements:version_pdf", args=[agreement.pk, 1])))
    assert agreement.number in text, text
    assert money_text(GRANTED).replace("\xa0", " ") in text.replace("\xa0", " "), text
    assert GRANTED_IN_WORDS in text, text
    # The cost calculation is the updated one: the trainer at 85 zł an hour, 8 650 zł in all;
    # and the representatives are those of the corrected offer.
    assert money_text(Decimal("85")).replace("\xa0", " ") in text.replace("\xa0", " "), text
    assert money_text(Decimal("8650")).replace("\xa0", " ") in text.replace("\xa0", " "), text
    assert RIGHT_REPRESENTATIVES in text, text
    return text


# 7. The report.


def the_task_ends(agreement):
    """Time passes: the task, planned for the next year, is over. Its dates, and the period
    of its final report, are moved back to end yesterday, since a final report can be
    submitted only after its period (the agreement's signed version keeps the old ones)."""
    from wspolpraca.agreements.models import Agreement, Report
    from wspolpraca.agreements.reports import due_after

    ends = timezone.localdate() - dt.timedelta(days=1)
    starts = ends - dt.timedelta(days=60)
    Agreement.objects.filter(pk=agreement.pk).update(starts=starts, ends=ends)
    Report.objects.filter(agreement=agreement).update(
        period_starts=starts, period_ends=ends, due=due_after(ends)
    )
    return Report.objects.get(agreement=agreement)


def fill_the_report(page, report, own_financial):
    from wspolpraca.agreements import reports

    form = page.locator("main form.offer-form")
    form.locator("textarea[name=achievements]").fill(
        "40 osób ukończyło warsztaty (listy obecności)."
    )
    form.locator("textarea[name=actions]").fill(
        "Warsztaty odbyły się raz w tygodniu, jak w planie."
    )
    for field in form.locator("[name^=result_][name$=_achieved]").all():
        field.fill("40 osób")
    left = GRANTED
    for line in reports.working_content(report)["costs"]["lines"]:
        contract = Decimal(line["contract"])
        from_grant = min(contract, left)
        left -= from_grant
        form.locator(f"[name=line_{line['key']}_incurred]").fill(str(contract))
        form.locator(f"[name=line_{line['key']}_from_grant]").fill(str(from_grant))
    form.locator("[name=source_own_financial_actual]").fill(own_financial)
    form.locator("[name=source_own_non_financial_actual]").fill("500")
    form.locator("[name=source_other_public_actual]").fill("0")
    form.locator("[name=source_fees_actual]").fill("0")
    form.locator("[name=fees_info]").fill("brak")
    for declaration in form.locator("input[type=checkbox][name^=declaration_]").all():
        declaration.check()
    click_and_check(page, form.locator("button[name=check]"))
    assert path_of(page) == reverse("agreements:report_check", args=[report.pk]), page.url


def the_foundation_reports(page, world, agreement, report):
    from wspolpraca.agreements.models import Report

    report_url = reverse("agreements:report", args=[report.pk])
    edit_url = reverse("agreements:report_edit", args=[report.pk])
    my_account(page)
    follow(page, reverse("agreements:list"))
    follow(page, reverse("agreements:detail", args=[agreement.pk]))
    follow(page, report_url)
    follow(page, edit_url)
    # A slip: 50 zł of own money instead of 500; the sources do not add up to the costs.
    fill_the_report(page, report, own_financial="50")
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    problem = summary.locator(f'a[href="{edit_url}#id_source_own_financial_actual"]')
    expect(problem).to_have_count(1)
    expect(page.locator("main form button[type=submit]")).to_have_count(0)
    # The problem's link leads to the field, which keeps what was typed.
    click_and_check(page, problem)
    field = page.locator("#id_source_own_financial_actual")
    expect(field).to_have_value(re.compile(r"^50([,.]0+)?$"))
    fill_the_report(page, report, own_financial="500")
    expect(page.locator("main .error-summary")).to_have_count(0)
    press(page, shown("Submit the report"))
    assert path_of(page) == report_url, page.url
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def the_official_accepts_the_report(page, world, agreement, report):
    from wspolpraca.agreements.models import Report

    report_url = reverse("agreements:report", args=[report.pk])
    my_account(page)
    follow(page, reverse("agreements:list"))
    follow(page, reverse("agreements:detail", args=[agreement.pk]))
    follow(page, report_url)
    follow(page, reverse("agreements:report_review", args=[report.pk]))
    follow(page, reverse("agreements:report_accept", args=[report.pk]))
    press(page)
    assert path_of(page) == report_url, page.url
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED


# 8. The grant in the statistics and in the open data.


def anyone_finds_the_grant_in_the_statistics(page, world, decision):
    visit(page, reverse("pages:plane", args=["zadania-publiczne"]))
    follow(page, reverse("agreements:statistics"))
    main = page.locator("main")
    expect(main).to_contain_text(world.department.name)
    expect(main).to_contain_text(money_text(GRANTED + REQUESTED))
    url = reverse("api:grants-360giving-json")
    expect(main.locator(f'a[href="{url}"]')).to_have_count(1)
    response = page.request.get(url)
    assert response.ok, response.status
    grants = {grant["id"]: grant for grant in json.loads(response.body())["grants"]}
    ours = [grant for grant in grants.values() if grant["id"].endswith(f"-{decision.pk}")]
    assert len(ours) == 1, grants.keys()
    grant = ours[0]
    assert Decimal(str(grant["amountAwarded"])) == GRANTED, grant
    assert grant["recipientOrganization"][0]["name"] == world.foundation.name, grant
    assert grant["title"] == OFFER_TITLE, grant


@pytest.mark.both_widths
def test_offers_are_evaluated_granted_agreed_and_settled(page, window, world, mailoutbox):
    from wspolpraca.agreements.models import Agreement
    from wspolpraca.evaluations.models import Decision

    request = the_official_checks_the_offers(page, world)
    admin_page = window()
    correction = the_foundation_corrects_the_offer(admin_page, world, request, mailoutbox)
    the_official_checks_the_correction(page, world, correction)
    commission = the_official_appoints_the_commission(page, world)
    the_member_declares_a_conflict_and_scores(window(), world, commission, correction, world.other)
    the_chair_scores_and_closes(window(), world, commission, [(correction, 9), (world.other, 7)])
    the_official_decides_and_publishes(page, world, correction)
    public = window()
    anyone_reads_the_results(public, world)

    agreement = Agreement.objects.get(offer=correction)
    update = the_foundation_sends_the_updated_budget(admin_page, world, agreement)
    the_official_accepts_the_budget_and_signs(page, world, agreement, update)
    report = the_task_ends(agreement)
    the_foundation_reports(admin_page, world, agreement, report)
    the_official_accepts_the_report(page, world, agreement, report)
    anyone_finds_the_grant_in_the_statistics(public, world, Decision.objects.get(offer=correction))
