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


# 2.0: never row by row (the index, on SQLite); 0.0: always.
@pytest.mark.parametrize("row_by_row_share", [2.0, 0.0], ids=["index", "row by row"])
def test_directory_pages_follow_the_single_query_ranking(client, monkeypatch, row_by_row_share):
    from django.urls import reverse

    monkeypatch.setattr("wspolpraca.core.search.ROW_BY_ROW_SHARE", row_by_row_share)

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


# Synonyms of the areas and names of the districts (the directory's search, both databases)


def directory(client, query, **params):
    from django.urls import reverse

    response = client.get(reverse("organizations:list"), {"q": query, **params})
    return [org.name for org in response.context["page"].object_list]


@pytest.fixture
def seniors_area():
    from wspolpraca.organizations.models import PublicBenefitArea

    return PublicBenefitArea.objects.get(code="10")


@pytest.fixture
def districts():
    from wspolpraca.organizations.tests.factories import DistrictFactory

    return {
        11: DistrictFactory(number=11, roman="XI", name="Podgórze Duchackie"),
        12: DistrictFactory(number=12, roman="XII", name="Bieżanów-Prokocim"),
        13: DistrictFactory(number=13, roman="XIII", name="Podgórze"),
        18: DistrictFactory(number=18, roman="XVIII", name="Nowa Huta"),
    }


@pytest.mark.parametrize(
    "query", ["emeryt", "emeryci", "emerytów", "seniorzy", "seniorów", "starsi", "Starszych"]
)
def test_words_for_older_people_find_organizations_of_the_older_people_area(
    client, seniors_area, query
):
    OrganizationFactory(name="Klub Złota Jesień", areas=[seniors_area])
    OrganizationFactory(name="Klub Sportowy Orzeł")
    assert directory(client, query) == ["Klub Złota Jesień"]


def test_a_synonym_adds_the_area_to_the_text_matches_without_losing_them(client, seniors_area):
    OrganizationFactory(name="Klub Złota Jesień", areas=[seniors_area])
    OrganizationFactory(name="Aaa Fundacja", description="Zajęcia dla seniorów z Bronowic")
    OrganizationFactory(name="Zzz Seniorzy Razem")
    # name matches first, then the rest by name
    assert directory(client, "seniorzy") == [
        "Zzz Seniorzy Razem",
        "Aaa Fundacja",
        "Klub Złota Jesień",
    ]


def test_every_other_word_of_the_query_still_has_to_match(client, seniors_area):
    OrganizationFactory(name="Klub Złota Jesień", city="Kraków", areas=[seniors_area])
    OrganizationFactory(name="Fundacja Seniorzy", city="Kraków")
    OrganizationFactory(name="Teatr Seniora", city="Wieliczka", areas=[seniors_area])
    assert directory(client, "seniorzy Wieliczka") == ["Teatr Seniora"]


def test_synonyms_edited_in_the_back_office_are_used_by_the_next_search(client, seniors_area):
    OrganizationFactory(name="Klub Złota Jesień", areas=[seniors_area])
    assert directory(client, "babcia") == []
    seniors_area.synonyms += ", babcia, dziadek"
    seniors_area.save()
    assert directory(client, "babcia") == ["Klub Złota Jesień"]


def test_a_search_naming_a_district_ranks_that_district_first(client, districts):
    OrganizationFactory(name="Aaa Teatr Podgórze", district=districts[18])
    OrganizationFactory(name="Zzz Klub Osiedlowy", district=districts[13])
    OrganizationFactory(name="Bbb Fundacja", district=districts[13], description="w Podgórzu")
    OrganizationFactory(name="Ccc Klub", district=districts[18])
    assert directory(client, "Podgórze") == [
        "Bbb Fundacja",
        "Zzz Klub Osiedlowy",
        "Aaa Teatr Podgórze",
    ]


@pytest.mark.parametrize(
    "query",
    ["Nowa Huta", "nowej huty", "w Nowej Hucie", "dzielnica XVIII", "dzielnicy 18", "XVIII"],
)
def test_the_ways_of_naming_a_district(client, districts, query):
    OrganizationFactory(name="Klub Osiedlowy", district=districts[18])
    OrganizationFactory(name="Klub Sąsiedzki", district=districts[13])
    names = directory(client, query)
    if query == "XVIII":  # a bare numeral is not a district name
        assert names == []
    else:
        assert names == ["Klub Osiedlowy"]


def test_a_numeral_names_only_its_own_district(client, districts):
    OrganizationFactory(name="W jedenastce", district=districts[11])
    OrganizationFactory(name="W trzynastce", district=districts[13])
    assert directory(client, "dzielnica XI") == ["W jedenastce"]


def test_the_longer_district_name_wins_over_the_shorter_one_inside_it(client, districts):
    OrganizationFactory(name="Na Duchackim", district=districts[11])
    OrganizationFactory(name="Na Podgórzu", district=districts[13])
    assert directory(client, "Podgórze Duchackie") == ["Na Duchackim"]


def test_a_part_of_a_hyphenated_district_name_names_the_district(client, districts):
    OrganizationFactory(name="Klub Osiedlowy", district=districts[12])
    assert directory(client, "Prokocim") == ["Klub Osiedlowy"]


