"""The city does not award a small grant, at 1366 and at 390 px, with axe on every page
visited: the department's official signs in for the first time and sets up two-factor
sign-in, finds the offer whose comments closed among the agreements, chooses not to award
it, is told at the field that the reasons are missing, gives them and confirms; the
organization's administrator signs in and reads the reasons on the offer's page.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import log_in, visit
from e2e.test_evaluation_walk import (
    _fresh_cache,  # noqa: F401  (TOTP codes are single-use: a clean cache)
    first_sign_in_with_totp,
    follow,
    my_account,
    path_of,
    press,
    shown,
    window,  # noqa: F401  (each person's own browser)
)
from e2e.test_staff_signin import new_staff

REASONS = "Środki na małe granty w tej dziedzinie wyczerpano we wrześniu."


@pytest.fixture
def world(db):
    """A small-grant offer sent to the department, its comment window closed; the
    department's official has an account never signed in, without a second factor."""
    from django.utils import timezone

    from wspolpraca.accounts.models import User
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.city.models import Official
    from wspolpraca.city.tests.factories import DepartmentFactory
    from wspolpraca.offers.models import Offer
    from wspolpraca.offers.services import submit_offer
    from wspolpraca.offers.tests.factories import complete_small_grant_offer
    from wspolpraca.organizations.models import Membership

    department = DepartmentFactory(name="Wydział Kultury", short_name="WK")
    official = new_staff(User.Role.OFFICIAL)
    Official.objects.create(user=official, department=department)
    offer = complete_small_grant_offer(department=department)
    admin = UserFactory(full_name="Anna Nowak")
    Membership.objects.create(
        organization=offer.organization, user=admin, role=Membership.Role.ADMIN
    )
    offer = submit_offer(offer, by=admin)
    Offer.objects.filter(pk=offer.pk).update(
        comments_open_until=timezone.now() - timedelta(minutes=1)
    )
    return SimpleNamespace(official=official, offer=offer, admin=admin, password=PASSWORD)


def the_official_does_not_award_it(page, world):
    from wspolpraca.core.models import AuditEntry
    from wspolpraca.evaluations.models import Decision

    offer = world.offer
    first_sign_in_with_totp(page, world.official)
    my_account(page)
    follow(page, reverse("agreements:list"))
    follow(page, reverse("agreements:small_grant", args=[offer.pk]))
    refuse_url = reverse("agreements:small_grant_refuse", args=[offer.pk])
    follow(page, refuse_url)
    press(page, shown("Do not award the grant"))
    assert path_of(page) == refuse_url, page.url
    expect(page.locator("main textarea[name=reason]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_reason_error")).to_be_visible()
    assert not Decision.objects.filter(offer=offer).exists()
    page.locator("main textarea[name=reason]").fill(REASONS)
    press(page, shown("Do not award the grant"))
    assert path_of(page) == reverse("agreements:list"), page.url
    small_grant_url = reverse("agreements:small_grant", args=[offer.pk])
    expect(page.locator(f'main a[href="{small_grant_url}"]')).to_have_count(0)
    decision = Decision.objects.get(offer=offer)
    assert (decision.outcome, decision.reason) == (Decision.Outcome.REJECTED, REASONS)
    assert AuditEntry.objects.filter(action="decision.small_grant_refused").count() == 1


def the_organization_reads_the_reasons(page, world):
    log_in(page, world.admin.email, world.password)
    visit(page, reverse("offers:receipt", args=[world.offer.pk]))
    expect(page.locator("#decision-heading").locator("xpath=..")).to_contain_text(REASONS)


@pytest.mark.both_widths
def test_the_city_does_not_award_a_small_grant_and_says_why(page, window, world):  # noqa: F811
    the_official_does_not_award_it(page, world)
    the_organization_reads_the_reasons(window(), world)
