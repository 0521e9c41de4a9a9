"""The home page and the site search (X2)."""

import pytest
from django.urls import reverse

from wspolpraca.organizations import services
from wspolpraca.organizations.models import Organization
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory
from wspolpraca.pages.tests.factories import PageFactory

pytestmark = pytest.mark.django_db


def test_home_page_links_to_the_three_planes(client):
    html = client.get(reverse("home")).content.decode()

    for slug in ["polityki", "zadania-publiczne", "infrastruktura"]:
        assert f'href="{reverse("pages:plane", args=[slug])}"' in html


def test_home_page_search_form_sends_q_to_the_directory(client):
    html = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("organizations:list")}"' in html
    assert 'name="q"' in html


def test_home_page_counts_directory_and_verified_organizations(client):
    OrganizationFactory.create_batch(2)
    OrganizationFactory(verification=Organization.Verification.PENDING)
    OrganizationFactory(verification=Organization.Verification.REJECTED)

    response = client.get(reverse("home"))

    assert response.context["organization_count"] == 3
    assert response.context["verified_count"] == 2


def _home_counts(client):
    context = client.get(reverse("home")).context
    return context["organization_count"], context["verified_count"]


def _full_counts():
    public = Organization.objects.public()
    return public.count(), public.filter(verification=Organization.Verification.VERIFIED).count()


def test_home_page_counts_stay_right_as_organizations_are_added_hidden_and_verified(
    client, platform_admin
):
    OrganizationFactory.create_batch(3)
    pending = OrganizationFactory(verification=Organization.Verification.PENDING)
    assert _home_counts(client) == (4, 3)

    services.verify(pending, by=platform_admin)
    assert _home_counts(client) == (4, 4)

    hidden = Organization.objects.exclude(pk=pending.pk).first()
    hidden.is_hidden = True
    hidden.save()
    assert _home_counts(client) == (3, 3)

    rejected = OrganizationFactory(verification=Organization.Verification.PENDING)
    services.verify(rejected, by=platform_admin, approve=False, reason="Brak danych")
    assert _home_counts(client) == (3, 3)

    # A record read without the counted fields is recounted rather than guessed.
    partial = Organization.objects.only("name").get(pk=pending.pk)
    partial.name = "Nowa nazwa"
    partial.save()
    pending.delete()
    assert _home_counts(client) == (2, 2) == _full_counts()


def test_home_page_shows_only_the_five_newest_verified_organizations(client):
    OrganizationFactory(name="Najstarsza Fundacja")
    for i in range(5):
        OrganizationFactory(name=f"Nowa Fundacja {i}")
    OrganizationFactory(name="Czekająca Fundacja", verification=Organization.Verification.PENDING)

    newest = [org.name for org in client.get(reverse("home")).context["newest"]]

    assert len(newest) == 5
    assert "Najstarsza Fundacja" not in newest
    assert "Czekająca Fundacja" not in newest


@pytest.mark.parametrize("rows", [3, 30])
def test_home_page_query_count_does_not_grow_with_data(client, rows, django_assert_num_queries):
    district = DistrictFactory()
    OrganizationFactory.create_batch(rows, district=district)

    # counts, areas count, newest organizations
    with django_assert_num_queries(4):  # +1: when the data last changed (core.caching)
        client.get(reverse("home"))


def test_search_finds_an_organization_by_a_query_without_diacritics(client):
    OrganizationFactory(name="Stowarzyszenie Przyjaciół Łąk")

    response = client.get(reverse("pages:search"), {"q": "przyjaciol lak"})

    assert [org.name for org in response.context["organizations"]] == [
        "Stowarzyszenie Przyjaciół Łąk"
    ]


def test_search_finds_work_for_older_people_by_a_synonym(client):
    from wspolpraca.organizations.models import PublicBenefitArea

    OrganizationFactory(
        name="Fundacja Złota Jesień", areas=[PublicBenefitArea.objects.get(code="10")]
    )
    OrganizationFactory(name="Klub Sportowy Wisła")

    response = client.get(reverse("pages:search"), {"q": "emeryci"})

    assert [org.name for org in response.context["organizations"]] == ["Fundacja Złota Jesień"]


def test_search_does_not_show_hidden_organizations(client):
    OrganizationFactory(name="Ukryta Fundacja Testowa", is_hidden=True)

    response = client.get(reverse("pages:search"), {"q": "ukryta"})

    assert response.context["organizations"] == []


def test_search_finds_a_page_by_its_title(client):
    PageFactory(title_pl="Pracownie dla organizacji")

    response = client.get(reverse("pages:search"), {"q": "pracownie dla"})

    assert [page.title_pl for page in response.context["pages"]] == ["Pracownie dla organizacji"]


def test_search_does_not_show_unpublished_pages(client):
    PageFactory(title_pl="Szkic o salach", is_published=False)

    response = client.get(reverse("pages:search"), {"q": "szkic o salach"})

    assert list(response.context["pages"]) == []


def test_search_in_english_finds_pages_by_their_english_title(client):
    PageFactory(title_pl="Pracownie", title_en="Workshops for organizations")
    client.cookies["django_language"] = "en"

    response = client.get(reverse("pages:search"), {"q": "workshops for organizations"})

    assert [page.title_en for page in response.context["pages"]] == ["Workshops for organizations"]


def test_search_links_to_all_results_in_the_directory(client):
    html = client.get(reverse("pages:search"), {"q": "fundacja zdrowie"}).content.decode()

    assert f'href="{reverse("organizations:list")}?q=fundacja%20zdrowie"' in html


def test_empty_search_shows_a_prompt_and_runs_no_search_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # only when the data last changed (core.caching)
        response = client.get(reverse("pages:search"), {"q": "  "})

    assert response.status_code == 200
    assert response.context["organizations"] == []


@pytest.mark.parametrize("rows", [3, 30])
def test_search_query_count_does_not_grow_with_data(client, rows, django_assert_max_num_queries):
    district = DistrictFactory()
    OrganizationFactory.create_batch(rows, district=district)
    PageFactory.create_batch(rows, title_pl="Stowarzyszenie i strona")

    # when the data last changed; areas and districts (the search vocabulary); on SQLite
    # whether many rows hold the word; name matches counted to the limit, then read, then
    # the rest; matching pages
    with django_assert_max_num_queries(8):
        response = client.get(reverse("pages:search"), {"q": "stowarzyszenie"})

    assert len(response.context["organizations"]) == min(rows, 20)
