import pytest
from django.urls import reverse

from wspolpraca.organizations.models import District, Organization, PublicBenefitArea
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("organizations:list")


@pytest.fixture
def podgorze():
    return DistrictFactory(number=13, roman="XIII", name="Podgórze")


@pytest.fixture
def culture():
    return PublicBenefitArea.objects.get(code="16")


def names(response):
    return [org.name for org in response.context["page"].object_list]


def test_directory_lists_public_organizations_by_name(client):
    OrganizationFactory(name="Beta")
    OrganizationFactory(name="Alfa")
    assert names(client.get(LIST)) == ["Alfa", "Beta"]


def test_rejected_and_hidden_organizations_are_not_listed(client):
    OrganizationFactory(name="Widoczna")
    OrganizationFactory(name="Odrzucona", verification=Organization.Verification.REJECTED)
    OrganizationFactory(name="Ukryta", is_hidden=True)
    assert names(client.get(LIST)) == ["Widoczna"]


def test_filters_by_district_and_area_together(client, podgorze, culture):
    match = OrganizationFactory(name="Teatr w Podgórzu", district=podgorze, areas=[culture])
    OrganizationFactory(name="Teatr gdzie indziej", areas=[culture])
    OrganizationFactory(name="Sport w Podgórzu", district=podgorze)
    response = client.get(LIST, {"district": 13, "area": "16"})
    assert names(response) == [match.name]


def test_filters_by_kind_opp_and_verification(client):
    OrganizationFactory(name="A", kind="foundation", is_public_benefit=True)
    OrganizationFactory(name="B", kind="foundation", is_public_benefit=False)
    OrganizationFactory(name="C", kind="association", is_public_benefit=True)
    OrganizationFactory(name="D", kind="foundation", is_public_benefit=True, verification="pending")
    response = client.get(LIST, {"kind": "foundation", "opp": "true", "verified": "true"})
    assert names(response) == ["A"]


def test_search_without_diacritics_finds_the_name_with_them(client):
    OrganizationFactory(name="Stowarzyszenie Łódź Kultury")
    assert names(client.get(LIST, {"q": "lodz"})) == ["Stowarzyszenie Łódź Kultury"]


def test_sort_newest_first(client):
    OrganizationFactory(name="Starsza")
    OrganizationFactory(name="Nowsza")
    assert names(client.get(LIST, {"sort": "-created"})) == ["Nowsza", "Starsza"]


def test_invalid_filter_value_is_reported_not_crashed(client):
    response = client.get(LIST, {"district": "99"})
    assert response.status_code == 200
    assert "district" in response.context["filter"].form.errors


