"""The destructive actions of an organization's people ask on a page of their own, which
works without JavaScript and has no axe violation at either width."""

import pytest
from django.urls import reverse

from e2e.helpers import check_a11y, log_in, visit


@pytest.fixture
def admin_and_member(directory_data):
    from wspolpraca.accounts.tests.factories import PASSWORD, UserFactory
    from wspolpraca.organizations.models import Membership

    organization = directory_data.lodz
    admin = UserFactory()
    member = UserFactory(full_name="Anna Nowak")
    Membership.objects.create(organization=organization, user=admin, role="admin")
    Membership.objects.create(organization=organization, user=member, role="member")
    return organization, admin, member, PASSWORD


@pytest.mark.both_widths
def test_confirmation_pages_have_no_axe_violations(page, admin_and_member):
    from wspolpraca.organizations import services
    from wspolpraca.organizations.models import Membership

    organization, admin, member, password = admin_and_member
    invitation = services.invite(organization, "nowa@example.org", "member", by=admin)
    membership = Membership.objects.get(user=member)
    log_in(page, admin.email, password)
    slug = organization.slug
    visit(
        page, reverse("organizations:remove_member", args=[slug]) + f"?membership={membership.pk}"
    )
    visit(
        page, reverse("organizations:transfer_admin", args=[slug]) + f"?membership={membership.pk}"
    )
    visit(page, reverse("organizations:leave", args=[slug]))
    visit(page, reverse("organizations:cancel_invitation", args=[slug, invitation.pk]))


def test_an_admin_removes_a_member_through_the_confirmation_page_without_javascript(
    nojs_page, admin_and_member
):
    from wspolpraca.organizations.models import Membership

    organization, admin, member, password = admin_and_member
    page = nojs_page
    log_in(page, admin.email, password)
    visit(page, reverse("organizations:members", args=[organization.slug]))
    membership = Membership.objects.get(user=member)
    remove_url = reverse("organizations:remove_member", args=[organization.slug])
    page.locator(f'a[href="{remove_url}?membership={membership.pk}"]').click()
    assert "Anna Nowak" in page.locator("h1").inner_text()
    assert Membership.objects.filter(user=member).exists()
    check_a11y(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(reverse("organizations:members", args=[organization.slug]))
    assert not Membership.objects.filter(user=member).exists()
    check_a11y(page)
