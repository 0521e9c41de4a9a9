"""Small grants in a browser: a resident who has just signed up finds a small-grant offer
open for comments, signs in from its page, comments, and sees the comment published;
the organization's administrator gets an e-mail. Every page is checked with axe, at a
desktop and a phone width.

Inputs and links are found by id and by the data the test made: the templates' wording
is translated later and may change.
"""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, submit, visit
from e2e.test_staff_signin import CONFIRM_LINK, fill_and_submit, path_of
from wspolpraca.accounts.tests.factories import PASSWORD

TITLE = "Podwórko sąsiedzkie na Kazimierzu"


@pytest.fixture
def offers(db):
    """One offer in its comment window (submitted yesterday) and one past it."""
    from django.utils import timezone

    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.offers import small_grants
    from wspolpraca.offers.models import Offer
    from wspolpraca.organizations.models import Membership
    from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

    organization = OrganizationFactory(name="Stowarzyszenie Kazimierz Razem")
    admin = MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user
    department = DepartmentFactory(name="Wydział Polityki Społecznej")

    def offer(number, title, submitted_at):
        start, end = small_grants.comment_window(submitted_at)
        return Offer.objects.create(
            kind=Offer.Kind.SMALL_GRANT,
            status=Offer.Status.SUBMITTED,
            organization=organization,
            department=department,
            number=number,
            title=title,
            summary="Sąsiedzkie warsztaty ogrodnicze dla dzieci i seniorów.",
            starts=timezone.localdate() + timedelta(days=30),
            ends=timezone.localdate() + timedelta(days=60),
            requested_grant=Decimal("9000.00"),
            submitted_at=submitted_at,
            comments_open_from=start,
            comments_open_until=end,
            submitted_content={
                "sections": [
                    {
                        "title": "III. Zadanie",
                        "items": [
                            {"label": "Tytuł zadania", "value": title},
                            {"label": "Oczekiwane rezultaty", "value": "Zielone podwórko."},
                        ],
                    }
                ],
                "costs": {"total": "10\xa0000,00\xa0zł"},
                "sources": [
                    {
                        "label": "Wnioskowana dotacja",
                        "value": "9\xa0000,00\xa0zł",
                        "share": "90,00%",
                    },
                    {"label": "Wkład własny", "value": "1\xa0000,00\xa0zł", "share": "10,00%"},
                ],
            },
        )

    now = timezone.now()
    current = offer("OF/2026/000101", TITLE, now - timedelta(days=1))
    offer("OF/2026/000042", "Festyn zimowy", now - timedelta(days=40))
    return current, admin


@pytest.mark.both_widths
def test_a_resident_signs_up_and_comments_on_an_offer_open_for_comments(page, offers, mailoutbox):
    from wspolpraca.offers.models import OfferComment

    offer, admin = offers
    email = "sasiadka@example.org"

    # A new resident signs up and confirms the address from the e-mail.
    visit(page, reverse("account_signup"))
    fill_and_submit(page, {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    link = CONFIRM_LINK.search(mailoutbox[-1].body)
    assert link, f"no confirmation link in the e-mail:\n{mailoutbox[-1].body}"
    visit(page, urlsplit(link.group(0)).path)
    submit(page.locator("main form[method=post]:has(button[type=submit])").first)

    # The list of offers open for comments: the current one, not the one past its window.
    visit(page, reverse("small_grants:list"))
    expect(page.locator(".cards")).to_contain_text(TITLE)
    expect(page.locator(".cards")).not_to_contain_text("Festyn zimowy")
    page.locator(".cards h3 a", has_text=TITLE).click()
    assert path_of(page) == reverse("small_grants:detail", args=[offer.number]), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_a11y(page)

    # Not signed in yet: the page offers a sign-in that comes back to the offer.
    sign_in = page.locator("#sign-in-to-comment a").first
    with page.expect_navigation():
        sign_in.click()
    check_a11y(page)
    fill_and_submit(page, {"login": email, "password": PASSWORD})
    assert path_of(page) == reverse("small_grants:detail", args=[offer.number]), page.url

    # An empty comment is refused beside the field; the signature typed is kept.
    form = page.locator("#skomentuj form")
    form.locator("#id_author_name").fill("Sąsiadka z Kazimierza")
    submit(form)
    expect(page.locator("#id_text_error")).to_be_visible()
    expect(page.locator("#id_author_name")).to_have_value("Sąsiadka z Kazimierza")

    # The comment, published and signed.
    form = page.locator("#skomentuj form")
    form.locator("#id_text").fill("Proszę dodać zajęcia w soboty.\nChętnie pomogę.")
    submit(form)
    comment = OfferComment.objects.get(offer=offer)
    published = page.locator(f"#uwaga-{comment.pk}")
    expect(published).to_contain_text("Sąsiadka z Kazimierza")
    expect(published).to_contain_text("Proszę dodać zajęcia w soboty.")
    assert any(admin.email in message.to for message in mailoutbox), "the admin was not told"

    # The other tab lists the offer whose window has passed.
    visit(page, reverse("small_grants:after_comments"))
    expect(page.locator(".cards")).to_contain_text("Festyn zimowy")