def test_pagination_keeps_the_filters_in_the_links(client, culture):
    for n in range(30):
        OrganizationFactory(name=f"Org {n:02d}", areas=[culture])
    response = client.get(LIST, {"area": "16"})
    assert response.context["page"].paginator.num_pages == 2
    assert "area=16&amp;page=2" in response.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client):
    OrganizationFactory(name="Fragment")
    response = client.get(LIST, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"Fragment" in response.content


@pytest.mark.parametrize("count", [3, 40])
def test_search_query_count_does_not_grow_with_data(
    client, django_assert_max_num_queries, culture, podgorze, count
):
    for n in range(count):
        OrganizationFactory(name=f"Org {n}", district=podgorze, areas=[culture])
    # validating the area and district values, the choices of the two filter selects, the
    # capped counts of name matches and of the rest, the page's rows from each part, and
    # their areas: never more than nine, however many organizations match
    with django_assert_max_num_queries(10):  # +1: when the data last changed (core.caching)
        client.get(LIST, {"q": "org", "area": "16", "district": "13"})


@pytest.mark.parametrize("count", [3, 40])
def test_filtered_list_query_count_does_not_grow_with_data(
    client, django_assert_num_queries, culture, podgorze, count
):
    for n in range(count):
        OrganizationFactory(name=f"Org {n}", district=podgorze, areas=[culture])
    # validating the area and district values, the count, the page and its areas, and the
    # choices of the two filter selects
    with django_assert_num_queries(8):  # +1: when the data last changed (core.caching)
        client.get(LIST, {"area": "16", "district": "13"})


@pytest.mark.parametrize("count", [3, 40])
def test_detail_query_count_does_not_grow_with_data(
    client, django_assert_num_queries, culture, count
):
    org = OrganizationFactory(name="Szczegóły", areas=[culture])
    for n in range(count):
        OrganizationFactory(name=f"Inna {n}", areas=[culture])
    client.get(org.get_absolute_url())  # the first visit also writes the cache keys
    # +1 when the data last changed (core.caching), +1 the grants section's freshness key
    with django_assert_num_queries(5):
        client.get(org.get_absolute_url())


@pytest.mark.parametrize("count", [3, 40])
def test_map_points_query_count_does_not_grow_with_data(client, django_assert_num_queries, count):
    for n in range(count):
        OrganizationFactory(name=f"Punkt {n}", latitude="50.06", longitude="19.94")
    # when the data last changed (core.caching), how many points (capped), the areas'
    # names, then the points with their district and area ids
    with django_assert_num_queries(4):
        response = client.get(reverse("organizations:map_points"))
    assert len(response.json()["features"]) == count


def test_map_points_follow_the_filters(client, podgorze):
    OrganizationFactory(name="Na mapie", district=podgorze, latitude="50.04", longitude="19.95")
    OrganizationFactory(name="Poza filtrem", latitude="50.07", longitude="19.93")
    OrganizationFactory(name="Bez lokalizacji", district=podgorze)
    features = client.get(reverse("organizations:map_points"), {"district": 13}).json()["features"]
    assert [f["properties"]["name"] for f in features] == ["Na mapie"]
    assert features[0]["geometry"]["coordinates"] == [19.95, 50.04]


def test_detail_shows_when_the_data_was_last_confirmed(client):
    org = OrganizationFactory(name="Potwierdzona")
    response = client.get(org.get_absolute_url())
    assert "Data last confirmed by the organization" in response.content.decode() or (
        "potwierdz" in response.content.decode().lower()
    )


def test_detail_of_a_hidden_organization_is_not_found(client):
    org = OrganizationFactory(is_hidden=True)
    assert client.get(org.get_absolute_url()).status_code == 404


def test_districts_and_areas_are_data_not_code():
    assert PublicBenefitArea.objects.count() >= 40
    assert District.objects.count() == 0  # districts are loaded per municipality (demo / admin)


def test_slug_keeps_polish_letters_as_their_latin_twins():
    assert OrganizationFactory(name="Fundacja Łódź Żywa").slug == "fundacja-lodz-zywa"


def test_map_popups_carry_the_district_and_the_short_area_names(client, podgorze, culture):
    seniors = PublicBenefitArea.objects.get(code="10")
    OrganizationFactory(
        name="Na mapie",
        district=podgorze,
        areas=[culture, seniors],
        latitude="50.04",
        longitude="19.95",
    )
    OrganizationFactory(name="Bez dzielnicy", latitude="50.07", longitude="19.93")
    features = client.get(reverse("organizations:map_points")).json()["features"]
    properties = {f["properties"]["name"]: f["properties"] for f in features}
    assert properties["Na mapie"]["district"] == "XIII Podgórze"
    assert properties["Na mapie"]["areas"] == ["Seniorzy", "Kultura"]
    assert properties["Bez dzielnicy"]["district"] is None
    assert properties["Bez dzielnicy"]["areas"] == []


def test_map_popups_are_filled_by_text_never_as_html():
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "static" / "organizations" / "map.js"
    source = script.read_text()
    assert "textContent" in source
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source


def test_every_area_has_a_short_name_in_both_languages_and_synonyms():
    for area in PublicBenefitArea.objects.all():
        assert area.short_label_pl and area.short_label_en and area.synonyms, area.code
        assert len(area.short_label_pl) < len(area.label_pl) or area.code == "32a"


def test_area_filter_offers_the_short_names(client):
    page = client.get(LIST).content.decode()
    assert '<option value="10">Seniorzy</option>' in page
    assert '<option value="1">Pomoc społeczna</option>' in page
    assert "działalności na rzecz osób w wieku emerytalnym</option>" not in page


def test_area_filter_still_refuses_an_unknown_area(client):
    response = client.get(LIST, {"area": "99z"})
    assert response.status_code == 200
    assert "area" in response.context["filter"].form.errors


def test_cards_show_the_short_area_names(client, culture):
    OrganizationFactory(name="Teatr", areas=[culture])
    page = client.get(LIST).content.decode()
    assert "Kultura" in page
    assert culture.label_pl not in page


def test_detail_shows_the_short_area_name_with_the_statutory_wording_as_a_hint(client):
    seniors = PublicBenefitArea.objects.get(code="10")
    org = OrganizationFactory(name="Klub Seniora", areas=[seniors])
    page = client.get(org.get_absolute_url()).content.decode()
    assert ">Seniorzy</a>" in page
    assert "działalności na rzecz osób w wieku emerytalnym" in page


def test_english_pages_show_the_english_short_area_names(client, settings, culture):
    OrganizationFactory(name="Teatr", areas=[culture])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(LIST).content.decode()
    assert '<option value="16">Culture</option>' in page
    assert '<option value="10">Older people</option>' in page


def test_directory_states_the_data_licence(client, settings):
    settings.DATA_LICENCE_NAME = "CC BY 4.0"
    settings.DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.pl"
    html = client.get(reverse("organizations:list")).content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.pl" rel="license"' in html
    assert "CC BY 4.0" in html
