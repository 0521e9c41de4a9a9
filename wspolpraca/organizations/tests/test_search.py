"""Directory search: the same results whatever the database (run on SQLite and PostgreSQL)."""

import pytest

from wspolpraca.organizations.models import Organization
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "Fundacja Zdrowie Krakowa",
    "Stowarzyszenie Łódź Kultury",
    "Krakowskie Stowarzyszenie Seniorów",
    "Fundacja Dzieciom",
    "Klub Sportowy Wisła Nowa Huta",
    "Stowarzyszenie Przyjaciół Zwierząt",
]

# query → names expected, in order (name matches first, then by name)
EXPECTED = {
    "fundacji zdrowia": ["Fundacja Zdrowie Krakowa"],
    "lodz": ["Stowarzyszenie Łódź Kultury"],
    "ŁÓDŹ": ["Stowarzyszenie Łódź Kultury"],
    "łodzi": ["Stowarzyszenie Łódź Kultury"],
    "stowarzyszenia": [
        "Krakowskie Stowarzyszenie Seniorów",
        "Stowarzyszenie Łódź Kultury",
        "Stowarzyszenie Przyjaciół Zwierząt",
    ],
    "seniorow": ["Krakowskie Stowarzyszenie Seniorów"],
    "zwierzat": ["Stowarzyszenie Przyjaciół Zwierząt"],
    "wisla": ["Klub Sportowy Wisła Nowa Huta"],
    "nowej huty": ["Klub Sportowy Wisła Nowa Huta"],
    "fundacja": ["Fundacja Dzieciom", "Fundacja Zdrowie Krakowa"],
    "nieistniejace slowo": [],
    "": [],
}


@pytest.fixture
def organizations():
    return [OrganizationFactory(name=name) for name in NAMES]


def run(query):
    qs = Organization.objects.public().search(query).order_by("-name_hit", "sort_name", "id")
    return list(qs.values_list("name", flat=True))


@pytest.mark.parametrize("query", list(EXPECTED))
def test_fixed_queries_give_the_expected_results(organizations, query):
    assert run(query) == EXPECTED[query]


def test_name_matches_rank_before_description_matches():
    OrganizationFactory(name="Aaa Klub Turystyczny", description="Pomagamy seniorom w górach")
    OrganizationFactory(name="Zzz Seniorzy Razem")
    assert run("seniorzy") == ["Zzz Seniorzy Razem", "Aaa Klub Turystyczny"]


def test_edited_name_is_found_under_the_new_name_only(organizations):
    org = Organization.objects.get(name="Fundacja Dzieciom")
    org.name = "Fundacja Młodzieży"
    org.save()
    assert run("dzieciom") == []
    assert run("mlodziezy") == ["Fundacja Młodzieży"]


def test_deleted_organization_is_not_found(organizations):
    Organization.objects.filter(name="Fundacja Dzieciom").delete()
    assert run("dzieciom") == []


def test_directory_pages_follow_the_single_query_ranking(client):
    from django.urls import reverse

    for n in range(30):
        OrganizationFactory(name=f"Fundacja Numer {n:02d}")
        OrganizationFactory(name=f"Klub {n:02d}", description="wspiera fundację miejską")
    expected = run("fundacja")
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse("organizations:list"), {"q": "fundacja", "page": page})
        seen += [org.name for org in response.context["page"].object_list]
    assert seen == expected
    assert response.context["page"].paginator.count == 60


@pytest.mark.parametrize(("start", "stop"), [(0, 5), (3, 12), (10, 25), (20, 40)])
def test_name_hits_first_slices_match_the_single_query_ranking(start, stop):
    from wspolpraca.core.search import NameHitsFirst

    for n in range(10):
        OrganizationFactory(name=f"Fundacja Numer {n:02d}")
        OrganizationFactory(name=f"Klub {n:02d}", description="wspiera fundację miejską")
    ranked = NameHitsFirst(Organization.objects.public().search("fundacja").for_listing())
    assert [o.name for o in ranked[start:stop]] == run("fundacja")[start:stop]
    assert ranked.capped_count(1000) == 20
    assert ranked.capped_count(15) == 15
