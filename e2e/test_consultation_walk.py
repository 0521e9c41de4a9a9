"""The acceptance walk of a consultation, at 1366 and at 390 px, with axe on every page
visited. Each person works in a browser of their own.

1. The department's official signs in for the first time (setting up TOTP) and prepares a
   consultation from the list: a 6-day information period is refused at `opens_on` and a
   20-day consultation at `closes_on`, nothing saved and what was typed kept; lawful dates
   save the draft, split at its "§" headings into sections. The official saves the
   sections, adds an open meeting and announces the consultation.
2. The two verified organizations of its area get one invitation each; the one of
   another area none.
3. The consultation opens. An organization's member submits a postulate on section 1 for
   the organization and one on the whole document for themselves.
4. A resident signs up and submits a postulate on the whole document, in almost the same
   words as the member's second one.
5. The consultation closes. The official accepts the section-1 postulate; takes the two
   similar ones as the suggested group, is refused "rejected" without a reason at the
   field, gives one (one answer for both); marks both answers reviewed and publishes
   them. Both authors get an e-mail.
6. The official publishes the report; it lists every postulate with its answer and reason,
   on the page and in the PDF. An anonymous visitor reads it.

Pages are found by their links' addresses (URL names) and forms by their fields' names;
buttons by their text through `shown()` (the msgid through the Polish catalogue).
"""

import re
import signal
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import TEST_TIMEOUT_S
from e2e.helpers import log_in, submit, visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (TOTP codes are single-use: a clean cache)
    download,
    first_sign_in_with_totp,
    follow,
    path_of,
    pdf_text,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)
from e2e.test_staff_signin import CONFIRM_LINK, fill_and_submit, new_staff

WALK_TIMEOUT_S = 3 * TEST_TIMEOUT_S
TITLE = "Program współpracy z organizacjami seniorów na 2027 rok"
DOCUMENT_TITLE = "Projekt uchwały w sprawie programu współpracy z organizacjami seniorów"
SUMMARY = "Program mówi, jak miasto wspiera kluby seniora i centrum organizacji pozarządowych."
DRAFT = (
    "§ 1 Cel programu\n"
    "Celem programu jest aktywność osób starszych w dzielnicach.\n"
    "\n"
    "§ 2 Centrum organizacji pozarządowych\n"
    "Centrum jest otwarte od poniedziałku do piątku w godzinach 8–16.\n"
)
SECTION_PROPOSAL = "Dopisać w celu programu wolontariat osób starszych."
SECTION_WHY = "Seniorzy chcą pomagać innym."
MEMBER_PROPOSAL = "Wydłużyć godziny otwarcia centrum organizacji pozarządowych wieczorami."
MEMBER_WHY = "Po pracy nie da się zdążyć do centrum."
RESIDENT_PROPOSAL = "Wydłużyć godziny otwarcia centrum organizacji pozarządowych wieczorem."
RESIDENT_WHY = "Po pracy nie zdążam do centrum."
REJECTION = "Budżet centrum na 2027 rok nie pozwala zatrudnić drugiej zmiany."
REPORT_SUMMARY = "Konsultacje ogłoszono z tygodniowym wyprzedzeniem; odbyło się jedno spotkanie."
RESIDENT_EMAIL = "sasiadka.seniorka@example.org"


@pytest.fixture(autouse=True)
def _longer_watchdog(_watchdog):
    """Four people's work from a draft to the published report, some 40 pages each checked
    by axe: three times the limit conftest gives one test, which still fails a hung
    browser."""
    signal.alarm(WALK_TIMEOUT_S)


@pytest.fixture
def world(db):
    """The department's official (an account never signed in, no second factor), two
    verified organizations with an address in the seniors' area (10), one in culture (16),
    and a plain member of the first."""
    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.city.models import Official
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.organizations.models import Membership, PublicBenefitArea
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    seniors, _created = PublicBenefitArea.objects.get_or_create(
        code="10", defaults={"label_pl": "działalności na rzecz osób w wieku emerytalnym"}
    )
    culture, _created = PublicBenefitArea.objects.get_or_create(
        code="16", defaults={"label_pl": "kultury, sztuki, ochrony dóbr kultury"}
    )
    department = DepartmentFactory(name="Wydział Polityki Społecznej", short_name="WPS")
    official = new_staff(User.Role.OFFICIAL)
    Official.objects.create(user=official, department=department)
    club = OrganizationFactory(
        name="Stowarzyszenie Klub Seniora Podgórze",
        email="klub@seniorzy-podgorze.example.org",
        areas=[seniors],
    )
    university = OrganizationFactory(
        name="Fundacja Uniwersytet Trzeciego Wieku",
        kind="foundation",
        email="biuro@utw.example.org",
        areas=[seniors, culture],
    )
    theatre = OrganizationFactory(
        name="Fundacja Teatr na Kazimierzu",
        kind="foundation",
        email="teatr@kazimierz.example.org",
        areas=[culture],
    )
    member = UserFactory(full_name="Halina Wójcik")
    Membership.objects.create(organization=club, user=member, role=Membership.Role.MEMBER)
    return SimpleNamespace(
        department=department,
        official=official,
        seniors=seniors,
        club=club,
        university=university,
        theatre=theatre,
        member=member,
        password=PASSWORD,
    )


