"""Publishing, changing, closing, extending and moderating posts, through the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.city.tests.factories import PublicBenefitAreaFactory
from wspolpraca.core.audit import AuditEntry
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.exchange.models import AbuseReport, Post
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganizationFactory,
)

from .factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CREATE = reverse("exchange:create")
CHECK = reverse("exchange:check")
LIST = reverse("exchange:list")


@pytest.fixture
def area():
    return PublicBenefitAreaFactory(code="33")


def _answers(**changes):
    values = {
        "side": "need",
        "category": "volunteers",
        "title": "Wolontariusze do festynu",
        "description": "Szukamy pięciu osób do pomocy przy festynie w czerwcu.",
        "expires_on": "",
        "district": "",
    }
    values.update(changes)
    return values


# Publishing


def test_a_member_publishes_for_the_organization_after_checking_the_answers(
    client, organization, org_member, area
):
    login(client, org_member)
    response = client.post(CREATE, {"author": organization.pk, "areas": [area.pk], **_answers()})
    assert response.status_code == 302 and response.url == CHECK
    assert not Post.objects.exists()  # nothing is published before the check page's button
    page = client.get(CHECK).content.decode()
    assert "Wolontariusze do festynu" in page
    assert f'href="{CREATE}#id_title"' in page
    response = client.post(CHECK)
    post = Post.objects.get()
    assert response.url == post.get_absolute_url()
    assert post.organization == organization
    assert post.created_by == org_member
    assert list(post.areas.all()) == [area]
    assert post.expires_on == timezone.localdate() + timedelta(days=60)
    entry = AuditEntry.objects.get(action="exchange_post.published")
    assert entry.object_id == str(post.pk) and entry.actor == org_member


def test_change_on_the_check_page_returns_to_the_form_with_what_was_typed(
    client, organization, org_member, area
):
    login(client, org_member)
    client.post(CREATE, {"author": organization.pk, "areas": [area.pk], **_answers()})
    page = client.get(CREATE).content.decode()
    assert 'value="Wolontariusze do festynu"' in page


def test_a_missing_title_is_shown_next_to_the_field_and_the_description_is_kept(
    client, organization, org_member, area
):
    login(client, org_member)
    response = client.post(
        CREATE, {"author": organization.pk, "areas": [area.pk], **_answers(title="")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Enter the title."]
    assert "Szukamy pięciu osób" in response.content.decode()


def test_a_person_cannot_post_for_an_organization_they_do_not_belong_to(
    client, other_organization, org_member, area
):
    login(client, org_member)
    response = client.post(
        CREATE, {"author": other_organization.pk, "areas": [area.pk], **_answers()}
    )
    assert response.status_code == 200
    assert "author" in response.context["form"].errors


def test_a_company_posts_an_offer_with_a_checked_nip(client, outsider, area):
    login(client, outsider)
    client.post(
        CREATE,
        {
            "author": "business",
            "company_name": "Kancelaria Prawna Nowak",
            "company_nip": "PL 521-300-37-00",
            "areas": [area.pk],
            **_answers(side="offer", category="pro_bono", title="Porady prawne pro bono"),
        },
    )
    client.post(CHECK)
    post = Post.objects.get()
    assert post.author_kind == Post.AuthorKind.BUSINESS
    assert post.organization is None
    assert post.company_name == "Kancelaria Prawna Nowak"
    assert post.company_nip == "5213003700"


def test_a_wrong_nip_is_refused_next_to_its_field(client, outsider, area):
    login(client, outsider)
    response = client.post(
        CREATE,
        {
            "author": "business",
            "company_name": "Firma",
            "company_nip": "1234567890",
            "areas": [area.pk],
            **_answers(side="offer", category="pro_bono"),
        },
    )
    assert response.context["form"].errors["company_nip"] == [
        "This NIP is not valid: check the ten digits."
    ]


def test_a_company_cannot_post_a_need(client, outsider, area):
    login(client, outsider)
    response = client.post(
        CREATE,
        {
            "author": "business",
            "company_name": "Firma",
            "areas": [area.pk],
            **_answers(side="need", category="pro_bono"),
        },
    )
    assert response.context["form"].errors["side"] == ["A business posts offers only."]


def test_a_company_cannot_offer_an_organizations_category(client, outsider, area):
    login(client, outsider)
    response = client.post(
        CREATE,
        {
            "author": "business",
            "company_name": "Firma",
            "areas": [area.pk],
            **_answers(side="offer", category="volunteers"),
        },
    )
    assert "category" in response.context["form"].errors


def test_a_company_post_needs_the_company_name(client, outsider, area):
    login(client, outsider)
    response = client.post(
        CREATE,
        {"author": "business", "areas": [area.pk], **_answers(side="offer", category="pro_bono")},
    )
    assert response.context["form"].errors["company_name"] == ["Enter the name of the company."]


def test_an_expiry_beyond_ninety_days_is_refused(client, organization, org_member, area):
    login(client, org_member)
    late = timezone.localdate() + timedelta(days=91)
    response = client.post(
        CREATE,
        {
            "author": organization.pk,
            "areas": [area.pk],
            **_answers(expires_on=late.isoformat()),
        },
    )
    assert "at most 90 days" in response.context["form"].errors["expires_on"][0]


def test_the_maximum_comes_from_the_setting(client, organization, org_member, area, settings):
    settings.EXCHANGE_MAX_DAYS = 30
    login(client, org_member)
    late = timezone.localdate() + timedelta(days=31)
    response = client.post(
        CREATE,
        {"author": organization.pk, "areas": [area.pk], **_answers(expires_on=late.isoformat())},
    )
    assert "at most 30 days" in response.context["form"].errors["expires_on"][0]


def test_publishing_needs_a_signed_in_person(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


# Changing, closing, extending: the other organization is refused


@pytest.fixture
def other_post(other_organization):
    return PostFactory(organization=other_organization)


def test_a_member_of_another_organization_cannot_change_the_post(client, org_member, other_post):
    login(client, org_member)
    url = reverse("exchange:edit", args=[other_post.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _answers()).status_code == 403
    other_post.refresh_from_db()
    assert other_post.title != "Wolontariusze do festynu"


def test_a_member_of_another_organization_cannot_close_the_post(client, org_member, other_post):
    login(client, org_member)
    assert client.post(reverse("exchange:close", args=[other_post.pk])).status_code == 403
    other_post.refresh_from_db()
    assert other_post.status == Post.Status.OPEN


def test_a_member_of_another_organization_cannot_extend_the_post(client, org_member, other_post):
    login(client, org_member)
    before = other_post.expires_on
    assert client.post(reverse("exchange:extend", args=[other_post.pk])).status_code == 403
    other_post.refresh_from_db()
    assert other_post.expires_on == before


def test_another_person_cannot_change_a_company_post(client, outsider):
    post = PostFactory(business=True)
    login(client, outsider)
    assert client.get(reverse("exchange:edit", args=[post.pk])).status_code == 403


def test_any_member_of_the_organization_changes_its_post_and_the_change_is_audited(
    client, organization, org_member, area
):
    post = PostFactory(organization=organization, areas=[area])
    login(client, org_member)
    response = client.post(
        reverse("exchange:edit", args=[post.pk]),
        {
            **_answers(side="offer", category="equipment", title="Nowy tytuł"),
            "areas": [area.pk],
            "expires_on": post.expires_on.isoformat(),
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Nowy tytuł"
    entry = AuditEntry.objects.get(action="exchange_post.changed")
    assert entry.changes["title"][1] == "Nowy tytuł"


def test_closing_asks_first_and_then_takes_the_post_off_the_list(client, organization, org_member):
    post = PostFactory(organization=organization)
    login(client, org_member)
    url = reverse("exchange:close", args=[post.pk])
    page = client.get(url).content.decode()
    assert "Close the post" in page
    post.refresh_from_db()
    assert post.status == Post.Status.OPEN
    client.post(url, {"outcome": "matched_here"})
    post.refresh_from_db()
    assert post.status == Post.Status.CLOSED
    assert post.outcome == "matched_here"
    assert AuditEntry.objects.filter(action="exchange_post.closed").exists()
    assert post.title not in client.get(LIST).content.decode()


def test_a_closed_post_cannot_be_changed(client, organization, org_member):
    post = PostFactory(organization=organization, status=Post.Status.CLOSED)
    login(client, org_member)
    response = client.get(reverse("exchange:edit", args=[post.pk]))
    assert response.status_code == 302


def test_extending_an_expired_post_opens_it_again_for_the_default_period(
    client, organization, org_member
):
    post = PostFactory(
        organization=organization,
        status=Post.Status.EXPIRED,
        expires_on=timezone.localdate() - timedelta(days=3),
    )
    login(client, org_member)
    client.post(reverse("exchange:extend", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == Post.Status.OPEN
    assert post.expires_on == timezone.localdate() + timedelta(days=60)
    assert AuditEntry.objects.filter(action="exchange_post.extended").exists()


def test_a_post_past_its_date_is_expired_without_any_job(client):
    post = PostFactory(expires_on=timezone.localdate() - timedelta(days=1))
    assert post.status == Post.Status.OPEN
    assert post.state == Post.Status.EXPIRED
    assert post.title not in client.get(LIST).content.decode()
    assert "expired on" in client.get(post.get_absolute_url()).content.decode()


# Moderation


@pytest.fixture
def hidden_post(organization):
    return PostFactory(organization=organization, is_hidden=True, hidden_reason="Reklama.")


def test_a_hidden_post_is_not_found_by_strangers(client, outsider, hidden_post):
    assert client.get(hidden_post.get_absolute_url()).status_code == 404
    login(client, outsider)
    assert client.get(hidden_post.get_absolute_url()).status_code == 404


def test_a_hidden_post_shows_its_side_the_reason(client, org_member, hidden_post):
    login(client, org_member)
    assert "Reklama." in client.get(hidden_post.get_absolute_url()).content.decode()


def test_a_member_cannot_hide_a_post(client, org_member, other_post):
    login(client, org_member)
    url = reverse("exchange:hide", args=[other_post.pk])
    assert client.post(url, {"reason": "Spam"}).status_code == 403
    other_post.refresh_from_db()
    assert not other_post.is_hidden


def test_a_moderator_hides_with_a_reason_audited_and_the_author_told(
    client, platform_admin, organization, django_capture_on_commit_callbacks
):
    admin_of_org = MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user
    post = PostFactory(organization=organization)
    login(client, platform_admin)
    url = reverse("exchange:hide", args=[post.pk])
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Ogłoszenie komercyjne."})
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_by == platform_admin
    entry = AuditEntry.objects.get(action="exchange_post.hidden")
    assert entry.changes["hidden_reason"][1] == "Ogłoszenie komercyjne."
    told = OutgoingEmail.objects.get(to=admin_of_org.email)
    assert "Ogłoszenie komercyjne." in told.body


def test_a_moderator_shows_a_hidden_post_again(client, platform_admin, hidden_post):
    login(client, platform_admin)
    client.post(reverse("exchange:hide", args=[hidden_post.pk]))
    hidden_post.refresh_from_db()
    assert not hidden_post.is_hidden
    assert AuditEntry.objects.filter(action="exchange_post.shown").exists()


def test_a_signed_in_person_reports_a_post_and_the_platform_admins_are_told(
    client, outsider, platform_admin, django_capture_on_commit_callbacks
):
    post = PostFactory()
    login(client, outsider)
    url = reverse("exchange:report", args=[post.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "To jest reklama sklepu."})
    assert response.status_code == 302
    assert AbuseReport.objects.get().reporter == outsider
    told = OutgoingEmail.objects.get(to=platform_admin.email)
    assert "To jest reklama sklepu." in told.body
    assert outsider.email not in told.body


def test_a_second_report_by_the_same_person_is_refused(client, outsider):
    post = PostFactory()
    login(client, outsider)
    url = reverse("exchange:report", args=[post.pk])
    client.post(url, {"reason": "Reklama."})
    response = client.post(url, {"reason": "Reklama."})
    assert "already reported" in response.context["form"].errors["reason"][0]
    assert AbuseReport.objects.count() == 1


def test_reporting_needs_a_signed_in_person(client):
    post = PostFactory()
    response = client.post(reverse("exchange:report", args=[post.pk]), {"reason": "x"})
    assert response.status_code == 302
    assert not AbuseReport.objects.exists()


def test_the_report_link_is_only_for_signed_in_people(client, outsider):
    post = PostFactory()
    report_url = reverse("exchange:report", args=[post.pk])
    assert report_url not in client.get(post.get_absolute_url()).content.decode()
    login(client, outsider)
    assert report_url in client.get(post.get_absolute_url()).content.decode()


def test_my_posts_lists_the_organizations_posts_and_own_company_posts_only(client, outsider):
    organization = OrganizationFactory()
    Membership.objects.create(organization=organization, user=outsider)
    ours = PostFactory(organization=organization, status=Post.Status.CLOSED)
    company = PostFactory(business=True, created_by=outsider)
    theirs = PostFactory()
    someone_elses_company = PostFactory(business=True, created_by=UserFactory())
    login(client, outsider)
    page = client.get(reverse("exchange:mine")).content.decode()
    assert ours.title in page and company.title in page
    assert theirs.title not in page and someone_elses_company.title not in page


def test_a_district_post_and_a_whole_city_post_show_their_place(client):
    district = DistrictFactory(number=18, roman="XVIII", name="Nowa Huta")
    local = PostFactory(district=district)
    everywhere = PostFactory()
    assert "XVIII Nowa Huta" in client.get(local.get_absolute_url()).content.decode()
    assert "the whole city" in client.get(everywhere.get_absolute_url()).content.decode()


def test_my_posts_makes_the_same_queries_for_3_and_30_posts(client, organization, org_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _n in range(3):
        PostFactory(organization=organization)
    login(client, org_member)
    url = reverse("exchange:mine")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(27):
        PostFactory(organization=organization, status=Post.Status.CLOSED if n % 3 else "open")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == Post.PER_PAGE
    assert len(many) == len(few)