def test_a_district_and_an_area_synonym_together(client, districts, seniors_area):
    OrganizationFactory(name="Seniorzy z Huty", district=districts[18], areas=[seniors_area])
    OrganizationFactory(name="Klub Osiedlowy", district=districts[18])
    OrganizationFactory(name="Seniorzy z Podgórza", district=districts[13], areas=[seniors_area])
    OrganizationFactory(name="Aaa Emeryci", description="spotkania: Nowa Huta")
    assert directory(client, "emeryci Nowa Huta") == ["Seniorzy z Huty", "Aaa Emeryci"]


def test_district_ranking_pages_hold_every_match_once(client, districts):
    for n in range(20):
        OrganizationFactory(name=f"Podgórze Klub {n:02d}", district=districts[18])
        OrganizationFactory(name=f"Zespół {n:02d}", district=districts[13])
    first = directory(client, "podgorze")
    second = directory(client, "podgorze", page=2)
    assert first[:20] == [f"Zespół {n:02d}" for n in range(20)]
    assert first[20:] + second == [f"Podgórze Klub {n:02d}" for n in range(20)]


def test_a_sort_chosen_by_the_person_overrides_the_district_ranking(client, districts):
    OrganizationFactory(name="Aaa Podgórze", district=districts[18])
    OrganizationFactory(name="Zzz Klub", district=districts[13])
    assert directory(client, "Podgórze", sort="name") == ["Aaa Podgórze", "Zzz Klub"]


@pytest.mark.parametrize("count", [3, 30])
def test_search_with_synonyms_and_a_district_keeps_a_constant_query_count(
    client, django_assert_max_num_queries, districts, seniors_area, count
):
    for n in range(count):
        OrganizationFactory(name=f"Org {n}", district=districts[18], areas=[seniors_area])
    # the areas and the districts (the selects' options and the search's vocabulary), the
    # count, the page, and its areas; +1: when the data last changed (core.caching); on
    # SQLite +1: how many rows of a sample match (core.search._many_rows_match)
    with django_assert_max_num_queries(7):
        assert len(directory(client, "emeryci nowa huta")) == min(count, 25)


# Testing each row instead of the full-text index (SQLite, for words many rows contain)


@pytest.fixture
def row_by_row(monkeypatch):
    """Every search tests each row itself (on SQLite; PostgreSQL always uses its index)."""
    monkeypatch.setattr("wspolpraca.core.search.ROW_BY_ROW_SHARE", 0.0)


@pytest.mark.parametrize("query", list(EXPECTED))
def test_testing_each_row_gives_the_same_results_as_the_index(organizations, row_by_row, query):
    assert run(query) == EXPECTED[query]


@pytest.mark.parametrize("query", list(EXPECTED))
def test_documents_tested_row_by_row_with_names_from_the_index_give_the_same_results(
    organizations, row_by_row, monkeypatch, query
):
    monkeypatch.setattr("wspolpraca.core.search.NAMES_ROW_BY_ROW_SHARE", 2.0)
    assert run(query) == EXPECTED[query]
    assert [o.name for o in directory_names_first(query)] == EXPECTED[query]


def directory_names_first(query):
    from wspolpraca.core.search import name_hits_first

    return name_hits_first(Organization.objects.public().search(query))[0:50]


def test_a_query_of_one_letter_words_lists_nothing_without_an_error(client, organizations):
    assert directory(client, "a i") == []


def test_testing_each_row_keeps_synonyms_and_districts(client, districts, seniors_area):
    OrganizationFactory(name="Klub Huty", district=districts[18], areas=[seniors_area])
    OrganizationFactory(name="Klub Seniora Nowa Huta")
    OrganizationFactory(name="Klub Gdzie Indziej", areas=[seniors_area])
    expected = directory(client, "seniorzy")
    assert expected == ["Klub Seniora Nowa Huta", "Klub Gdzie Indziej", "Klub Huty"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("wspolpraca.core.search.ROW_BY_ROW_SHARE", 0.0)
        assert directory(client, "seniorzy") == expected


def test_a_word_many_rows_contain_is_read_in_name_order_on_sqlite():
    from django.db import connection

    from wspolpraca.core.search import NameHitsFirst, name_hits_first

    for n in range(30):
        OrganizationFactory(name=f"Fundacja {n:02d}")
    OrganizationFactory(name="Klub Rzadki")  # 1 in 31: under ROW_BY_ROW_SHARE
    broad = name_hits_first(Organization.objects.public().search("fundacja"))
    rare = name_hits_first(Organization.objects.public().search("rzadki"))
    if connection.vendor == "sqlite":
        assert isinstance(broad, NameHitsFirst)
        assert not isinstance(rare, NameHitsFirst)
    assert [o.name for o in broad[0:2]] == ["Fundacja 00", "Fundacja 01"]


def test_a_word_and_its_longer_forms_are_one_prefix_in_the_index_query():
    from wspolpraca.core.search import _shortest_prefixes

    assert _shortest_prefixes(["krak", "krako", "krakow", "zdrow"]) == ["krak", "zdrow"]