def move_dates(consultation, information_from, opens_on, closes_on):
    """Time passes: the consultation's dates moved, as days passing would."""
    from wspolpraca.consultations.models import Consultation

    Consultation.objects.filter(pk=consultation.pk).update(
        information_from=information_from,
        opens_on=opens_on,
        closes_on=closes_on,
        report_due=closes_on + timedelta(days=30),
    )


# 1. The official prepares and announces the consultation.


def fill_the_consultation(form, world, opens_on, closes_on):
    today = timezone.localdate()
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=document_title]").fill(DOCUMENT_TITLE)
    form.locator("textarea[name=summary]").fill(SUMMARY)
    form.locator(f"input[name=areas][value='{world.seniors.pk}']").check()
    for kind in ("online", "meeting", "written"):
        form.locator(f"input[name=forms][value={kind}]").check()
    form.locator("input[name=information_from]").fill(today.isoformat())
    form.locator("input[name=opens_on]").fill(opens_on.isoformat())
    form.locator("input[name=closes_on]").fill(closes_on.isoformat())
    form.locator("textarea[name=draft_text]").fill(DRAFT)


def refused_at(page, field, other):
    """The date is refused beside `field` (and only there), what was typed is kept."""
    form = page.locator("main form[enctype]")
    expect(form.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
    expect(form.locator(f"#id_{field}_error")).to_be_visible()
    expect(form.locator(f"#id_{other}")).not_to_have_attribute("aria-invalid", "true")
    expect(form.locator("input[name=title]")).to_have_value(TITLE)
    expect(form.locator("textarea[name=summary]")).to_have_value(SUMMARY)
    expect(form.locator("textarea[name=draft_text]")).to_have_value(re.compile("§ 2 Centrum"))
    expect(form.locator("input[name=forms][value=meeting]")).to_be_checked()


def the_official_prepares_and_announces(page, world):
    from wspolpraca.consultations.models import Consultation, Invitation

    today = timezone.localdate()
    first_sign_in_with_totp(page, world.official)
    visit(page, reverse("consultations:list"))
    create_url = reverse("consultations:create")
    follow(page, create_url)

    # Six days of information: refused at the opening date.
    form = page.locator("main form[enctype]")
    fill_the_consultation(form, world, today + timedelta(days=6), today + timedelta(days=26))
    press(page, shown("Save the draft"))
    assert path_of(page) == create_url, page.url
    refused_at(page, "opens_on", "closes_on")
    assert not Consultation.objects.exists()

    # Seven days of information, but only twenty of consultation: refused at the closing.
    form = page.locator("main form[enctype]")
    form.locator("input[name=opens_on]").fill((today + timedelta(days=7)).isoformat())
    form.locator("input[name=closes_on]").fill((today + timedelta(days=26)).isoformat())
    press(page, shown("Save the draft"))
    assert path_of(page) == create_url, page.url
    refused_at(page, "closes_on", "opens_on")
    assert not Consultation.objects.exists()

    # Lawful dates: saved as a draft, split at its "§" headings.
    page.locator("main input[name=closes_on]").fill((today + timedelta(days=27)).isoformat())
    press(page, shown("Save the draft"))
    consultation = Consultation.objects.get()
    assert path_of(page) == reverse("consultations:sections", args=[consultation.slug]), page.url
    assert consultation.department == world.department
    assert (consultation.opens_on, consultation.closes_on) == (
        today + timedelta(days=7),
        today + timedelta(days=27),
    )
    assert consultation.report_due > consultation.closes_on
    assert sorted(consultation.forms) == ["meeting", "online", "written"]
    assert list(consultation.areas.all()) == [world.seniors]
    assert consultation.phase == Consultation.Phase.DRAFT
    titles = page.locator("main input[name$='-title']")
    expect(titles.nth(0)).to_have_value("§ 1 Cel programu")
    expect(titles.nth(1)).to_have_value("§ 2 Centrum organizacji pozarządowych")
    press(page, shown("Save the sections"))
    assert path_of(page) == consultation.get_absolute_url(), page.url
    assert list(consultation.sections.values_list("number", "title")) == [
        (1, "§ 1 Cel programu"),
        (2, "§ 2 Centrum organizacji pozarządowych"),
    ]

    # The open meeting, while the consultation is open.
    follow(page, reverse("consultations:meeting_add", args=[consultation.slug]))
    form = page.locator("main form")
    form.locator("input[name=kind][value=meeting]").check()
    form.locator("input[name=title]").fill("Spotkanie otwarte o programie")
    form.locator("input[name=day]").fill((today + timedelta(days=10)).isoformat())
    form.locator("input[name=starts]").fill("17:00")
    form.locator("input[name=ends]").fill("19:00")
    form.locator("input[name=place]").fill("Centrum Obywatelskie, ul. Reformacka 3")
    press(page, shown("Add the meeting"))
    assert path_of(page) == consultation.get_absolute_url(), page.url
    assert consultation.meetings.count() == 1

    # Check and announce.
    follow(page, reverse("consultations:announce", args=[consultation.slug]))
    main = page.locator("main")
    expect(main).to_contain_text(DOCUMENT_TITLE)
    expect(main).to_contain_text("§ 2 Centrum organizacji pozarządowych")
    expect(main).to_contain_text("Spotkanie otwarte o programie")
    expect(main.locator(".notice-error")).to_have_count(0)
    press(page, shown("Announce the consultation"))
    assert path_of(page) == consultation.get_absolute_url(), page.url
    consultation.refresh_from_db()
    assert consultation.announced_at is not None
    assert consultation.phase == Consultation.Phase.INFORMATION
    assert set(Invitation.objects.values_list("organization", flat=True)) == {
        world.club.pk,
        world.university.pk,
    }
    return consultation


# 2. The invitations.


def the_organizations_of_the_area_are_invited(world, mailoutbox):
    from wspolpraca.core.models import OutgoingEmail

    sent = OutgoingEmail.objects.filter(template="consultations/email/invitation.txt")
    assert sorted(sent.values_list("to", flat=True)) == sorted(
        [world.club.email, world.university.email]
    )
    assert all(e.status == OutgoingEmail.Status.SENT for e in sent)
    delivered = [m for m in mailoutbox if TITLE in m.subject]
    assert sorted(address for m in delivered for address in m.to) == sorted(
        [world.club.email, world.university.email]
    )


# 4. and 5. Postulates.


def submit_postulate(page, proposal, why, organization=None):
    form = page.locator("main form:has(textarea[name=proposal])")
    if organization is not None:
        form.locator(f"input[name=organization][value='{organization}']").check()
    form.locator("textarea[name=proposal]").fill(proposal)
    form.locator("textarea[name=justification]").fill(why)
    press(page, shown("Submit the postulate"))


def the_member_submits_two_postulates(page, world, consultation):
    from wspolpraca.consultations.models import Postulate

    log_in(page, world.member.email, world.password)
    visit(page, reverse("consultations:list"))
    follow(page, consultation.get_absolute_url())
    submit_url = reverse("consultations:submit", args=[consultation.slug])

    # On section 1, for the organization.
    follow(page, f"{submit_url}?sekcja=1", lands_on=submit_url)
    expect(page.locator("main select[name=section]")).to_have_value("1")
    submit_postulate(page, SECTION_PROPOSAL, SECTION_WHY, organization=world.club.pk)
    assert path_of(page) == consultation.get_absolute_url(), page.url
    first = Postulate.objects.get(consultation=consultation, number=1)
    assert (first.section.number, first.organization, first.author) == (
        1,
        world.club,
        world.member,
    )
    expect(page.locator("#postulat-1")).to_contain_text(SECTION_PROPOSAL)
    expect(page.locator("#postulat-1")).to_contain_text(world.club.name)

    # On the whole document, for themselves.
    follow(page, submit_url)
    submit_postulate(page, MEMBER_PROPOSAL, MEMBER_WHY, organization="")
    second = Postulate.objects.get(consultation=consultation, number=2)
    assert (second.section, second.organization, second.author) == (None, None, world.member)
    expect(page.locator("#postulat-2")).to_contain_text(MEMBER_PROPOSAL)


def the_resident_signs_up_and_submits(page, consultation, mailoutbox):
    from wspolpraca.accounts.tests.factories import PASSWORD
    from wspolpraca.consultations.models import Postulate

    visit(page, reverse("account_signup"))
    fill_and_submit(page, {"email": RESIDENT_EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    links = [CONFIRM_LINK.search(m.body) for m in mailoutbox if RESIDENT_EMAIL in m.to]
    links = [link for link in links if link]
    assert links, "no confirmation link in an e-mail to the resident"
    visit(page, urlsplit(links[-1].group(0)).path)
    submit(page.locator("main form[method=post]:has(button[type=submit])").first)
    log_in(page, RESIDENT_EMAIL, PASSWORD)

    visit(page, reverse("consultations:list"))
    follow(page, consultation.get_absolute_url())
    follow(page, reverse("consultations:submit", args=[consultation.slug]))
    # No organization: nothing to choose on whose behalf.
    expect(page.locator("main input[type=radio][name=organization]")).to_have_count(0)
    submit_postulate(page, RESIDENT_PROPOSAL, RESIDENT_WHY)
    third = Postulate.objects.get(consultation=consultation, number=3)
    assert (third.section, third.organization, third.author.email) == (None, None, RESIDENT_EMAIL)
    expect(page.locator("#postulat-3")).to_contain_text(RESIDENT_PROPOSAL)
    return third.author


# 7. The answers.


def the_official_answers_and_publishes(page, world, consultation):
    from wspolpraca.consultations.models import Consultation, Postulate, Response

    slug = consultation.slug
    answers_url = reverse("consultations:answers", args=[slug])
    visit(page, consultation.get_absolute_url())
    follow(page, answers_url)

    # The organization's postulate on section 1: accepted.
    follow(page, reverse("consultations:answer", args=[slug, 1]))
    page.locator("main input[name=outcome][value=accepted]").check()
    press(page, shown("Save the answer"))
    assert path_of(page) == answers_url, page.url
    assert Postulate.objects.get(consultation=consultation, number=1).response.outcome == (
        Response.Outcome.ACCEPTED
    )

    # The two similar ones, as the platform suggests: one answer.
    group = page.locator("main form:has(input[name=numbers][value='2'][checked])")
    expect(group.locator("input[name=numbers]")).to_have_count(2)
    expect(group.locator("input[name=numbers][value='3']")).to_be_checked()
    press(page, shown("Answer these together"))
    group_url = reverse("consultations:answer_group", args=[slug])
    assert path_of(page) == group_url, page.url
    expect(page.locator("main")).to_contain_text(MEMBER_PROPOSAL)
    expect(page.locator("main")).to_contain_text(RESIDENT_PROPOSAL)

    # Rejected without a reason: refused at the field.
    page.locator("main input[name=outcome][value=rejected]").check()
    press(page, shown("Save the answer"))
    assert path_of(page) == group_url, page.url
    reason = page.locator("main textarea[name=reason]")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_reason_error")).to_be_visible()
    expect(page.locator("main input[name=outcome][value=rejected]")).to_be_checked()
    assert Response.objects.filter(consultation=consultation).count() == 1

    reason.fill(REJECTION)
    press(page, shown("Save the answer"))
    assert path_of(page) == answers_url, page.url
    second, third = Postulate.objects.filter(consultation=consultation, number__in=[2, 3])
    assert second.response_id == third.response_id is not None
    assert (second.response.outcome, second.response.reason) == (
        Response.Outcome.REJECTED,
        REJECTION,
    )
    assert Response.objects.filter(consultation=consultation).count() == 2
    # The group is answered: no longer suggested.
    expect(page.get_by_role("button", name=shown("Answer these together"))).to_have_count(0)

    # Each answer reviewed (the group's once, for both).
    review = shown("Mark the answer to no. %(n)s as reviewed")
    press(page, review % {"n": 1})
    press(page, review % {"n": 2})
    expect(page.locator("main table button")).to_have_count(0)
    assert (
        not Response.objects.filter(consultation=consultation)
        .exclude(status=Response.Status.REVIEWED)
        .exists()
    )

    # Publish them all.
    follow(page, reverse("consultations:publish_answers", args=[slug]))
    press(page, shown("Publish the answers"))
    assert path_of(page) == reverse("consultations:report", args=[slug]), page.url
    consultation = Consultation.objects.get(pk=consultation.pk)
    assert consultation.answers_published_at is not None
    assert consultation.phase == Consultation.Phase.ANSWERED
    assert consultation.tracked_postulates.get().postulate.number == 1
    return consultation


def the_authors_are_told(world, resident):
    from wspolpraca.core.models import OutgoingEmail

    told = OutgoingEmail.objects.filter(template="consultations/email/answers_published.txt")
    assert sorted(told.values_list("to", flat=True)) == sorted([world.member.email, resident.email])


# 9. and 10. The report.


def shows_every_postulate(scope, outcomes):
    for proposal, why, outcome, reason in outcomes:
        row = scope.locator("tr", has_text=proposal)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(why)
        expect(row).to_contain_text(outcome)
        if reason:
            expect(row).to_contain_text(reason)


def outcome_shown(outcome):
    """An answer's outcome as the pages show it (its label through the Polish catalogue)."""
    from django.utils import translation

    with translation.override("pl"):
        return str(outcome.label)


def expected_outcomes():
    from wspolpraca.consultations.models import Response

    accepted = outcome_shown(Response.Outcome.ACCEPTED)
    rejected = outcome_shown(Response.Outcome.REJECTED)
    return [
        (SECTION_PROPOSAL, SECTION_WHY, accepted, ""),
        (MEMBER_PROPOSAL, MEMBER_WHY, rejected, REJECTION),
        (RESIDENT_PROPOSAL, RESIDENT_WHY, rejected, REJECTION),
    ]


def the_official_publishes_the_report(page, world, consultation):
    from wspolpraca.consultations.models import Consultation

    slug = consultation.slug
    report_url = reverse("consultations:report", args=[slug])
    # The preview (where publishing the answers led), then publication.
    assert path_of(page) == report_url, page.url
    shows_every_postulate(page.locator("main"), expected_outcomes())
    follow(page, reverse("consultations:publish_report", args=[slug]))
    page.locator("main textarea[name=summary]").fill(REPORT_SUMMARY)
    press(page, shown("Publish the report"))
    assert path_of(page) == report_url, page.url
    consultation = Consultation.objects.get(pk=consultation.pk)
    assert consultation.phase == Consultation.Phase.REPORTED
    assert consultation.report_summary == REPORT_SUMMARY
    assert consultation.report_pdf, "the report's PDF was not made"
    main = page.locator("main")
    expect(main).to_contain_text(REPORT_SUMMARY)
    shows_every_postulate(main, expected_outcomes())

    text = pdf_text(download(page, reverse("consultations:report_pdf", args=[slug])))
    assert TITLE in text, text
    for proposal, why, outcome, reason in expected_outcomes():
        assert proposal in text, (proposal, text)
        assert why in text, (why, text)
        assert outcome in text, (outcome, text)
        assert reason in text, (reason, text)
    return consultation


def a_visitor_reads_the_report(page, consultation):
    visit(page, reverse("consultations:list"))
    follow(page, consultation.get_absolute_url())
    follow(page, reverse("consultations:report", args=[consultation.slug]))
    main = page.locator("main")
    expect(main).to_contain_text(REPORT_SUMMARY)
    shows_every_postulate(main, expected_outcomes())
    expect(
        main.locator(f'a[href="{reverse("consultations:report_pdf", args=[consultation.slug])}"]')
    ).to_have_count(1)


@pytest.mark.both_widths
def test_a_consultation_from_its_draft_to_the_published_report(
    page,
    window,  # noqa: F811
    world,
    mailoutbox,
):
    today = timezone.localdate()
    consultation = the_official_prepares_and_announces(page, world)
    the_organizations_of_the_area_are_invited(world, mailoutbox)

    # It opened yesterday.
    move_dates(
        consultation,
        today - timedelta(days=8),
        today - timedelta(days=1),
        today + timedelta(days=20),
    )
    the_member_submits_two_postulates(window(), world, consultation)
    resident = the_resident_signs_up_and_submits(window(), consultation, mailoutbox)

    # It closed yesterday.
    move_dates(
        consultation,
        today - timedelta(days=30),
        today - timedelta(days=22),
        today - timedelta(days=1),
    )
    consultation = the_official_answers_and_publishes(page, world, consultation)
    the_authors_are_told(world, resident)
    consultation = the_official_publishes_the_report(page, world, consultation)
    a_visitor_reads_the_report(window(), consultation)
